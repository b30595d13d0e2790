//! The outside world as this domain sees it: places (a geocoder, else the bundled gazetteer), routes
//! (a router, else the great-circle estimate) and the services that have no offline stand-in (weather,
//! fuel prices, campgrounds). A missing or failing service of the last kind is `Unavailable` (503) with
//! a message that says so; nothing is made up in its place.

use std::sync::Arc;

use pam_geo::providers::{CampgroundProvider, FuelPriceProvider, WeatherProvider, WebSearchProvider};
use pam_geo::{AverageSpeed, Gazetteer, Geocoding, ProviderError, Routing};
use pam_kernel::DomainError;

#[derive(Clone)]
pub struct Travel {
    pub gazetteer: &'static Gazetteer,
    pub geocoding: Arc<Geocoding>,
    pub routing: Arc<Routing>,
    pub weather: Option<Arc<dyn WeatherProvider>>,
    pub fuel_prices: Option<Arc<dyn FuelPriceProvider>>,
    pub campgrounds: Option<Arc<dyn CampgroundProvider>>,
    /// For attractions near a place (no offline stand-in).
    pub web_search: Option<Arc<dyn WebSearchProvider>>,
}

impl Travel {
    /// Gazetteer and estimate only: what works with no network and no keys.
    pub fn offline() -> Travel {
        let gazetteer = Gazetteer::global();
        Travel {
            gazetteer,
            geocoding: Arc::new(Geocoding::new(None, gazetteer)),
            routing: Arc::new(Routing::new(None, AverageSpeed::default())),
            weather: None,
            fuel_prices: None,
            campgrounds: None,
            web_search: None,
        }
    }
}

/// A provider failure as the domain reports it: the service is unavailable, with what to expect.
pub fn unavailable(service: &str, err: ProviderError) -> DomainError {
    let why = match err {
        ProviderError::Unavailable => format!("{service} is not configured on this server"),
        ProviderError::RateLimited { retry_after } => match retry_after {
            Some(d) => format!("{service} is busy; try again in {} seconds", d.as_secs().max(1)),
            None => format!("{service} is busy; try again shortly"),
        },
        ProviderError::Timeout | ProviderError::Unreachable => format!("{service} is not answering right now"),
        other => {
            tracing::warn!(service, error = %other, "provider failed");
            format!("{service} failed to answer; try again later")
        }
    };
    DomainError::Unavailable(why)
}
