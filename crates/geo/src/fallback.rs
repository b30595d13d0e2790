//! The two services with an offline answer behind them: geocoding falls back to the gazetteer and
//! routing to the estimate, so a trip can still be planned when a provider is down or not configured.
//! Every answer says which one produced it (`source`).

use std::sync::Arc;

use serde::Serialize;

use crate::estimate::{AverageSpeed, RouteEstimate, Waypoint, estimate_route};
use crate::gazetteer::{Gazetteer, MatchQuality};
use crate::providers::{GeocodedPlace, Geocoder, ProviderError, RouteProvider};
use crate::source::Source;

/// Places the gazetteer offers for one query (the best match, then other places of the same name).
const GAZETTEER_RESULTS: usize = 5;

/// Geocoding answers.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Geocoded {
    /// `nominatim` or `gazetteer`.
    pub source: Source,
    /// Best first; empty when nothing matched.
    pub places: Vec<GeocodedPlace>,
    /// When nothing matched and the gazetteer answered: display names of close places.
    pub suggestions: Vec<String>,
}

/// A geocoder with the gazetteer behind it.
#[derive(Clone)]
pub struct Geocoding {
    provider: Option<Arc<dyn Geocoder>>,
    gazetteer: &'static Gazetteer,
}

impl Geocoding {
    /// Tries `provider` first when there is one; the gazetteer answers when it fails or is absent.
    pub fn new(provider: Option<Arc<dyn Geocoder>>, gazetteer: &'static Gazetteer) -> Geocoding {
        Geocoding { provider, gazetteer }
    }

    /// Places matching `query`. Never fails: any provider error (timeout, 429, 5xx, bad body) is
    /// logged and the gazetteer answers instead; so does it when the provider finds nothing (it
    /// forgives misspellings and offers suggestions).
    pub async fn geocode(&self, query: &str) -> Geocoded {
        if let Some(provider) = &self.provider {
            match provider.geocode(query).await {
                Ok(places) if !places.is_empty() => {
                    return Geocoded { source: Source::Nominatim, places, suggestions: Vec::new() };
                }
                // Nothing found by the service: the gazetteer forgives small misspellings and suggests.
                Ok(_) => return self.gazetteer_answer(query),
                Err(error) => tracing::warn!(%error, "geocoder failed; answering from the gazetteer"),
            }
        }
        self.gazetteer_answer(query)
    }

    fn gazetteer_answer(&self, query: &str) -> Geocoded {
        let best = match self.gazetteer.lookup(query) {
            Ok(best) => best,
            Err(not_found) => {
                return Geocoded { source: Source::Gazetteer, places: Vec::new(), suggestions: not_found.suggestions };
            }
        };
        // Other places with the same name (other Perths), for the user to pick from.
        let same_name = self
            .gazetteer
            .search(query, GAZETTEER_RESULTS)
            .into_iter()
            .filter(|m| matches!(m.quality, MatchQuality::Exact | MatchQuality::Alias) && m.place != best.place);
        let places = std::iter::once(best)
            .chain(same_name)
            .take(GAZETTEER_RESULTS)
            .map(|m| GeocodedPlace {
                name: m.place.name.to_string(),
                display_name: m.place.display_name(),
                coordinates: m.place.coordinates,
                kind: None,
            })
            .collect();
        Geocoded { source: Source::Gazetteer, places, suggestions: Vec::new() }
    }
}

/// A routing service with the estimate behind it.
#[derive(Clone)]
pub struct Routing {
    provider: Option<Arc<dyn RouteProvider>>,
    speed: AverageSpeed,
}

impl Routing {
    /// Tries `provider` first when there is one; the estimate (at `speed`) answers when it fails or is absent.
    pub fn new(provider: Option<Arc<dyn RouteProvider>>, speed: AverageSpeed) -> Routing {
        Routing { provider, speed }
    }

    /// The average speed the estimate drives at (also what a distance alone is timed at).
    pub fn average_speed(&self) -> AverageSpeed {
        self.speed
    }

    /// The route through `waypoints`, from the provider (`source: "osrm"`) or the estimate
    /// (`source: "estimate"`). The only error is [`ProviderError::NoRoute`]: when the routing service
    /// says no road joins the stops (Tasmania from the mainland), a straight-line estimate would be
    /// wrong, so that answer is passed on rather than papered over.
    pub async fn route(&self, waypoints: &[Waypoint]) -> Result<RouteEstimate, ProviderError> {
        if let Some(provider) = &self.provider {
            match provider.route(waypoints).await {
                Ok(route) => return Ok(route),
                Err(error @ ProviderError::NoRoute(_)) => return Err(error),
                Err(error) => tracing::warn!(%error, "routing service failed; answering with the estimate"),
            }
        }
        Ok(estimate_route(waypoints, self.speed))
    }
}
