//! Shop (SPEC §4 "Knowledge, medical, shop"): the admin-managed product catalogue (searched by every
//! signed-in user; written by admins, each write audited) and recommendations picked from it for the
//! user's vehicle and coming trips. Each face (service, routes, tools) calls the same service functions.
//!
//! Needs from elsewhere: the user's primary vehicle and upcoming trips, through [`Travellers`], which
//! the server backs with the wheels domain's public services. Holds no user rows.

// Outside data never reaches an unwrap: failures are errors, not panics (tests may unwrap).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod products;
pub mod recommend;
pub mod routes;
pub mod tools;

use axum::extract::FromRef;
use pam_kernel::DomainError;
use pam_kernel::export::{OwnedTable, Sections};
use pam_store::Db;
use pam_web::Authn;
use utoipa_axum::router::OpenApiRouter;

pub use recommend::{Traveller, TravellerSource, TravellerVehicle, Travellers, UpcomingTrip};

/// What this domain's services need.
#[derive(Clone)]
pub struct ShopState {
    pub db: Db,
    pub travellers: Travellers,
}

pub fn router<S>() -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
    ShopState: FromRef<S>,
    Authn: FromRef<S>,
{
    routes::router()
}

/// The catalogue is the shop's, not any user's: no user rows here.
pub const TABLES: &[OwnedTable] = &[];

pub async fn export() -> Result<Sections, DomainError> {
    Ok(Sections::new())
}
