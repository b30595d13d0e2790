//! The authenticated caller: who is asking, as the verified token and their account say. The web crate
//! extracts it from a request; services take its id (and check `may_act_for` where a path names a user).

use uuid::Uuid;

use crate::error::DomainError;

#[derive(Clone, Debug)]
pub struct Caller {
    pub id: Uuid,
    pub email: Option<String>,
    pub is_admin: bool,
}

impl Caller {
    /// SPEC §2: a path or body `user_id` other than the caller's is 403 unless the caller is an admin.
    pub fn ensure_may_act_for(&self, user_id: Uuid) -> Result<(), DomainError> {
        if self.id == user_id || self.is_admin {
            Ok(())
        } else {
            Err(DomainError::Forbidden("You can only access your own data".into()))
        }
    }
}
