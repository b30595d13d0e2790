//! Accounts as operators manage them: search, and the role.

use pam_kernel::{DomainError, Page};
use pam_profiles::service::{self, AccountSummary};
use uuid::Uuid;

use crate::AdminState;

pub async fn list(state: &AdminState, q: Option<&str>, page: Page) -> Result<(Vec<AccountSummary>, i64), DomainError> {
    service::list_accounts(&state.db, q, page).await
}

/// Changes a role. The last admin role cannot be removed (by its holder or anyone), so the service
/// always has an operator.
pub async fn set_role(state: &AdminState, by: Uuid, id: Uuid, role: &str) -> Result<AccountSummary, DomainError> {
    let updated = service::set_role(&state.db, id, role).await?;
    (state.role_changed)(id);
    let details = serde_json::json!({"role": role});
    pam_kernel::audit::record(&state.db, Some(by), "admin.users.role", Some(("user", id.to_string())), details).await?;
    Ok(updated)
}
