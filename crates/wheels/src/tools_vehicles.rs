//! PAM's vehicle tools (SPEC §5.5): vehicles, the fuel log, maintenance and favourite spots, each a thin
//! call into the same service its REST route uses. Tools that change data tell the front end to reload
//! its travel views (`reload_trips`).

use pam_kernel::locale::human_date;
use pam_kernel::{DomainError, NoArguments, Patch, Tool, ToolContext, ToolOutput, UiAction};
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::WheelsState;
use crate::fuel::{self, FuelFilter, FuelStatsQuery, NewFuelEntry};
use crate::maintenance::{self, MaintenanceUpdate, NewMaintenance};
use crate::places::{self, NewFavorite};
use crate::units::ConsumptionUnit;
use crate::vehicles::{self, NewVehicle, VehicleUpdate};

#[derive(Debug, Deserialize, ToSchema)]
pub struct VehicleConsumptionInput {
    /// The vehicle; the user's primary vehicle when left out.
    pub vehicle_id: Option<Uuid>,
    #[schema(example = 14.5)]
    pub consumption: f64,
    /// `L/100km` or `mpg` (US gallons); the user's units when left out.
    pub consumption_unit: Option<ConsumptionUnit>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct MaintenanceChangeInput {
    pub record_id: Uuid,
    #[serde(flatten)]
    pub changes: MaintenanceUpdate,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct MaintenanceRecordInput {
    pub record_id: Uuid,
}

fn reload_trips(entity_type: &str, id: Uuid, title: impl Into<String>) -> UiAction {
    UiAction::new("reload_trips").about(entity_type, id, title)
}

pub fn tools(state: &WheelsState) -> Vec<Tool> {
    vec![
        Tool::with_state(
            state.clone(),
            "create_vehicle",
            "Add one of the user's vehicles: name (or make and model), year, vehicle_type (motorhome, caravan_tow, \
            campervan, fifth_wheel, truck, car, other), fuel_type (diesel, petrol, lpg, electric, other), size, and fuel \
            consumption (`consumption` with `consumption_unit` L/100km or mpg; the user's units when not said). Their \
            first vehicle is the primary one.",
            true,
            |state, ctx, input: NewVehicle| async move {
                let v = vehicles::create(&state, ctx.user_id, input).await?;
                let action = reload_trips("vehicle", v.id, v.name.clone());
                ToolOutput::changed(v, action)
            },
        ),
        Tool::with_state(
            state.clone(),
            "update_vehicle_fuel_consumption",
            "Set a vehicle's fuel consumption (the primary vehicle unless vehicle_id is given), in L/100km or mpg \
            (consumption_unit; the user's units when not said).",
            true,
            |state, ctx, input: VehicleConsumptionInput| async move {
                let id = vehicles::owned_or_primary(&state, ctx.user_id, input.vehicle_id)
                    .await?
                    .ok_or_else(|| DomainError::NotFound("The user has no vehicle yet: add one first".into()))?;
                let change = VehicleUpdate {
                    consumption: Patch::Value(input.consumption),
                    consumption_unit: input.consumption_unit,
                    ..VehicleUpdate::default()
                };
                let v = vehicles::update(&state, ctx.user_id, id, change).await?;
                let action = reload_trips("vehicle", v.id, v.name.clone());
                ToolOutput::changed(v, action)
            },
        ),
        Tool::with_state(
            state.clone(),
            "add_fuel_entry",
            "Log a fill-up: any two of volume, price_per_unit and total (the third is worked out), unit litres or \
            gallons, odometer (odometer_unit km or mi), date (default today), filled_to_top (default true), station. \
            Units not given are the user's (litres and km, or US gallons and miles for imperial users). Goes on the \
            primary vehicle unless vehicle_id is given.",
            true,
            |state, ctx, input: NewFuelEntry| async move {
                let f = fuel::create_in(&state, ctx.user_id, &ctx.locale, input).await?;
                let action = reload_trips("fuel_entry", f.id, format!("{} {} fill-up", f.volume, f.unit.symbol()));
                ToolOutput::changed(f, action)
            },
        ),
        Tool::with_state(
            state.clone(),
            "get_fuel_stats",
            "Fuel spending, volume, number of fills, average price and fuel consumption between full fills for \
            this week, this month (default), this year or all time.",
            false,
            |state, ctx, input: FuelStatsQuery| async move {
                ToolOutput::data(fuel::stats_in(&state, ctx.user_id, &ctx.locale, &input).await?)
            },
        ),
        Tool::with_state(
            state.clone(),
            "get_fuel_log",
            "The user's fill-ups, newest first, optionally between two dates or for one vehicle.",
            false,
            |state, ctx, input: FuelFilter| async move { ToolOutput::data(fuel::list(&state, ctx.user_id, &input).await?) },
        ),
        Tool::with_state(
            state.clone(),
            "create_maintenance_record",
            "Record a service done on a vehicle: task, date (default today; not in the future), odometer reading \
            (mileage, in odometer_unit km or mi; the user's units when not said), cost, notes, and when it is next \
            due (next_due_date and/or next_due_mileage).",
            true,
            |state, ctx, input: NewMaintenance| async move {
                let m = maintenance::create_in(&state, ctx.user_id, &ctx.locale, input).await?;
                let action = reload_trips("maintenance", m.id, m.task.clone());
                ToolOutput::changed(m, action)
            },
        ),
        Tool::with_state(
            state.clone(),
            "get_maintenance_schedule",
            "What maintenance is overdue, what is due within 30 days or 1,000 km, and what was done in the last 90 days.",
            false,
            |state, ctx, _: NoArguments| async move {
                ToolOutput::data(maintenance::schedule_in(&state, ctx.user_id, &ctx.locale).await?)
            },
        ),
        Tool::with_state(
            state.clone(),
            "update_maintenance_record",
            "Change a maintenance record (record_id and the fields to change; null clears an optional field).",
            true,
            |state, ctx, input: MaintenanceChangeInput| async move {
                let m = maintenance::update(&state, ctx.user_id, input.record_id, input.changes).await?;
                let action = reload_trips("maintenance", m.id, m.task.clone());
                ToolOutput::changed(m, action)
            },
        ),
        Tool::with_state(
            state.clone(),
            "delete_maintenance_record",
            "Delete one of the user's maintenance records (the user confirms first).",
            true,
            |state, ctx, input: MaintenanceRecordInput| async move {
                maintenance::delete(&state, ctx.user_id, input.record_id).await?;
                let action = reload_trips("maintenance", input.record_id, "deleted maintenance record");
                ToolOutput::changed(json!({"deleted": input.record_id}), action)
            },
        )
        .confirmed_with(
            state.clone(),
            |state: WheelsState, ctx: ToolContext, input: MaintenanceRecordInput| async move {
                let m = maintenance::get(&state, ctx.user_id, input.record_id).await?;
                let when = human_date(m.date, ctx.locale.today_at(&ctx.clock));
                Ok(format!("Delete the \"{}\" maintenance record of {when}?", m.task))
            },
        ),
        Tool::with_state(
            state.clone(),
            "save_favorite_spot",
            "Save a favourite place: name, latitude and longitude (the user's current location when they mean \
            \"here\"), place_type (campground, town, attraction, fuel, dump_point, other), address, notes, rating 1–5.",
            true,
            |state, ctx, input: NewFavorite| async move {
                let p = places::create(&state, ctx.user_id, input).await?;
                let action = reload_trips("favorite_place", p.id, p.name.clone());
                ToolOutput::changed(p, action)
            },
        ),
    ]
}
