//! Slots: the values an intent needs, read from the entities and words of the sentence. The slot names
//! and value shapes are the corpus's (see `corpus/README.md`), so a reading can be scored against it;
//! `crate::understand` turns them into a tool's arguments.

mod amount;
mod money;
mod own_category;
mod phrases;
pub(crate) mod post;
pub(crate) mod thing;
mod time;
mod timer_label;
pub(crate) mod travel;

use chrono::NaiveDate;
use serde_json::{Map, Value, json};

use crate::analysis::Analysis;
use crate::entities::{Kind, Tense};
use crate::vocabulary;

pub(crate) use amount::{amount, corrected, is_amount, listed_amounts, moved_by};

pub type Slots = Map<String, Value>;

/// The slots of `intent` in the analysed sentence.
pub fn fill(intent: &str, a: &Analysis, today: NaiveDate) -> Slots {
    let mut s = Slots::new();
    match intent {
        "create_expense" => money::expense(a, today, &mut s),
        "record_income" => money::income(a, today, &mut s),
        "update_budget" => money::budget(a, &mut s),
        "add_fuel_entry" => money::fill_up(a, today, &mut s),
        "get_spending_summary" => money::summary(a, today, &mut s),
        "compare_vs_budget" => {
            if let Some(c) = category(a) {
                s.insert("category".into(), json!(c));
            }
        }
        "create_calendar_event" => time::event(a, today, &mut s),
        "set_timer_or_alarm" => time::timer(a, today, &mut s),
        "get_calendar_events" => time::agenda(a, today, &mut s),
        "plan_trip" => travel::trip(a, today, &mut s),
        "calculate_gas_cost" => travel::gas_cost(a, &mut s),
        "estimate_travel_time" => travel::travel_time(a, &mut s),
        "get_weather_forecast" => travel::weather(a, today, &mut s),
        "create_post" => {
            if let Some(c) = a.post_content() {
                s.insert("content".into(), json!(c));
            }
        }
        _ => {}
    }
    s
}

/// A number as the corpus writes it: whole numbers without a fraction.
pub(crate) fn number(v: f64) -> Value {
    let rounded = (v * 100.0).round() / 100.0;
    if rounded.fract() == 0.0 && rounded.abs() < 1e15 { json!(rounded as i64) } else { json!(rounded) }
}

/// The spending category the sentence names, from the shared vocabulary; a near miss of a longer word
/// ("parkng", "grocereis") counts.
pub(crate) fn category(a: &Analysis) -> Option<&'static str> {
    // "a breakdown of my expenses", "a breakdown by category", "spending breakdown for October" are a
    // split, not a vehicle breakdown.
    let split = |i: usize| {
        matches!(a.text.norm(i + 1), "of" | "by" | "per" | "for")
            || (i > 0
                && matches!(
                    a.text.norm(i - 1),
                    "spending" | "spend" | "expense" | "expenses" | "cost" | "costs" | "budget" | "money" | "category"
                ))
    };
    let lower: Vec<&str> = a
        .text
        .tokens
        .iter()
        .enumerate()
        .filter(|(i, t)| !(t.is("breakdown") && split(*i)))
        .map(|(_, t)| t.norm.as_str())
        .collect();
    if let Some((c, _)) = vocabulary::find_in_text(&lower.join(" ")) {
        return Some(c);
    }
    lower.iter().filter(|w| w.len() >= 5).find_map(|w| vocabulary::near_miss(w))
}

/// The first day said, read in the sentence's tense.
pub(crate) fn day(a: &Analysis, today: NaiveDate, tense: Tense) -> Option<NaiveDate> {
    a.entities.iter().find_map(|e| match e.kind {
        Kind::Day(d) => d.resolve(today, tense),
        _ => None,
    })
}
