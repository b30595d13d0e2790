//! The shapes of a maintenance record: what a client sends to create or change one, what it gets back,
//! and the list query and page.

use chrono::{DateTime, NaiveDate, Utc};
use pam_kernel::money::Amount;
use pam_kernel::text::{Id, PlausibleDate};
use pam_kernel::{ListMeta, Money, Patch};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::units::DistanceUnit;

/// A service done. Odometer figures are in `odometer_unit` (the user's units when not said: km, or
/// miles for imperial users).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct NewMaintenance {
    #[schema(
        example = "Oil and filter change",
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub task: String,
    /// `YYYY-MM-DD` it was done (1970–2100), not in the future (plan a service with `next_due_date`);
    /// today in the user's zone when left out.
    #[schema(value_type = Option<PlausibleDate>)]
    pub date: Option<NaiveDate>,
    /// The odometer reading when it was done: 0 to 5,000,000 km (or as many miles).
    #[schema(minimum = 0, maximum = 5000000)]
    pub mileage: Option<f64>,
    pub odometer_unit: Option<DistanceUnit>,
    pub cost: Option<Money>,
    #[schema(max_length = 1000)]
    pub notes: Option<String>,
    #[schema(value_type = Option<PlausibleDate>)]
    pub next_due_date: Option<NaiveDate>,
    /// The odometer reading it is next due at, past `mileage`: up to 5,000,000 km (or as many miles).
    #[schema(minimum = 0, maximum = 5000000)]
    pub next_due_mileage: Option<f64>,
    /// One of the user's vehicles; their primary vehicle when left out.
    #[schema(value_type = Option<Id>)]
    pub vehicle_id: Option<Uuid>,
}

/// Partial update: fields present replace, `null` clears an optional one. `odometer_unit` is the unit of
/// the readings given in this update (the user's units when not said).
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct MaintenanceUpdate {
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub task: Option<String>,
    #[schema(value_type = Option<PlausibleDate>)]
    pub date: Option<NaiveDate>,
    #[serde(default)]
    #[schema(value_type = Option<f64>, minimum = 0, maximum = 5000000)]
    pub mileage: Patch<f64>,
    pub odometer_unit: Option<DistanceUnit>,
    #[serde(default)]
    #[schema(value_type = Option<Money>)]
    pub cost: Patch<Money>,
    #[serde(default)]
    #[schema(value_type = Option<String>, max_length = 1000)]
    pub notes: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<PlausibleDate>)]
    pub next_due_date: Patch<NaiveDate>,
    #[serde(default)]
    #[schema(value_type = Option<f64>, minimum = 0, maximum = 5000000)]
    pub next_due_mileage: Patch<f64>,
    #[serde(default)]
    #[schema(value_type = Option<Id>)]
    pub vehicle_id: Patch<Uuid>,
}

/// A record with its readings in the user's units (km or miles), and the stored km beside them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MaintenanceRecord {
    pub id: Uuid,
    pub user_id: Uuid,
    pub vehicle_id: Option<Uuid>,
    pub task: String,
    pub date: NaiveDate,
    pub mileage: Option<f64>,
    pub next_due_date: Option<NaiveDate>,
    pub next_due_mileage: Option<f64>,
    /// `km` or `mi`: the unit of `mileage` and `next_due_mileage`.
    pub odometer_unit: &'static str,
    pub cost: Option<Money>,
    pub currency: String,
    pub notes: Option<String>,
    pub mileage_km: Option<f64>,
    pub next_due_km: Option<f64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Which records to list (the REST query).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MaintenanceFilter {
    pub vehicle_id: Option<Uuid>,
    /// `YYYY-MM-DD`, inclusive.
    pub start_date: Option<NaiveDate>,
    /// `YYYY-MM-DD`, inclusive.
    pub end_date: Option<NaiveDate>,
    /// 1–1000, default 50.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MaintenanceList {
    pub maintenance_records: Vec<MaintenanceRecord>,
    #[serde(flatten)]
    pub meta: ListMeta,
    /// What all matching records cost.
    #[schema(value_type = Amount)]
    pub total_amount: Money,
}
