//! Reading and showing times in a user's zone: what a client or PAM wrote ("2026-01-10T09:00",
//! "2026-01-10", an RFC 3339 time, "06:00") becomes an instant or a date, and an instant is shown back
//! in the zone with its offset. Daylight saving is settled here, once: a local time the clocks skip is
//! refused, one they pass twice is the earlier instant.

use chrono::{
    DateTime, Days, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat, TimeZone, Utc,
};
use chrono_tz::Tz;
use pam_kernel::{Clock, Locale, pattern_piece};

/// The zone a request is read in and the instant it is read at.
#[derive(Clone, Copy, Debug)]
pub struct UserClock {
    pub tz: Tz,
    pub now: DateTime<Utc>,
}

impl UserClock {
    pub fn new(locale: &Locale, clock: &Clock) -> UserClock {
        UserClock { tz: locale.tz, now: clock.now() }
    }

    pub fn today(&self) -> NaiveDate {
        self.now.with_timezone(&self.tz).date_naive()
    }
}

/// A point in time as it was written.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Moment {
    /// "2026-01-10": a whole day.
    Date(NaiveDate),
    /// "2026-01-10T09:00": a wall-clock time, read in a zone.
    Local(NaiveDateTime),
    /// "2026-01-10T09:00:00+11:00" or "…Z": an instant, taken as given.
    Exact(DateTime<FixedOffset>),
}

/// A time of day after a date (`T` or a space between, seconds and their fraction optional) with an
/// optional offset (`Z` after seconds, or `±HH:MM`): shared by [`MOMENT_PATTERN`] and [`ALARM_PATTERN`].
macro_rules! time_after_date {
    () => {
        concat!(
            r"[T ]([01][0-9]|2[0-3]):[0-5][0-9]((:[0-5][0-9](\.[0-9]{1,9})?)?([+-]([01][0-9]|2[0-3]):[0-5][0-9])?",
            r"|:[0-5][0-9](\.[0-9]{1,9})?Z)"
        )
    };
}

/// A clock time, `H:MM` or `HH:MM`, seconds optional, 24-hour.
macro_rules! clock {
    () => {
        r"([01]?[0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?"
    };
}

/// What [`Moment::parse`] reads, as a JSON Schema pattern: a date, or a date and a time with an optional
/// offset, in 1970–2100, spaces around it allowed. Kept beside the formats it mirrors.
pub const MOMENT_PATTERN: &str = concat!(
    "^",
    pattern_piece!(spaces),
    pattern_piece!(date),
    "(",
    time_after_date!(),
    ")?",
    pattern_piece!(spaces),
    "$"
);

/// A [`Moment`] that is a bare date (a whole day, no time of day), as a JSON Schema pattern.
pub const DATE_ONLY_PATTERN: &str =
    concat!("^", pattern_piece!(spaces), pattern_piece!(date), pattern_piece!(spaces), "$");

/// The schema of a field read with [`Moment::parse`] (`#[schema(value_type = MomentText)]`).
pub struct MomentText;

impl utoipa::PartialSchema for MomentText {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        pam_kernel::text::pattern_schema(
            MOMENT_PATTERN,
            "A local time (`2026-01-10T09:00`), a date (`2026-01-10`) or a time with its offset \
             (`2026-01-10T09:00:00+11:00`), 1970–2100",
            "2026-01-10T09:00",
        )
        .into()
    }
}

impl utoipa::ToSchema for MomentText {}

/// What [`parse_clock`] reads, as a JSON Schema pattern: `H:MM` or `HH:MM`, seconds optional, 24-hour,
/// spaces around it allowed.
pub const CLOCK_PATTERN: &str = concat!("^", pattern_piece!(spaces), clock!(), pattern_piece!(spaces), "$");

/// What an alarm's time may be, as a JSON Schema pattern: a clock time ([`CLOCK_PATTERN`]), or a
/// [`Moment`] with a time of day (a local time, or one with its offset; a bare date is no time to ring).
pub const ALARM_PATTERN: &str = concat!(
    "^",
    pattern_piece!(spaces),
    "(",
    clock!(),
    "|",
    pattern_piece!(date),
    time_after_date!(),
    ")",
    pattern_piece!(spaces),
    "$"
);

/// The schema of an alarm's time (`#[schema(value_type = AlarmText)]`): [`ALARM_PATTERN`]. That it is in
/// the coming year depends on today, which no pattern can say.
pub struct AlarmText;

impl utoipa::PartialSchema for AlarmText {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        pam_kernel::text::pattern_schema(
            ALARM_PATTERN,
            "`HH:MM` (24-hour, seconds optional) in the user's zone, or a local time \
             (`2026-01-10T06:00`) or one with its offset (`2026-01-10T06:00:00+11:00`), in the coming year",
            "06:00",
        )
        .into()
    }
}

impl utoipa::ToSchema for AlarmText {}

const LOCAL_FORMATS: &[&str] = &["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%d %H:%M"];
const OFFSET_FORMATS: &[&str] = &["%Y-%m-%dT%H:%M%:z", "%Y-%m-%d %H:%M%:z"];

impl Moment {
    pub fn parse(raw: &str) -> Result<Moment, String> {
        let s = raw.trim();
        if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            return Ok(Moment::Date(d));
        }
        if let Ok(t) = DateTime::parse_from_rfc3339(s) {
            return Ok(Moment::Exact(t));
        }
        if let Some(t) = OFFSET_FORMATS.iter().find_map(|f| DateTime::parse_from_str(s, f).ok()) {
            return Ok(Moment::Exact(t));
        }
        if let Some(t) = LOCAL_FORMATS.iter().find_map(|f| NaiveDateTime::parse_from_str(s, f).ok()) {
            return Ok(Moment::Local(t));
        }
        Err(format!(
            "{:?} is not a time: give a local time like 2026-01-10T09:00, a date like 2026-01-10, or an RFC 3339 \
             time with an offset",
            s.chars().take(40).collect::<String>()
        ))
    }

    /// The day it falls on as written (a local time's own date, an offset time's date at that offset).
    pub fn date(&self) -> NaiveDate {
        match self {
            Moment::Date(d) => *d,
            Moment::Local(t) => t.date(),
            Moment::Exact(t) => t.date_naive(),
        }
    }

    /// The instant, reading a wall-clock time in `tz`. A bare date has no instant.
    pub fn instant(&self, tz: Tz) -> Result<DateTime<Utc>, String> {
        match self {
            Moment::Date(d) => Err(format!("{d} is a date; a timed event needs a time of day (or all_day: true)")),
            Moment::Local(t) => local_instant(*t, tz),
            Moment::Exact(t) => Ok(t.with_timezone(&Utc)),
        }
    }

    pub fn is_date(&self) -> bool {
        matches!(self, Moment::Date(_))
    }
}

/// A wall-clock time in a zone as an instant: refused when the clocks skip it (spring forward), the
/// earlier of the two when they pass it twice (fall back), as a person setting it before the change means.
pub fn local_instant(local: NaiveDateTime, tz: Tz) -> Result<DateTime<Utc>, String> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(earlier, _) => Ok(earlier.with_timezone(&Utc)),
        LocalResult::None => Err(format!(
            "{} does not exist in {}: the clocks go forward past it that day",
            local.format("%H:%M on %Y-%m-%d"),
            tz.name()
        )),
    }
}

/// The instant a day starts in a zone. Where midnight itself is skipped (some zones change at 00:00),
/// the day starts at the first local time that exists.
pub fn day_start(date: NaiveDate, tz: Tz) -> DateTime<Utc> {
    let midnight = date.and_time(NaiveTime::MIN);
    (0..=4)
        .filter_map(|half_hours| {
            let local = midnight + chrono::Duration::minutes(30 * half_hours);
            tz.from_local_datetime(&local).earliest()
        })
        .next()
        .map(|t| t.with_timezone(&Utc))
        // No zone skips more than two hours; this is only a floor that cannot fail.
        .unwrap_or_else(|| Utc.from_utc_datetime(&midnight))
}

/// The instant the day after `date` starts: the exclusive end of that day.
pub fn day_end(date: NaiveDate, tz: Tz) -> DateTime<Utc> {
    day_start(date.checked_add_days(Days::new(1)).unwrap_or(date), tz)
}

/// An instant in the zone with its offset: "2026-01-10T09:00:00+11:00".
pub fn show(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz).to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// "09:00" in the zone.
pub fn clock_time(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz).format("%H:%M").to_string()
}

/// "Saturday 10 January" (with the year when it is not this year's) in the zone.
pub fn day_words(date: NaiveDate, today: NaiveDate) -> String {
    use chrono::Datelike;
    if date.year() == today.year() {
        date.format("%A %-d %B").to_string()
    } else {
        date.format("%A %-d %B %Y").to_string()
    }
}

/// "06:00", "6:00" or "06:00:00": a clock time.
pub fn parse_clock(raw: &str) -> Option<NaiveTime> {
    let s = raw.trim();
    NaiveTime::parse_from_str(s, "%H:%M").or_else(|_| NaiveTime::parse_from_str(s, "%H:%M:%S")).ok()
}

/// The next time a clock time comes round in the zone: today if it is still ahead, else tomorrow.
pub fn next_occurrence(time: NaiveTime, clock: UserClock) -> Result<DateTime<Utc>, String> {
    let here_now = clock.now.with_timezone(&clock.tz).naive_local();
    let today = here_now.date();
    for date in [Some(today), today.succ_opt()].into_iter().flatten() {
        // Today's, when already past on the wall clock, is not resolved: a skipped time that has gone by
        // is no reason to refuse tomorrow's.
        if date.and_time(time) <= here_now {
            continue;
        }
        let at = local_instant(date.and_time(time), clock.tz)?;
        if at > clock.now {
            return Ok(at);
        }
    }
    Err("that time cannot be reached from today".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::America::Denver;
    use chrono_tz::Australia::Sydney;

    fn local(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap()
    }

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn what_clients_write_is_read_as_a_date_a_local_time_or_an_instant() {
        assert_eq!(Moment::parse("2026-01-10").unwrap(), Moment::Date(NaiveDate::from_ymd_opt(2026, 1, 10).unwrap()));
        assert_eq!(Moment::parse("2026-01-10T09:00").unwrap(), Moment::Local(local("2026-01-10T09:00")));
        assert_eq!(Moment::parse("2026-01-10T09:00:00").unwrap(), Moment::Local(local("2026-01-10T09:00")));
        assert_eq!(Moment::parse(" 2026-01-10 09:00 ").unwrap(), Moment::Local(local("2026-01-10T09:00")));
        let exact = Moment::parse("2026-01-10T09:00:00+11:00").unwrap();
        assert_eq!(exact.instant(Denver).unwrap(), utc("2026-01-09T22:00:00Z"), "an offset is taken as given");
        assert_eq!(Moment::parse("2026-01-10T09:00+11:00").unwrap(), exact);
        assert!(Moment::parse("next tuesday").is_err());
        assert!(Moment::parse("2026-02-30").is_err());
        assert!(Moment::parse("2026-01-10").unwrap().instant(Sydney).is_err(), "a date has no instant");
    }

    #[test]
    fn a_local_time_the_day_after_each_change_is_the_right_instant() {
        // Sydney: AEDT (+11) ends 2026-04-05, starts again 2026-10-04. Denver: MDT (-6) from 2026-03-08 to 2026-11-01.
        let cases = [
            (Sydney, "2026-04-06T09:00", "2026-04-05T23:00:00Z"),
            (Sydney, "2026-10-05T09:00", "2026-10-04T22:00:00Z"),
            (Denver, "2026-03-09T09:00", "2026-03-09T15:00:00Z"),
            (Denver, "2026-11-02T09:00", "2026-11-02T16:00:00Z"),
        ];
        for (tz, wall, expected) in cases {
            let at = local_instant(local(wall), tz).unwrap();
            assert_eq!(at, utc(expected), "{wall} in {tz}");
            assert!(show(at, tz).contains("T09:00:00"), "{wall} in {tz} is shown as {}", show(at, tz));
        }
        assert_eq!(show(utc("2026-10-04T22:00:00Z"), Sydney), "2026-10-05T09:00:00+11:00");
        assert_eq!(show(utc("2026-11-02T16:00:00Z"), Denver), "2026-11-02T09:00:00-07:00");
    }

    #[test]
    fn skipped_times_are_refused_and_repeated_ones_take_the_earlier_instant() {
        let gap = local_instant(local("2026-10-04T02:30"), Sydney).unwrap_err();
        assert!(gap.contains("does not exist"), "{gap}");
        assert!(local_instant(local("2026-03-08T02:30"), Denver).is_err());
        // 02:30 happens twice in Sydney on 2026-04-05 (+11 then +10) and 01:30 in Denver on 2026-11-01.
        assert_eq!(local_instant(local("2026-04-05T02:30"), Sydney).unwrap(), utc("2026-04-04T15:30:00Z"));
        assert_eq!(local_instant(local("2026-11-01T01:30"), Denver).unwrap(), utc("2026-11-01T07:30:00Z"));
    }

    #[test]
    fn days_start_at_local_midnight_even_where_midnight_is_skipped() {
        let d = NaiveDate::from_ymd_opt(2026, 10, 4).unwrap();
        assert_eq!(day_start(d, Sydney), utc("2026-10-03T14:00:00Z"));
        assert_eq!(day_end(d, Sydney), utc("2026-10-04T13:00:00Z"), "the day the clocks go forward is 23 hours");
        // Santiago moved its clocks at midnight: 2022-09-11 began at 01:00.
        let santiago: Tz = "America/Santiago".parse().unwrap();
        let skipped = NaiveDate::from_ymd_opt(2022, 9, 11).unwrap();
        assert_eq!(day_start(skipped, santiago), utc("2022-09-11T04:00:00Z"));
    }

    #[test]
    fn a_clock_time_comes_round_today_if_still_ahead_else_tomorrow() {
        let clock = UserClock { tz: Sydney, now: utc("2026-12-01T10:00:00Z") }; // 21:00 in Sydney
        let six = parse_clock("06:00").unwrap();
        assert_eq!(next_occurrence(six, clock).unwrap(), utc("2026-12-01T19:00:00Z"), "06:00 tomorrow");
        let late = parse_clock("23:30").unwrap();
        assert_eq!(next_occurrence(late, clock).unwrap(), utc("2026-12-01T12:30:00Z"), "23:30 today");
        assert_eq!(parse_clock("6:05"), NaiveTime::from_hms_opt(6, 5, 0));
        assert!(parse_clock("25:00").is_none());
        assert!(parse_clock("6am").is_none());
    }
}
