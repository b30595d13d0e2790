//! Planning a route: every place geocoded, the stops optionally put in the shortest order, the route
//! from the routing service or the estimate, and the fuel it will take and cost — from the vehicle's
//! fuel use (learned, else stated, else a stated default) and a fuel price (a price service, else the
//! user's last fill-up, else a stated default). Each figure says where it came from.

use chrono::NaiveDate;
use pam_geo::{RouteEstimate, Source, Waypoint};
use pam_kernel::money::Amount;
use pam_kernel::text::Id;
use pam_kernel::{DomainError, Locale, Money};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;
use uuid::Uuid;

use super::order;
use crate::lookup::{self, ResolvedPlace};
use crate::units::{LITRES_PER_US_GALLON, Shown, show_consumption, show_distance, show_volume};
use crate::{WheelsState, fuel, vehicles};
use pam_kernel::Units;

/// Most stops a route may have (a long lap of the country fits; more is not a plan but a list).
pub const MAX_STOPS: usize = 25;

/// Fuel use assumed when no vehicle says otherwise: a motorhome, or a car towing a caravan.
pub const DEFAULT_L_PER_100KM: f64 = 15.0;

/// The schema of a place name in a route (an origin, a stop, a destination): at most 200 characters,
/// not blank (blank names no place: 422 at the field). That the name is a place the gazetteer knows is
/// checked on lookup.
pub struct PlaceName;

impl utoipa::PartialSchema for PlaceName {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .min_length(Some(1))
            .max_length(Some(200))
            .pattern(Some(pam_kernel::text::NOT_BLANK))
            .description(Some("A place name, or \"lat,lng\"; at most 200 characters"))
            .into()
    }
}

impl ToSchema for PlaceName {}

/// What a route request says.
#[derive(Clone, Debug, Deserialize, ToSchema)]
pub struct RouteRequest {
    /// A place name, or "lat,lng"; at most 200 characters. Required here; PAM's trip tool, which
    /// takes this type too, starts from where the user is when it is left out.
    #[schema(
        example = "Sydney",
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    #[serde(default)]
    pub origin: String,
    /// A place name, or "lat,lng"; at most 200 characters.
    #[schema(
        example = "Melbourne",
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub destination: String,
    /// Places to pass through, in order: at most 25, each at most 200 characters.
    #[serde(default)]
    #[schema(value_type = Vec<PlaceName>, max_items = 25)]
    pub stops: Vec<String>,
    /// The vehicle to estimate fuel for (default: the primary one).
    #[schema(value_type = Option<Id>)]
    pub vehicle_id: Option<Uuid>,
    /// Put the stops in the order that makes the route shortest.
    #[serde(default)]
    pub optimize_stops: bool,
}

/// Over the REST routes an origin must be named ([`plan`] refuses a blank one at `origin`); only PAM's
/// tools start from where the user is ([`origin_or_here`]).
impl pam_kernel::schema_rules::BodyRules for RouteRequest {
    fn rules() -> pam_kernel::schema_rules::Rules {
        pam_kernel::schema_rules::Rules::new().required(&["origin"])
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct FigureSource {
    pub value: f64,
    /// Where the figure came from: `vehicle` (stated), `learned` (from full fills), `default`,
    /// `last_fill`, or the price service's name.
    pub source: String,
}

/// The fuel a route takes. Canonical figures (litres, L/100 km, price per litre) are what is stored;
/// `volume`, `consumption` and `price` are the same in the user's units, filled in when read.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct FuelEstimate {
    pub litres: f64,
    #[schema(value_type = Object)]
    #[serde(default)]
    pub volume: Value,
    /// None when no fuel price is known for the currency (nothing is made up).
    #[schema(value_type = Option<Amount>)]
    pub cost: Option<Money>,
    pub currency: String,
    /// L/100 km used, and its source.
    pub consumption_l_per_100km: FigureSource,
    #[schema(value_type = Object)]
    #[serde(default)]
    pub consumption: Value,
    /// Price per litre used (in the currency), and its source.
    pub price_per_litre: Option<FigureSource>,
    /// The price in the user's units: per litre, or per gallon; null when no price is known.
    #[schema(value_type = Option<Object>)]
    #[serde(default)]
    pub price: Value,
    /// The vehicle the estimate is for, when there is one.
    pub vehicle_id: Option<Uuid>,
}

/// A computed route, as stored with a trip and returned by the estimate.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct RoutePlan {
    pub places: Vec<ResolvedPlace>,
    #[schema(value_type = Vec<Object>)]
    pub legs: Vec<Value>,
    pub distance_km: f64,
    #[schema(value_type = Object)]
    pub distance: Value,
    pub duration_minutes: f64,
    /// SPEC §9's summary fields.
    #[serde(default)]
    pub duration_hours: f64,
    pub fuel_litres: Option<f64>,
    #[schema(value_type = Option<Amount>)]
    pub fuel_cost: Option<Money>,
    /// `osrm` (a routing service) or `estimate` (great-circle distance × road factor at an average speed).
    pub source: String,
    pub fuel: FuelEstimate,
}

impl RoutePlan {
    /// Fills the display figures from the canonical ones, in `units` (stored plans keep only what does
    /// not depend on the user's choice of units).
    pub fn in_units(mut self, units: Units) -> RoutePlan {
        self.distance = shown(show_distance(self.distance_km, units));
        for leg in &mut self.legs {
            if let Some(km) = leg["distance_km"].as_f64() {
                leg["distance"] = shown(show_distance(km, units));
            }
        }
        self.duration_hours = (self.duration_minutes / 6.0).round() / 10.0;
        self.fuel.volume = shown(show_volume(self.fuel.litres, units));
        self.fuel.consumption = shown(show_consumption(self.fuel.consumption_l_per_100km.value, units));
        self.fuel.price = match (&self.fuel.price_per_litre, units) {
            (Some(p), Units::Imperial) => {
                json!({"value": (p.value * LITRES_PER_US_GALLON * 1000.0).round() / 1000.0, "unit": "gal"})
            }
            (Some(p), Units::Metric) => json!({"value": p.value, "unit": "L"}),
            (None, _) => Value::Null,
        };
        self
    }

    /// The same without the display figures, for storage.
    pub fn canonical(mut self) -> RoutePlan {
        self.distance = Value::Null;
        for leg in &mut self.legs {
            if let Some(o) = leg.as_object_mut() {
                o.remove("distance");
            }
        }
        self.fuel.volume = Value::Null;
        self.fuel.consumption = Value::Null;
        self.fuel.price = Value::Null;
        self
    }

    /// The front end's map instruction: REPLACE_ROUTE with `[lng, lat]` waypoints (SPEC §5.5).
    pub fn map_action(&self) -> Value {
        let last = self.places.len().saturating_sub(1);
        let waypoints: Vec<Value> = self
            .places
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let kind = if i == 0 {
                    "origin"
                } else if i == last {
                    "destination"
                } else {
                    "stop"
                };
                json!({"name": p.name, "type": kind, "coordinates": [p.lng, p.lat]})
            })
            .collect();
        json!({"type": "REPLACE_ROUTE", "waypoints": waypoints})
    }
}

fn shown(s: Shown) -> Value {
    json!({"value": s.value, "unit": s.unit})
}

/// A fuel price when nothing better is known, per litre in thousandths, by currency (late-2026
/// pump prices, rounded); `None` for a currency without one (the estimate then has no cost).
fn default_price_milli(currency: &str) -> Option<i64> {
    Some(match currency {
        "AUD" => 2_000,
        "NZD" => 2_800,
        "USD" => 1_000,
        "CAD" => 1_600,
        "GBP" => 1_450,
        "EUR" => 1_700,
        _ => return None,
    })
}

/// The origin to use: the one given, else the user's position (PAM's "from here"), else a 422 that asks.
pub fn origin_or_here(origin: &str, position: Option<(f64, f64)>) -> Result<String, DomainError> {
    match (origin.trim(), position) {
        ("", Some((lat, lng))) => Ok(format!("{lat},{lng}")),
        ("", None) => Err(DomainError::invalid(&["body", "origin"], "where are you starting from? Name a place")),
        (o, _) => Ok(o.to_string()),
    }
}

/// Resolves, orders and routes the places; estimates fuel.
pub async fn plan(state: &WheelsState, user_id: Uuid, req: &RouteRequest) -> Result<RoutePlan, DomainError> {
    let too_long = |s: &str| s.chars().count() > 200;
    if too_long(&req.origin) || too_long(&req.destination) || req.stops.iter().any(|s| too_long(s)) {
        return Err(DomainError::invalid(&["body"], "place names are at most 200 characters"));
    }
    if req.stops.len() > MAX_STOPS {
        return Err(DomainError::invalid(&["body", "stops"], format!("at most {MAX_STOPS} stops")));
    }
    let locale = state.locales.of(user_id).await?;
    let mut names: Vec<(Vec<String>, String)> = vec![(vec!["body".into(), "origin".into()], req.origin.clone())];
    for (i, s) in req.stops.iter().enumerate() {
        names.push((vec!["body".into(), "stops".into(), i.to_string()], s.clone()));
    }
    names.push((vec!["body".into(), "destination".into()], req.destination.clone()));
    let mut places = lookup::resolve(&state.travel, &names).await?;
    if req.optimize_stops && places.len() > 3 {
        places = order::shortest(places);
    }
    let waypoints: Vec<Waypoint> = places.iter().filter_map(ResolvedPlace::waypoint).collect();
    let route = state.travel.routing.route(&waypoints).await.map_err(|e| match e {
        pam_geo::ProviderError::NoRoute(why) => {
            DomainError::invalid(&["body", "destination"], format!("no road route joins these places ({why})"))
        }
        other => crate::travel::unavailable("The routing service", other),
    })?;
    let start = waypoints.first().map(|w| w.at);
    let given = FuelInputs { vehicle_id: req.vehicle_id, ..FuelInputs::default() };
    let fuel = estimate_fuel(state, user_id, &locale, route.distance_km, start, &given).await?;
    Ok(from_route(places, route, fuel, &locale))
}

fn from_route(places: Vec<ResolvedPlace>, route: RouteEstimate, fuel: FuelEstimate, locale: &Locale) -> RoutePlan {
    let legs = route
        .legs
        .iter()
        .map(|l| {
            json!({"from": l.from, "to": l.to, "distance_km": l.distance_km, "duration_minutes": l.duration_minutes})
        })
        .collect();
    RoutePlan {
        places,
        legs,
        distance_km: route.distance_km,
        distance: Value::Null,
        duration_minutes: route.duration_minutes,
        duration_hours: 0.0,
        fuel_litres: Some(fuel.litres),
        fuel_cost: fuel.cost,
        source: source_name(route.source),
        fuel,
    }
    .in_units(locale.units)
}

fn source_name(source: Source) -> String {
    serde_json::to_value(source).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_else(|| "estimate".into())
}

/// What the user said about the fuel, overriding what is known.
#[derive(Clone, Debug, Default)]
pub struct FuelInputs {
    pub vehicle_id: Option<Uuid>,
    pub l_per_100km: Option<f64>,
    pub price_per_litre: Option<f64>,
}

/// Fuel for `distance_km`: the fuel use given, else the vehicle's, else the default; the price given,
/// else a price service's near `start`, else the last fill-up's, else the default for the currency.
pub async fn estimate_fuel(
    state: &WheelsState,
    user_id: Uuid,
    locale: &Locale,
    distance_km: f64,
    start: Option<pam_geo::Coordinates>,
    given: &FuelInputs,
) -> Result<FuelEstimate, DomainError> {
    let vehicle = vehicles::planning_consumption(state, user_id, given.vehicle_id).await?;
    let consumption = match (given.l_per_100km, vehicle.as_ref().and_then(|v| v.l_per_100km.map(|c| (c, v.learned)))) {
        (Some(c), _) => FigureSource { value: c, source: "given".into() },
        (None, Some((c, true))) => FigureSource { value: c, source: "learned".into() },
        (None, Some((c, false))) => FigureSource { value: c, source: "vehicle".into() },
        (None, None) => FigureSource { value: DEFAULT_L_PER_100KM, source: "default".into() },
    };
    let diesel = vehicle.as_ref().is_none_or(|v| v.fuel_type == "diesel");
    let provided = match (given.price_per_litre, start) {
        (Some(p), _) => Some(((p * 1000.0).round() as i64, "given".to_string())),
        (None, Some(at)) => provider_price(state, locale, at, diesel).await,
        (None, None) => None,
    };
    let price = match provided {
        Some((p, source)) => Some((p, source)),
        None => match fuel::last_price_per_litre_milli(state, user_id).await? {
            Some(p) => Some((p, "last_fill".to_string())),
            None => default_price_milli(&locale.currency).map(|p| (p, "default".to_string())),
        },
    };
    let litres = distance_km * consumption.value / 100.0;
    let cost = price.as_ref().map(|(milli, _)| Money::from_cents((litres * *milli as f64 / 10.0).round() as i64));
    Ok(FuelEstimate {
        litres: (litres * 10.0).round() / 10.0,
        volume: Value::Null,
        cost,
        currency: locale.currency.clone(),
        consumption: Value::Null,
        consumption_l_per_100km: consumption,
        price_per_litre: price.map(|(milli, source)| FigureSource { value: milli as f64 / 1000.0, source }),
        price: Value::Null,
        vehicle_id: vehicle.map(|v| v.id),
    })
}

/// The median pump price near `at` from the price service, when one is configured, answers, and
/// prices in the user's currency (a German price list is no use for a trip priced in dollars).
async fn provider_price(
    state: &WheelsState,
    locale: &Locale,
    at: pam_geo::Coordinates,
    diesel: bool,
) -> Option<(i64, String)> {
    let provider = state.travel.fuel_prices.as_ref()?;
    let radius = pam_geo::RadiusKm::new(15.0).ok()?;
    let prices = match provider.stations_near(at, radius).await {
        Ok(p) => p,
        Err(e) => {
            tracing::info!(error = %e, "fuel price service failed; using the last fill-up or the default");
            return None;
        }
    };
    if prices.currency != locale.currency {
        return None;
    }
    let mut list: Vec<f64> = prices
        .stations
        .iter()
        .filter_map(|s| if diesel { s.prices.diesel } else { s.prices.e5.or(s.prices.e10) })
        .filter(|p| p.is_finite() && *p > 0.0)
        .collect();
    if list.is_empty() {
        return None;
    }
    list.sort_by(f64::total_cmp);
    let median = list[list.len() / 2];
    Some(((median * 1000.0).round() as i64, source_name(prices.source)))
}

/// A start date is not before today (a trip is planned ahead), and not absurdly far off.
pub fn check_start(start: Option<NaiveDate>, today: NaiveDate) -> Result<(), DomainError> {
    match start {
        Some(d) if d < today => Err(DomainError::invalid(&["body", "start_date"], "must not be in the past")),
        Some(d) if (d - today).num_days() > 3660 => {
            Err(DomainError::invalid(&["body", "start_date"], "must be within ten years"))
        }
        _ => Ok(()),
    }
}
