//! PAM's trip tools (SPEC §5.5 trip group): each a typed input and a thin call into the services the
//! REST routes use. Tools that need an outside service say so plainly when it is missing.

use chrono::{Datelike, NaiveDate};
use pam_kernel::{DomainError, Locale, Money, Tool, ToolOutput, UiAction};
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::outside::{self, CampgroundQuery, Near};
use crate::routes_trips::PlannedTrip;
use crate::trips::plan::{self, FuelInputs};
use crate::trips::{self, NewTrip, RouteRequest};
use crate::units::{self, ConsumptionUnit, DistanceUnit, VolumeUnit};
use crate::{WheelsState, seasons};

#[derive(Debug, Deserialize, ToSchema)]
pub struct TravelTimeInput {
    /// Default: where the user is.
    #[serde(default)]
    pub origin: String,
    /// Where to; or, with no place in mind, a `distance`.
    pub destination: Option<String>,
    #[serde(default)]
    pub stops: Vec<String>,
    /// A distance to drive, in `distance_unit` (default the user's units), timed at the average speed
    /// of the estimate; used when no destination is given.
    pub distance: Option<f64>,
    pub distance_unit: Option<DistanceUnit>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct GasCostInput {
    /// A distance, in `distance_unit` (default km)…
    pub distance: Option<f64>,
    pub distance_unit: Option<DistanceUnit>,
    /// …or the places to drive between.
    pub origin: Option<String>,
    pub destination: Option<String>,
    /// Fuel use, in `consumption_unit` (default L/100km); default the primary vehicle's.
    pub consumption: Option<f64>,
    pub consumption_unit: Option<ConsumptionUnit>,
    /// Price per litre, or per gallon when `price_unit` is `gallons`; default the best price known.
    pub price_per_unit: Option<f64>,
    pub price_unit: Option<VolumeUnit>,
    pub vehicle_id: Option<Uuid>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct WeatherInput {
    pub location: Option<String>,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    /// One day only (`YYYY-MM-DD`), within the next 16 days.
    pub date: Option<NaiveDate>,
    /// Days to forecast, 1–16 (default 7).
    pub days: Option<u8>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NearInput {
    /// A place name, or "lat,lng".
    pub near: String,
    pub radius_km: Option<f64>,
    pub max_price: Option<Money>,
    #[serde(default)]
    pub amenities: Vec<String>,
    /// For fuel: diesel | petrol | e5 | e10.
    pub fuel_type: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SeasonInput {
    /// 1–12 (default next month).
    pub month: Option<u32>,
    /// AU (default) or US/CA.
    pub country: Option<String>,
    /// A place, for its climate.
    pub location: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RoadInput {
    pub location: Option<String>,
    pub origin: Option<String>,
    pub destination: Option<String>,
}

fn planned(trip: trips::Trip) -> Result<ToolOutput, DomainError> {
    let planned = PlannedTrip::of(trip);
    let (id, title) = (planned.trip.id, planned.trip.title.clone());
    let mut action = UiAction::new("open_map").about("trip", id, title);
    action.metadata = Some(json!({"map_action": planned.map_action}));
    Ok(ToolOutput {
        data: serde_json::to_value(&planned).map_err(|e| DomainError::internal("trip", e))?,
        ui_actions: vec![action, UiAction::new("reload_trips")],
    })
}

fn month_of(input: Option<u32>, today: NaiveDate) -> Result<u32, DomainError> {
    match input {
        Some(m) if (1..=12).contains(&m) => Ok(m),
        Some(_) => Err(DomainError::invalid(&["body", "month"], "must be 1–12")),
        None => Ok(today.month() % 12 + 1),
    }
}

pub fn tools(state: &WheelsState) -> Vec<Tool> {
    vec![
        Tool::with_state(
            state.clone(),
            "plan_trip",
            "Plan and save a trip between named places (with stops, a start date and a budget): route, driving \
            time and fuel cost, shown on the map.",
            true,
            |state, ctx, mut input: NewTrip| async move {
                input.route.origin = plan::origin_or_here(&input.route.origin, ctx.position)?;
                planned(trips::create(&state, ctx.user_id, input).await?)
            },
        ),
        Tool::with_state(
            state.clone(),
            "estimate_travel_time",
            "How far and how long to drive between places, or how long a distance takes to drive (not saved).",
            false,
            |state, ctx, input: TravelTimeInput| async move {
                let Some(destination) = input.destination else {
                    return ToolOutput::data(time_for_distance(&state, ctx.user_id, &input).await?);
                };
                let origin = plan::origin_or_here(&input.origin, ctx.position)?;
                let req =
                    RouteRequest { origin, destination, stops: input.stops, vehicle_id: None, optimize_stops: false };
                let route = plan::plan(&state, ctx.user_id, &req).await?;
                ToolOutput::data(json!({"distance_km": route.distance_km, "distance": route.distance,
                    "duration_minutes": route.duration_minutes, "legs": route.legs, "source": route.source,
                    "places": route.places}))
            },
        ),
        Tool::with_state(
            state.clone(),
            "calculate_gas_cost",
            "What the fuel for a distance (or between two places) would cost, with the fuel use and price used \
            and where each came from.",
            false,
            |state, ctx, mut input: GasCostInput| async move {
                if input.distance.is_none() && input.destination.is_some() {
                    input.origin = Some(plan::origin_or_here(input.origin.as_deref().unwrap_or(""), ctx.position)?);
                }
                ToolOutput::data(gas_cost(&state, ctx.user_id, input).await?)
            },
        ),
        Tool::with_state(
            state.clone(),
            "optimize_route",
            "Put a route's stops in the order that makes it shortest (start and end kept).",
            false,
            |state, ctx, input: RouteRequest| async move {
                let before =
                    plan::plan(&state, ctx.user_id, &RouteRequest { optimize_stops: false, ..input.clone() }).await?;
                let after = plan::plan(&state, ctx.user_id, &RouteRequest { optimize_stops: true, ..input }).await?;
                let order: Vec<&str> = after.places.iter().map(|p| p.name.as_str()).collect();
                let data = json!({"order": order, "distance_km_before": before.distance_km,
                    "distance_km_after": after.distance_km, "saved_km": ((before.distance_km - after.distance_km) * 10.0).round() / 10.0,
                    "source": after.source, "map_action": after.map_action()});
                // The map shows the new order.
                let mut action = UiAction::new("open_map");
                action.metadata = Some(json!({"map_action": after.map_action()}));
                Ok(ToolOutput { data, ui_actions: vec![action] })
            },
        ),
        Tool::with_state(
            state.clone(),
            "get_weather_forecast",
            "The daily weather forecast for a place (needs the weather service).",
            false,
            |state, ctx, input: WeatherInput| async move {
                // No place named: where the user is.
                let (lat, lng) = match (input.lat, input.lng, &input.location, ctx.position) {
                    (None, None, None, Some((lat, lng))) => (Some(lat), Some(lng)),
                    _ => (input.lat, input.lng),
                };
                let near = Near { location: input.location, lat, lng };
                let mut report = outside::weather(&state, &near, input.days.or(input.date.map(|_| 16))).await?;
                if let Some(d) = input.date {
                    report.days.retain(|day| day.date == d);
                }
                ToolOutput::data(report)
            },
        ),
        Tool::with_state(
            state.clone(),
            "find_rv_parks",
            "Campgrounds and RV parks near a place, with price and amenity filters.",
            false,
            |state, _ctx, input: NearInput| async move {
                let q = CampgroundQuery {
                    near: Some(input.near),
                    radius_km: input.radius_km,
                    max_price: input.max_price,
                    amenities: (!input.amenities.is_empty()).then(|| input.amenities.join(",")),
                };
                ToolOutput::data(outside::campgrounds(&state, &q).await?)
            },
        ),
        Tool::with_state(
            state.clone(),
            "find_longstay_parks",
            "Parks that take long stays (weekly or monthly rates) near a place.",
            false,
            |state, _ctx, input: NearInput| async move {
                let q = CampgroundQuery {
                    near: Some(input.near),
                    radius_km: input.radius_km.or(Some(150.0)),
                    max_price: input.max_price,
                    amenities: Some("long_stay".into()),
                };
                ToolOutput::data(outside::campgrounds(&state, &q).await?)
            },
        ),
        Tool::with_state(
            state.clone(),
            "find_cheap_gas",
            "The cheapest fuel near a place (needs the fuel price service).",
            false,
            |state, _ctx, input: NearInput| async move {
                let near = outside::parse_near(Some(&input.near));
                let fuel = input.fuel_type.as_deref().map(str::to_lowercase).unwrap_or_else(|| "diesel".into());
                ToolOutput::data(outside::fuel_prices(&state, &near, Some(&fuel)).await?)
            },
        ),
        Tool::with_state(
            state.clone(),
            "find_attractions",
            "Things to see and do near a place (needs the web search service).",
            false,
            |state, _ctx, input: NearInput| async move {
                let provider = state.travel.web_search.clone().ok_or_else(|| {
                    DomainError::Unavailable(
                        "No web search service is configured, so I can't look up attractions".into(),
                    )
                })?;
                let query = format!("things to do near {} RV travellers", input.near.trim());
                let found = provider
                    .search(&query, 8)
                    .await
                    .map_err(|e| crate::travel::unavailable("The web search service", e))?;
                ToolOutput::data(found)
            },
        ),
        Tool::with_state(
            state.clone(),
            "get_road_conditions",
            "Road closures and conditions (only from a road-conditions service).",
            false,
            |_state: WheelsState, _ctx, _input: RoadInput| async move {
                Err::<ToolOutput, _>(DomainError::Unavailable(
                    "No road-conditions service is connected, so I can't tell you what the roads are like. Check the \
                    road authority: QLDTraffic, Live Traffic NSW, VicTraffic, Road Report NT, Main Roads WA, Traffic SA, \
                    or 511 in the US."
                        .into(),
                ))
            },
        ),
        Tool::with_state(
            state.clone(),
            "suggest_seasonal_route",
            "Where the weather suits RV travel in a given month (general seasonal guidance, not a forecast).",
            false,
            |_state: WheelsState, ctx, input: SeasonInput| async move {
                let month = month_of(input.month, ctx.locale.today_at(&ctx.clock))?;
                let country = input.country.as_deref().map(str::to_uppercase).unwrap_or_else(|| "AU".into());
                if !matches!(country.as_str(), "AU" | "US" | "CA") {
                    return Err(DomainError::invalid(
                        &["body", "country"],
                        "seasonal routes are known for AU, US and CA only",
                    ));
                }
                ToolOutput::data(seasons::suggest(month, &country))
            },
        ),
        Tool::with_state(
            state.clone(),
            "seasonal_weather_check",
            "What a place's weather is usually like in a month (general seasonal guidance, not a forecast).",
            false,
            |state, ctx, input: SeasonInput| async move {
                let month = month_of(input.month, ctx.locale.today_at(&ctx.clock))?;
                let name = input.location.ok_or_else(|| DomainError::invalid(&["body", "location"], "name a place"))?;
                let spot =
                    outside::spot(&state, &Near { location: Some(name), lat: None, lng: None }, "location").await?;
                let country = state
                    .travel
                    .gazetteer
                    .nearest(spot.lat, spot.lng)
                    .map(|m| m.place.country.code.to_string())
                    .unwrap_or_default();
                ToolOutput::data(json!({"location": spot, "climate": seasons::climate_at(spot.lat, &country, month)}))
            },
        ),
    ]
}

/// A distance given in a tool's input, in km: in `unit`, else the user's units.
fn given_km(distance: f64, unit: Option<DistanceUnit>, locale: &Locale) -> Result<f64, DomainError> {
    if !(distance.is_finite() && distance > 0.0 && distance <= 50_000.0) {
        return Err(DomainError::invalid(&["body", "distance"], "must be between 0 and 50,000"));
    }
    Ok(units::to_km(distance, unit.unwrap_or(DistanceUnit::default_for(locale.units))))
}

/// How long a distance alone takes to drive ("how long to drive 450 km"): no places, so no route, only
/// the estimate's average speed, and the answer says so (`source: "estimate"`, `average_speed_kmh`).
async fn time_for_distance(
    state: &WheelsState,
    user_id: Uuid,
    input: &TravelTimeInput,
) -> Result<serde_json::Value, DomainError> {
    let Some(distance) = input.distance else {
        return Err(DomainError::invalid(&["body", "destination"], "give a destination, or a distance"));
    };
    let locale = state.locales.of(user_id).await?;
    let km = given_km(distance, input.distance_unit, &locale)?;
    let speed = state.travel.routing.average_speed().kmh();
    let tenth = |v: f64| (v * 10.0).round() / 10.0;
    Ok(json!({"distance_km": tenth(km), "distance": units::show_distance(km, locale.units),
        "duration_minutes": tenth(km / speed * 60.0), "legs": [], "source": "estimate",
        "average_speed_kmh": speed, "places": []}))
}

/// The cost of the fuel for a distance or a route.
async fn gas_cost(state: &WheelsState, user_id: Uuid, input: GasCostInput) -> Result<serde_json::Value, DomainError> {
    let locale = state.locales.of(user_id).await?;
    let (distance_km, start, source) = match (input.distance, &input.origin, &input.destination) {
        (Some(d), _, _) => (given_km(d, input.distance_unit, &locale)?, None, "given".to_string()),
        (None, Some(o), Some(d)) => {
            let req = RouteRequest {
                origin: o.clone(),
                destination: d.clone(),
                stops: vec![],
                vehicle_id: input.vehicle_id,
                optimize_stops: false,
            };
            let route = plan::plan(state, user_id, &req).await?;
            let start = route.places.first().and_then(|p| pam_geo::Coordinates::new(p.lat, p.lng).ok());
            (route.distance_km, start, route.source)
        }
        _ => {
            return Err(DomainError::invalid(&["body", "distance"], "give a distance, or an origin and a destination"));
        }
    };
    let l_per_100km = match input.consumption {
        Some(c) => {
            let unit = input.consumption_unit.unwrap_or(ConsumptionUnit::default_for(locale.units));
            let l = units::to_l_per_100km(c, unit).filter(|l| units::CONSUMPTION_RANGE.contains(l));
            Some(l.ok_or_else(|| DomainError::invalid(&["body", "consumption"], "is not a plausible fuel use"))?)
        }
        None => None,
    };
    let price_per_litre = match input.price_per_unit {
        Some(p) if p.is_finite() && p > 0.0 && p < 10_000.0 => {
            // Per gallon when said; when not said, as the user's units or the trip's miles suggest.
            let per_gallon = match input.price_unit {
                Some(unit) => unit == VolumeUnit::Gallons,
                None => {
                    input.distance_unit == Some(DistanceUnit::Miles)
                        || VolumeUnit::default_for(locale.units) == VolumeUnit::Gallons
                }
            };
            Some(if per_gallon { p / units::LITRES_PER_US_GALLON } else { p })
        }
        Some(_) => return Err(DomainError::invalid(&["body", "price_per_unit"], "is not a plausible fuel price")),
        None => None,
    };
    let given = FuelInputs { vehicle_id: input.vehicle_id, l_per_100km, price_per_litre };
    let fuel = plan::estimate_fuel(state, user_id, &locale, distance_km, start, &given).await?;
    Ok(json!({"distance_km": (distance_km * 10.0).round() / 10.0,
        "distance": units::show_distance(distance_km, locale.units), "distance_source": source, "fuel": fuel}))
}
