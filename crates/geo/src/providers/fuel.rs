//! Fuel prices from the Tankerkönig API (<https://creativecommons.tankerkoenig.de/>), the public JSON
//! front of Germany's fuel-price transparency office (MTS-K), CC BY 4.0:
//! `GET {base}/json/list.php?lat=&lng=&rad=&sort=dist&type=all&apikey=` →
//! `{ok: true, status: "ok", stations: [{id, name, brand, street, houseNumber, postCode, place, lat, lng,
//! dist, diesel, e5, e10, isOpen}]}`, prices in €/litre, `false` or null where a station has no price.
//! A refusal comes as `{ok: false, message}` with status 200.
//!
//! Chosen because it is documented, free, keyed simply, and has a small, stable shape. It covers Germany
//! only; an Australian source (NSW FuelCheck, OAuth client credentials) would sit behind the same trait.

use futures::future::BoxFuture;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::http::{cut, fetch, parse_json, success_body};
use super::{ApiKey, Endpoint, ProviderError, RadiusKm};
use crate::coords::Coordinates;
use crate::source::Source;

/// Tankerkönig's largest search radius.
const MAX_RADIUS_KM: f64 = 25.0;

/// Fuel stations and their current prices near a point.
pub trait FuelPriceProvider: Send + Sync {
    /// Stations within `radius` of `at` (capped at the service's limit), nearest first.
    fn stations_near(&self, at: Coordinates, radius: RadiusKm) -> BoxFuture<'_, Result<FuelPrices, ProviderError>>;
}

/// Stations with prices.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FuelPrices {
    /// `tankerkoenig`.
    pub source: Source,
    /// ISO 4217 currency of the prices (`EUR`).
    pub currency: &'static str,
    /// Nearest first.
    pub stations: Vec<FuelStation>,
}

/// A station.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FuelStation {
    /// Provider's station id.
    pub id: String,
    /// Station name.
    pub name: String,
    /// Brand, when given.
    pub brand: Option<String>,
    /// Street, number, postcode and town, as one line.
    pub address: String,
    /// Position.
    pub coordinates: Coordinates,
    /// Distance from the search point, km.
    pub distance_km: Option<f64>,
    /// Open now, when the provider says.
    pub is_open: Option<bool>,
    /// Prices per litre.
    pub prices: PricesPerLitre,
}

/// Price per litre of each fuel, `None` where the station has none.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PricesPerLitre {
    /// Diesel.
    pub diesel: Option<f64>,
    /// Super E5 (95 octane, ≤5 % ethanol).
    pub e5: Option<f64>,
    /// Super E10 (95 octane, ≤10 % ethanol).
    pub e10: Option<f64>,
}

/// Tankerkönig client.
#[derive(Clone, Debug)]
pub struct Tankerkoenig {
    http: reqwest::Client,
    endpoint: Endpoint,
    key: ApiKey,
}

impl Tankerkoenig {
    /// A client for `endpoint` (base `https://creativecommons.tankerkoenig.de`) with its API key.
    pub fn new(http: reqwest::Client, endpoint: Endpoint, key: ApiKey) -> Tankerkoenig {
        Tankerkoenig { http, endpoint, key }
    }

    async fn list(&self, at: Coordinates, radius: RadiusKm) -> Result<FuelPrices, ProviderError> {
        let (lat, lng) = (at.lat().to_string(), at.lon().to_string());
        let rad = format!("{:.1}", radius.km().min(MAX_RADIUS_KM));
        let query = [
            ("lat", lat.as_str()),
            ("lng", lng.as_str()),
            ("rad", rad.as_str()),
            ("sort", "dist"),
            ("type", "all"),
            ("apikey", self.key.expose()),
        ];
        let url = self.endpoint.url("json/list.php", &query)?;
        let answer = fetch(Source::Tankerkoenig, self.http.get(url), self.endpoint.timeout()).await?;
        let wire: WireList = parse_json(&success_body(answer)?)?;
        if !wire.ok {
            let reason = wire.message.unwrap_or_else(|| "ok: false".into());
            return Err(ProviderError::Rejected { status: 200, reason: cut(&reason) });
        }
        let mut stations: Vec<FuelStation> = wire.stations.into_iter().filter_map(WireStation::into_station).collect();
        stations.sort_by(|a, b| a.distance_km.unwrap_or(f64::MAX).total_cmp(&b.distance_km.unwrap_or(f64::MAX)));
        Ok(FuelPrices { source: Source::Tankerkoenig, currency: "EUR", stations })
    }
}

impl FuelPriceProvider for Tankerkoenig {
    fn stations_near(&self, at: Coordinates, radius: RadiusKm) -> BoxFuture<'_, Result<FuelPrices, ProviderError>> {
        Box::pin(self.list(at, radius))
    }
}

#[derive(Deserialize)]
struct WireList {
    ok: bool,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    stations: Vec<WireStation>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireStation {
    id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    brand: Option<String>,
    #[serde(default)]
    street: Option<String>,
    /// A string, a number or null in practice.
    #[serde(default)]
    house_number: Value,
    #[serde(default)]
    post_code: Value,
    #[serde(default)]
    place: Option<String>,
    lat: f64,
    lng: f64,
    #[serde(default)]
    dist: Option<f64>,
    /// A number, or `false`/null when the station does not sell it.
    #[serde(default)]
    diesel: Value,
    #[serde(default)]
    e5: Value,
    #[serde(default)]
    e10: Value,
    #[serde(default)]
    is_open: Option<bool>,
}

fn price(value: &Value) -> Option<f64> {
    value.as_f64().filter(|p| p.is_finite() && *p > 0.0)
}

fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

impl WireStation {
    /// `None` for a station with an impossible position: one bad row should not hide the others.
    fn into_station(self) -> Option<FuelStation> {
        let coordinates = Coordinates::new(self.lat, self.lng).ok()?;
        let street = [self.street.map(|s| s.trim().to_string()), text(&self.house_number)];
        let town = [text(&self.post_code), self.place.map(|s| s.trim().to_string())];
        let join = |parts: [Option<String>; 2]| {
            parts.into_iter().flatten().filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" ")
        };
        let address = [join(street), join(town)].into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>().join(", ");
        Some(FuelStation {
            id: self.id,
            name: self.name.trim().to_string(),
            brand: self.brand.map(|b| b.trim().to_string()).filter(|b| !b.is_empty()),
            address,
            coordinates,
            distance_km: self.dist.filter(|d| d.is_finite() && *d >= 0.0),
            is_open: self.is_open,
            prices: PricesPerLitre { diesel: price(&self.diesel), e5: price(&self.e5), e10: price(&self.e10) },
        })
    }
}
