//! Medical (SPEC §4 "Knowledge, medical, shop"): the user's own medical records, medications and
//! emergency card, and PAM's four read-only medical tools. Each face (service, routes, tools) calls the
//! same service functions.
//!
//! Medical data is handled more carefully than anything else:
//! - **own only**: every query filters by the caller's id; another user's row is "not found";
//! - **never logged**: nothing here traces a field, the types' `Debug` prints no content
//!   ([`redact`]), and database errors are stripped of the values they may quote before they can
//!   reach the one place internal errors are logged ([`store_error`]);
//! - **never sent to a model without consent**: the tools answer only when the user's privacy settings
//!   allow it, through [`Consent`], which the server backs with the profiles domain.

// Outside data never reaches an unwrap: failures are errors, not panics (tests may unwrap).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod consent;
pub mod emergency;
pub mod export;
pub mod medications;
pub mod records;
pub mod redact;
pub mod routes;
pub mod tools;

use axum::extract::FromRef;
use pam_kernel::DomainError;
use pam_store::Db;
use pam_web::Authn;
use utoipa_axum::router::OpenApiRouter;

pub use consent::{Consent, ConsentSource};

/// What this domain's services need.
#[derive(Clone)]
pub struct MedicalState {
    pub db: Db,
    /// Whether a user lets PAM's model see their medical data.
    pub consent: Consent,
}

pub fn router<S>() -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
    MedicalState: FromRef<S>,
    Authn: FromRef<S>,
{
    routes::router()
}

/// A database failure with the medical data taken out. sqlx's errors can quote the values of the row
/// that failed (Postgres's `detail`: "Failing row contains (…)"; a column that did not decode), and an
/// internal error is logged with its cause: only the kind of failure and its SQLSTATE go on.
pub(crate) fn store_error(err: sqlx::Error) -> DomainError {
    let (kind, code) = match &err {
        sqlx::Error::Database(db) => ("database error", db.code().map(|c| c.to_string())),
        sqlx::Error::PoolTimedOut => ("pool timed out", None),
        sqlx::Error::PoolClosed => ("pool closed", None),
        sqlx::Error::ColumnDecode { .. } | sqlx::Error::Decode(_) => ("a column did not decode", None),
        sqlx::Error::Io(_) | sqlx::Error::Tls(_) | sqlx::Error::Protocol(_) => ("connection failed", None),
        _ => ("query failed", None),
    };
    DomainError::Internal(anyhow::anyhow!("medical store: {kind} (SQLSTATE {})", code.as_deref().unwrap_or("-")))
}
