//! Place search with OpenStreetMap Nominatim (<https://nominatim.org/release-docs/latest/api/Search/>):
//! `GET {base}/search?q=&format=jsonv2&limit=5` → an array of `{lat: "..", lon: "..", name, display_name, …}`
//! (coordinates are strings). Nominatim's usage policy requires an identifying User-Agent and at most
//! one request per second on the public server; the caller is expected to cache answers.

use futures::future::BoxFuture;
use reqwest::header::{HeaderValue, USER_AGENT};
use serde::{Deserialize, Serialize};

use super::http::{fetch, parse_json, success_body};
use super::{ConfigError, Endpoint, ProviderError};
use crate::coords::Coordinates;
use crate::source::Source;

/// Results asked for per search.
const RESULT_LIMIT: &str = "5";
/// Longest query sent; longer text is cut (no place name is this long).
const MAX_QUERY_CHARS: usize = 200;

/// Finds places by free text.
pub trait Geocoder: Send + Sync {
    /// Places matching `query`, best first; empty when nothing matches.
    fn geocode<'a>(&'a self, query: &'a str) -> BoxFuture<'a, Result<Vec<GeocodedPlace>, ProviderError>>;
}

/// A place a geocoder found.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GeocodedPlace {
    /// Short name ("Perth").
    pub name: String,
    /// Full name ("Perth, City of Perth, Western Australia, 6000, Australia").
    pub display_name: String,
    /// Position.
    pub coordinates: Coordinates,
    /// What kind of place, when the geocoder says ("city", "town", "village").
    pub kind: Option<String>,
}

/// Nominatim client.
#[derive(Clone, Debug)]
pub struct Nominatim {
    http: reqwest::Client,
    endpoint: Endpoint,
    user_agent: HeaderValue,
}

impl Nominatim {
    /// A client sending `user_agent` (e.g. "wheels-and-wins-pam/1.0 (ops@example.com)") with every request.
    pub fn new(http: reqwest::Client, endpoint: Endpoint, user_agent: &str) -> Result<Nominatim, ConfigError> {
        let user_agent = user_agent.trim();
        if user_agent.is_empty() || !user_agent.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
            return Err(ConfigError::UserAgent);
        }
        let user_agent = HeaderValue::from_str(user_agent).map_err(|_| ConfigError::UserAgent)?;
        Ok(Nominatim { http, endpoint, user_agent })
    }

    async fn search(&self, query: &str) -> Result<Vec<GeocodedPlace>, ProviderError> {
        let query: String = query.trim().chars().take(MAX_QUERY_CHARS).collect();
        if query.is_empty() {
            return Ok(Vec::new());
        }
        let url = self.endpoint.url("search", &[("q", &query), ("format", "jsonv2"), ("limit", RESULT_LIMIT)])?;
        let request = self.http.get(url).header(USER_AGENT, self.user_agent.clone());
        let answer = fetch(Source::Nominatim, request, self.endpoint.timeout()).await?;
        let wire: Vec<WirePlace> = parse_json(&success_body(answer)?)?;
        wire.into_iter().enumerate().map(|(i, place)| place.into_place(i)).collect()
    }
}

impl Geocoder for Nominatim {
    fn geocode<'a>(&'a self, query: &'a str) -> BoxFuture<'a, Result<Vec<GeocodedPlace>, ProviderError>> {
        Box::pin(self.search(query))
    }
}

#[derive(Deserialize)]
struct WirePlace {
    lat: String,
    lon: String,
    display_name: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    addresstype: Option<String>,
    #[serde(default, rename = "type")]
    kind: Option<String>,
}

impl WirePlace {
    fn into_place(self, index: usize) -> Result<GeocodedPlace, ProviderError> {
        let bad = || ProviderError::Malformed(format!("[{index}].lat/lon is not a coordinate"));
        let lat: f64 = self.lat.trim().parse().map_err(|_| bad())?;
        let lon: f64 = self.lon.trim().parse().map_err(|_| bad())?;
        let coordinates = Coordinates::new(lat, lon).map_err(|_| bad())?;
        // Some results (a road, a postcode area) have an empty name; the display name starts with it.
        let name = match self.name.filter(|n| !n.trim().is_empty()) {
            Some(name) => name,
            None => self.display_name.split(',').next().unwrap_or_default().trim().to_string(),
        };
        Ok(GeocodedPlace { name, display_name: self.display_name, coordinates, kind: self.addresstype.or(self.kind) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_coordinates_are_parsed_and_checked() {
        let body = br#"[{"lat":"-31.9558","lon":"115.8597","name":"","display_name":"Perth, Western Australia, Australia","type":"city"}]"#;
        let wire: Vec<WirePlace> = parse_json(body).unwrap();
        let place = wire.into_iter().next().unwrap().into_place(0).unwrap();
        assert_eq!(place.name, "Perth");
        assert_eq!(place.coordinates.lat(), -31.9558);
        assert_eq!(place.kind.as_deref(), Some("city"));

        let body = br#"[{"lat":"north","lon":"115.8","display_name":"x"}]"#;
        let wire: Vec<WirePlace> = parse_json(body).unwrap();
        assert!(matches!(wire.into_iter().next().unwrap().into_place(0), Err(ProviderError::Malformed(_))));
        let body = br#"[{"lat":"95.0","lon":"115.8","display_name":"x"}]"#;
        let wire: Vec<WirePlace> = parse_json(body).unwrap();
        assert!(matches!(wire.into_iter().next().unwrap().into_place(0), Err(ProviderError::Malformed(_))));
    }

    #[test]
    fn user_agent_must_be_a_header_value() {
        let endpoint = Endpoint::new("https://nominatim.openstreetmap.org", super::super::DEFAULT_TIMEOUT).unwrap();
        let http = reqwest::Client::new();
        assert!(Nominatim::new(http.clone(), endpoint.clone(), "pam-test/1.0 (ops@example.com)").is_ok());
        assert_eq!(Nominatim::new(http.clone(), endpoint.clone(), "").unwrap_err(), ConfigError::UserAgent);
        assert_eq!(Nominatim::new(http, endpoint, "bad\nagent").unwrap_err(), ConfigError::UserAgent);
    }
}
