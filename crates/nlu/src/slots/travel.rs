//! Slots of the travel intents: a trip, fuel cost, travel time and the weather.

use chrono::NaiveDate;
use serde_json::json;

use super::{Slots, day, is_amount, number};
use crate::analysis::Analysis;
use crate::entities::{ConsumptionUnit, DistanceUnit, Kind, Tense};
use crate::places;

fn route_into(a: &Analysis, s: &mut Slots, with_stops: bool) {
    let r = places::route(&a.text, &a.entities);
    if let Some(o) = r.origin {
        s.insert("origin".into(), json!(o));
    }
    if let Some(d) = r.destination {
        s.insert("destination".into(), json!(d));
    }
    if with_stops && !r.stops.is_empty() {
        s.insert("stops".into(), json!(r.stops));
    }
}

pub fn trip(a: &Analysis, today: NaiveDate, s: &mut Slots) {
    route_into(a, s, true);
    if let Some(d) = day(a, today, Tense::Future) {
        s.insert("date".into(), json!(d.to_string()));
    }
    // "with a budget of $1,500", "budget 800 bucks", "a $600 budget", and money given for the trip ("we've
    // only got 300 bucks to play with", "no more than $700 on the way") — not a rate ("$45 a night").
    let rate = |e: &crate::entities::Entity| {
        matches!(a.text.norm(e.end()), "a" | "per" | "/" | "each") && !a.text.norm(e.end() + 1).is_empty()
    };
    // Only money said as what the trip may cost: not a price on the way ("fuel will be around $400",
    // "the ferry is $600 return", "last time it cost us $900").
    let spend_words =
        ["spend", "spending", "play", "max", "maximum", "under", "cap", "limit", "kitty", "afford", "only"];
    let budget = if a.text.has("budget") || a.text.has_any(&spend_words) || a.text.has_phrase("no more than") {
        a.entities.iter().find(|e| is_amount(a, e) && !rate(e) && !matches!(a.text.norm(e.end()), "toll" | "return"))
    } else {
        None
    };
    if let Some(e) = budget {
        let v = match &e.kind {
            Kind::Money(m) => m.cents as f64 / 100.0,
            Kind::Number { value, .. } => *value,
            _ => 0.0,
        };
        s.insert("budget".into(), number(v));
    }
}

/// A distance to drive: "450 km", "300 miles", "900k", and "500k" in a trip's fuel, where "k" after a
/// distance is kilometres, not thousands (no road trip is 500,000 km).
/// Returns where the distance starts.
fn distance_into(a: &Analysis, s: &mut Slots) -> Option<usize> {
    let explicit = a.entities.iter().any(|d| matches!(d.kind, Kind::Distance { .. }));
    let found = a.entities.iter().find_map(|e| match &e.kind {
        Kind::Distance { value, unit } => {
            Some((e.start, *value, if *unit == DistanceUnit::Miles { "mi" } else { "km" }))
        }
        Kind::Number { value, .. } if a.text.norm(e.end()) == "k" => Some((e.start, *value, "km")),
        // An explicit distance wins ("odo's on 180k, what'll 900km cost").
        Kind::Number { value, .. }
            if e.len == 1 && a.text.norm(e.start).ends_with('k') && *value >= 50_000.0 && !explicit =>
        {
            Some((e.start, *value / 1000.0, "km"))
        }
        _ => None,
    });
    let (start, value, unit) = found?;
    s.insert("distance".into(), number(value));
    s.insert("distance_unit".into(), json!(unit));
    Some(start)
}

pub fn gas_cost(a: &Analysis, s: &mut Slots) {
    let distance = distance_into(a, s);
    for e in a.entities.iter().filter(|e| Some(e.start) != distance) {
        match &e.kind {
            Kind::Consumption { value, unit } => {
                s.insert("consumption".into(), number(*value));
                s.insert(
                    "consumption_unit".into(),
                    json!(if *unit == ConsumptionUnit::Mpg { "mpg" } else { "L/100km" }),
                );
            }
            Kind::Money(m) if !s.contains_key("price_per_unit") => {
                s.insert("price_per_unit".into(), number(m.cents as f64 / 100.0));
            }
            // "at 2.05", "diesel is 2.25", "2 dollars 15 a litre": a pump price.
            Kind::Number { value, decimals, .. }
                if *value < 10.0
                    && e.start > 0
                    && (matches!(a.text.norm(e.start - 1), "at" | "@") || *decimals == 2)
                    && !s.contains_key("price_per_unit") =>
            {
                s.insert("price_per_unit".into(), number(*value));
            }
            _ => {}
        }
    }
    if !s.contains_key("distance") {
        route_into(a, s, false);
    }
}

/// The places to drive between, or, with no destination named, a distance ("how long to drive 450 km").
pub fn travel_time(a: &Analysis, s: &mut Slots) {
    route_into(a, s, false);
    if !s.contains_key("destination") {
        distance_into(a, s);
    }
    // "how far are we from Townsville": one place, and the drive between it and where the user is — the
    // same either way, so it is where the tool drives to from the user's position.
    if !s.contains_key("destination")
        && !s.contains_key("distance")
        && let Some(origin) = s.remove("origin")
    {
        s.insert("destination".into(), origin);
    }
}

pub fn weather(a: &Analysis, today: NaiveDate, s: &mut Slots) {
    if let Some(p) = places::place(&a.text, &a.entities)
        .or_else(|| places::any_name(&a.text, &a.entities))
        .or_else(|| places::uncased_place(&a.text, &a.entities))
    {
        s.insert("location".into(), json!(p));
    }
    if let Some(d) = day(a, today, Tense::Future) {
        s.insert("date".into(), json!(d.to_string()));
    }
}

/// Words of getting somewhere. A "how long" with none of them and no place ("how long do you boil an egg
/// for", "how long's left on the pasta timer") is no question of travel time.
#[rustfmt::skip]
const TRAVEL_WORDS: &[&str] = &[
    "drive", "driving", "drove", "drives", "trip", "get", "getting", "reach", "there", "far", "km", "kms", "k",
    "miles", "mi", "road", "travel", "travelling", "traveling", "go", "going", "head", "heading", "to", "from",
    "till", "until", "arrive", "arriving", "eta", "away", "leg", "town", "home", "back", "take", "takes", "took",
    "car", "van", "stretch", "via", "route", "ferry", "ride", "journey", "highway", "hwy",
];

pub fn talks_of_travel(a: &Analysis) -> bool {
    a.text.has_any(TRAVEL_WORDS)
}
