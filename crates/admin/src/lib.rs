//! Admin — running PAM (SPEC §4 "Admin"): usage and cost, the models and which one answers first,
//! providers' health, accounts and roles, the audit log, parked jobs, and a usage chart. Admin only;
//! every call is recorded in the audit log with who, what, when and the outcome (`audit_layer`).
//!
//! Needs from elsewhere: the brain's models through [`ModelControl`] (the server implements it over
//! its fallback chain and registry), accounts through the profiles domain's public API, the job queue
//! from platform, and the stacked-bar drawing of `pam_chart`. It is the one domain that uses another
//! domain's public service API (`pam_profiles::service`); no domain depends on admin.

// Outside data never reaches an unwrap: failures are errors, not panics (tests may unwrap).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod audit;
pub mod control;
pub mod models;
pub mod reports;
pub mod routes;
pub mod settings;
pub mod users;

use std::sync::Arc;

use pam_platform::jobs::JobQueue;
use pam_store::Db;
use uuid::Uuid;

pub use control::{ModelControl, ModelView};

/// What this domain's services need.
#[derive(Clone)]
pub struct AdminState {
    pub db: Db,
    pub models: Arc<dyn ModelControl>,
    /// The background job queue the runner uses (database or Redis), for the list of jobs.
    pub jobs: Arc<dyn JobQueue>,
    /// Called after a role changes, so the new role is honoured at once (the identity cache forgets
    /// the account).
    pub role_changed: Arc<dyn Fn(Uuid) + Send + Sync>,
}
