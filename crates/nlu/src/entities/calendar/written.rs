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
        .map(|y| if y < 100 { 2000 + y } else { y });
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
/// and number: the latest such month not after today's, or the year said after it ("June 2025"). Not a
/// day of it ("June 3", "the 3rd of June"), and not "may", which is far more often the verb.
pub fn named_month(tokens: &[Token], today: NaiveDate) -> Option<(i32, u32)> {
    let norm = |k: usize| tokens.get(k).map(|t| t.norm.as_str()).unwrap_or("");
    (0..tokens.len()).find_map(|i| {
        let m = month(norm(i)).filter(|_| norm(i) != "may")?;
        let a_day = day_number(norm(i + 1)).is_some()
            || (i > 0 && day_number(norm(i - 1)).is_some())
            || (i > 1 && norm(i - 1) == "of" && day_number(norm(i - 2)).is_some());
        if a_day {
            return None;
        }
        let said_year =
            norm(i + 1).parse::<i32>().ok().filter(|y| (1990..=today.year()).contains(y) && norm(i + 1).len() == 4);
        let year = said_year.unwrap_or(if m <= today.month() { today.year() } else { today.year() - 1 });
        Some((year, m))
    })
}
