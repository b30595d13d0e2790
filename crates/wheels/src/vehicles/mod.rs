//! Vehicles: one primary per user; fuel use stored in L/100 km (stated, and learned from full fills),
//! shown in the user's units.

mod checks;
mod planning;
mod write;

use chrono::{DateTime, Utc};
use pam_kernel::schema_rules::{BodyRules, Rules, given, given_as, present, written};
use pam_kernel::{DomainError, ListMeta, Page, Patch, Units};
use pam_store::with_db;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::WheelsState;
use crate::units::{self, ConsumptionUnit, Shown, show_consumption, stored_enum};

pub use planning::{PlanningVehicle, planning_consumption};
pub use write::{create, delete, update};

stored_enum! {
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
    pub enum VehicleType {
        Motorhome = "motorhome",
        /// A caravan and the vehicle towing it.
        CaravanTow = "caravan_tow",
        Campervan = "campervan",
        FifthWheel = "fifth_wheel",
        Truck = "truck",
        Car = "car",
        #[default]
        Other = "other",
    }
}

stored_enum! {
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
    pub enum FuelType {
        Diesel = "diesel",
        #[serde(alias = "gasoline", alias = "unleaded")]
        Petrol = "petrol",
        #[serde(alias = "autogas")]
        Lpg = "lpg",
        Electric = "electric",
        #[default]
        Other = "other",
    }
}

/// A new vehicle. Fuel use may be given as `consumption` in `consumption_unit` (the user's units when
/// not said: L/100km, or mpg for imperial users), or as `consumption_l_per_100km` or `consumption_mpg`
/// (US gallons) — one of them.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct NewVehicle {
    /// What the user calls it (at most 100 characters); made from year, make and model when left out
    /// (so one of them is needed).
    #[schema(example = "The Jayco", max_length = 100)]
    pub name: Option<String>,
    #[schema(max_length = 100)]
    pub make: Option<String>,
    #[schema(max_length = 100)]
    pub model: Option<String>,
    /// From 1900 to two years from now.
    #[schema(schema_with = year_schema)]
    pub year: Option<i32>,
    /// `other` when left out.
    #[serde(default)]
    pub vehicle_type: VehicleType,
    /// `other` when left out.
    #[serde(default)]
    pub fuel_type: FuelType,
    /// More than 0, at most 30 m.
    #[schema(exclusive_minimum = 0, maximum = 30)]
    pub length_m: Option<f64>,
    /// More than 0, at most 6 m.
    #[schema(exclusive_minimum = 0, maximum = 6)]
    pub height_m: Option<f64>,
    /// More than 0, at most 60,000 kg.
    #[schema(exclusive_minimum = 0, maximum = 60000)]
    pub weight_kg: Option<f64>,
    /// A plausible fuel use in `consumption_unit`: 3–60 L/100km, or 3.93–78.4 mpg.
    #[schema(example = 14.5, minimum = 3, maximum = 78.4)]
    pub consumption: Option<f64>,
    pub consumption_unit: Option<ConsumptionUnit>,
    /// 3–60.
    #[schema(minimum = 3, maximum = 60)]
    pub consumption_l_per_100km: Option<f64>,
    /// US mpg, 3.93–78.4 (the same 3–60 L/100km).
    #[schema(minimum = 3.93, maximum = 78.4)]
    pub consumption_mpg: Option<f64>,
    /// Make this the primary vehicle (the user's first vehicle is primary whatever this says).
    pub is_primary: Option<bool>,
}

/// Partial update: fields present replace, `null` clears an optional one. `is_primary: true` moves the
/// flag here; `false` on the primary hands it to the newest other vehicle (the only vehicle stays primary).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct VehicleUpdate {
    /// Not nullable.
    #[serde(default)]
    #[schema(value_type = String, max_length = 100)]
    pub name: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>, max_length = 100)]
    pub make: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>, max_length = 100)]
    pub model: Patch<String>,
    #[serde(default)]
    #[schema(schema_with = year_schema)]
    pub year: Patch<i32>,
    pub vehicle_type: Option<VehicleType>,
    pub fuel_type: Option<FuelType>,
    #[serde(default)]
    #[schema(value_type = Option<f64>, exclusive_minimum = 0, maximum = 30)]
    pub length_m: Patch<f64>,
    #[serde(default)]
    #[schema(value_type = Option<f64>, exclusive_minimum = 0, maximum = 6)]
    pub height_m: Patch<f64>,
    #[serde(default)]
    #[schema(value_type = Option<f64>, exclusive_minimum = 0, maximum = 60000)]
    pub weight_kg: Patch<f64>,
    /// A plausible fuel use in `consumption_unit`: 3–60 L/100km, or 3.93–78.4 mpg.
    #[serde(default)]
    #[schema(value_type = Option<f64>, minimum = 3, maximum = 78.4)]
    pub consumption: Patch<f64>,
    pub consumption_unit: Option<ConsumptionUnit>,
    #[serde(default)]
    #[schema(value_type = Option<f64>, minimum = 3, maximum = 60)]
    pub consumption_l_per_100km: Patch<f64>,
    #[serde(default)]
    #[schema(value_type = Option<f64>, minimum = 3.93, maximum = 78.4)]
    pub consumption_mpg: Patch<f64>,
    pub is_primary: Option<bool>,
}

/// The three forms fuel use may be given in.
const CONSUMPTION_FORMS: [&str; 3] = ["consumption", "consumption_l_per_100km", "consumption_mpg"];

/// What [`checks::Spec::new`] asks beyond each field: a name (or a make, model or year to make one
/// from), and the fuel use in one form only. A `consumption`'s range is its unit's: stated here for a
/// `consumption_unit` given; when it is left out the unit is the user's, which the document cannot know
/// (the field states 3–78.4, which holds in both).
impl BodyRules for NewVehicle {
    fn rules() -> Rules {
        let named = [written("name"), written("make"), written("model"), given("year")];
        in_its_unit(Rules::new().any_of(named).at_most_one(CONSUMPTION_FORMS.map(given)))
    }
}

/// What [`checks::Spec::updated`] asks beyond each field: the fuel use in one form only (`null` counts:
/// it clears the figure), in its unit's range. A blank name with no make, model or year stored is
/// refused too, which depends on the vehicle.
impl BodyRules for VehicleUpdate {
    fn rules() -> Rules {
        in_its_unit(Rules::new().at_most_one(CONSUMPTION_FORMS.map(present)))
    }
}

/// `consumption` within its unit's range when `consumption_unit` names it: not under 3.93 mpg, not over
/// 60 L/100km (typed, so that `null`, which clears or leaves out the figure, is no number out of range).
fn in_its_unit(rules: Rules) -> Rules {
    let (mpg, l100) = (units::MPG_RANGE, units::CONSUMPTION_RANGE);
    rules
        .at_most_one([
            given_as("consumption_unit", json!({"const": "mpg"})),
            given_as("consumption", json!({"type": "number", "exclusiveMaximum": mpg.start()})),
        ])
        .at_most_one([
            given_as("consumption_unit", json!({"const": "L/100km"})),
            given_as("consumption", json!({"type": "number", "exclusiveMinimum": l100.end()})),
        ])
}

/// A vehicle's `year`: 1900 to two years from now (next year's models are sold this year), or null.
fn year_schema() -> utoipa::openapi::schema::Object {
    use chrono::Datelike;
    use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, SchemaType, Type};
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Integer, Type::Null]))
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int32)))
        .minimum(Some(1900))
        .maximum(Some(Utc::now().year() + 2))
        .examples([serde_json::json!(2019)])
        .build()
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Vehicle {
    pub id: Uuid,
    pub user_id: Uuid,
    pub name: String,
    pub make: Option<String>,
    pub model: Option<String>,
    pub year: Option<i32>,
    pub vehicle_type: VehicleType,
    pub fuel_type: FuelType,
    pub length_m: Option<f64>,
    pub height_m: Option<f64>,
    pub weight_kg: Option<f64>,
    /// The fuel use the user stated, in L/100 km.
    pub consumption_l_per_100km: Option<f64>,
    /// The fuel use measured between full fills in the fuel log, in L/100 km.
    pub learned_l_per_100km: Option<f64>,
    /// The stated figure in the user's units (mpg for imperial).
    pub consumption_display: Option<Shown>,
    /// The learned figure in the user's units.
    pub learned_consumption_display: Option<Shown>,
    pub is_primary: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VehicleList {
    pub vehicles: Vec<Vehicle>,
    #[serde(flatten)]
    pub meta: ListMeta,
}

#[derive(sqlx::FromRow)]
pub(crate) struct VehicleRow {
    id: Uuid,
    user_id: Uuid,
    name: String,
    make: Option<String>,
    model: Option<String>,
    year: Option<i32>,
    #[sqlx(try_from = "String")]
    vehicle_type: VehicleType,
    #[sqlx(try_from = "String")]
    fuel_type: FuelType,
    length_m: Option<f64>,
    height_m: Option<f64>,
    weight_kg: Option<f64>,
    consumption_l_per_100km: Option<f64>,
    learned_l_per_100km: Option<f64>,
    is_primary: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl VehicleRow {
    fn shown(self, units: Units) -> Vehicle {
        Vehicle {
            id: self.id,
            user_id: self.user_id,
            name: self.name,
            make: self.make,
            model: self.model,
            year: self.year,
            vehicle_type: self.vehicle_type,
            fuel_type: self.fuel_type,
            length_m: self.length_m,
            height_m: self.height_m,
            weight_kg: self.weight_kg,
            consumption_l_per_100km: self.consumption_l_per_100km,
            learned_l_per_100km: self.learned_l_per_100km,
            consumption_display: self.consumption_l_per_100km.map(|c| show_consumption(c, units)),
            learned_consumption_display: self.learned_l_per_100km.map(|c| show_consumption(c, units)),
            is_primary: self.is_primary,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

async fn get_row(state: &WheelsState, user_id: Uuid, id: Uuid) -> Result<VehicleRow, DomainError> {
    let row: Option<VehicleRow> = with_db!(&state.db, |pool| {
        sqlx::query_as("SELECT * FROM vehicles WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .fetch_optional(pool)
            .await
    })?;
    row.ok_or_else(|| DomainError::not_found("Vehicle"))
}

pub async fn get(state: &WheelsState, user_id: Uuid, id: Uuid) -> Result<Vehicle, DomainError> {
    let row = get_row(state, user_id, id).await?;
    Ok(row.shown(state.locales.of(user_id).await?.units))
}

/// The user's vehicles, the primary first, then newest first.
pub async fn list(state: &WheelsState, user_id: Uuid, page: Page) -> Result<VehicleList, DomainError> {
    let units = state.locales.of(user_id).await?.units;
    let (rows, total): (Vec<VehicleRow>, i64) = with_db!(&state.db, |pool| {
        let rows = sqlx::query_as(
            "SELECT * FROM vehicles WHERE user_id = $1 ORDER BY is_primary DESC, created_at DESC, id DESC \
             LIMIT $2 OFFSET $3",
        )
        .bind(user_id)
        .bind(page.limit)
        .bind(page.offset)
        .fetch_all(pool)
        .await?;
        let total = sqlx::query_scalar("SELECT count(*) FROM vehicles WHERE user_id = $1")
            .bind(user_id)
            .fetch_one(pool)
            .await?;
        Ok::<_, sqlx::Error>((rows, total))
    })?;
    Ok(VehicleList { vehicles: rows.into_iter().map(|r| r.shown(units)).collect(), meta: page.meta(total) })
}

/// Every vehicle of a user, oldest first (the account export).
pub async fn all(state: &WheelsState, user_id: Uuid) -> Result<Vec<Vehicle>, DomainError> {
    let units = state.locales.of(user_id).await?.units;
    let rows: Vec<VehicleRow> = with_db!(&state.db, |pool| {
        sqlx::query_as("SELECT * FROM vehicles WHERE user_id = $1 ORDER BY created_at, id")
            .bind(user_id)
            .fetch_all(pool)
            .await
    })?;
    Ok(rows.into_iter().map(|r| r.shown(units)).collect())
}

/// The vehicle named (which must be the user's: another user's is "not found"), else the user's primary
/// vehicle, else none. The one place that decides which vehicle a fill-up, a service or a plan is for.
pub(crate) async fn named_or_primary(
    state: &WheelsState,
    user_id: Uuid,
    vehicle_id: Option<Uuid>,
) -> Result<Option<VehicleRow>, DomainError> {
    let found: Option<VehicleRow> = with_db!(&state.db, |pool| {
        sqlx::query_as("SELECT * FROM vehicles WHERE user_id = $1 AND (($2 IS NULL AND is_primary) OR id = $2)")
            .bind(user_id)
            .bind(vehicle_id)
            .fetch_optional(pool)
            .await
    })?;
    match (found, vehicle_id) {
        (None, Some(_)) => Err(DomainError::not_found("Vehicle")),
        (found, _) => Ok(found),
    }
}

/// The id of the vehicle a fill-up or a service belongs to (see [`named_or_primary`]).
pub async fn owned_or_primary(
    state: &WheelsState,
    user_id: Uuid,
    vehicle_id: Option<Uuid>,
) -> Result<Option<Uuid>, DomainError> {
    Ok(named_or_primary(state, user_id, vehicle_id).await?.map(|v| v.id))
}

/// A write naming a vehicle failed on its foreign key: the vehicle was deleted between the check and
/// the write, which is the same answer as a missing one.
pub(crate) fn vehicle_gone(err: sqlx::Error) -> DomainError {
    match &err {
        sqlx::Error::Database(db) if db.is_foreign_key_violation() => DomainError::not_found("Vehicle"),
        _ => err.into(),
    }
}
