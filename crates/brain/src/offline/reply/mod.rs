//! Replies built from tool results: plain sentences with the numbers the tools returned (never
//! invented), saying what was understood — the period, the amount and currency, the date, the
//! category — so a misunderstanding shows at once.

use chrono::NaiveDate;
use serde_json::Value;

use super::last_user_text;
use crate::transcript::{Block, Message, Role};

mod phrases;

use phrases::{day, distance, duration, fuel_sentence, money, span, span_of, str_of, when};

fn describe(name: &str, data: &Value, said: Option<&pam_nlu::Understanding>, today: NaiveDate) -> String {
    let currency = str_of(data, "currency");
    let slot = |k: &str| said.and_then(|u| u.slots.get(k));
    match name {
        "create_expense" => {
            let mut s = format!("Logged {} for {}", money(&data["amount"], currency), str_of(data, "category"));
            if let Some(loc) = data["location"].as_str() {
                s.push_str(&format!(" at {loc}"));
            }
            if let Some(d) = day(&data["date"], today) {
                s.push_str(&format!(", dated {d}"));
            }
            s.push('.');
            s
        }
        "record_income" => {
            let mut s =
                format!("Recorded {} of income from {}", money(&data["amount"], currency), str_of(data, "source"));
            if let Some(d) = day(&data["date"], today) {
                s.push_str(&format!(", dated {d}"));
            }
            s.push('.');
            s
        }
        "get_spending_summary" => {
            let month = data["month"]
                .as_str()
                .and_then(|m| chrono::NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").ok());
            let when = match (data["period"].as_str(), span(&data["start_date"], &data["end_date"])) {
                (Some(p), Some(span)) => format!("{} ({span})", p.replace('_', " ")),
                (None, Some(span)) if let Some(first) = month => format!("in {} ({span})", first.format("%B %Y")),
                (None, Some(span)) => format!("over the last {} days ({span})", data["days"]),
                _ => "lately".into(),
            };
            if data["category"].is_object() {
                let c = &data["category"];
                return format!(
                    "You've spent {} on {} {when}, over {} expense{}.",
                    money(&c["amount"], currency),
                    str_of(c, "category"),
                    c["count"],
                    if c["count"] == 1 { "" } else { "s" }
                );
            }
            let mut s = format!("You've spent {} {when}", money(&data["expenses"], currency));
            if let Some(top) = data["categories"].as_array().and_then(|c| c.first()) {
                s.push_str(&format!(
                    ", most of it on {} ({})",
                    str_of(top, "category"),
                    money(&top["amount"], currency)
                ));
            }
            if data["income"].as_f64().unwrap_or(0.0) > 0.0 {
                s.push_str(&format!(". Income in that time: {}", money(&data["income"], currency)));
            }
            s.push('.');
            s
        }
        "compare_vs_budget" => {
            let mut items = data["items"].as_array().cloned().unwrap_or_default();
            if items.is_empty() {
                return "You haven't set any budgets yet. Try \"limit groceries to $600 a month\".".into();
            }
            // Asked about one category: answer about that one when it has a budget.
            if let Some(asked) = slot("category").and_then(Value::as_str) {
                let matching: Vec<Value> =
                    items.iter().filter(|i| str_of(i, "category").eq_ignore_ascii_case(asked)).cloned().collect();
                if matching.is_empty() {
                    return format!("You don't have a {asked} budget yet. Try \"set my {asked} budget to $400\".");
                }
                items = matching;
            }
            let parts: Vec<String> = items
                .iter()
                .map(|i| {
                    format!(
                        "{}: {} of {} ({}%, {})",
                        str_of(i, "category"),
                        money(&i["spent"], currency),
                        money(&i["monthly_limit"], currency),
                        i["percent_used"],
                        str_of(i, "status")
                    )
                })
                .collect();
            format!("This month so far — {}.", parts.join("; "))
        }
        "update_budget" => {
            let mut s = format!(
                "Your {} budget is now {} a month",
                str_of(data, "category"),
                money(&data["monthly_limit"], currency)
            );
            if let (Some(period), Some(amount)) =
                (slot("period").and_then(Value::as_str).filter(|p| *p != "month"), slot("amount"))
            {
                s.push_str(&format!(" ({} a {period}, as budgets are kept per month)", money(amount, currency)));
            }
            s.push('.');
            s
        }
        "predict_end_of_month" => format!(
            "At this pace you'll spend about {} this month ({} so far, {} of {} days).",
            money(&data["projected_total"], currency),
            money(&data["spent_so_far"], currency),
            data["days_elapsed"],
            data["days_in_month"]
        ),
        "find_savings_opportunities" => {
            let list = data["opportunities"].as_array().cloned().unwrap_or_default();
            if list.is_empty() {
                return "Nothing stands out: you're within your budgets and your usual spending.".into();
            }
            let parts: Vec<String> = list.iter().take(3).map(|o| str_of(o, "detail").to_string()).collect();
            format!("{} Potential saving: {}.", parts.join(" "), money(&data["total_potential_savings"], currency))
        }
        "plan_trip" => {
            let route = &data["route"];
            let stops = data["stops"].as_array().map(|s| s.len()).unwrap_or(0);
            let mut text = format!(
                "Planned {}: {}, about {} of driving{}",
                str_of(data, "title"),
                distance(&route["distance"]),
                duration(&route["duration_minutes"]),
                if stops > 0 {
                    format!(" with {stops} stop{}", if stops == 1 { "" } else { "s" })
                } else {
                    String::new()
                }
            );
            text.push_str(&format!(". {}", fuel_sentence(&route["fuel"])));
            if route["source"] == "estimate" {
                text.push_str(" Distances are estimates (no routing service), so allow a little extra.");
            }
            if data["over_budget"] == true {
                text.push_str(&format!(
                    " That is over your budget of {}.",
                    money(&data["budget"], str_of(&route["fuel"], "currency"))
                ));
            }
            text.push_str(" It's saved in your trips and on the map.");
            text
        }
        "estimate_travel_time" => {
            let places: Vec<&str> = data["places"]
                .as_array()
                .map(|p| p.iter().filter_map(|x| x["name"].as_str()).collect())
                .unwrap_or_default();
            if places.is_empty() {
                // A distance alone: timed at the estimate's average speed, and said so.
                let kmh = data["average_speed_kmh"].as_f64().unwrap_or(0.0);
                let speed = if data["distance"]["unit"] == "mi" {
                    format!("{:.0} mph", kmh / 1.609_344)
                } else {
                    format!("{kmh:.0} km/h")
                };
                return format!(
                    "{} is about {} of driving at an average {speed} (an estimate; no route).",
                    distance(&data["distance"]),
                    duration(&data["duration_minutes"]),
                );
            }
            format!(
                "{} is {} — about {} of driving{}.",
                places.join(" to "),
                distance(&data["distance"]),
                duration(&data["duration_minutes"]),
                if data["source"] == "estimate" { " (an estimate; no routing service)" } else { "" }
            )
        }
        "calculate_gas_cost" => format!("For {}: {}", distance(&data["distance"]), fuel_sentence(&data["fuel"])),
        "get_weather_forecast" => {
            let place = data["location"]["name"].as_str().unwrap_or("there");
            let days = data["days"].as_array().cloned().unwrap_or_default();
            let parts: Vec<String> = days
                .iter()
                .take(3)
                .map(|d| {
                    format!(
                        "{}: {}, {}–{}°C{}",
                        day(&d["date"], today).unwrap_or_default(),
                        str_of(d, "description").to_lowercase(),
                        d["temperature_min_c"].as_f64().map(|t| format!("{t:.0}")).unwrap_or("?".into()),
                        d["temperature_max_c"].as_f64().map(|t| format!("{t:.0}")).unwrap_or("?".into()),
                        d["precipitation_probability_percent"]
                            .as_f64()
                            .map(|p| format!(", {p:.0}% chance of rain"))
                            .unwrap_or_default()
                    )
                })
                .collect();
            if parts.is_empty() {
                format!("No forecast came back for {place}.")
            } else {
                format!("Weather for {place} — {}.", parts.join("; "))
            }
        }
        "add_fuel_entry" => {
            let unit = if data["unit"] == "gallons" { "gal" } else { "L" };
            let mut s = format!(
                "Logged a fill-up: {} {unit} at {}/{unit}, {}",
                data["volume"].as_f64().map(|v| format!("{v:.1}")).unwrap_or_default(),
                money(&data["price_per_unit"], currency),
                money(&data["total"], currency)
            );
            if let Some(d) = day(&data["date"], today) {
                s.push_str(&format!(", dated {d}"));
            }
            if let Some(odo) = data["odometer"].as_f64() {
                s.push_str(&format!(", odometer {odo:.0} {}", str_of(data, "odometer_unit")));
            }
            s.push('.');
            s
        }
        "get_maintenance_schedule" => {
            let task = |i: &Value| str_of(i, "task").to_string();
            let overdue: Vec<String> =
                data["overdue"].as_array().map(|l| l.iter().map(task).collect()).unwrap_or_default();
            let upcoming: Vec<String> = data["upcoming"]
                .as_array()
                .map(|l| {
                    l.iter()
                        .map(|i| match i["days_until_due"].as_i64() {
                            Some(d) => format!("{} (in {d} days)", task(i)),
                            None => task(i),
                        })
                        .collect()
                })
                .unwrap_or_default();
            match (overdue.is_empty(), upcoming.is_empty()) {
                (true, true) => "Nothing is overdue or due in the next 30 days.".into(),
                _ => {
                    let mut parts = Vec::new();
                    if !overdue.is_empty() {
                        parts.push(format!("Overdue: {}", overdue.join(", ")));
                    }
                    if !upcoming.is_empty() {
                        parts.push(format!("Coming up: {}", upcoming.join(", ")));
                    }
                    format!("{}.", parts.join(". "))
                }
            }
        }
        "set_timer_or_alarm" => {
            let label = data["label"].as_str().map(|l| format!(" for {l}")).unwrap_or_default();
            let at = when(&data["fires_at"], today).unwrap_or_default();
            match (data["kind"].as_str(), data["duration_seconds"].as_i64()) {
                (Some("alarm"), _) => format!("Alarm set{label} for {at}."),
                (_, Some(secs)) => format!("Timer set{label}: {} — it goes off at {at}.", span_of(secs)),
                _ => format!("Timer set{label} for {at}."),
            }
        }
        "create_calendar_event" | "update_calendar_event" => {
            let done = if name == "create_calendar_event" { "Added" } else { "Changed" };
            let last = Some(&data["end"]).filter(|end| data["all_day"] == true && **end != data["start"]);
            let at = if data["all_day"] == true {
                match last.and_then(|end| day(end, today)) {
                    // Several days ("the rally, Jan 18-26"): its first and last.
                    Some(to) => format!("{} to {to}", day(&data["start"], today).unwrap_or_default()),
                    None => day(&data["start"], today).unwrap_or_default(),
                }
            } else {
                when(&data["start"], today).unwrap_or_default()
            };
            let reminders = data["reminder_minutes"].as_array().map(|r| r.len()).unwrap_or(0);
            format!(
                "{done} \"{}\" {}{}.",
                str_of(data, "title"),
                if data["all_day"] == true { format!("on {at}") } else { format!("for {at}") },
                if reminders > 0 { ", with a reminder".to_string() } else { String::new() }
            )
        }
        "get_calendar_events" => {
            let events = data["events"].as_array().cloned().unwrap_or_default();
            if events.is_empty() {
                return "Nothing in your calendar for then.".into();
            }
            let parts: Vec<String> = events
                .iter()
                .take(6)
                .map(|e| {
                    let at = if e["all_day"] == true { day(&e["start"], today) } else { when(&e["start"], today) };
                    format!("{} — {}", at.unwrap_or_default(), str_of(e, "title"))
                })
                .collect();
            let more = if events.len() > 6 { format!(" (and {} more)", events.len() - 6) } else { String::new() };
            format!("Coming up: {}{more}.", parts.join("; "))
        }
        "create_post" => match data["content"].as_str().filter(|c| !c.trim().is_empty()) {
            Some(content) => {
                format!("I've drafted this post: \"{}\" It stays a draft until you publish it.", content.trim())
            }
            None => "I've drafted that post; it stays a draft until you publish it.".into(),
        },
        _ => format!("Done: {}.", name.replace('_', " ")),
    }
}

/// The reply to the latest round of tool results.
pub fn compose(messages: &[Message], today: NaiveDate) -> String {
    let Some(results) = messages.last() else { return String::new() };
    let calls = messages.iter().rev().find(|m| m.role == Role::Assistant);
    let said = last_user_text(messages).map(|t| pam_nlu::understand(&t, today));
    let mut sentences = Vec::new();
    for block in &results.blocks {
        let Block::ToolResult { tool_use_id, content, is_error } = block else { continue };
        let name = calls.and_then(|m| m.tool_uses().find(|(id, _, _)| id == tool_use_id)).map(|(_, n, _)| n);
        let name = name.unwrap_or("that");
        if *is_error {
            sentences.push(format!("I couldn't do that: {content}"));
            continue;
        }
        let data: Value = serde_json::from_str(content).unwrap_or(Value::String(content.clone()));
        if data["confirmation_required"] == true {
            sentences.push(format!(
                "{} Shall I go ahead?",
                data["summary"].as_str().unwrap_or("This needs your confirmation.")
            ));
            continue;
        }
        sentences.push(describe(name, &data, said.as_ref(), today));
    }
    sentences.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_event_of_several_days_is_told_from_its_first_to_its_last() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let event = |end: &str| json!({"title": "RV rally", "start": "2027-01-18", "end": end, "all_day": true, "reminder_minutes": []});
        let several = describe("create_calendar_event", &event("2027-01-26"), None, today);
        let one = describe("create_calendar_event", &event("2027-01-18"), None, today);
        assert!(several.contains(" to ") && several.starts_with("Added \"RV rally\" on "), "{several}");
        assert!(!one.contains(" to "), "{one}");
    }

    #[test]
    fn a_distance_alone_is_timed_at_the_average_speed_and_says_so() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let drive = |value: f64, unit: &str| {
            json!({"distance": {"value": value, "unit": unit}, "duration_minutes": 337.5, "places": [],
                "source": "estimate", "average_speed_kmh": 80.0})
        };
        let km = describe("estimate_travel_time", &drive(450.0, "km"), None, today);
        assert_eq!(km, "450 km is about 5 h 38 min of driving at an average 80 km/h (an estimate; no route).");
        let mi = describe("estimate_travel_time", &drive(280.0, "mi"), None, today);
        assert!(mi.contains("average 50 mph"), "{mi}");
    }
}
