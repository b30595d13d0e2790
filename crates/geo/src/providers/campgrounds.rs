//! Campgrounds from Recreation.gov's Recreation Information Database, RIDB
//! (<https://ridb.recreation.gov/docs>): `GET {base}/api/v1/facilities?latitude=&longitude=&radius=
//! &activity=CAMPING&limit=50` with the key in the `apikey` header →
//! `{RECDATA: [{FacilityID, FacilityName, FacilityTypeDescription, FacilityLatitude, FacilityLongitude,
//! Reservable, FacilityPhone, FacilityReservationURL, …}], METADATA: {…}}`. Radius is in miles. US federal
//! lands only (National Parks, Forest Service, BLM, Army Corps…).

use futures::future::BoxFuture;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::http::{fetch, parse_json, success_body};
use super::{ApiKey, Endpoint, ProviderError, RadiusKm};
use crate::coords::Coordinates;
use crate::source::Source;

const KM_PER_MILE: f64 = 1.609_344;
/// Facilities asked for per search (RIDB's page size limit is 50).
const PAGE_SIZE: &str = "50";

/// Campgrounds near a point.
pub trait CampgroundProvider: Send + Sync {
    /// Campgrounds within `radius` of `at`, nearest first (those without a position last).
    fn campgrounds_near(&self, at: Coordinates, radius: RadiusKm) -> BoxFuture<'_, Result<Campgrounds, ProviderError>>;
}

/// Campgrounds found.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Campgrounds {
    /// `ridb`.
    pub source: Source,
    /// Nearest first.
    pub campgrounds: Vec<Campground>,
}

/// A campground.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Campground {
    /// Provider's facility id.
    pub id: String,
    /// Name ("Devils Garden Campground").
    pub name: String,
    /// Facility type, when given ("Campground").
    pub kind: Option<String>,
    /// Position, when the provider has one.
    pub coordinates: Option<Coordinates>,
    /// Great-circle distance from the search point, km, when the position is known.
    pub distance_km: Option<f64>,
    /// Whether sites can be booked, when the provider says.
    pub reservable: Option<bool>,
    /// Phone number, when given.
    pub phone: Option<String>,
    /// Booking page, when given.
    pub reservation_url: Option<String>,
}

/// RIDB client.
#[derive(Clone, Debug)]
pub struct Ridb {
    http: reqwest::Client,
    endpoint: Endpoint,
    key: ApiKey,
}

impl Ridb {
    /// A client for `endpoint` (base `https://ridb.recreation.gov`) with its API key.
    pub fn new(http: reqwest::Client, endpoint: Endpoint, key: ApiKey) -> Ridb {
        Ridb { http, endpoint, key }
    }

    async fn facilities(&self, at: Coordinates, radius: RadiusKm) -> Result<Campgrounds, ProviderError> {
        let (lat, lon) = (at.lat().to_string(), at.lon().to_string());
        let miles = format!("{:.1}", radius.km() / KM_PER_MILE);
        let query = [
            ("latitude", lat.as_str()),
            ("longitude", lon.as_str()),
            ("radius", miles.as_str()),
            ("activity", "CAMPING"),
            ("limit", PAGE_SIZE),
        ];
        let url = self.endpoint.url("api/v1/facilities", &query)?;
        let mut key =
            reqwest::header::HeaderValue::from_str(self.key.expose()).map_err(|_| ProviderError::Unavailable)?;
        key.set_sensitive(true);
        let request = self.http.get(url).header("apikey", key).header(reqwest::header::ACCEPT, "application/json");
        let answer = fetch(Source::Ridb, request, self.endpoint.timeout()).await?;
        let wire: WireFacilities = parse_json(&success_body(answer)?)?;
        let mut campgrounds: Vec<Campground> = wire.recdata.into_iter().map(|f| f.into_campground(at)).collect();
        campgrounds.sort_by(|a, b| a.distance_km.unwrap_or(f64::MAX).total_cmp(&b.distance_km.unwrap_or(f64::MAX)));
        Ok(Campgrounds { source: Source::Ridb, campgrounds })
    }
}

impl CampgroundProvider for Ridb {
    fn campgrounds_near(&self, at: Coordinates, radius: RadiusKm) -> BoxFuture<'_, Result<Campgrounds, ProviderError>> {
        Box::pin(self.facilities(at, radius))
    }
}

#[derive(Deserialize)]
struct WireFacilities {
    #[serde(rename = "RECDATA")]
    recdata: Vec<WireFacility>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireFacility {
    /// A string in the docs; a number in some older records.
    #[serde(rename = "FacilityID")]
    facility_id: Value,
    facility_name: String,
    #[serde(default)]
    facility_type_description: Option<String>,
    #[serde(default)]
    facility_latitude: Option<f64>,
    #[serde(default)]
    facility_longitude: Option<f64>,
    #[serde(default)]
    reservable: Option<bool>,
    #[serde(default)]
    facility_phone: Option<String>,
    #[serde(default, rename = "FacilityReservationURL")]
    facility_reservation_url: Option<String>,
}

fn non_empty(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
}

impl WireFacility {
    fn into_campground(self, from: Coordinates) -> Campground {
        // RIDB writes 0,0 for "no position"; nobody camps at Null Island.
        let coordinates = match (self.facility_latitude, self.facility_longitude) {
            (Some(lat), Some(lon)) if lat != 0.0 || lon != 0.0 => Coordinates::new(lat, lon).ok(),
            _ => None,
        };
        let id = match self.facility_id {
            Value::String(s) => s,
            other => other.to_string(),
        };
        Campground {
            id,
            name: self.facility_name.trim().to_string(),
            kind: non_empty(self.facility_type_description),
            coordinates,
            distance_km: coordinates.map(|c| (from.distance_km(c) * 10.0).round() / 10.0),
            reservable: self.reservable,
            phone: non_empty(self.facility_phone),
            reservation_url: non_empty(self.facility_reservation_url),
        }
    }
}
