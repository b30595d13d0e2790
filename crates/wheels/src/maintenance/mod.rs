//! Maintenance records: services done (task, date, odometer, cost) and when each is next due, by date
//! or by odometer. Stored in km and cents; shown in the user's units and currency.

mod record;
mod schedule;

pub use record::{
    MaintenanceFilter, MaintenanceList, MaintenanceRecord, MaintenanceUpdate, NewMaintenance, all, create, create_in,
    delete, get, list, update,
};
pub use schedule::{DUE_SOON_DAYS, DUE_SOON_KM, RECENT_DAYS, Schedule, ScheduleItem, schedule, schedule_in};
