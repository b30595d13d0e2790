//! The small phrases replies are built from: money with its symbol, a day as people say it, spans,
//! distances, durations and the fuel sentence.

use chrono::{Datelike, NaiveDate};
use serde_json::Value;

pub(super) fn money(v: &Value, currency: &str) -> String {
    let amount = v.as_f64().or_else(|| v.as_str().and_then(|s| s.parse().ok())).unwrap_or(0.0);
    let symbol = match currency {
        "AUD" | "USD" | "NZD" | "CAD" | "" => "$",
        "GBP" => "£",
        "EUR" => "€",
        _ => "",
    };
    let text = format!("{symbol}{amount:.2}");
    if symbol.is_empty() { format!("{text} {currency}") } else { text }
}

/// "Tuesday 24 November" (with the year when it is not this year); "today", "yesterday".
pub(super) fn day(v: &Value, today: NaiveDate) -> Option<String> {
    let d = NaiveDate::parse_from_str(v.as_str()?, "%Y-%m-%d").ok()?;
    Some(if d == today {
        "today".into()
    } else if today.pred_opt() == Some(d) {
        "yesterday".into()
    } else if d.year() == today.year() {
        d.format("%A %-d %B").to_string()
    } else {
        d.format("%A %-d %B %Y").to_string()
    })
}

/// "1–25 November", "16–22 November", "28 October – 3 November".
pub(super) fn span(start: &Value, end: &Value) -> Option<String> {
    let s = NaiveDate::parse_from_str(start.as_str()?, "%Y-%m-%d").ok()?;
    let e = NaiveDate::parse_from_str(end.as_str()?, "%Y-%m-%d").ok()?;
    Some(if s == e {
        e.format("%-d %B").to_string()
    } else if s.month() == e.month() && s.year() == e.year() {
        format!("{}–{}", s.day(), e.format("%-d %B"))
    } else {
        format!("{} – {}", s.format("%-d %B"), e.format("%-d %B"))
    })
}

pub(super) fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or("")
}

/// A time with its offset ("2026-11-26T10:00:00+11:00") as the user says it: "10:00 tomorrow",
/// "15:30 on Friday 27 November". The time is already in the user's zone.
pub(super) fn when(v: &Value, today: NaiveDate) -> Option<String> {
    let t = chrono::DateTime::parse_from_rfc3339(v.as_str()?).ok()?;
    let date = t.date_naive();
    let clock = t.format("%H:%M");
    Some(if date == today {
        format!("{clock} today")
    } else if today.succ_opt() == Some(date) {
        format!("{clock} tomorrow")
    } else if date.year() == today.year() {
        format!("{clock} on {}", date.format("%A %-d %B"))
    } else {
        format!("{clock} on {}", date.format("%A %-d %B %Y"))
    })
}

/// "1 h 30 min", "20 min", "45 s".
pub(super) fn span_of(secs: i64) -> String {
    match (secs / 3600, (secs % 3600) / 60, secs % 60) {
        (0, 0, s) => format!("{s} s"),
        (0, m, 0) => format!("{m} min"),
        (0, m, s) => format!("{m} min {s} s"),
        (h, 0, _) => format!("{h} h"),
        (h, m, _) => format!("{h} h {m} min"),
    }
}

pub(super) fn distance(v: &Value) -> String {
    match (v["value"].as_f64(), v["unit"].as_str()) {
        (Some(n), Some(u)) => format!("{n:.0} {u}"),
        _ => "that distance".into(),
    }
}

/// "10 h 53 min".
pub(super) fn duration(minutes: &Value) -> String {
    let m = minutes.as_f64().unwrap_or(0.0).round() as i64;
    match (m / 60, m % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// A unit price to the tenth of a cent, as pumps show it: "$1.899".
pub(super) fn unit_price(v: &Value, currency: &str) -> String {
    let text = money(v, currency);
    match v.as_f64() {
        Some(n) => text.replacen(&format!("{n:.2}"), &format!("{n:.3}"), 1),
        None => text,
    }
}

/// "Fuel: about 131 L costing about $261.06 (15 L/100km, a typical default; $2.000/L, a default price)."
pub(super) fn fuel_sentence(fuel: &Value) -> String {
    let currency = str_of(fuel, "currency");
    let said = |source: &str| match source {
        "default" => "a typical default",
        "learned" => "learned from your fill-ups",
        "vehicle" => "your vehicle's figure",
        "given" => "as you said",
        "last_fill" => "your last fill-up",
        _ => "from the price service",
    };
    let use_part = format!(
        "{} {}, {}",
        fuel["consumption"]["value"],
        str_of(&fuel["consumption"], "unit"),
        said(str_of(&fuel["consumption_l_per_100km"], "source"))
    );
    match fuel["cost"].as_f64() {
        Some(_) => format!(
            "Fuel: about {} costing about {} ({use_part}; {}/{}, {}).",
            distance(&fuel["volume"]),
            money(&fuel["cost"], currency),
            unit_price(&fuel["price"]["value"], currency),
            str_of(&fuel["price"], "unit"),
            said(str_of(&fuel["price_per_litre"], "source"))
        ),
        None => format!(
            "Fuel: about {} ({use_part}); I don't know a fuel price in {currency}, so there is no cost.",
            distance(&fuel["volume"])
        ),
    }
}
