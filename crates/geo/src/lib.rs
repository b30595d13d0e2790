//! Travel knowledge for the `wheels` domain: where places are, how far apart, and what the weather,
//! fuel prices, campgrounds and the web say about them.
//!
//! - [`gazetteer`]: the bundled offline gazetteer — a place by the name a person types, the town
//!   nearest a point. Data © GeoNames, CC BY 4.0 (show [`gazetteer::ATTRIBUTION`]).
//! - [`estimate`]: driving distance and time without a routing service.
//! - [`providers`]: clients for Open-Meteo, Nominatim, OSRM, Tankerkönig, Recreation.gov (RIDB) and
//!   Brave Search, each behind a trait so the domain holds `Arc<dyn …>` and tests can fake it.
//! - [`Geocoding`] and [`Routing`]: a provider with the offline answer behind it.

// Outside data never reaches an unwrap: failures are errors, not panics (tests may unwrap).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]
#![warn(missing_docs)]

pub mod coords;
pub mod estimate;
pub mod fallback;
pub mod gazetteer;
pub mod providers;
pub mod source;

pub use coords::{Coordinates, InvalidCoordinates};
pub use estimate::{AverageSpeed, Leg, RouteEstimate, Waypoint};
pub use fallback::{Geocoded, Geocoding, Routing};
pub use gazetteer::{Gazetteer, MatchQuality, NotFound, Place, PlaceMatch};
pub use providers::{ProviderError, RadiusKm};
pub use source::Source;
