//! Slots of the time intents: an event, a timer or alarm, and the agenda.

use chrono::{Datelike, NaiveDate};
use serde_json::json;

use super::{Slots, day, phrases};
use crate::analysis::Analysis;
use crate::entities::{ClockTime, DayExpr, Entity, Kind, Period, Tense, calendar};

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

/// Words between the first and last day of a span.
const SPAN_TO: &[&str] = &["-", "to", "till", "til", "until", "through", "thru", "–"];

/// A span of days said ("Jan 18-26", "from the 8th to the 12th", "5th to 7th of September"): its first
/// and last day, at most a month apart.
fn day_span(a: &Analysis, today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    let t = &a.text;
    let days: Vec<&Entity> = a.entities.iter().filter(|e| matches!(e.kind, Kind::Day(_))).collect();
    let first = *days.first()?;
    let Kind::Day(first_day) = first.kind else { return None };
    let found = first_day.resolve(today, Tense::Future)?;
    let span =
        |start: NaiveDate, end: NaiveDate| (end > start && (end - start).num_days() <= 31).then_some((start, end));
    // The last day told by its number: later in the same month ("the 8th to the 12th"), or early in the
    // next when the span starts late in one ("28th to the 2nd"). "Jan 18-17" and "Feb 28-30" are no span.
    let on_or_after = |from: NaiveDate, day: u32| {
        let same_month = from.with_day(day).filter(|d| *d > from);
        let next_month = (from.day() >= 20 && day <= 10)
            .then(|| from.with_day(1)?.checked_add_months(chrono::Months::new(1))?.with_day(day))
            .flatten();
        same_month.or(next_month)
    };
    // "5th to 7th of September", "28th to the 2nd": the first day told bare, before the range word.
    let the = usize::from(first.start >= 1 && t.norm(first.start - 1) == "the");
    if first.start >= 2 + the
        && t.tokens[first.start - 1 - the].is_any(SPAN_TO)
        && let Some(day) = calendar::day_number(t.norm(first.start - 2 - the))
    {
        let month_before = found.with_day(1)?.pred_opt()?;
        let start = NaiveDate::from_ymd_opt(found.year(), found.month(), day)
            .filter(|d| *d < found)
            .or_else(|| NaiveDate::from_ymd_opt(month_before.year(), month_before.month(), day))?;
        return span(start, found);
    }
    // "Jan 18-26": both in one word.
    if let Some((_, last)) = t.norm(first.end() - 1).split_once('-')
        && let Some(day) = calendar::day_number(last)
    {
        return span(found, on_or_after(found, day)?);
    }
    let mut k = first.end();
    if !t.tokens.get(k).is_some_and(|w| w.is_any(SPAN_TO)) {
        return None;
    }
    k += 1 + usize::from(t.norm(k + 1) == "the");
    if let Some(second) = days.get(1).filter(|e| e.start == k)
        && let Kind::Day(last) = second.kind
    {
        return span(found, last.resolve(found, Tense::Future)?);
    }
    // A bare number is a day only where nothing but a month or the sentence's end follows it: "on the 5th
    // - 6 people coming" is a count.
    let after = t.norm(k + 1);
    if !(after.is_empty() || t.tokens[k + 1].is_punct() || after == "of" || calendar::month(after).is_some()) {
        return None;
    }
    span(found, on_or_after(found, calendar::day_number(t.norm(k))?)?)
}

pub fn event(a: &Analysis, today: NaiveDate, s: &mut Slots) {
    if let Some(title) = phrases::event_title(a) {
        s.insert("title".into(), json!(title));
    }
    match day_span(a, today) {
        Some((first, last)) => {
            s.insert("date".into(), json!(first.to_string()));
            s.insert("end_date".into(), json!(last.to_string()));
            // The span's first day told bare is no part of the title ("the rally 28th to the 2nd").
            if let Some(title) = s.get("title").and_then(|v| v.as_str()) {
                let mut words: Vec<&str> = title.split_whitespace().collect();
                while words.len() > 1 && words.last().is_some_and(|w| calendar::day_number(w).is_some()) {
                    words.pop();
                }
                let title = words.join(" ");
                s.insert("title".into(), json!(title));
            }
        }
        None => {
            if let Some(d) = day(a, today, Tense::Future) {
                s.insert("date".into(), json!(d.to_string()));
            }
        }
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
    if let Some(label) = super::timer_label::timer_label(a) {
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
