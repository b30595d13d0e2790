//! Wheels — travel (SPEC §4): trips and route estimates, vehicles, the fuel log, maintenance, favourite
//! places, campgrounds, weather, geocoding and fuel prices, and their PAM tools; each face (service,
//! routes, tools) calls the same service functions.
//!
//! Needs from elsewhere: the user's locale (zone, currency, units) through the kernel's `Locales`
//! handle; places, route estimates and the outside services through `pam-geo`, whose clients the server
//! builds from its configuration and hands over in [`Travel`].

// Outside data never reaches an unwrap: failures are errors, not panics (tests may unwrap).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod export;
pub mod fuel;
pub mod lookup;
pub mod maintenance;
pub mod outside;
pub mod places;
pub mod routes_outside;
pub mod routes_trips;
pub mod routes_vehicles;
pub mod seasons;
pub mod tools;
pub mod tools_travel;
pub mod tools_vehicles;
pub mod travel;
pub mod trips;
pub mod units;
pub mod vehicles;

use axum::extract::FromRef;
use pam_kernel::Locales;
use pam_store::Db;
use pam_web::Authn;
use utoipa_axum::router::OpenApiRouter;

pub use travel::Travel;

/// What this domain's services need.
#[derive(Clone)]
pub struct WheelsState {
    pub db: Db,
    pub locales: Locales,
    pub travel: Travel,
}

pub fn router<S>() -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
    WheelsState: FromRef<S>,
    Authn: FromRef<S>,
{
    use pam_kernel::schema_rules::state;
    let mut router = OpenApiRouter::new()
        .merge(routes_trips::router())
        .merge(routes_outside::router())
        .merge(routes_vehicles::router());
    let doc = router.get_openapi_mut();
    state::<trips::RouteRequest>(doc);
    state::<vehicles::NewVehicle>(doc);
    state::<vehicles::VehicleUpdate>(doc);
    state::<fuel::NewFuelEntry>(doc);
    router
}
