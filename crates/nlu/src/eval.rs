//! Scoring an understander against labelled examples: right intent, right key slots, writes on the
//! negative sentences, per-intent precision and recall, and the pairs most often confused. Used by the
//! held-out test and by `cargo run -p pam-nlu --example evaluate`.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde_json::{Map, Value};

use crate::corpus::Example;
use crate::intents::{self, LABELS};
use crate::understand::{Action, Understander};

/// The corpus's "now": Wednesday 2026-11-25 in Australia/Sydney.
pub fn reference_today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap_or_default()
}

/// The slots that must be right for the arguments to count as right, per intent.
pub fn key_slots(intent: &str) -> &'static [&'static str] {
    match intent {
        "create_expense" => &["amount", "currency", "category", "date"],
        "record_income" => &["amount", "currency", "income_type", "date"],
        "update_budget" => &["amount", "category", "period"],
        "plan_trip" => &["origin", "destination", "stops", "date", "budget"],
        "add_fuel_entry" => &["volume", "volume_unit", "price_per_unit", "total", "odometer", "date"],
        "create_calendar_event" => &["date", "time", "title"],
        "set_timer_or_alarm" => &["duration_seconds", "time", "date", "label"],
        "create_post" => &["content"],
        "get_spending_summary" => &["period", "days", "category"],
        "compare_vs_budget" => &["category"],
        "calculate_gas_cost" => {
            &["distance", "distance_unit", "consumption", "consumption_unit", "price_per_unit", "origin", "destination"]
        }
        "estimate_travel_time" => &["origin", "destination"],
        "get_calendar_events" => &["period", "date"],
        "get_weather_forecast" => &["location", "date"],
        _ => &[],
    }
}

/// Free-text slots are right when most of their words are ("doctor's appointment" for "doctor
/// appointment"); the rest must be equal (places ignoring case).
fn slot_matches(key: &str, expected: Option<&Value>, got: Option<&Value>) -> bool {
    match (expected, got) {
        (None, None) => true,
        (Some(e), Some(g)) => match key {
            "title" | "label" | "content" => overlap(&text(e), &text(g)) >= 0.6,
            "origin" | "destination" | "location" => text(e).eq_ignore_ascii_case(&text(g)),
            "stops" => {
                let list =
                    |v: &Value| v.as_array().map(|a| a.iter().map(|s| text(s).to_lowercase()).collect::<Vec<_>>());
                list(e) == list(g)
            }
            _ => match (e.as_f64(), g.as_f64()) {
                (Some(a), Some(b)) => (a - b).abs() < 0.005,
                _ => e == g,
            },
        },
        _ => false,
    }
}

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric() && c != '\'').filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// Token F1 of two texts.
fn overlap(a: &str, b: &str) -> f64 {
    let (a, b) = (words(a), words(b));
    if a.is_empty() || b.is_empty() {
        return if a == b { 1.0 } else { 0.0 };
    }
    let common = a.iter().filter(|w| b.contains(w)).count() as f64;
    if common == 0.0 {
        return 0.0;
    }
    let (p, r) = (common / b.len() as f64, common / a.len() as f64);
    2.0 * p * r / (p + r)
}

pub fn slots_match(intent: &str, expected: &Map<String, Value>, got: &Map<String, Value>) -> bool {
    key_slots(intent).iter().all(|k| slot_matches(k, expected.get(*k), got.get(*k)))
}

/// One example as read.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub text: String,
    pub expected: String,
    /// The intent acted on, or `clarify` when PAM asked instead.
    pub got: String,
    /// PAM asked for a value the sentence does not give (counted as the right tool).
    pub asked_for_missing: bool,
    pub slots_right: bool,
    pub wrote: bool,
    pub negative: bool,
    /// What the classifier proposed, and its probability, before the gates.
    pub proposed: String,
    pub confidence: f32,
    pub expected_slots: Map<String, Value>,
    pub got_slots: Map<String, Value>,
}

#[derive(Debug, Default)]
pub struct Report {
    pub outcomes: Vec<Outcome>,
}

impl Report {
    pub fn total(&self) -> usize {
        self.outcomes.len()
    }

    pub fn right_intent(&self) -> usize {
        self.outcomes.iter().filter(|o| o.got == o.expected).count()
    }

    pub fn intent_accuracy(&self) -> f64 {
        self.right_intent() as f64 / self.total().max(1) as f64
    }

    /// Of the examples with the right intent, the share whose key slots are right.
    pub fn slot_accuracy(&self) -> f64 {
        let right: Vec<&Outcome> = self.outcomes.iter().filter(|o| o.got == o.expected).collect();
        right.iter().filter(|o| o.slots_right).count() as f64 / right.len().max(1) as f64
    }

    /// Negative sentences that made PAM change data.
    pub fn negative_writes(&self) -> Vec<&Outcome> {
        self.outcomes.iter().filter(|o| o.negative && o.wrote).collect()
    }

    /// Any sentence whose label is not a write but which made PAM change data.
    pub fn unwanted_writes(&self) -> Vec<&Outcome> {
        self.outcomes.iter().filter(|o| o.wrote && !intents::is_write(&o.expected)).collect()
    }

    /// Right answers that were a question for a value the sentence does not give.
    pub fn asked_for_missing(&self) -> usize {
        self.outcomes.iter().filter(|o| o.asked_for_missing).count()
    }

    pub fn clarified(&self) -> usize {
        self.outcomes.iter().filter(|o| o.got == "clarify").count()
    }

    /// (intent, precision, recall, support) for every label.
    pub fn per_intent(&self) -> Vec<(&'static str, f64, f64, usize)> {
        LABELS
            .iter()
            .map(|l| {
                let support = self.outcomes.iter().filter(|o| o.expected == *l).count();
                let predicted = self.outcomes.iter().filter(|o| o.got == *l).count();
                let tp = self.outcomes.iter().filter(|o| o.got == *l && o.expected == *l).count();
                let p = if predicted == 0 { 1.0 } else { tp as f64 / predicted as f64 };
                let r = if support == 0 { 1.0 } else { tp as f64 / support as f64 };
                (*l, p, r, support)
            })
            .collect()
    }

    /// (expected, got, count), most frequent first.
    pub fn confusions(&self) -> Vec<(String, String, usize)> {
        let mut pairs: BTreeMap<(String, String), usize> = BTreeMap::new();
        for o in self.outcomes.iter().filter(|o| o.got != o.expected) {
            *pairs.entry((o.expected.clone(), o.got.clone())).or_default() += 1;
        }
        let mut list: Vec<(String, String, usize)> = pairs.into_iter().map(|((e, g), n)| (e, g, n)).collect();
        list.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
        list
    }

    /// The per-intent table in Markdown.
    pub fn markdown_table(&self) -> String {
        let mut out = String::from("| intent | precision | recall | held-out lines |\n|---|---|---|---|\n");
        for (l, p, r, n) in self.per_intent() {
            out.push_str(&format!("| {l} | {:.1}% | {:.1}% | {n} |\n", p * 100.0, r * 100.0));
        }
        out
    }
}

pub fn evaluate(understander: &Understander, examples: &[&Example]) -> Report {
    let today = reference_today();
    let outcomes = examples
        .iter()
        .map(|e| {
            let u = understander.understand(&e.text, today);
            // A question for a value the sentence does not give ("draft a post" → "What should the post
            // say?", "how far to the next town" → "Where to?") is the right tool's next step: the label
            // itself has no such value, so no answer could call the tool.
            // Only the question for the very value the label lacks counts.
            let asked_for_missing = matches!(&u.action, Action::Clarify { candidate: None, question }
                    if u.intent == e.intent && crate::reply::missing(&e.intent, &e.slots).as_deref() == Some(question.as_str()));
            let got = match &u.action {
                Action::Clarify { .. } if !asked_for_missing => "clarify".to_string(),
                _ => u.intent.to_string(),
            };
            let wrote = matches!(&u.action, Action::Call { tool, .. } if intents::is_write(tool));
            Outcome {
                text: e.text.clone(),
                expected: e.intent.clone(),
                slots_right: slots_match(&e.intent, &e.slots, &u.slots),
                got,
                asked_for_missing,
                wrote,
                negative: e.negative,
                proposed: u.proposed.to_string(),
                confidence: u.confidence,
                expected_slots: e.slots.clone(),
                got_slots: u.slots,
            }
        })
        .collect();
    Report { outcomes }
}

/// Stratified k-fold cross-validation over `examples` (the train split): each fold is read by a model
/// trained on the other folds. For choosing features and thresholds without touching the held-out set.
pub fn cross_validate(examples: &[&Example], folds: usize) -> Report {
    let mut by_label: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, e) in examples.iter().enumerate() {
        by_label.entry(e.intent.as_str()).or_default().push(i);
    }
    let mut fold_of = vec![0; examples.len()];
    for list in by_label.values() {
        for (k, i) in list.iter().enumerate() {
            fold_of[*i] = k % folds;
        }
    }
    let mut report = Report::default();
    for f in 0..folds {
        let train: Vec<&Example> =
            examples.iter().enumerate().filter(|(i, _)| fold_of[*i] != f).map(|(_, e)| *e).collect();
        let test: Vec<&Example> =
            examples.iter().enumerate().filter(|(i, _)| fold_of[*i] == f).map(|(_, e)| *e).collect();
        let u = Understander::train(&train);
        report.outcomes.extend(evaluate(&u, &test).outcomes);
    }
    report
}
