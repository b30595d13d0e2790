//! Slots turned into a tool's arguments, in the shapes the tools take (SPEC §5.5).

use serde_json::{Map, Value, json};

use crate::analysis::Analysis;
use crate::slots::Slots;
use crate::vocabulary;

fn copy(slots: &Slots, out: &mut Map<String, Value>, keys: &[&str]) {
    for k in keys {
        if let Some(v) = slots.get(*k) {
            out.insert((*k).to_string(), v.clone());
        }
    }
}

fn f64_of(slots: &Slots, key: &str) -> Option<f64> {
    slots.get(key).and_then(Value::as_f64)
}

fn cents(v: f64) -> Value {
    json!((v * 100.0).round() / 100.0)
}

pub fn for_tool(tool: &str, slots: &Slots, a: &Analysis) -> Value {
    let mut out = Map::new();
    match tool {
        "create_expense" => {
            copy(slots, &mut out, &["amount", "date", "location", "currency"]);
            let category = slots.get("category").and_then(Value::as_str).unwrap_or("other");
            out.insert("category".into(), json!(category));
            // The words that named it ("diesel", "fish and chips"), and where.
            let lower: Vec<&str> = a.text.tokens.iter().map(|t| t.norm.as_str()).collect();
            let thing = || crate::slots::thing::bought(a);
            let said = vocabulary::find_in_text(&lower.join(" "))
                .map(|(_, w)| w.to_string())
                .or_else(thing)
                .unwrap_or_else(|| category.to_string());
            let description = match slots.get("location").and_then(Value::as_str) {
                Some(place) => format!("{said} at {place}"),
                None => said.to_string(),
            };
            out.insert("description".into(), json!(description));
        }
        "record_income" => {
            copy(slots, &mut out, &["amount", "date", "currency"]);
            let kind = slots.get("income_type").and_then(Value::as_str).unwrap_or("other");
            let source = match kind {
                "pension" => "Pension",
                "salary" => "Wages",
                "investment" => "Investments",
                "side_hustle" => "Side work",
                _ => "Income",
            };
            out.insert("source".into(), json!(source));
            out.insert("type".into(), json!(kind));
        }
        "update_budget" => {
            // A known category, else the user's own name for one ("the pet budget").
            let category = ["category", "own_category"]
                .iter()
                .find_map(|k| slots.get(*k).and_then(Value::as_str))
                .unwrap_or("other");
            out.insert("category".into(), json!(category));
            // Budgets are monthly: a weekly or yearly figure is converted (the reply says so).
            if let Some(amount) = f64_of(slots, "amount") {
                let monthly = match slots.get("period").and_then(Value::as_str) {
                    Some("week") => amount * 52.0 / 12.0,
                    Some("fortnight") => amount * 26.0 / 12.0,
                    Some("year") => amount / 12.0,
                    _ => amount,
                };
                out.insert("monthly_limit".into(), cents(monthly));
            }
        }
        "get_spending_summary" => copy(slots, &mut out, &["days", "period", "month", "category"]),
        // These take no arguments; what was asked about (a category) shapes the reply instead.
        "compare_vs_budget" | "predict_end_of_month" | "get_maintenance_schedule" | "find_savings_opportunities" => {}
        "add_fuel_entry" => {
            copy(slots, &mut out, &["volume", "price_per_unit", "total", "odometer", "date"]);
            if let Some(u) = slots.get("volume_unit").and_then(Value::as_str) {
                out.insert("volume_unit".into(), json!(if u == "gal" { "gallons" } else { "litres" }));
            }
            // "filled it to the top" is a full fill; "topped up", "top up", jerry cans and half a tank are not.
            let partial = a.text.has_phrase("top up")
                || a.text.has_phrase("topped up")
                || a.text.has_any(&["topup", "jerry", "cans", "half"]);
            out.insert("filled_to_top".into(), json!(!partial));
        }
        "create_calendar_event" => {
            copy(slots, &mut out, &["title"]);
            let date = slots.get("date").and_then(Value::as_str);
            let time = slots.get("time").and_then(Value::as_str);
            match (date, time) {
                (Some(d), Some(t)) => {
                    out.insert("start".into(), json!(format!("{d}T{t}:00")));
                }
                (Some(d), None) => {
                    out.insert("start".into(), json!(d));
                    out.insert("all_day".into(), json!(true));
                    // "the rally, Jan 18-26": all days of it, the last included.
                    if let Some(last) = slots.get("end_date") {
                        out.insert("end".into(), last.clone());
                    }
                }
                (None, Some(t)) => {
                    out.insert("time".into(), json!(t));
                }
                (None, None) => {}
            }
        }
        "set_timer_or_alarm" => copy(slots, &mut out, &["duration_seconds", "time", "date", "label"]),
        "get_calendar_events" => copy(slots, &mut out, &["period", "date"]),
        "plan_trip" => {
            copy(slots, &mut out, &["origin", "destination", "stops", "budget"]);
            if let Some(d) = slots.get("date") {
                out.insert("start_date".into(), d.clone());
            }
        }
        "calculate_gas_cost" => {
            copy(
                slots,
                &mut out,
                &[
                    "distance",
                    "distance_unit",
                    "consumption",
                    "consumption_unit",
                    "price_per_unit",
                    "origin",
                    "destination",
                ],
            );
            if slots.contains_key("price_per_unit") && a.text.has_any(&["gallon", "gal", "gallons", "/gal"]) {
                out.insert("price_unit".into(), json!("gallons"));
            }
        }
        "estimate_travel_time" => copy(slots, &mut out, &["origin", "destination", "distance", "distance_unit"]),
        "get_weather_forecast" => copy(slots, &mut out, &["location", "date"]),
        "create_post" => {
            copy(slots, &mut out, &["content"]);
            out.insert("status".into(), json!("draft"));
        }
        _ => copy(
            slots,
            &mut out,
            &[
                "category",
                "distance",
                "distance_unit",
                "consumption",
                "consumption_unit",
                "price_per_unit",
                "origin",
                "destination",
                "location",
                "date",
                "period",
            ],
        ),
    }
    Value::Object(out)
}
