//! Wheels' part of the account export: every row the user has in its tables.

use pam_kernel::DomainError;
use pam_kernel::export::{OwnedTable, Sections, owned};
use uuid::Uuid;

use crate::{WheelsState, fuel, maintenance, places, trips, vehicles};

pub const TABLES: &[OwnedTable] = &[
    owned("vehicles", "vehicles"),
    owned("fuel_log", "fuel_log"),
    owned("maintenance_records", "maintenance"),
    owned("user_trips", "trips"),
    owned("favorite_locations", "favorites"),
];

pub async fn export(state: &WheelsState, user_id: Uuid) -> Result<Sections, DomainError> {
    let mut out = Sections::new();
    out.add("trips", trips::all(state, user_id).await?)?;
    out.add("vehicles", vehicles::all(state, user_id).await?)?;
    out.add("fuel_log", fuel::all(state, user_id).await?)?;
    out.add("maintenance", maintenance::all(state, user_id).await?)?;
    out.add("favorites", places::all(state, user_id).await?)?;
    Ok(out)
}
