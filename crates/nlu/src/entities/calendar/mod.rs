//! Days and periods. A day is kept as what was said ("Friday", "the 3rd", "yesterday") and resolved
//! against today only once the sentence's tense is known: "on the 3rd" is the last 3rd for a purchase
//! and the next 3rd for an appointment. Periods ("this month", "the past 14 days") are for summaries and
//! agendas.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use crate::numbers;
use crate::text::Token;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tense {
    /// Something that happened: a purchase, a payment.
    Past,
    /// Something still to come: an appointment, a trip, an alarm.
    Future,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DayExpr {
    /// Days from today ("yesterday" = -1).
    Offset(i64),
    /// A weekday, with "next week" when said ("Wednesday next week").
    Weekday {
        day: Weekday,
        next_week: bool,
        last: bool,
    },
    /// "the 3rd".
    DayOfMonth(u32),
    /// "10th of January", "December 12".
    MonthDay {
        month: u32,
        day: u32,
    },
    Exact(NaiveDate),
}

impl DayExpr {
    pub fn resolve(self, today: NaiveDate, tense: Tense) -> Option<NaiveDate> {
        match self {
            DayExpr::Offset(n) => today.checked_add_signed(Duration::try_days(n)?),
            DayExpr::Exact(d) => Some(d),
            DayExpr::Weekday { day, next_week: true, .. } => {
                let monday =
                    today.checked_add_signed(Duration::days(7 - today.weekday().num_days_from_monday() as i64))?;
                monday.checked_add_signed(Duration::days(day.num_days_from_monday() as i64))
            }
            DayExpr::Weekday { day, last, .. } => {
                if tense == Tense::Past || last {
                    (1..=7).filter_map(|b| today.checked_sub_signed(Duration::days(b))).find(|d| d.weekday() == day)
                } else {
                    (1..=7).filter_map(|a| today.checked_add_signed(Duration::days(a))).find(|d| d.weekday() == day)
                }
            }
            DayExpr::DayOfMonth(day) => {
                let step = |d: NaiveDate| if tense == Tense::Past { d.pred_opt() } else { d.succ_opt() };
                let mut d = today;
                for _ in 0..400 {
                    if d.day() == day {
                        return Some(d);
                    }
                    d = step(d)?;
                }
                None
            }
            DayExpr::MonthDay { month, day } => {
                let this_year = NaiveDate::from_ymd_opt(today.year(), month, day);
                match (tense, this_year) {
                    (Tense::Past, Some(d)) if d <= today => Some(d),
                    (Tense::Past, _) => NaiveDate::from_ymd_opt(today.year() - 1, month, day),
                    (Tense::Future, Some(d)) if d >= today => Some(d),
                    (Tense::Future, _) => NaiveDate::from_ymd_opt(today.year() + 1, month, day),
                }
            }
        }
    }
}

const WEEKDAYS: &[(&str, Weekday)] = &[
    ("monday", Weekday::Mon),
    ("mon", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("tue", Weekday::Tue),
    ("tues", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("wed", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("thu", Weekday::Thu),
    ("thur", Weekday::Thu),
    ("thurs", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("fri", Weekday::Fri),
    ("saturday", Weekday::Sat),
    ("sat", Weekday::Sat),
    ("sunday", Weekday::Sun),
    ("sun", Weekday::Sun),
];
const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

pub fn weekday(word: &str) -> Option<Weekday> {
    let word = word.strip_suffix("'s").unwrap_or(word);
    WEEKDAYS.iter().find(|(w, _)| *w == word).map(|(_, d)| *d)
}

pub fn month(word: &str) -> Option<u32> {
    let word = word.trim_end_matches('.');
    if word == "may" {
        return Some(5);
    }
    if word.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| *m == word || (word.len() >= 3 && word.len() <= 4 && m.starts_with(word)))
        .map(|i| i as u32 + 1)
}

/// "3rd", "15th", "1st" → day of month.
fn ordinal(word: &str) -> Option<u32> {
    let digits =
        word.strip_suffix("st").or(word.strip_suffix("nd")).or(word.strip_suffix("rd")).or(word.strip_suffix("th"))?;
    let n: u32 = digits.parse().ok()?;
    (1..=31).contains(&n).then_some(n)
}

pub(crate) fn day_number(word: &str) -> Option<u32> {
    ordinal(word).or_else(|| word.parse().ok().filter(|n| (1..=31).contains(n)))
}

/// A day starting at token `i`, and the tokens it took.
pub fn day_at(tokens: &[Token], i: usize) -> Option<(DayExpr, usize)> {
    let t = tokens.get(i)?;
    let next = |k: usize| tokens.get(i + k).map(|t| t.norm.as_str()).unwrap_or("");
    if let Some(slashed) = slashed_date(&t.norm, next(1), next(2), next(3), next(4)) {
        return Some(slashed);
    }
    match t.norm.as_str() {
        "today" | "tonight" | "tonite" | "2day" => return Some((DayExpr::Offset(0), 1)),
        "yesterday" | "yday" | "yesterdy" | "yest" => return Some((DayExpr::Offset(-1), 1)),
        "tomorrow" | "tmrw" | "tomorow" | "tomoz" | "tmr" | "2moro" | "tommorow" => {
            return Some((DayExpr::Offset(1), 1));
        }
        "this" if matches!(next(1), "morning" | "arvo" | "afternoon" | "evening") => {
            return Some((DayExpr::Offset(0), 2));
        }
        "last" if next(1) == "night" => return Some((DayExpr::Offset(-1), 2)),
        "the" if next(1) == "day" && next(2) == "before" && next(3) == "yesterday" => {
            return Some((DayExpr::Offset(-2), 4));
        }
        "the" if next(1) == "day" && next(2) == "after" && next(3) == "tomorrow" => {
            return Some((DayExpr::Offset(2), 4));
        }
        "christmas" | "xmas" => {
            return match next(1) {
                "eve" => Some((DayExpr::MonthDay { month: 12, day: 24 }, 2)),
                "day" => Some((DayExpr::MonthDay { month: 12, day: 25 }, 2)),
                _ => None,
            };
        }
        "boxing" if next(1) == "day" => return Some((DayExpr::MonthDay { month: 12, day: 26 }, 2)),
        "new" if next(1) == "year's" && next(2) == "eve" => return Some((DayExpr::MonthDay { month: 12, day: 31 }, 3)),
        "new" if next(1) == "year's" && next(2) == "day" => return Some((DayExpr::MonthDay { month: 1, day: 1 }, 3)),
        _ => {}
    }
    // "2 days ago", "a week ago", "couple of days ago".
    if let Some((n, used)) = count_at(tokens, i) {
        let unit = next(used);
        let per = if unit.starts_with("day") {
            1
        } else if unit.starts_with("week") || unit == "wk" || unit == "wks" {
            7
        } else {
            0
        };
        if per > 0 && next(used + 1) == "ago" {
            return Some((DayExpr::Offset(-(n * per)), used + 2));
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(&t.norm, "%Y-%m-%d") {
        return Some((DayExpr::Exact(d), 1));
    }
    // "last Friday", "next Tuesday", "this Saturday", "Wednesday next week".
    let (modifier, w_at) = match t.norm.as_str() {
        "last" | "next" | "this" | "coming" => (t.norm.as_str(), 1),
        _ => ("", 0),
    };
    // "sat", "sun" and "wed" are words too: as days they are written with a capital.
    // In lower case they are days beside a day's other words: "this sat", "on wed", "sat arvo", "sun 10am".
    let prev = i.checked_sub(1).and_then(|p| tokens.get(p)).map(|p| p.norm.as_str()).unwrap_or("");
    let after = next(w_at + 1);
    // Not after its subject: "we sat at the pub for 3 hours", "I sat 10 minutes in the queue".
    let subject_before = matches!(prev, "i" | "we" | "they" | "he" | "she" | "you" | "just" | "then" | "and");
    let beside_day_words = !subject_before
        && (w_at == 1
            || matches!(prev, "on" | "by" | "till" | "until")
            || matches!(after, "arvo" | "morning" | "afternoon" | "evening" | "night" | "at" | "next" | "@")
            || after.starts_with(|c: char| c.is_ascii_digit()) && !after.ends_with('%'));
    let day_word =
        tokens.get(i + w_at).filter(|w| w.capitalised || !w.is_any(&["sat", "sun", "wed"]) || beside_day_words);
    if let Some(day) = day_word.and_then(|w| weekday(&w.norm)) {
        let mut used = w_at + 1;
        let next_week = next(used) == "next" && next(used + 1) == "week";
        if next_week {
            used += 2;
        }
        return Some((DayExpr::Weekday { day, next_week, last: modifier == "last" }, used));
    }
    // "10th of January", "30 November", "25th Dec".
    if let Some(day) = day_number(&t.norm) {
        let of = usize::from(next(1) == "of");
        if let Some(m) = month(next(1 + of)) {
            return valid(m, day).then_some((DayExpr::MonthDay { month: m, day }, 2 + of));
        }
        // A bare "3rd" needs "the" before it ("on the 3rd"); a bare number is no day.
        let prev = i.checked_sub(1).and_then(|p| tokens.get(p)).map(|p| p.norm.as_str()).unwrap_or("");
        if ordinal(&t.norm).is_some() && matches!(prev, "the" | "on" | "for" | "by" | "from" | "until") {
            return Some((DayExpr::DayOfMonth(day), 1));
        }
    }
    // "December 12", "Dec 14th", "January 15".
    if let Some(m) = month(&t.norm).filter(|_| t.norm != "may" || day_number(next(1)).is_some()) {
        let the = usize::from(next(1) == "the");
        if let Some(day) = day_number(next(1 + the)) {
            return valid(m, day).then_some((DayExpr::MonthDay { month: m, day }, 2 + the));
        }
        // "Jan 18-26": the first day of a span written as one word (its last is `slots::time`'s).
        if let Some((first, last)) = next(1).split_once('-')
            && let (Some(day), Some(_)) = (day_number(first), day_number(last))
        {
            return valid(m, day).then_some((DayExpr::MonthDay { month: m, day }, 2));
        }
    }
    None
}

fn valid(month: u32, day: u32) -> bool {
    NaiveDate::from_ymd_opt(2024, month, day).is_some()
}

/// A small count: digits or words ("2", "two", "a", "couple of").
fn count_at(tokens: &[Token], i: usize) -> Option<(i64, usize)> {
    let t = tokens.get(i)?;
    if t.is_any(&["a", "an"]) {
        return Some((1, 1));
    }
    if t.is("couple") && tokens.get(i + 1).is_some_and(|o| o.is("of")) {
        return Some((2, 2));
    }
    let n = numbers::parse_at(tokens, i)?;
    (n.value >= 1.0 && n.value <= 3660.0 && n.value.fract() == 0.0).then_some((n.value as i64, n.used))
}

/// A span of days named for a summary or an agenda.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    Today,
    Tomorrow,
    ThisWeek,
    LastWeek,
    NextWeek,
    ThisMonth,
    LastMonth,
    ThisYear,
    /// The last N days, today included.
    Days(i64),
}

impl Period {
    /// The corpus and tool name of the period (`this_month`), or None for a number of days.
    pub fn name(self) -> Option<&'static str> {
        Some(match self {
            Period::Today => "today",
            Period::Tomorrow => "tomorrow",
            Period::ThisWeek => "this_week",
            Period::LastWeek => "last_week",
            Period::NextWeek => "next_week",
            Period::ThisMonth => "this_month",
            Period::LastMonth => "last_month",
            Period::ThisYear => "this_year",
            Period::Days(_) => return None,
        })
    }
}

/// The period a sentence names, if any: "this month", "last wk", "the past 14 days", "last 2 weeks",
/// "since the start of the year", "last fortnight".
pub fn period(tokens: &[Token], current_month: u32) -> Option<Period> {
    let norm = |k: usize| tokens.get(k).map(|t| t.norm.as_str()).unwrap_or("");
    for i in 0..tokens.len() {
        let (a, b) = (norm(i), norm(i + 1));
        let unit = |w: &str| -> Option<i64> {
            match w {
                "day" | "days" => Some(1),
                "week" | "weeks" | "wk" | "wks" | "week's" => Some(7),
                "fortnight" | "fortnights" => Some(14),
                "month" | "months" => Some(30),
                _ => None,
            }
        };
        if matches!(a, "last" | "past" | "previous") {
            let skip = usize::from(b == "the");
            if let Some((n, used)) = count_at(tokens, i + 1 + skip).filter(|_| !norm(i + 1 + skip).starts_with('a'))
                && let Some(per) = unit(norm(i + 1 + skip + used))
            {
                return Some(Period::Days(n * per));
            }
            match b {
                "fortnight" => return Some(Period::Days(14)),
                "week" | "wk" | "week's" => return Some(Period::LastWeek),
                "month" | "month's" => return Some(Period::LastMonth),
                _ => {}
            }
        }
        // "the rest of the week", "my week", "our month": the one we are in.
        if (a == "rest" && b == "of" && norm(i + 2) == "the") || matches!(a, "my" | "our") {
            let w = if a == "rest" { norm(i + 3) } else { b };
            match w {
                "week" | "wk" => return Some(Period::ThisWeek),
                "month" => return Some(Period::ThisMonth),
                _ => {}
            }
        }
        if a == "this" || a == "current" {
            match b {
                "week" | "wk" | "week's" => return Some(Period::ThisWeek),
                "month" | "month's" => return Some(Period::ThisMonth),
                "year" | "year's" => return Some(Period::ThisYear),
                _ => {}
            }
        }
        if a == "next" && matches!(b, "week" | "wk") && !weekday_before(tokens, i) {
            return Some(Period::NextWeek);
        }
        if a == "start" && b == "of" && norm(i + 2) == "the" && norm(i + 3) == "year" {
            return Some(Period::ThisYear);
        }
        if matches!(a, "today" | "today's" | "tonight") {
            return Some(Period::Today);
        }
        if matches!(a, "tomorrow" | "tmrw" | "tomorrow's") {
            return Some(Period::Tomorrow);
        }
        // "in November" (this month), "in October" (the month before: last month).
        // Not a day of it: "October 3", "the 3rd October", "the 3rd of October".
        let named_month = a != "may"
            && day_number(b).is_none()
            && i > 0
            && day_number(norm(i - 1)).is_none()
            && !(i > 1 && norm(i - 1) == "of" && day_number(norm(i - 2)).is_some());
        if named_month && month(a) == Some(current_month) {
            return Some(Period::ThisMonth);
        }
        if named_month && month(a) == Some(if current_month == 1 { 12 } else { current_month - 1 }) {
            return Some(Period::LastMonth);
        }
    }
    None
}

/// "Wednesday next week" is a day, not the period "next week".
fn weekday_before(tokens: &[Token], i: usize) -> bool {
    i > 0 && weekday(&tokens[i - 1].norm).is_some()
}

mod written;

pub use written::named_month;
use written::slashed_date;

#[cfg(test)]
mod tests;
