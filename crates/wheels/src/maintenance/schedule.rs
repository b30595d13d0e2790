//! What is due: for each task (per vehicle) its latest record says when it is next due, by date or by
//! odometer; that is overdue, upcoming, or not yet worth mentioning. The odometer "now" is the highest
//! reading the vehicle's fuel log and maintenance records know.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use pam_kernel::{DomainError, Locale, Units};
use pam_store::with_db;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::record::{MaintenanceRecord, all_rows};
use crate::WheelsState;
use crate::units::{Shown, show_distance};

/// Due within this many days is upcoming.
pub const DUE_SOON_DAYS: i64 = 30;
/// Due within this many km of the latest reading is upcoming.
pub const DUE_SOON_KM: f64 = 1000.0;
/// Done within this many days is recent.
pub const RECENT_DAYS: i64 = 90;

/// A record whose next service is due, with how far off it is.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScheduleItem {
    #[serde(flatten)]
    pub record: MaintenanceRecord,
    /// Days until `next_due_date`; negative when that has passed.
    pub days_until_due: Option<i64>,
    /// Distance until `next_due_mileage` from the latest known reading; negative when passed.
    pub distance_until_due: Option<Shown>,
    /// The vehicle's latest known odometer reading.
    pub current_odometer: Option<Shown>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Schedule {
    /// The user's today, which the buckets are counted from.
    pub today: NaiveDate,
    /// Past their due date or reading, the longest overdue first.
    pub overdue: Vec<ScheduleItem>,
    /// Due within 30 days or 1,000 km, the soonest first.
    pub upcoming: Vec<ScheduleItem>,
    /// Done in the last 90 days, newest first.
    pub recent: Vec<MaintenanceRecord>,
}

pub async fn schedule(state: &WheelsState, user_id: Uuid) -> Result<Schedule, DomainError> {
    let locale = state.locales.of(user_id).await?;
    schedule_in(state, user_id, &locale).await
}

/// The schedule with a locale the caller already has (a PAM turn's zone decides "today").
pub async fn schedule_in(state: &WheelsState, user_id: Uuid, locale: &Locale) -> Result<Schedule, DomainError> {
    let records: Vec<MaintenanceRecord> =
        all_rows(state, user_id).await?.into_iter().map(|r| r.shown(locale.units)).collect();
    let readings: Vec<(Option<Uuid>, Option<f64>)> = with_db!(&state.db, |pool| {
        sqlx::query_as(
            "SELECT vehicle_id, MAX(odometer_km) FROM (\
             SELECT vehicle_id, odometer_km FROM fuel_log WHERE user_id = $1 AND odometer_km IS NOT NULL \
             UNION ALL \
             SELECT vehicle_id, odometer_km FROM maintenance_records WHERE user_id = $1 AND odometer_km IS NOT NULL\
             ) AS readings GROUP BY vehicle_id",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await
    })?;
    let odometers: HashMap<Option<Uuid>, f64> = readings.into_iter().filter_map(|(v, km)| Some((v, km?))).collect();
    Ok(arrange(records, &odometers, locale.today(), locale.units))
}

/// The buckets, from every record (oldest first) and each vehicle's latest reading.
fn arrange(
    records: Vec<MaintenanceRecord>,
    odometers: &HashMap<Option<Uuid>, f64>,
    today: NaiveDate,
    units: Units,
) -> Schedule {
    let recent_since = today - chrono::Duration::days(RECENT_DAYS);
    let mut recent: Vec<MaintenanceRecord> =
        records.iter().filter(|r| r.date >= recent_since && r.date <= today).cloned().collect();
    recent.reverse();

    // A task done again supersedes what its earlier record said was due.
    let mut latest: BTreeMap<(Option<Uuid>, String), MaintenanceRecord> = BTreeMap::new();
    for r in records {
        latest.insert((r.vehicle_id, r.task.trim().to_lowercase()), r);
    }
    let (mut overdue, mut upcoming) = (Vec::new(), Vec::new());
    for record in latest.into_values() {
        let current_km = odometers.get(&record.vehicle_id).copied();
        let days = record.next_due_date.map(|d| (d - today).num_days());
        let km_left = record.next_due_km.zip(current_km).map(|(due, now)| due - now);
        let is_overdue = days.is_some_and(|d| d < 0) || km_left.is_some_and(|k| k <= 0.0);
        let is_soon = days.is_some_and(|d| d <= DUE_SOON_DAYS) || km_left.is_some_and(|k| k <= DUE_SOON_KM);
        let item = ScheduleItem {
            days_until_due: days,
            distance_until_due: km_left.map(|k| show_distance(k, units)),
            current_odometer: current_km.map(|k| show_distance(k, units)),
            record,
        };
        if is_overdue {
            overdue.push(item);
        } else if is_soon {
            upcoming.push(item);
        }
    }
    // Soonest (or longest overdue) first, by date where there is one, else by distance.
    let urgency = |i: &ScheduleItem| {
        let km = i.distance_until_due.map(|d| d.value as i64).unwrap_or(i64::MAX);
        (i.days_until_due.unwrap_or(i64::MAX), km)
    };
    overdue.sort_by_key(urgency);
    upcoming.sort_by_key(urgency);
    Schedule { today, overdue, upcoming, recent }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn record(task: &str, days_ago: i64, due_in_days: Option<i64>, due_km: Option<f64>) -> MaintenanceRecord {
        let today = NaiveDate::from_ymd_opt(2026, 6, 15).unwrap();
        MaintenanceRecord {
            id: Uuid::now_v7(),
            user_id: Uuid::nil(),
            vehicle_id: None,
            task: task.into(),
            date: today - chrono::Duration::days(days_ago),
            mileage: None,
            next_due_date: due_in_days.map(|d| today + chrono::Duration::days(d)),
            next_due_mileage: due_km,
            odometer_unit: "km",
            cost: None,
            currency: "AUD".into(),
            notes: None,
            mileage_km: None,
            next_due_km: due_km,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn records_fall_into_their_buckets() {
        let today = NaiveDate::from_ymd_opt(2026, 6, 15).unwrap();
        let records = vec![
            record("Oil change", 200, Some(-20), None),
            // Done again since: the old due date no longer counts.
            record("oil change ", 10, Some(170), None),
            record("Tyre rotation", 120, Some(12), None),
            record("Brake check", 150, None, Some(50_800.0)),
            record("Gas certificate", 100, Some(0), None),
            record("Wheel bearings", 400, None, Some(49_000.0)),
            record("Annual service", 300, Some(90), None),
        ];
        let odometers = HashMap::from([(None, 50_000.0)]);
        let s = arrange(records, &odometers, today, Units::Metric);
        let tasks = |items: &[ScheduleItem]| items.iter().map(|i| i.record.task.clone()).collect::<Vec<_>>();
        assert_eq!(tasks(&s.overdue), ["Wheel bearings"]);
        assert_eq!(s.overdue[0].distance_until_due.unwrap().value, -1000.0);
        assert_eq!(tasks(&s.upcoming), ["Gas certificate", "Tyre rotation", "Brake check"]);
        assert_eq!(s.recent.iter().map(|r| r.task.as_str()).collect::<Vec<_>>(), ["oil change "]);
    }
}
