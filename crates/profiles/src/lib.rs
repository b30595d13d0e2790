//! Profiles, settings and privacy (SPEC §4 "Profiles & settings"): the rows every user has from first
//! sight, their reads and updates, profile pictures, account statistics, and PAM's profile tools.
//!
//! Other domains read a user's locale (zone, currency, units) through the kernel's `LocaleSource`, which
//! [`ProfilesState`] implements; they never depend on this crate. The one exception is admin, which
//! manages accounts and roles through this crate's public service API (`service`).

// Outside data never reaches an unwrap: failures are errors, not panics (tests may unwrap).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod account;
pub mod accounts;
pub mod avatar;
pub mod routes;
pub mod service;
pub mod settings;
pub mod tools;

use std::path::PathBuf;
use std::sync::Arc;

use futures::future::BoxFuture;
use pam_kernel::locale::LocaleSource;
use pam_kernel::{DomainError, Locale};
use pam_platform::cache::Cache;
use pam_store::Db;
use uuid::Uuid;

pub use service::Profile;

/// What this domain's services need.
#[derive(Clone)]
pub struct ProfilesState {
    pub db: Db,
    /// Profiles read recently; every write here invalidates the entry on every instance.
    pub cache: Cache<Arc<Profile>>,
    /// Where uploaded pictures are kept (`$DATA_DIR/uploads`).
    pub uploads_dir: Arc<PathBuf>,
}

impl LocaleSource for ProfilesState {
    fn locale(&self, user_id: Uuid) -> BoxFuture<'_, Result<Locale, DomainError>> {
        Box::pin(service::locale(self, user_id))
    }
}
