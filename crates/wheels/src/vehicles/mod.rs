//! Vehicles: one primary per user; fuel use stored in L/100 km (stated, and learned from full fills).

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
    let row: Option<(Uuid, String, Option<f64>, Option<f64>)> = with_db!(&state.db, |pool| {
        sqlx::query_as(
            "SELECT id, name, learned_l_per_100km, consumption_l_per_100km FROM vehicles \
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
        (Some((id, name, learned, stated)), _) => {
            Ok(Some(PlanningVehicle { id, name, l_per_100km: learned.or(stated), learned: learned.is_some() }))
        }
    }
}

/// A vehicle as a plan uses it.
#[derive(Clone, Debug)]
pub struct PlanningVehicle {
    pub id: Uuid,
    pub name: String,
    pub l_per_100km: Option<f64>,
    /// The figure comes from the fuel log rather than the user's own statement.
    pub learned: bool,
}
