//! Wins — money (SPEC §4): expenses, budgets, income, reports, savings, budget alerts, and their PAM
//! tools, each face (service, routes, tools) calling the same service functions.
//!
//! Needs from elsewhere: the user's locale (zone, currency) through the kernel's `Locales` handle, which
//! the server backs with the profiles domain; the spending vocabulary from `nlu`, shared with the
//! offline brain so the words PAM understands and the categories stored agree.

// Outside data never reaches an unwrap: failures are errors, not panics (tests may unwrap).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod alerts;
pub mod budgets;
pub mod category;
pub mod chart;
pub mod expenses;
pub mod export;
pub mod income;
pub mod reports;
pub mod routes;
pub mod routes_reports;
pub mod routes_savings;
pub mod routes_seed;
pub mod savings;
pub mod tools;

use axum::extract::FromRef;
use pam_kernel::{Locales, Money};
use pam_store::Db;
use pam_web::Authn;
use utoipa_axum::router::OpenApiRouter;

/// What this domain's services need.
#[derive(Clone)]
pub struct WinsState {
    pub db: Db,
    pub locales: Locales,
    /// The monthly cost PAM's savings guarantee is measured against.
    pub subscription_cost: Money,
}

pub fn router<S>() -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
    WinsState: FromRef<S>,
    Authn: FromRef<S>,
{
    OpenApiRouter::new()
        .merge(routes::router())
        .merge(routes_reports::router())
        .merge(routes_savings::router())
        .merge(routes_seed::router())
}
