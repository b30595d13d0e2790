//! When an event is: the start and end a client wrote, checked and settled into either whole days or
//! two instants.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use pam_kernel::{DomainError, FieldError};

use crate::time::{self, Moment, UserClock};

/// A checked span of time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Span {
    /// Whole days, `last` inclusive.
    AllDay {
        first: NaiveDate,
        last: NaiveDate,
    },
    Timed {
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    },
}

/// A timed event with no end lasts this long.
pub(crate) const DEFAULT_LENGTH: Duration = Duration::hours(1);

impl Span {
    /// Start and end instants; an all-day event's run from its first day's start to the start of the
    /// day after its last, in `tz`.
    pub fn instants(&self, tz: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
        match *self {
            Span::AllDay { first, last } => (time::day_start(first, tz), time::day_end(last, tz)),
            Span::Timed { start, end } => (start, end),
        }
    }

    pub fn dates(&self) -> (Option<NaiveDate>, Option<NaiveDate>) {
        match *self {
            Span::AllDay { first, last } => (Some(first), Some(last)),
            Span::Timed { .. } => (None, None),
        }
    }
}

pub(crate) fn invalid(field: &str, msg: impl Into<String>) -> DomainError {
    DomainError::invalid(&["body", field], msg)
}

/// A moment the client wrote, its year 1970–2100 as written.
pub(crate) fn parse_moment(field: &str, raw: &str) -> Result<Moment, DomainError> {
    let moment = Moment::parse(raw).map_err(|m| invalid(field, m))?;
    plausible(field, &moment)?;
    Ok(moment)
}

/// The start of a new event: `start` as written, or `time` alone (the next time it comes round), or a
/// date `start` with a `time` (that day at that time).
pub(crate) fn new_start(
    start: Option<&str>,
    clock_time: Option<&str>,
    all_day: Option<bool>,
    clock: UserClock,
) -> Result<Moment, DomainError> {
    let time = clock_time
        .map(|t| time::parse_clock(t).ok_or_else(|| invalid("time", "must be a clock time like 10:00 (24-hour)")))
        .transpose()?;
    let start = start.map(|s| parse_moment("start", s)).transpose()?;
    match (start, time) {
        (Some(Moment::Date(d)), Some(t)) if all_day != Some(true) => Ok(Moment::Local(d.and_time(t))),
        (Some(m), _) => Ok(m),
        (None, Some(t)) => {
            let at = time::next_occurrence(t, clock).map_err(|m| invalid("time", m))?;
            Ok(Moment::Exact(at.with_timezone(&clock.tz).fixed_offset()))
        }
        (None, None) => Err(DomainError::Invalid(vec![FieldError::new(
            &["body", "start"],
            "Field required: start (a local time, a date, or an RFC 3339 time), or time",
            "missing",
        )])),
    }
}

/// Settles a start and an optional end (default: an hour later, or the same day) into a span, local
/// times read in `tz`. The end may not come before the start.
pub(crate) fn span(all_day: bool, start: Moment, end: Option<Moment>, tz: Tz) -> Result<Span, DomainError> {
    let span = if all_day {
        let first = start.date();
        let last = end.map(|e| e.date()).unwrap_or(first);
        if last < first {
            return Err(invalid("end", "must not be before start"));
        }
        Span::AllDay { first, last }
    } else {
        let start_at = start.instant(tz).map_err(|m| invalid("start", m))?;
        let end_at = match end {
            Some(e) => e.instant(tz).map_err(|m| invalid("end", m))?,
            None => start_at.checked_add_signed(DEFAULT_LENGTH).ok_or_else(|| invalid("start", "is out of range"))?,
        };
        if end_at < start_at {
            return Err(invalid("end", "must not be before start"));
        }
        Span::Timed { start: start_at, end: end_at }
    };
    Ok(span)
}

/// Years 1970–2100 as the client wrote them (checked where they are read: an hour's default length, a
/// moved event's kept length or a zone's offset may carry an instant a little past them): anything else
/// is a typo, and every instant stays well inside what both stores hold.
fn plausible(field: &str, written: &Moment) -> Result<(), DomainError> {
    pam_kernel::text::plausible_date(written.date()).map_err(|m| invalid(field, m))
}

/// The same length as before, from a new start (a moved event keeps its length).
pub(crate) fn moved(old: Span, new_start: Moment, all_day: bool, tz: Tz) -> Result<Span, DomainError> {
    let start_only = span(all_day, new_start, None, tz)?;
    let moved = match (old, start_only) {
        (Span::AllDay { first, last }, Span::AllDay { first: new_first, .. }) => {
            let days = (last - first).num_days().max(0);
            let last = new_first.checked_add_signed(Duration::days(days)).unwrap_or(NaiveDate::MAX);
            Span::AllDay { first: new_first, last }
        }
        (Span::Timed { start, end }, Span::Timed { start: new_at, .. }) => {
            let end = new_at.checked_add_signed(end - start).unwrap_or(DateTime::<Utc>::MAX_UTC);
            Span::Timed { start: new_at, end }
        }
        // From timed to all-day or back: the new kind's default length.
        (_, other) => other,
    };
    Ok(moved)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Australia::Sydney;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn m(s: &str) -> Moment {
        Moment::parse(s).unwrap()
    }

    #[test]
    fn timed_events_default_to_an_hour_and_refuse_an_end_before_the_start() {
        let s = span(false, m("2026-01-10T09:00"), None, Sydney).unwrap();
        assert_eq!(s, Span::Timed { start: utc("2026-01-09T22:00:00Z"), end: utc("2026-01-09T23:00:00Z") });
        assert!(matches!(
            span(false, m("2026-01-10T09:00"), Some(m("2026-01-10T08:00")), Sydney),
            Err(DomainError::Invalid(_))
        ));
        assert!(span(false, m("2026-01-10"), None, Sydney).is_err(), "a date is not a timed start");
        assert!(parse_moment("start", "2200-01-10T09:00").is_err());
    }

    #[test]
    fn years_are_judged_as_written_not_as_instants() {
        // The last half hour of 2100 (its default end is in 2101) and the first of 1970 at +10:00 (the
        // instant is in 1969) are inside 1970–2100 as the client wrote them.
        assert!(span(false, parse_moment("start", "2100-12-31T23:30").unwrap(), None, Sydney).is_ok());
        assert!(span(false, parse_moment("start", "1970-01-01T00:30:00+10:00").unwrap(), None, Sydney).is_ok());
        assert!(parse_moment("start", "2101-01-01T00:30").is_err());
        assert!(parse_moment("end", "1969-12-31").is_err());
        // A stored end that crossed into 2101 is not the client's to answer for.
        assert!(span(false, m("2100-12-31T23:30"), Some(m("2101-01-01T00:30")), Sydney).is_ok());
    }

    #[test]
    fn all_day_events_are_dates_and_take_the_day_of_a_time() {
        let s = span(true, m("2026-01-10T09:00"), Some(m("2026-01-12")), Sydney).unwrap();
        assert_eq!(s, Span::AllDay { first: m("2026-01-10").date(), last: m("2026-01-12").date() });
        assert!(span(true, m("2026-01-10"), Some(m("2026-01-09")), Sydney).is_err());
    }

    #[test]
    fn a_moved_event_keeps_its_length() {
        let old = span(false, m("2026-01-10T09:00"), Some(m("2026-01-10T11:30")), Sydney).unwrap();
        let new = moved(old, m("2026-01-12T14:00"), false, Sydney).unwrap();
        assert_eq!(new, Span::Timed { start: utc("2026-01-12T03:00:00Z"), end: utc("2026-01-12T05:30:00Z") });
        let old = span(true, m("2026-01-10"), Some(m("2026-01-11")), Sydney).unwrap();
        let new = moved(old, m("2026-02-01"), true, Sydney).unwrap();
        assert_eq!(new, Span::AllDay { first: m("2026-02-01").date(), last: m("2026-02-02").date() });
    }
}
