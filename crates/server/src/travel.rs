//! The travel services the wheels domain uses, built from the configuration: each outside service
//! whose base URL (and key, where it needs one: checked when the configuration is read) is set, else
//! the offline stand-in (gazetteer, estimate) or none at all (fuel prices, attractions: 503). Weather
//! always has a URL (Open-Meteo's public API by default); with no network it answers 503 after its
//! timeout.

use std::sync::Arc;
use std::time::Duration;

use pam_geo::providers::{ApiKey, BraveSearch, Endpoint, Nominatim, OpenMeteo, Osrm, Ridb, Tankerkoenig};
use pam_geo::{AverageSpeed, Gazetteer, Geocoding, Routing};
use pam_wheels::Travel;

use crate::config::{Config, Secret};

/// How long any one travel service may take before PAM answers without it.
const PROVIDER_TIMEOUT: Duration = Duration::from_secs(8);

fn endpoint(url: &Option<String>) -> Option<Endpoint> {
    let url = url.as_deref()?;
    match Endpoint::new(url, PROVIDER_TIMEOUT) {
        Ok(e) => Some(e),
        Err(e) => {
            tracing::warn!(error = %e, "travel service URL not usable; running without it");
            None
        }
    }
}

fn key(secret: &Option<Secret>) -> Option<ApiKey> {
    ApiKey::new(secret.as_ref()?.expose()).ok()
}

pub fn build(config: &Config, http: &reqwest::Client) -> Travel {
    let gazetteer = Gazetteer::global();
    let geocoder = endpoint(&config.urls.geocoding).and_then(|e| {
        Nominatim::new(http.clone(), e, concat!("pam-backend/", env!("CARGO_PKG_VERSION")))
            .map(|n| Arc::new(n) as Arc<dyn pam_geo::providers::Geocoder>)
            .ok()
    });
    let router = endpoint(&config.urls.routing)
        .map(|e| Arc::new(Osrm::new(http.clone(), e)) as Arc<dyn pam_geo::providers::RouteProvider>);
    let weather = endpoint(&Some(config.urls.weather.clone())).map(|e| {
        Arc::new(OpenMeteo::new(http.clone(), e, key(&config.weather_api_key)))
            as Arc<dyn pam_geo::providers::WeatherProvider>
    });
    let fuel_prices = endpoint(&config.urls.fuel_prices).zip(key(&config.fuel_prices_api_key)).map(|(e, k)| {
        Arc::new(Tankerkoenig::new(http.clone(), e, k)) as Arc<dyn pam_geo::providers::FuelPriceProvider>
    });
    let campgrounds = endpoint(&config.urls.campgrounds)
        .zip(key(&config.campgrounds_api_key))
        .map(|(e, k)| Arc::new(Ridb::new(http.clone(), e, k)) as Arc<dyn pam_geo::providers::CampgroundProvider>);
    let web_search = endpoint(&config.urls.web_search)
        .zip(key(&config.web_search_api_key))
        .map(|(e, k)| Arc::new(BraveSearch::new(http.clone(), e, k)) as Arc<dyn pam_geo::providers::WebSearchProvider>);
    Travel {
        gazetteer,
        web_search,
        geocoding: Arc::new(Geocoding::new(geocoder, gazetteer)),
        routing: Arc::new(Routing::new(router, AverageSpeed::default())),
        weather,
        fuel_prices,
        campgrounds,
    }
}
