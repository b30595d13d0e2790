//! Whether the user lets PAM's model see their medical data. The setting is the profiles domain's
//! (`privacy_settings.share_medical_with_pam`, off by default); this domain asks through a handle the
//! server wires up, so it never depends on another domain.

use std::sync::Arc;

use futures::future::BoxFuture;
use pam_kernel::DomainError;
use uuid::Uuid;

use crate::MedicalState;

pub trait ConsentSource: Send + Sync {
    fn shares_medical_with_pam(&self, user_id: Uuid) -> BoxFuture<'_, Result<bool, DomainError>>;
}

#[derive(Clone)]
pub struct Consent(Arc<dyn ConsentSource>);

impl Consent {
    pub fn new(source: Arc<dyn ConsentSource>) -> Consent {
        Consent(source)
    }

    pub async fn shares_medical_with_pam(&self, user_id: Uuid) -> Result<bool, DomainError> {
        self.0.shares_medical_with_pam(user_id).await
    }
}

/// What the tools answer without consent: the model relays it, so it says what to do.
pub const NOT_SHARED: &str = "The user has not allowed PAM to use their medical information, so I can't read it. \
     They can turn on \"Share medical data with PAM\" (share_medical_with_pam) in their privacy settings; \
     their records stay available to them in the Medical section either way.";

/// Refuses unless the user has allowed their medical data to be shown to PAM's model.
pub async fn ensure_shared(state: &MedicalState, user_id: Uuid) -> Result<(), DomainError> {
    if state.consent.shares_medical_with_pam(user_id).await? {
        Ok(())
    } else {
        Err(DomainError::Forbidden(NOT_SHARED.into()))
    }
}
