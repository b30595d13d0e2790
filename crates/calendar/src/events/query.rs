//! Reading events: a range of the user's days, a type, and whether past events count; the agenda
//! periods PAM names ("this week"); every event for the account export.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use pam_kernel::locale::month_bounds;
use pam_kernel::{DomainError, Page};
use pam_store::with_db;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{Event, EventList, EventRow, EventType};
use crate::CalendarState;
use crate::time::{self, UserClock};

/// A checked list filter: days in the user's zone, inclusive.
#[derive(Clone, Copy, Debug, Default)]
pub struct Range {
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub event_type: Option<EventType>,
    pub include_past: bool,
}

impl Range {
    pub fn parse(
        start_date: Option<NaiveDate>,
        end_date: Option<NaiveDate>,
        event_type: Option<EventType>,
        include_past: Option<bool>,
    ) -> Result<Range, DomainError> {
        if let (Some(s), Some(e)) = (start_date, end_date)
            && s > e
        {
            return Err(DomainError::invalid(&["query", "start_date"], "must not be after end_date"));
        }
        Ok(Range { start_date, end_date, event_type, include_past: include_past.unwrap_or(false) })
    }
}

/// Bounds standing in for "no bound": one fixed query serves every filter. Events lie in 1970–2100, so
/// days asked for outside these are clamped to them without changing what matches — and every bound
/// keeps a four-digit year, which SQLite's text comparison of dates and instants relies on.
fn earliest_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN)
}

fn latest_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2200, 12, 31).unwrap_or(NaiveDate::MAX)
}

/// The bound values of a range, in the order the list query numbers them.
struct Bounds {
    not_ended_before: DateTime<Utc>,
    first_day: NaiveDate,
    last_day: NaiveDate,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
}

impl Range {
    fn bounds(&self, clock: UserClock) -> Bounds {
        let clamp = |d: NaiveDate| d.clamp(earliest_day(), latest_day());
        let first_day = self.start_date.map_or_else(earliest_day, clamp);
        let last_day = self.end_date.map_or_else(latest_day, clamp);
        let floor = time::day_start(earliest_day(), chrono_tz::UTC);
        Bounds {
            not_ended_before: if self.include_past { floor } else { clock.now },
            first_day,
            last_day,
            from: time::day_start(first_day, clock.tz),
            until: time::day_end(last_day, clock.tz),
        }
    }
}

/// An all-day event is in the range when its dates meet the range's days; a timed one when it starts
/// before the range's last day ends and ends after its first day starts (or starts in it: an event of
/// no length at midnight counts).
const MATCHES: &str = "user_id = $1 AND ($2 IS NULL OR event_type = $2) AND ends_at >= $3 \
     AND ((all_day AND start_date <= $5 AND end_date >= $4) \
       OR (NOT all_day AND starts_at < $7 AND (ends_at > $6 OR starts_at >= $6)))";

#[derive(sqlx::FromRow)]
struct ListedRow {
    #[sqlx(flatten)]
    row: EventRow,
    total_count: i64,
}

pub async fn list(
    state: &CalendarState,
    user_id: Uuid,
    clock: UserClock,
    range: &Range,
    page: Page,
) -> Result<EventList, DomainError> {
    let b = range.bounds(clock);
    let event_type = range.event_type.map(EventType::as_str);
    let rows: Vec<ListedRow> = with_db!(&state.db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT *, count(*) OVER () AS total_count FROM calendar_events WHERE {MATCHES} \
             ORDER BY starts_at, id LIMIT $8 OFFSET $9"
        )))
        .bind(user_id)
        .bind(event_type)
        .bind(b.not_ended_before)
        .bind(b.first_day)
        .bind(b.last_day)
        .bind(b.from)
        .bind(b.until)
        .bind(page.limit)
        .bind(page.offset)
        .fetch_all(pool)
        .await
    })?;
    let total = match rows.first() {
        Some(first) => first.total_count,
        // An empty page (an offset past the end) still reports how many match.
        None => with_db!(&state.db, |pool| {
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM calendar_events WHERE {MATCHES}")))
                .bind(user_id)
                .bind(event_type)
                .bind(b.not_ended_before)
                .bind(b.first_day)
                .bind(b.last_day)
                .bind(b.from)
                .bind(b.until)
                .fetch_one(pool)
                .await
        })?,
    };
    Ok(EventList { events: rows.into_iter().map(|r| r.row.show(clock.tz)).collect(), meta: page.meta(total) })
}

/// Every event of a user, in start order, shown in `tz` (the account export).
pub async fn all(state: &CalendarState, user_id: Uuid, tz: chrono_tz::Tz) -> Result<Vec<Event>, DomainError> {
    let rows: Vec<EventRow> = with_db!(&state.db, |pool| {
        sqlx::query_as("SELECT * FROM calendar_events WHERE user_id = $1 ORDER BY starts_at, id")
            .bind(user_id)
            .fetch_all(pool)
            .await
    })?;
    Ok(rows.into_iter().map(|r| r.show(tz)).collect())
}

/// Spans of days PAM is asked about. Weeks run Monday to Sunday.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AgendaPeriod {
    Today,
    Tomorrow,
    ThisWeek,
    NextWeek,
    ThisMonth,
}

impl AgendaPeriod {
    pub fn days(self, today: NaiveDate) -> (NaiveDate, NaiveDate) {
        let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
        let tomorrow = today.succ_opt().unwrap_or(today);
        match self {
            AgendaPeriod::Today => (today, today),
            AgendaPeriod::Tomorrow => (tomorrow, tomorrow),
            AgendaPeriod::ThisWeek => (monday, monday + Duration::days(6)),
            AgendaPeriod::NextWeek => (monday + Duration::days(7), monday + Duration::days(13)),
            AgendaPeriod::ThisMonth => month_bounds(today),
        }
    }
}

/// What is on: a named period, a day, or (neither) everything still to come.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct Agenda {
    pub period: Option<AgendaPeriod>,
    /// One day, `YYYY-MM-DD` (instead of a period).
    pub date: Option<NaiveDate>,
    pub event_type: Option<EventType>,
    /// Include events already over (default false).
    pub include_past: Option<bool>,
    /// At most this many (default 20, at most 100).
    pub limit: Option<i64>,
}

impl Agenda {
    /// The checked range and page it asks for.
    pub fn range(&self, today: NaiveDate) -> Result<(Range, Page), DomainError> {
        let (start, end) = match (self.date, self.period) {
            (Some(d), _) => (Some(d), Some(d)),
            (None, Some(p)) => {
                let (s, e) = p.days(today);
                (Some(s), Some(e))
            }
            (None, None) => (None, None),
        };
        let limit = self.limit.unwrap_or(20);
        if !(1..=100).contains(&limit) {
            return Err(DomainError::invalid(&["body", "limit"], "must be between 1 and 100"));
        }
        Ok((Range::parse(start, end, self.event_type, self.include_past)?, Page { limit, offset: 0 }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agenda_periods_are_whole_weeks_and_months() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let today = d(2026, 12, 2); // a Wednesday
        assert_eq!(AgendaPeriod::Tomorrow.days(today), (d(2026, 12, 3), d(2026, 12, 3)));
        assert_eq!(AgendaPeriod::ThisWeek.days(today), (d(2026, 11, 30), d(2026, 12, 6)));
        assert_eq!(AgendaPeriod::NextWeek.days(today), (d(2026, 12, 7), d(2026, 12, 13)));
        assert_eq!(AgendaPeriod::ThisMonth.days(today), (d(2026, 12, 1), d(2026, 12, 31)));
    }

    #[test]
    fn bounds_keep_four_digit_years_whatever_days_are_asked() {
        let clock = UserClock { tz: chrono_tz::America::Denver, now: Utc::now() };
        let wide = Range::parse(NaiveDate::from_ymd_opt(1, 1, 1), NaiveDate::from_ymd_opt(9999, 12, 31), None, None);
        let b = wide.unwrap().bounds(clock);
        assert!(b.from.year() >= 1900 && b.until.year() <= 2201, "{} .. {}", b.from, b.until);
        let open = Range::default().bounds(clock);
        assert!(open.until.year() <= 2201 && open.not_ended_before == clock.now);
    }

    #[test]
    fn a_range_ending_before_it_starts_is_refused() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert!(Range::parse(d(2026, 2, 2), d(2026, 2, 1), None, None).is_err());
        let agenda = Agenda { limit: Some(0), ..Agenda::default() };
        assert!(agenda.range(NaiveDate::MIN).is_err());
    }
}
