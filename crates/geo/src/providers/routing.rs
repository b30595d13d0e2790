//! Road routes from an OSRM route service (<https://project-osrm.org/docs/v5.24.0/api/#route-service>):
//! `GET {base}/route/v1/driving/{lon,lat;lon,lat;…}?overview=false&steps=false` →
//! `{code: "Ok", routes: [{distance (m), duration (s), legs: [{distance, duration}]}]}`. Any other `code`
//! is an error; OSRM sends those with 200 or 400 depending on version, so both are read.

use futures::future::BoxFuture;
use serde::Deserialize;

use super::http::{cut, fetch, parse_json, rejected};
use super::{Endpoint, ProviderError};
use crate::estimate::{RouteEstimate, Waypoint};
use crate::source::Source;

/// Driving distance and time through stops in order.
pub trait RouteProvider: Send + Sync {
    /// The route through `waypoints` in order; no legs for fewer than two.
    fn route<'a>(&'a self, waypoints: &'a [Waypoint]) -> BoxFuture<'a, Result<RouteEstimate, ProviderError>>;
}

/// OSRM client (driving profile). OSRM's durations are for a car at the speed limits; an RV towing is
/// slower, which the caller may account for.
#[derive(Clone, Debug)]
pub struct Osrm {
    http: reqwest::Client,
    endpoint: Endpoint,
}

impl Osrm {
    /// A client for the OSRM server at `endpoint`.
    pub fn new(http: reqwest::Client, endpoint: Endpoint) -> Osrm {
        Osrm { http, endpoint }
    }

    async fn fetch_route(&self, waypoints: &[Waypoint]) -> Result<RouteEstimate, ProviderError> {
        if waypoints.len() < 2 {
            return Ok(RouteEstimate::from_legs(Vec::new(), Source::Osrm));
        }
        // OSRM wants lon,lat; six decimals is ~0.1 m.
        let points: Vec<String> = waypoints.iter().map(|w| format!("{:.6},{:.6}", w.at.lon(), w.at.lat())).collect();
        let path = format!("route/v1/driving/{}", points.join(";"));
        let url = self.endpoint.url(&path, &[("overview", "false"), ("steps", "false")])?;
        let answer = fetch(Source::Osrm, self.http.get(url), self.endpoint.timeout()).await?;
        let status = answer.status;
        let wire: WireResponse = match parse_json(&answer.body) {
            Ok(wire) => wire,
            Err(_) if !status.is_success() => return Err(rejected(status.as_u16(), &answer.body)),
            Err(malformed) => return Err(malformed),
        };
        match wire.code.as_str() {
            "Ok" => {}
            "NoRoute" | "NoSegment" => return Err(ProviderError::NoRoute(cut(&wire.describe()))),
            _ => return Err(ProviderError::Rejected { status: status.as_u16(), reason: cut(&wire.describe()) }),
        }
        let route = wire.routes.into_iter().next().ok_or_else(|| ProviderError::Malformed("routes is empty".into()))?;
        if route.legs.len() != waypoints.len() - 1 {
            return Err(ProviderError::Malformed(format!(
                "{} legs for {} waypoints",
                route.legs.len(),
                waypoints.len()
            )));
        }
        let legs = waypoints
            .windows(2)
            .zip(&route.legs)
            .map(|(pair, leg)| {
                let (from, to) = match pair {
                    [from, to] => (from.label.clone(), to.label.clone()),
                    _ => (String::new(), String::new()),
                };
                if !(leg.distance.is_finite() && leg.distance >= 0.0 && leg.duration.is_finite() && leg.duration >= 0.0)
                {
                    return Err(ProviderError::Malformed("negative or non-finite leg".into()));
                }
                Ok((from, to, leg.distance / 1000.0, leg.duration / 60.0))
            })
            .collect::<Result<Vec<_>, ProviderError>>()?;
        Ok(RouteEstimate::from_legs(legs, Source::Osrm))
    }
}

impl RouteProvider for Osrm {
    fn route<'a>(&'a self, waypoints: &'a [Waypoint]) -> BoxFuture<'a, Result<RouteEstimate, ProviderError>> {
        Box::pin(self.fetch_route(waypoints))
    }
}

#[derive(Deserialize)]
struct WireResponse {
    code: String,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    routes: Vec<WireRoute>,
}

impl WireResponse {
    fn describe(&self) -> String {
        match &self.message {
            Some(message) => format!("{}: {message}", self.code),
            None => self.code.clone(),
        }
    }
}

#[derive(Deserialize)]
struct WireRoute {
    legs: Vec<WireLeg>,
}

#[derive(Deserialize)]
struct WireLeg {
    distance: f64,
    duration: f64,
}
