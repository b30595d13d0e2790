//! Past dates in plain English, relative to today in the user's zone: "today", "yesterday", "3 days ago",
//! "last Friday" (the most recent Friday before today), "on the 3rd" (the most recent 3rd on or before
//! today), "on 3 March", "2026-03-02".

use chrono::{Datelike, Duration, NaiveDate, Weekday};

const WEEKDAYS: &[(&str, Weekday)] = &[
    ("monday", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("saturday", Weekday::Sat),
    ("sunday", Weekday::Sun),
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

fn month_of(word: &str) -> Option<u32> {
    MONTHS.iter().position(|m| *m == word || (word.len() >= 3 && m.starts_with(word))).map(|i| i as u32 + 1)
}

fn weekday_of(word: &str) -> Option<Weekday> {
    const SHORT: &[(&str, Weekday)] = &[
        ("mon", Weekday::Mon),
        ("tue", Weekday::Tue),
        ("tues", Weekday::Tue),
        ("wed", Weekday::Wed),
        ("thu", Weekday::Thu),
        ("thur", Weekday::Thu),
        ("thurs", Weekday::Thu),
        ("fri", Weekday::Fri),
        ("sat", Weekday::Sat),
        ("sun", Weekday::Sun),
    ];
    WEEKDAYS.iter().chain(SHORT).find(|(name, _)| *name == word).map(|(_, d)| *d)
}

fn ordinal(word: &str) -> Option<u32> {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let n: u32 = digits.parse().ok()?;
    (1..=31).contains(&n).then_some(n)
}

/// The most recent date on or before `today` with that day of month.
fn recent_day(today: NaiveDate, day: u32) -> Option<NaiveDate> {
    let mut d = today;
    for _ in 0..400 {
        if d.day() == day {
            return Some(d);
        }
        d = d.pred_opt()?;
    }
    None
}

fn recent_month_day(today: NaiveDate, month: u32, day: u32) -> Option<NaiveDate> {
    let this_year = NaiveDate::from_ymd_opt(today.year(), month, day)?;
    if this_year <= today { Some(this_year) } else { NaiveDate::from_ymd_opt(today.year().checked_sub(1)?, month, day) }
}

/// `n` days before `today`; None when that is no date (a number from a sentence can be anything).
fn days_before(today: NaiveDate, n: i64) -> Option<NaiveDate> {
    today.checked_sub_signed(Duration::try_days(n)?)
}

pub fn find(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '?' | '!' | '.'))
        .filter(|w| !w.is_empty())
        .collect();
    if lower.contains("day before yesterday") {
        return days_before(today, 2);
    }
    for (i, w) in words.iter().enumerate() {
        match *w {
            "yesterday" | "yday" | "arvo-yesterday" => return days_before(today, 1),
            "today" | "tonight" | "this-morning" => return Some(today),
            "ago" if i >= 2 => {
                let (count, unit) =
                    (words.get(i - 2).copied().unwrap_or_default(), words.get(i - 1).copied().unwrap_or_default());
                let n: Option<i64> = count.parse().ok().or(match count {
                    "a" | "one" => Some(1),
                    "two" | "couple" => Some(2),
                    "three" => Some(3),
                    "four" => Some(4),
                    "five" => Some(5),
                    _ => None,
                });
                if let Some(n) = n {
                    if unit.starts_with("day") {
                        return days_before(today, n);
                    }
                    if unit.starts_with("week") {
                        return days_before(today, n.checked_mul(7)?);
                    }
                }
            }
            _ => {}
        }
        if let Some(weekday) = weekday_of(w) {
            // "last Friday" and "on Friday" both mean the most recent one before today.
            return (1..=7).filter_map(|back| days_before(today, back)).find(|d| d.weekday() == weekday);
        }
        if let Ok(d) = NaiveDate::parse_from_str(w, "%Y-%m-%d") {
            return Some(d);
        }
        if let Some(day) = ordinal(w) {
            let next = words.get(i + 1).copied().unwrap_or_default();
            let next2 = words.get(i + 2).copied().unwrap_or_default();
            if let Some(month) = month_of(next).or_else(|| if next == "of" { month_of(next2) } else { None }) {
                return recent_month_day(today, month, day);
            }
            let prev = i.checked_sub(1).and_then(|p| words.get(p)).copied().unwrap_or_default();
            if prev == "the" && w.chars().any(|c| c.is_ascii_alphabetic()) {
                return recent_day(today, day);
            }
        }
        if let Some(month) = month_of(w).filter(|_| w.len() >= 3)
            && let Some(day) = words.get(i + 1).and_then(|n| ordinal(n))
        {
            return recent_month_day(today, month, day);
        }
    }
    if lower.contains("last week") {
        return days_before(today, 7);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_dates_point_into_the_past() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(); // a Wednesday
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        for (text, expected) in [
            ("spent $5 yesterday", d(2026, 11, 24)),
            ("today", today),
            ("3 days ago", d(2026, 11, 22)),
            ("last Friday", d(2026, 11, 20)),
            ("on Wednesday", d(2026, 11, 18)),
            ("on the 3rd", d(2026, 11, 3)),
            ("on the 30th", d(2026, 10, 30)),
            ("on 3 March", d(2026, 3, 3)),
            ("on the 1st of December", d(2025, 12, 1)),
            ("March 3", d(2026, 3, 3)),
            ("on 2026-03-02", d(2026, 3, 2)),
            ("the day before yesterday", d(2026, 11, 23)),
        ] {
            assert_eq!(find(text, today), Some(expected), "{text}");
        }
        assert_eq!(find("spent $40 on diesel", today), None);
    }
}
