//! What comes from outside: weather, geocoding, fuel prices near a place, and campgrounds (the admins'
//! own list, plus a campground service when one is configured). Every answer names its source; a
//! service that is not configured or not answering is a 503 that says so.

use chrono::{DateTime, Utc};
use pam_geo::providers::{DailyForecast, FuelStation, MAX_FORECAST_DAYS};
use pam_geo::{Coordinates, Geocoded, RadiusKm};
use pam_kernel::{DomainError, Money};
use pam_store::with_db;
use serde::{Deserialize, Serialize};
use sqlx::types::Json as SqlJson;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::travel::unavailable;
use crate::{WheelsState, lookup};

/// Where a question is about: a place name, or a position.
#[derive(Debug, Default, Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
pub struct Near {
    /// A place name ("Broome", "Perth WA").
    pub location: Option<String>,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
}

/// The place a question is about, as understood.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Spot {
    pub name: String,
    pub lat: f64,
    pub lng: f64,
}

pub async fn spot(state: &WheelsState, near: &Near, field: &str) -> Result<Spot, DomainError> {
    match (near.lat, near.lng, near.location.as_deref().map(str::trim).filter(|l| !l.is_empty())) {
        (Some(lat), Some(lng), _) => {
            let at = Coordinates::new(lat, lng).map_err(|e| DomainError::invalid(&["query", "lat"], e.to_string()))?;
            let name = state.travel.gazetteer.nearest(lat, lng).map(|m| m.place.display_name()).unwrap_or_default();
            Ok(Spot { name, lat: at.lat(), lng: at.lon() })
        }
        (_, _, Some(name)) => {
            let found =
                lookup::resolve(&state.travel, &[(vec!["query".into(), field.into()], name.to_string())]).await?;
            let p = found.into_iter().next().ok_or_else(|| DomainError::invalid(&["query", field], "no such place"))?;
            Ok(Spot { name: p.matched, lat: p.lat, lng: p.lng })
        }
        _ => Err(DomainError::invalid(&["query", field], "give a place name, or lat and lng")),
    }
}

fn coordinates(s: &Spot) -> Result<Coordinates, DomainError> {
    Coordinates::new(s.lat, s.lng).map_err(|e| DomainError::invalid(&["query", "lat"], e.to_string()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WeatherReport {
    pub location: Spot,
    /// `open-meteo`.
    pub source: String,
    pub timezone: Option<String>,
    #[schema(value_type = Vec<Object>)]
    pub days: Vec<DailyForecast>,
}

pub async fn weather(state: &WheelsState, near: &Near, days: Option<u8>) -> Result<WeatherReport, DomainError> {
    let days = days.unwrap_or(7);
    if !(1..=MAX_FORECAST_DAYS).contains(&days) {
        return Err(DomainError::invalid(&["query", "days"], format!("must be between 1 and {MAX_FORECAST_DAYS}")));
    }
    let location = spot(state, near, "location").await?;
    let provider = state.travel.weather.as_ref().ok_or_else(|| {
        DomainError::Unavailable("The weather service is not configured on this server, so there is no forecast".into())
    })?;
    let forecast = provider
        .daily_forecast(coordinates(&location)?, days)
        .await
        .map_err(|e| unavailable("The weather service", e))?;
    Ok(WeatherReport {
        location,
        source: source_name(&forecast.source),
        timezone: forecast.timezone,
        days: forecast.days,
    })
}

fn source_name(s: &impl Serialize) -> String {
    serde_json::to_value(s).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// Geocoding never fails: with no service (or a failing one) the gazetteer answers.
pub async fn geocode(state: &WheelsState, q: &str) -> Result<Geocoded, DomainError> {
    if q.trim().is_empty() || q.chars().count() > 200 {
        return Err(DomainError::invalid(&["query", "q"], "must be 1–200 characters"));
    }
    let q = q.trim();
    Ok(state.travel.geocoding.geocode(q).await)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FuelPriceReport {
    pub location: Spot,
    pub source: String,
    pub currency: String,
    /// Cheapest first for the fuel asked about (nearest first otherwise).
    #[schema(value_type = Vec<Object>)]
    pub stations: Vec<FuelStation>,
}

pub async fn fuel_prices(
    state: &WheelsState,
    near: &Near,
    fuel_type: Option<&str>,
) -> Result<FuelPriceReport, DomainError> {
    let location = spot(state, near, "near").await?;
    let provider = state.travel.fuel_prices.as_ref().ok_or_else(|| {
        DomainError::Unavailable("No fuel price service is configured on this server, so there are no prices".into())
    })?;
    let radius = RadiusKm::new(15.0).map_err(|_| DomainError::invalid(&["query", "radius_km"], "bad radius"))?;
    let mut found = provider
        .stations_near(coordinates(&location)?, radius)
        .await
        .map_err(|e| unavailable("The fuel price service", e))?;
    let pick = |s: &FuelStation| match fuel_type.unwrap_or("") {
        "diesel" => s.prices.diesel,
        "e10" => s.prices.e10,
        "petrol" | "unleaded" | "e5" => s.prices.e5.or(s.prices.e10),
        _ => None,
    };
    if fuel_type.is_some() {
        found.stations.retain(|s| pick(s).is_some());
        found.stations.sort_by(|a, b| pick(a).unwrap_or(f64::MAX).total_cmp(&pick(b).unwrap_or(f64::MAX)));
    }
    Ok(FuelPriceReport {
        location,
        source: source_name(&found.source),
        currency: found.currency.to_string(),
        stations: found.stations,
    })
}

/// A campground, from the admins' list or the campground service.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CampgroundEntry {
    pub id: String,
    pub name: String,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    pub distance_km: Option<f64>,
    pub price_per_night: Option<Money>,
    pub currency: Option<String>,
    pub amenities: Vec<String>,
    pub description: Option<String>,
    pub website: Option<String>,
    /// `own` (the admins' list) or the service's name.
    pub source: String,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CampgroundQuery {
    /// A place name, or "lat,lng" (needed).
    #[param(
        required = true,
        min_length = 1,
        pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]",
        example = "Bright"
    )]
    pub near: Option<String>,
    /// Default 50, at most 500.
    #[param(exclusive_minimum = 0, maximum = 500)]
    pub radius_km: Option<f64>,
    /// Per night, in the currency of the listing.
    pub max_price: Option<Money>,
    /// Comma-separated; every one must be offered ("power,water,dump_point").
    pub amenities: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CampgroundReport {
    pub location: Spot,
    pub radius_km: f64,
    pub campgrounds: Vec<CampgroundEntry>,
    /// Sources that answered (`own`, and the service when configured).
    pub sources: Vec<String>,
    /// Set when the campground service is configured but did not answer.
    pub service_unavailable: Option<String>,
}

/// "lat,lng" or a place name.
pub fn parse_near(near: Option<&str>) -> Near {
    let Some(text) = near.map(str::trim).filter(|t| !t.is_empty()) else { return Near::default() };
    if let Some((a, b)) = text.split_once(',')
        && let (Ok(lat), Ok(lng)) = (a.trim().parse::<f64>(), b.trim().parse::<f64>())
    {
        return Near { location: None, lat: Some(lat), lng: Some(lng) };
    }
    Near { location: Some(text.to_string()), lat: None, lng: None }
}

#[derive(sqlx::FromRow)]
struct CampgroundRow {
    id: Uuid,
    name: String,
    latitude: f64,
    longitude: f64,
    price_cents: Option<i64>,
    currency: String,
    amenities: SqlJson<Vec<String>>,
    description: Option<String>,
    website: Option<String>,
}

pub async fn campgrounds(state: &WheelsState, q: &CampgroundQuery) -> Result<CampgroundReport, DomainError> {
    let radius_km = q.radius_km.unwrap_or(50.0);
    if !(radius_km.is_finite() && radius_km > 0.0 && radius_km <= 500.0) {
        return Err(DomainError::invalid(&["query", "radius_km"], "must be between 0 and 500"));
    }
    let location = spot(state, &parse_near(q.near.as_deref()), "near").await?;
    let at = coordinates(&location)?;
    let wanted: Vec<String> = q
        .amenities
        .as_deref()
        .unwrap_or("")
        .split(',')
        .map(|a| a.trim().to_lowercase())
        .filter(|a| !a.is_empty())
        .collect();
    // A box around the point first (indexable), then the exact distance.
    let dlat = radius_km / 111.0;
    let rows: Vec<CampgroundRow> = with_db!(&state.db, |pool| {
        sqlx::query_as(
            "SELECT id, name, latitude, longitude, price_cents, currency, amenities, description, website \
             FROM campgrounds WHERE latitude BETWEEN $1 AND $2",
        )
        .bind(location.lat - dlat)
        .bind(location.lat + dlat)
        .fetch_all(pool)
        .await
    })?;
    let mut list: Vec<CampgroundEntry> = rows
        .into_iter()
        .filter_map(|r| {
            let d = Coordinates::new(r.latitude, r.longitude).ok()?.distance_km(at);
            let amenities: Vec<String> = r.amenities.0.iter().map(|a| a.to_lowercase()).collect();
            let fits = d <= radius_km
                && wanted.iter().all(|w| amenities.contains(w))
                && q.max_price.is_none_or(|m| r.price_cents.is_some_and(|p| p <= m.cents()));
            fits.then(|| CampgroundEntry {
                id: r.id.to_string(),
                name: r.name,
                lat: Some(r.latitude),
                lng: Some(r.longitude),
                distance_km: Some((d * 10.0).round() / 10.0),
                price_per_night: r.price_cents.map(Money::from_cents),
                currency: Some(r.currency),
                amenities,
                description: r.description,
                website: r.website,
                source: "own".into(),
            })
        })
        .collect();
    let mut sources = vec!["own".to_string()];
    let mut service_unavailable = None;
    // The service knows nothing of prices or our amenity names: it is asked only when neither filters.
    if let Some(provider) = &state.travel.campgrounds
        && q.max_price.is_none()
        && wanted.is_empty()
    {
        let radius =
            RadiusKm::new(radius_km).map_err(|_| DomainError::invalid(&["query", "radius_km"], "bad radius"))?;
        match provider.campgrounds_near(at, radius).await {
            Ok(found) => {
                sources.push(source_name(&found.source));
                list.extend(found.campgrounds.into_iter().map(|c| CampgroundEntry {
                    id: c.id,
                    name: c.name,
                    lat: c.coordinates.map(|x| x.lat()),
                    lng: c.coordinates.map(|x| x.lon()),
                    distance_km: c.distance_km,
                    price_per_night: None,
                    currency: None,
                    amenities: Vec::new(),
                    description: c.kind,
                    website: c.reservation_url,
                    source: source_name(&found.source),
                }));
            }
            Err(e) => {
                service_unavailable = Some(match unavailable("The campground service", e) {
                    DomainError::Unavailable(m) => m,
                    other => other.to_string(),
                })
            }
        }
    }
    list.sort_by(|a, b| a.distance_km.unwrap_or(f64::MAX).total_cmp(&b.distance_km.unwrap_or(f64::MAX)));
    Ok(CampgroundReport { location, radius_km, campgrounds: list, sources, service_unavailable })
}

/// A campground for the admins' list.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewCampground {
    /// 1–200 characters (inner spaces collapsed).
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub name: String,
    #[schema(minimum = -90, maximum = 90)]
    pub lat: f64,
    #[schema(minimum = -180, maximum = 180)]
    pub lng: f64,
    pub price_per_night: Option<Money>,
    /// ISO 4217; default AUD.
    #[schema(pattern = r"^[A-Za-z]{3}$", example = "AUD")]
    pub currency: Option<String>,
    #[serde(default)]
    pub amenities: Vec<String>,
    pub description: Option<String>,
    pub website: Option<String>,
}

pub async fn add_campground(state: &WheelsState, new: NewCampground) -> Result<CampgroundEntry, DomainError> {
    let name = new.name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() || new.name.chars().count() > 200 {
        return Err(DomainError::invalid(&["body", "name"], "must be 1–200 characters"));
    }
    let at = Coordinates::new(new.lat, new.lng).map_err(|e| DomainError::invalid(&["body", "lat"], e.to_string()))?;
    let currency = new.currency.unwrap_or_else(|| "AUD".into()).to_uppercase();
    if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_alphabetic()) {
        return Err(DomainError::invalid(&["body", "currency"], "must be an ISO 4217 code such as AUD"));
    }
    let amenities: Vec<String> =
        new.amenities.iter().map(|a| a.trim().to_lowercase()).filter(|a| !a.is_empty()).take(50).collect();
    let id = Uuid::now_v7();
    let now: DateTime<Utc> = Utc::now();
    with_db!(&state.db, |pool| {
        sqlx::query(
            "INSERT INTO campgrounds (id, name, latitude, longitude, price_cents, currency, amenities, description, \
             website, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
        )
        .bind(id)
        .bind(&name)
        .bind(at.lat())
        .bind(at.lon())
        .bind(new.price_per_night.map(|p| p.cents()))
        .bind(&currency)
        .bind(SqlJson(&amenities))
        .bind(&new.description)
        .bind(&new.website)
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(CampgroundEntry {
        id: id.to_string(),
        name,
        lat: Some(at.lat()),
        lng: Some(at.lon()),
        distance_km: None,
        price_per_night: new.price_per_night,
        currency: Some(currency),
        amenities,
        description: new.description,
        website: new.website,
        source: "own".into(),
    })
}

pub async fn delete_campground(state: &WheelsState, id: Uuid) -> Result<(), DomainError> {
    let deleted = with_db!(&state.db, |pool| {
        sqlx::query("DELETE FROM campgrounds WHERE id = $1").bind(id).execute(pool).await.map(|r| r.rows_affected())
    })?;
    if deleted == 0 { Err(DomainError::not_found("Campground")) } else { Ok(()) }
}
