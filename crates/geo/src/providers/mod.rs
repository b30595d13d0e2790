//! Clients for the outside services, each behind a small trait so the domain holds `Arc<dyn Trait>`
//! and tests substitute a fake.
//!
//! Every client is built from an [`Endpoint`] (base URL + bounded timeout), a shared `reqwest::Client`
//! and, where the service needs one, an [`ApiKey`]. Every failure is a [`ProviderError`]; no provider
//! body can panic the process. Keys travel in headers marked sensitive (or, for Tankerkönig, in the
//! query string its API requires) and are never logged: transport errors are logged without their URL.

mod campgrounds;
mod fuel;
mod geocoding;
mod http;
mod routing;
mod weather;
mod web_search;
mod wmo;

use std::fmt;
use std::time::Duration;

use futures::future::BoxFuture;
use reqwest::Url;

use crate::coords::Coordinates;
use crate::estimate::{RouteEstimate, Waypoint};

pub use campgrounds::{Campground, CampgroundProvider, Campgrounds, Ridb};
pub use fuel::{FuelPriceProvider, FuelPrices, FuelStation, PricesPerLitre, Tankerkoenig};
pub use geocoding::{GeocodedPlace, Geocoder, Nominatim};
pub use http::MAX_RETRY_AFTER;
pub use routing::{Osrm, RouteProvider};
pub use weather::{DailyForecast, Forecast, MAX_FORECAST_DAYS, OpenMeteo, WeatherProvider};
pub use web_search::{BraveSearch, WebResult, WebResults, WebSearchProvider};
pub use wmo::describe_weather_code;

/// Timeout a deployment gets unless it configures another.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// Longest timeout accepted: a request held longer than this is a hung request, whatever the service.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(60);

/// Why a provider could not answer. The domain maps all of these to 503 `unavailable` except
/// [`ProviderError::NoRoute`], which is an answer ("these places are not connected by road").
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ProviderError {
    /// The provider is not configured (or its request URL could not be built from the configuration).
    #[error("provider not configured")]
    Unavailable,
    /// No complete answer within the endpoint's timeout.
    #[error("provider did not answer in time")]
    Timeout,
    /// Connection refused, DNS failure, TLS failure, connection reset.
    #[error("provider could not be reached")]
    Unreachable,
    /// 429: the provider's rate limit; `retry_after` from its Retry-After header, at most [`MAX_RETRY_AFTER`].
    #[error("provider rate limit reached")]
    RateLimited {
        /// How long the provider asked us to wait, when it said.
        retry_after: Option<Duration>,
    },
    /// A 5xx status.
    #[error("provider failed with status {0}")]
    Upstream(u16),
    /// The provider refused the request (a 4xx other than 429, or an error flag in a 200 body), e.g. a
    /// wrong API key; `reason` is the provider's own message, cut to 200 characters.
    #[error("provider refused the request ({status}): {reason}")]
    Rejected {
        /// HTTP status (200 when the refusal came inside a 200 body).
        status: u16,
        /// The provider's message.
        reason: String,
    },
    /// The body is not the documented format (not JSON, truncated, missing fields, impossible values).
    #[error("provider answer could not be read: {0}")]
    Malformed(String),
    /// The routing service found no road connecting the stops (OSRM `NoRoute` / `NoSegment`).
    #[error("no road route between these places ({0})")]
    NoRoute(String),
}

/// A provider's configuration could not be accepted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// The base URL does not parse or is not http(s).
    #[error("base URL must be an absolute http(s) URL: {0}")]
    BaseUrl(String),
    /// The timeout is zero or longer than [`MAX_TIMEOUT`].
    #[error("timeout must be more than zero and at most 60 s")]
    Timeout,
    /// The API key is empty or has characters a header cannot carry.
    #[error("API key must be non-empty visible ASCII")]
    ApiKey,
    /// The User-Agent is empty or has characters a header cannot carry.
    #[error("User-Agent must be non-empty visible ASCII (spaces allowed)")]
    UserAgent,
}

/// Where a service lives and how long one call to it may take.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// Always ends with '/', so joining a relative path keeps any path prefix of the base.
    base: Url,
    timeout: Duration,
}

impl Endpoint {
    /// Parses `base_url` (e.g. `https://api.open-meteo.com`, or a path prefix such as
    /// `http://127.0.0.1:5000/osrm`) and checks the timeout.
    pub fn new(base_url: &str, timeout: Duration) -> Result<Endpoint, ConfigError> {
        let mut base = Url::parse(base_url.trim()).map_err(|e| ConfigError::BaseUrl(e.to_string()))?;
        if !matches!(base.scheme(), "http" | "https") || base.cannot_be_a_base() {
            return Err(ConfigError::BaseUrl(format!("unsupported URL {base_url:?}")));
        }
        if timeout.is_zero() || timeout > MAX_TIMEOUT {
            return Err(ConfigError::Timeout);
        }
        base.set_query(None);
        base.set_fragment(None);
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        Ok(Endpoint { base, timeout })
    }

    /// The base URL (with a trailing '/').
    pub fn base_url(&self) -> &str {
        self.base.as_str()
    }

    /// The per-call timeout.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// `path` (relative, no leading '/') under the base, with `query` pairs appended.
    pub(crate) fn url(&self, path: &str, query: &[(&str, &str)]) -> Result<Url, ProviderError> {
        let mut url = self.base.join(path).map_err(|e| {
            tracing::error!(error = %e, "provider request URL could not be built");
            ProviderError::Unavailable
        })?;
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        Ok(url)
    }
}

/// A provider's API key: used in requests, printed as `[redacted]`.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Accepts a non-empty key of visible ASCII characters (what an HTTP header can carry).
    pub fn new(key: impl Into<String>) -> Result<ApiKey, ConfigError> {
        let key = key.into().trim().to_string();
        if key.is_empty() || !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(ConfigError::ApiKey);
        }
        Ok(ApiKey(key))
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// A search radius in km, more than 0 and at most [`RadiusKm::MAX`]; each client also caps it at its
/// service's own limit.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct RadiusKm(f64);

/// A radius that is not a number in (0, 500] km.
#[derive(Clone, Copy, Debug, PartialEq, thiserror::Error)]
#[error("radius must be more than 0 and at most 500 km")]
pub struct InvalidRadius;

impl RadiusKm {
    /// Largest radius accepted.
    pub const MAX: f64 = 500.0;

    /// Parses a radius in km.
    pub fn new(km: f64) -> Result<RadiusKm, InvalidRadius> {
        if km.is_finite() && km > 0.0 && km <= RadiusKm::MAX { Ok(RadiusKm(km)) } else { Err(InvalidRadius) }
    }

    /// The radius in km.
    pub fn km(self) -> f64 {
        self.0
    }
}

impl TryFrom<f64> for RadiusKm {
    type Error = InvalidRadius;
    fn try_from(km: f64) -> Result<Self, Self::Error> {
        RadiusKm::new(km)
    }
}

impl From<RadiusKm> for f64 {
    fn from(radius: RadiusKm) -> f64 {
        radius.0
    }
}

/// Stands in for any provider that is not configured: every call answers [`ProviderError::Unavailable`].
#[derive(Clone, Copy, Debug, Default)]
pub struct NotConfigured;

fn unavailable<'a, T: Send + 'a>() -> BoxFuture<'a, Result<T, ProviderError>> {
    Box::pin(async { Err(ProviderError::Unavailable) })
}

impl WeatherProvider for NotConfigured {
    fn daily_forecast(&self, _at: Coordinates, _days: u8) -> BoxFuture<'_, Result<Forecast, ProviderError>> {
        unavailable()
    }
}

impl Geocoder for NotConfigured {
    fn geocode<'a>(&'a self, _query: &'a str) -> BoxFuture<'a, Result<Vec<GeocodedPlace>, ProviderError>> {
        unavailable()
    }
}

impl RouteProvider for NotConfigured {
    fn route<'a>(&'a self, _waypoints: &'a [Waypoint]) -> BoxFuture<'a, Result<RouteEstimate, ProviderError>> {
        unavailable()
    }
}

impl FuelPriceProvider for NotConfigured {
    fn stations_near(&self, _at: Coordinates, _radius: RadiusKm) -> BoxFuture<'_, Result<FuelPrices, ProviderError>> {
        unavailable()
    }
}

impl CampgroundProvider for NotConfigured {
    fn campgrounds_near(
        &self,
        _at: Coordinates,
        _radius: RadiusKm,
    ) -> BoxFuture<'_, Result<Campgrounds, ProviderError>> {
        unavailable()
    }
}

impl WebSearchProvider for NotConfigured {
    fn search<'a>(&'a self, _query: &'a str, _count: u8) -> BoxFuture<'a, Result<WebResults, ProviderError>> {
        unavailable()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_keep_their_path_prefix_and_refuse_bad_input() {
        let endpoint = Endpoint::new("http://127.0.0.1:5000/osrm", Duration::from_secs(5)).unwrap();
        let url = endpoint.url("route/v1/driving/1,2;3,4", &[("overview", "false")]).unwrap();
        assert_eq!(url.as_str(), "http://127.0.0.1:5000/osrm/route/v1/driving/1,2;3,4?overview=false");
        assert!(matches!(Endpoint::new("ftp://example.com", DEFAULT_TIMEOUT), Err(ConfigError::BaseUrl(_))));
        assert!(matches!(Endpoint::new("not a url", DEFAULT_TIMEOUT), Err(ConfigError::BaseUrl(_))));
        assert_eq!(Endpoint::new("https://x.test", Duration::ZERO), Err(ConfigError::Timeout));
        assert_eq!(Endpoint::new("https://x.test", Duration::from_secs(600)), Err(ConfigError::Timeout));
    }

    #[test]
    fn api_keys_are_redacted_and_checked() {
        let key = ApiKey::new("s3cret-key").unwrap();
        assert_eq!(format!("{key:?}"), "[redacted]");
        assert_eq!(ApiKey::new("  "), Err(ConfigError::ApiKey));
        assert_eq!(ApiKey::new("two words"), Err(ConfigError::ApiKey));
        assert_eq!(ApiKey::new("line\nbreak"), Err(ConfigError::ApiKey));
    }

    #[test]
    fn radius_must_be_positive_and_bounded() {
        assert!(RadiusKm::new(0.0).is_err());
        assert!(RadiusKm::new(-3.0).is_err());
        assert!(RadiusKm::new(f64::NAN).is_err());
        assert!(RadiusKm::new(501.0).is_err());
        assert_eq!(RadiusKm::new(25.0).unwrap().km(), 25.0);
    }
}
