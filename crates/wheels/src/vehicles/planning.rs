//! The fuel use a trip plan works with: what full fills taught us, else what the user stated.

use pam_kernel::DomainError;
use pam_store::with_db;
use uuid::Uuid;

use crate::WheelsState;

/// The fuel use to plan with for a vehicle (the user's primary one when `vehicle_id` is None): what
/// full fills taught us, else what the user stated. None when there is no such vehicle or no figure.
pub async fn planning_consumption(
    state: &WheelsState,
    user_id: Uuid,
    vehicle_id: Option<Uuid>,
) -> Result<Option<PlanningVehicle>, DomainError> {
    let row: Option<PlanningRow> = with_db!(&state.db, |pool| {
        sqlx::query_as(
            "SELECT id, name, learned_l_per_100km, consumption_l_per_100km, fuel_type FROM vehicles \
             WHERE user_id = $1 AND (($2 IS NULL AND is_primary) OR id = $2)",
        )
        .bind(user_id)
        .bind(vehicle_id)
        .fetch_optional(pool)
        .await
    })?;
    match (row, vehicle_id) {
        (None, Some(_)) => Err(DomainError::NotFound("Vehicle not found".into())),
        (None, None) => Ok(None),
        (Some(r), _) => Ok(Some(PlanningVehicle {
            id: r.id,
            name: r.name,
            l_per_100km: r.learned_l_per_100km.or(r.consumption_l_per_100km),
            learned: r.learned_l_per_100km.is_some(),
            fuel_type: r.fuel_type,
        })),
    }
}

#[derive(sqlx::FromRow)]
struct PlanningRow {
    id: Uuid,
    name: String,
    learned_l_per_100km: Option<f64>,
    consumption_l_per_100km: Option<f64>,
    fuel_type: String,
}

/// A vehicle as a plan uses it.
#[derive(Clone, Debug)]
pub struct PlanningVehicle {
    pub id: Uuid,
    pub name: String,
    pub l_per_100km: Option<f64>,
    /// The figure comes from the fuel log rather than the user's own statement.
    pub learned: bool,
    /// As stored: diesel | petrol | lpg | electric | other.
    pub fuel_type: String,
}
