//! Small checks shared by the money inputs.

use chrono::{Datelike, NaiveDate};

pub use crate::profiles::fields::optional_text as optional;

pub fn tags(raw: Vec<String>) -> Result<Vec<String>, String> {
    if raw.len() > 20 {
        return Err("at most 20 tags".into());
    }
    let mut out: Vec<String> = Vec::new();
    for tag in raw {
        let tag = tag.trim().to_lowercase();
        if tag.chars().count() > 50 {
            return Err("each tag must be at most 50 characters".into());
        }
        if !tag.is_empty() && !out.contains(&tag) {
            out.push(tag);
        }
    }
    Ok(out)
}

pub fn url(raw: Option<String>) -> Result<Option<String>, String> {
    match optional(raw, 2000)? {
        Some(u) if u.starts_with("https://") || u.starts_with("http://") || u.starts_with("/api/") => Ok(Some(u)),
        Some(_) => Err("must be an http(s) URL".into()),
        None => Ok(None),
    }
}

/// Dates between 1970 and 2100: anything else is a typo, not a travel expense.
pub fn plausible_date(date: NaiveDate) -> Result<(), String> {
    if (1970..=2100).contains(&date.year()) { Ok(()) } else { Err("must be between 1970 and 2100".into()) }
}

/// First and last day of the month containing `date`.
pub fn month_bounds(date: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first = date.with_day(1).expect("day 1 exists");
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
    }
    .expect("valid month");
    (first, next.pred_opt().expect("a day before"))
}

/// The first day of the month `n` months before the month of `date`.
pub fn months_back(date: NaiveDate, n: u32) -> NaiveDate {
    let total = date.year() * 12 + date.month0() as i32 - n as i32;
    NaiveDate::from_ymd_opt(total.div_euclid(12), total.rem_euclid(12) as u32 + 1, 1).expect("valid month")
}

pub fn month_key(date: NaiveDate) -> String {
    format!("{:04}-{:02}", date.year(), date.month())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_arithmetic() {
        let d = NaiveDate::from_ymd_opt(2026, 2, 14).unwrap();
        assert_eq!(month_bounds(d).1, NaiveDate::from_ymd_opt(2026, 2, 28).unwrap());
        assert_eq!(months_back(d, 3), NaiveDate::from_ymd_opt(2025, 11, 1).unwrap());
        assert_eq!(month_bounds(NaiveDate::from_ymd_opt(2026, 12, 3).unwrap()).1.day(), 31);
        assert_eq!(month_key(d), "2026-02");
    }
}
