//! Named spans of days as people say them ("this month", "last week"), resolved against the user's
//! today. Weeks start on Monday.

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::locale::month_bounds;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Today,
    ThisWeek,
    LastWeek,
    ThisMonth,
    LastMonth,
    ThisYear,
}

impl Period {
    /// First and last day, inclusive. A period still running ends today.
    pub fn bounds(self, today: NaiveDate) -> (NaiveDate, NaiveDate) {
        let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
        match self {
            Period::Today => (today, today),
            Period::ThisWeek => (monday, today),
            Period::LastWeek => (monday - Duration::days(7), monday - Duration::days(1)),
            Period::ThisMonth => (month_bounds(today).0, today),
            Period::LastMonth => {
                let first = month_bounds(today).0;
                month_bounds(first.pred_opt().unwrap_or(first))
            }
            Period::ThisYear => (NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today), today),
        }
    }

    /// As a person says it: "this month".
    pub fn words(self) -> &'static str {
        match self {
            Period::Today => "today",
            Period::ThisWeek => "this week",
            Period::LastWeek => "last week",
            Period::ThisMonth => "this month",
            Period::LastMonth => "last month",
            Period::ThisYear => "this year",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_in_the_users_calendar() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let today = d(2026, 11, 25); // a Wednesday
        assert_eq!(Period::Today.bounds(today), (today, today));
        assert_eq!(Period::ThisWeek.bounds(today), (d(2026, 11, 23), today));
        assert_eq!(Period::LastWeek.bounds(today), (d(2026, 11, 16), d(2026, 11, 22)));
        assert_eq!(Period::ThisMonth.bounds(today), (d(2026, 11, 1), today));
        assert_eq!(Period::LastMonth.bounds(today), (d(2026, 10, 1), d(2026, 10, 31)));
        assert_eq!(Period::LastMonth.bounds(d(2026, 1, 10)), (d(2025, 12, 1), d(2025, 12, 31)));
        assert_eq!(Period::ThisYear.bounds(today), (d(2026, 1, 1), today));
    }
}
