//! The primary model: chosen by an operator, kept in `app_settings` so every instance reads the same
//! choice before its next turn, validated against the registry and this server's configured providers.

use pam_kernel::DomainError;
use uuid::Uuid;

use crate::{AdminState, settings};

/// Makes `model_id` the primary (None: back to the configured one). Audited by the caller's layer and
/// here with the change itself.
pub async fn set_primary(state: &AdminState, model_id: Option<&str>, by: Uuid) -> Result<(), DomainError> {
    if let Some(id) = model_id {
        state.models.can_be_primary(id).map_err(|why| DomainError::invalid(&["body", "model_id"], why))?;
    }
    settings::set(&state.db, settings::PRIMARY_MODEL, model_id.unwrap_or(""), by).await?;
    state.models.prefer(model_id);
    let details = serde_json::json!({"model_id": model_id});
    pam_kernel::audit::record(&state.db, Some(by), "admin.models.primary", None, details).await?;
    Ok(())
}
