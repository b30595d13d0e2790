//! The fuel use a trip plan works with: what full fills taught us, else what the user stated.

use pam_kernel::DomainError;
use uuid::Uuid;

use super::named_or_primary;
use crate::WheelsState;

/// The fuel use to plan with for a vehicle (the user's primary one when `vehicle_id` is None): what
/// full fills taught us, else what the user stated. None when the user has no primary vehicle; a named
/// vehicle that is not the user's is "not found".
pub async fn planning_consumption(
    state: &WheelsState,
    user_id: Uuid,
    vehicle_id: Option<Uuid>,
) -> Result<Option<PlanningVehicle>, DomainError> {
    let vehicle = named_or_primary(state, user_id, vehicle_id).await?;
    Ok(vehicle.map(|v| PlanningVehicle {
        id: v.id,
        l_per_100km: v.learned_l_per_100km.or(v.consumption_l_per_100km),
        learned: v.learned_l_per_100km.is_some(),
        fuel_type: v.fuel_type.as_str().to_string(),
        name: v.name,
    }))
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
