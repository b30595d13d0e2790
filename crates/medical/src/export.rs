//! The medical part of the account export: every record, medication and the emergency card. Deleting
//! the account removes them with it (each table cascades from `users`).

use pam_kernel::DomainError;
use pam_kernel::export::{OwnedTable, Sections, owned};
use uuid::Uuid;

use crate::{MedicalState, emergency, medications, records};

pub const TABLES: &[OwnedTable] = &[
    owned("medical_records", "medical_records"),
    owned("medical_medications", "medical_medications"),
    owned("medical_emergency_info", "medical_emergency_info"),
];

pub async fn export(state: &MedicalState, user_id: Uuid) -> Result<Sections, DomainError> {
    let mut out = Sections::new();
    out.add("medical_records", records::all(state, user_id).await?)?;
    out.add("medical_medications", medications::all(state, user_id).await?)?;
    out.add("medical_emergency_info", emergency::for_export(state, user_id).await?)?;
    Ok(out)
}
