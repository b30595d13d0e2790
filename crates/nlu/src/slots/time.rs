//! Slots of the time intents: an event, a timer or alarm, and the agenda.

use chrono::{Datelike, NaiveDate};
use serde_json::json;

use super::{Slots, day, phrases};
use crate::analysis::Analysis;
use crate::entities::{ClockTime, DayExpr, Kind, Period, Tense, calendar};

/// A day part said without a clock time: "Saturday morning" is 09:00, "this arvo" 15:00.
fn day_part(a: &Analysis) -> Option<(u32, u32)> {
    let t = &a.text;
    if t.has_any(&["morning", "brekkie", "breakfast"]) {
        Some((9, 0))
    } else if t.has_any(&["arvo", "afternoon"]) {
        Some((15, 0))
    } else if t.has_any(&["evening", "tonight", "tonite"]) {
        Some((18, 0))
    } else if t.has_any(&["noon", "midday", "lunchtime"]) {
        Some((12, 0))
    } else {
        None
    }
}

fn clock(a: &Analysis) -> Option<ClockTime> {
    a.entities.iter().find_map(|e| match e.kind {
        Kind::Time(c) => Some(c),
        _ => None,
    })
}

fn hhmm((h, m): (u32, u32)) -> String {
    format!("{h:02}:{m:02}")
}

pub fn event(a: &Analysis, today: NaiveDate, s: &mut Slots) {
    if let Some(title) = phrases::event_title(a) {
        s.insert("title".into(), json!(title));
    }
    if let Some(d) = day(a, today, Tense::Future) {
        s.insert("date".into(), json!(d.to_string()));
    }
    let evening = a.text.has_any(&["tonight", "tonite", "evening", "arvo", "afternoon", "dinner"]);
    let morning = a.text.has_any(&["morning"]);
    let time = match clock(a) {
        // An appointment at "11" is in the morning, at "5" in the afternoon, unless the day part says.
        Some(c) => Some(c.resolve(|h| if morning { false } else { evening || h <= 6 })),
        None => day_part(a),
    };
    if let Some(t) = time {
        s.insert("time".into(), json!(hhmm(t)));
    }
}

pub fn timer(a: &Analysis, today: NaiveDate, s: &mut Slots) {
    let duration = a.entities.iter().find_map(|e| match e.kind {
        Kind::Duration { seconds } => Some(seconds),
        _ => None,
    });
    if let Some(seconds) = duration {
        s.insert("duration_seconds".into(), json!(seconds));
    } else if let Some(c) = clock(a) {
        // An alarm at "5" wakes you at 05:00, unless tonight or the evening is said.
        let evening = a.text.has_any(&["tonight", "tonite", "evening", "arvo", "afternoon"]);
        s.insert("time".into(), json!(hhmm(c.resolve(|_| evening))));
        if let Some(d) = day(a, today, Tense::Future) {
            s.insert("date".into(), json!(d.to_string()));
        }
    }
    if let Some(label) = phrases::timer_label(a) {
        s.insert("label".into(), json!(label));
    }
}

pub fn agenda(a: &Analysis, today: NaiveDate, s: &mut Slots) {
    // "today" and "tomorrow" are periods of the agenda; a named day is a date.
    let named_day = a.entities.iter().find_map(|e| match e.kind {
        Kind::Day(DayExpr::Offset(0 | 1)) => None,
        Kind::Day(d) => d.resolve(today, Tense::Future),
        _ => None,
    });
    if let Some(d) = named_day {
        s.insert("date".into(), json!(d.to_string()));
        return;
    }
    let period = calendar::period(&a.text.tokens, today.month())
        .filter(|p| !matches!(p, Period::Days(_) | Period::LastWeek | Period::LastMonth | Period::ThisYear));
    if let Some(name) = period.and_then(Period::name) {
        s.insert("period".into(), json!(name));
    }
}
