//! Driving distance and time with no routing service: great-circle distance × a road factor, at an
//! average speed. It is what [`Routing`](crate::Routing) answers when OSRM is not configured or fails
//! (`source: "estimate"`), and cheap enough to run on every plan (a 10-stop plan takes microseconds).

use serde::{Deserialize, Serialize};

use crate::coords::Coordinates;
use crate::gazetteer::{Gazetteer, NotFound};
use crate::source::Source;

/// Roads are longer than the great circle. 1.22 is calibrated on Sydney → Melbourne: 713 km great-circle
/// between the gazetteer's coordinates against ~870–880 km by the Hume Highway (1.22 → ~870 km). Intercity
/// highways mostly sit between 1.1 and 1.3; roads that detour further (around a gulf, a range) and
/// ferries are not modelled, which is why OSRM is preferred when configured.
pub const ROAD_FACTOR: f64 = 1.22;

/// 80 km/h: a caravan or motorhome towing averages well under the 100–110 km/h highway limit once
/// towns, roadworks, hills and stops are included (several states cap heavy or towing vehicles at 80–100).
pub const DEFAULT_AVERAGE_SPEED_KMH: f64 = 80.0;

/// Slowest and fastest average speed accepted, in km/h.
pub const SPEED_RANGE_KMH: (f64, f64) = (10.0, 130.0);

/// An average driving speed in km/h, within [`SPEED_RANGE_KMH`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct AverageSpeed(f64);

/// An average speed outside [`SPEED_RANGE_KMH`].
#[derive(Clone, Copy, Debug, PartialEq, thiserror::Error)]
#[error("average speed must be between 10 and 130 km/h")]
pub struct InvalidSpeed;

impl AverageSpeed {
    /// Parses a speed in km/h.
    pub fn from_kmh(kmh: f64) -> Result<AverageSpeed, InvalidSpeed> {
        let (slowest, fastest) = SPEED_RANGE_KMH;
        if kmh.is_finite() && (slowest..=fastest).contains(&kmh) { Ok(AverageSpeed(kmh)) } else { Err(InvalidSpeed) }
    }

    /// The speed in km/h.
    pub fn kmh(self) -> f64 {
        self.0
    }
}

impl Default for AverageSpeed {
    fn default() -> Self {
        AverageSpeed(DEFAULT_AVERAGE_SPEED_KMH)
    }
}

impl TryFrom<f64> for AverageSpeed {
    type Error = InvalidSpeed;
    fn try_from(kmh: f64) -> Result<Self, Self::Error> {
        AverageSpeed::from_kmh(kmh)
    }
}

impl From<AverageSpeed> for f64 {
    fn from(speed: AverageSpeed) -> f64 {
        speed.0
    }
}

/// A stop on a route: what to call it and where it is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Waypoint {
    /// Shown in the legs ("Sydney, New South Wales, Australia").
    pub label: String,
    /// Where the stop is.
    pub at: Coordinates,
}

/// One stretch of a route, between two consecutive stops.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Leg {
    /// Label of the stop the leg starts at.
    pub from: String,
    /// Label of the stop the leg ends at.
    pub to: String,
    /// Road distance in km, to 0.1 km.
    pub distance_km: f64,
    /// Driving time in minutes, to 0.1 minute.
    pub duration_minutes: f64,
}

/// Distance and driving time of a route through several stops, from an estimate or a routing service.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RouteEstimate {
    /// One leg per pair of consecutive stops.
    pub legs: Vec<Leg>,
    /// Sum of the legs, km to 0.1.
    pub distance_km: f64,
    /// Sum of the legs, minutes to 0.1.
    pub duration_minutes: f64,
    /// `estimate` or `osrm`.
    pub source: Source,
}

pub(crate) fn round_tenth(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

impl RouteEstimate {
    /// A route from unrounded per-leg `(from, to, km, minutes)`; totals are summed before rounding.
    pub(crate) fn from_legs(legs: Vec<(String, String, f64, f64)>, source: Source) -> RouteEstimate {
        let distance_km = round_tenth(legs.iter().map(|l| l.2).sum());
        let duration_minutes = round_tenth(legs.iter().map(|l| l.3).sum());
        let legs = legs
            .into_iter()
            .map(|(from, to, km, minutes)| Leg {
                from,
                to,
                distance_km: round_tenth(km),
                duration_minutes: round_tenth(minutes),
            })
            .collect();
        RouteEstimate { legs, distance_km, duration_minutes, source }
    }
}

/// Road distance between two points by the estimate: great-circle km × [`ROAD_FACTOR`].
pub fn road_distance_km(from: Coordinates, to: Coordinates) -> f64 {
    from.distance_km(to) * ROAD_FACTOR
}

/// Estimates a route through `waypoints` in order (no legs for fewer than two).
pub fn estimate_route(waypoints: &[Waypoint], speed: AverageSpeed) -> RouteEstimate {
    let legs = waypoints
        .windows(2)
        .filter_map(|pair| match pair {
            [from, to] => {
                let km = road_distance_km(from.at, to.at);
                Some((from.label.clone(), to.label.clone(), km, km / speed.kmh() * 60.0))
            }
            _ => None,
        })
        .collect();
    RouteEstimate::from_legs(legs, Source::Estimate)
}

/// Looks each stop up in the gazetteer and estimates the route through them; legs are labelled with
/// display names. The first name not found is the error (with its suggestions).
pub fn estimate_named_route(
    gazetteer: &Gazetteer,
    stops: &[&str],
    speed: AverageSpeed,
) -> Result<RouteEstimate, NotFound> {
    let waypoints = stops
        .iter()
        .map(|stop| {
            let found = gazetteer.lookup(stop)?;
            Ok(Waypoint { label: found.place.display_name(), at: found.place.coordinates })
        })
        .collect::<Result<Vec<_>, NotFound>>()?;
    Ok(estimate_route(&waypoints, speed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stop(label: &str, lat: f64, lon: f64) -> Waypoint {
        Waypoint { label: label.into(), at: Coordinates::new(lat, lon).unwrap() }
    }

    #[test]
    fn legs_sum_to_the_totals_and_time_follows_speed() {
        let stops = [stop("A", -33.0, 151.0), stop("B", -34.0, 151.0), stop("C", -34.0, 150.0)];
        let route = estimate_route(&stops, AverageSpeed::from_kmh(60.0).unwrap());
        assert_eq!(route.legs.len(), 2);
        assert_eq!(route.legs[0].from, "A");
        assert_eq!(route.legs[1].to, "C");
        let leg_sum: f64 = route.legs.iter().map(|l| l.distance_km).sum();
        assert!((leg_sum - route.distance_km).abs() <= 0.1, "{leg_sum} vs {}", route.distance_km);
        // At 60 km/h minutes equal km.
        assert!((route.duration_minutes - route.distance_km).abs() <= 0.1);
        assert_eq!(route.source, Source::Estimate);
    }

    #[test]
    fn one_or_no_stop_is_an_empty_route() {
        let route = estimate_route(&[stop("A", 0.0, 0.0)], AverageSpeed::default());
        assert!(route.legs.is_empty());
        assert_eq!(route.distance_km, 0.0);
    }

    #[test]
    fn speeds_outside_the_range_are_refused() {
        assert_eq!(AverageSpeed::from_kmh(0.0), Err(InvalidSpeed));
        assert_eq!(AverageSpeed::from_kmh(f64::NAN), Err(InvalidSpeed));
        assert_eq!(AverageSpeed::from_kmh(300.0), Err(InvalidSpeed));
        assert_eq!(AverageSpeed::default().kmh(), 80.0);
        assert!(serde_json::from_str::<AverageSpeed>("500").is_err());
    }
}
