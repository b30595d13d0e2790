//! Dates written as numbers ("25/11", "3/12/26") and months named on their own ("in June").

use chrono::{Datelike, NaiveDate};

use super::{DayExpr, day_number, month, valid};
use crate::text::Token;

/// A date written with slashes: "25/11", "11/10", "3/12/26", "03/12/2026" — day first, as Australians
/// write it, unless only the other order makes a date ("11/25"). Not a fraction ("1/2 a tank", "3/4")
/// nor "24/7".
pub(super) fn slashed_date(
    first: &str,
    slash: &str,
    second: &str,
    slash2: &str,
    year: &str,
) -> Option<(DayExpr, usize)> {
    let small = |w: &str| (1..=2).contains(&w.len()) && w.chars().all(|c| c.is_ascii_digit());
    if slash != "/" || !small(first) || !small(second) {
        return None;
    }
    let (a, b): (u32, u32) = (first.parse().ok()?, second.parse().ok()?);
    let year = (slash2 == "/" && matches!(year.len(), 2 | 4) && year.chars().all(|c| c.is_ascii_digit()))
        .then(|| year.parse::<i32>().ok())
        .flatten()
        .and_then(|y| match year.len() {
            2 => Some(2000 + y),
            _ => (1970..=2100).contains(&y).then_some(y),
        });
    let fraction = matches!((a, b), (1, 2) | (1, 3) | (2, 3) | (1, 4) | (3, 4) | (24, 7));
    if fraction && year.is_none() {
        return None;
    }
    let (month, day) = if valid(b, a) {
        (b, a)
    } else if valid(a, b) {
        (a, b)
    } else {
        return None;
    };
    match year {
        Some(y) => Some((DayExpr::Exact(NaiveDate::from_ymd_opt(y, month, day)?), 5)),
        None => Some((DayExpr::MonthDay { month, day }, 3)),
    }
}

/// A month named on its own ("how much did we spend in June", "spending report for feb"), as its year
/// and number: the latest such month not after today's, the one before that with "last year" after it,
/// or the year said ("June 2025"). Only a month asked about ("in", "for", "during" or "of" before it, or
/// the message opening on it): not a day of it ("June 3", "the 3rd of June"), not "the jan sale", not
/// "may" the verb, and not the start of a span ("since June", "from June to August"), which a month
/// cannot hold.
pub fn named_month(tokens: &[Token], today: NaiveDate) -> Option<(i32, u32)> {
    let norm = |k: usize| tokens.get(k).map(|t| t.norm.as_str()).unwrap_or("");
    let asked = |i: usize| i == 0 || matches!(norm(i - 1), "in" | "for" | "during" | "of");
    let i = (0..tokens.len()).find(|&i| month(norm(i)).is_some() && asked(i))?;
    let m = month(norm(i))?;
    let a_day = day_number(norm(i + 1)).is_some()
        || (i > 0 && day_number(norm(i - 1)).is_some())
        || (i > 1 && norm(i - 1) == "of" && day_number(norm(i - 2)).is_some());
    let span = tokens.iter().any(|t| t.is_any(&["since", "from", "between", "till", "until"]));
    if a_day || span {
        return None;
    }
    let latest = if m <= today.month() { today.year() } else { today.year() - 1 };
    let year = match norm(i + 1) {
        "last" if norm(i + 2) == "year" => latest - 1,
        // A year to come, or one no data holds, is no month to sum.
        said if said.len() == 4 && said.chars().all(|c| c.is_ascii_digit()) => said
            .parse::<i32>()
            .ok()
            .filter(|y| (1970..=today.year()).contains(y) && (*y, m) <= (today.year(), today.month()))?,
        _ => latest,
    };
    Some((year, m))
}
