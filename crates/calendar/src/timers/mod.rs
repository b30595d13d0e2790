//! Timers and alarms: the service both the REST routes and PAM's tool call. Each timer is one row here
//! and one push in the platform's outbox (`timer:<id>`), due when it should ring; dismissing or deleting
//! cancels the push, which the outbox guarantees cannot then go out.

use chrono::{DateTime, Duration, Utc};
use pam_kernel::text;
use pam_kernel::{DomainError, FieldError, Page};
use pam_platform::outbox::{self, NewPush};
use pam_store::with_db;
use uuid::Uuid;

use crate::CalendarState;
use crate::frames::{self, TimerType, Words};
use crate::time::{self, Moment, UserClock};

mod types;

pub(crate) use types::TimerRow;
pub use types::{DismissRequest, Dismissed, NewTimer, Timer, TimerKind, TimerList, TimerStatus};

/// The longest timer: a week.
pub const MAX_SECONDS: i64 = 7 * 86_400;
/// How far ahead an alarm may be set.
const MAX_AHEAD: Duration = Duration::days(366);

fn key(id: Uuid) -> String {
    format!("timer:{id}")
}

fn invalid(field: &str, msg: impl Into<String>) -> DomainError {
    DomainError::invalid(&["body", field], msg)
}

/// A checked timer, ready to store.
struct Planned {
    kind: TimerKind,
    label: Option<String>,
    duration_seconds: Option<i64>,
    alarm_at: Option<String>,
    fires_at: DateTime<Utc>,
}

fn plan(input: NewTimer, clock: UserClock) -> Result<Planned, DomainError> {
    let label = text::optional_text(input.label, 200).map_err(|m| invalid("label", m))?;
    match (input.duration_seconds, input.alarm_at) {
        (Some(_), Some(_)) => {
            Err(invalid("alarm_at", "give duration_seconds (a timer) or alarm_at (an alarm), not both"))
        }
        (Some(seconds), None) => {
            if !(1..=MAX_SECONDS).contains(&seconds) {
                return Err(invalid("duration_seconds", format!("must be between 1 and {MAX_SECONDS} (7 days)")));
            }
            if input.date.is_some() {
                return Err(invalid("date", "only an alarm takes a date"));
            }
            let fires_at = clock.now + Duration::seconds(seconds);
            Ok(Planned { kind: TimerKind::Timer, label, duration_seconds: Some(seconds), alarm_at: None, fires_at })
        }
        (None, Some(raw)) => {
            let (fires_at, alarm_at) = alarm_time(&raw, input.date, clock)?;
            Ok(Planned { kind: TimerKind::Alarm, label, duration_seconds: None, alarm_at: Some(alarm_at), fires_at })
        }
        (None, None) => Err(DomainError::Invalid(vec![FieldError::new(
            &["body", "duration_seconds"],
            "Field required: duration_seconds for a timer, or alarm_at for an alarm",
            "missing",
        )])),
    }
}

/// When an alarm rings, and the time asked as it is kept ("06:00", or the full time as written).
fn alarm_time(
    raw: &str,
    date: Option<chrono::NaiveDate>,
    clock: UserClock,
) -> Result<(DateTime<Utc>, String), DomainError> {
    let (at, asked) = if let Some(t) = time::parse_clock(raw) {
        let at = match date {
            Some(d) => time::local_instant(d.and_time(t), clock.tz),
            None => time::next_occurrence(t, clock),
        };
        (at.map_err(|m| invalid("alarm_at", m))?, t.format("%H:%M").to_string())
    } else {
        let at = match Moment::parse(raw) {
            Ok(m @ (Moment::Local(_) | Moment::Exact(_))) if date.is_none() => m.instant(clock.tz),
            Ok(Moment::Local(_) | Moment::Exact(_)) => {
                return Err(invalid("date", "give a date only with an HH:MM alarm"));
            }
            _ => Err(format!(
                "{:?} is not a time: give HH:MM (24-hour) or an RFC 3339 time",
                raw.chars().take(40).collect::<String>()
            )),
        };
        (at.map_err(|m| invalid("alarm_at", m))?, raw.trim().to_string())
    };
    if at <= clock.now {
        return Err(invalid("alarm_at", "is in the past"));
    }
    if at > clock.now + MAX_AHEAD {
        return Err(invalid("alarm_at", "must be within a year"));
    }
    Ok((at, asked))
}

/// The words the push shows: the label, and what rang in the user's zone.
fn words(p: &Planned, tz: chrono_tz::Tz) -> Words {
    match p.kind {
        TimerKind::Timer => {
            let span = frames::span_words(p.duration_seconds.unwrap_or_default());
            let message = match &p.label {
                Some(l) => format!("Time's up: {l} ({span})."),
                None => format!("Time's up ({span})."),
            };
            Words { label: p.label.clone().unwrap_or_else(|| "Timer".into()), title: "Timer done".into(), message }
        }
        TimerKind::Alarm => {
            let at = time::clock_time(p.fires_at, tz);
            let message = match &p.label {
                Some(l) => format!("{l}: it's {at}."),
                None => format!("It's {at}: your alarm."),
            };
            Words { label: p.label.clone().unwrap_or_else(|| "Alarm".into()), title: "Alarm".into(), message }
        }
    }
}

pub async fn create(state: &CalendarState, user_id: Uuid, input: NewTimer) -> Result<Timer, DomainError> {
    let clock = state.clock_of(user_id).await?;
    create_in(state, user_id, clock, input).await
}

pub async fn create_in(
    state: &CalendarState,
    user_id: Uuid,
    clock: UserClock,
    input: NewTimer,
) -> Result<Timer, DomainError> {
    let p = plan(input, clock)?;
    let id = Uuid::now_v7();
    let now = Utc::now();
    let row: TimerRow = with_db!(&state.db, |pool| {
        sqlx::query_as(
            "INSERT INTO timers_and_alarms (id, user_id, kind, label, duration_seconds, alarm_at, fires_at, status, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'scheduled', $8, $8) RETURNING *",
        )
        .bind(id)
        .bind(user_id)
        .bind(p.kind.as_str())
        .bind(&p.label)
        .bind(p.duration_seconds)
        .bind(&p.alarm_at)
        .bind(p.fires_at)
        .bind(now)
        .fetch_one(pool)
        .await
    })?;
    let timer_type = if p.kind == TimerKind::Alarm { TimerType::Alarm } else { TimerType::Timer };
    let frame = frames::timer_expired(id, timer_type, &words(&p, clock.tz), p.fires_at, &format!("timer-{id}"));
    let push = NewPush {
        user_id,
        kind: "timer",
        frame,
        due_at: p.fires_at,
        valid_for: Duration::hours(1),
        dedupe_key: key(id),
    };
    // A timer that cannot ring is no timer: take the row back so a retry does not leave a silent one.
    if let Err(e) = outbox::schedule(&state.db, push).await {
        if let Err(undo) = pam_kernel::owned::delete(&state.db, "timers_and_alarms", id, user_id, "Timer").await {
            tracing::error!(user.id = %user_id, timer.id = %id, error = %undo, "could not take back a timer");
        }
        return Err(e);
    }
    tracing::info!(user.id = %user_id, timer.id = %id, kind = p.kind.as_str(), "timer set");
    Ok(show(&row, TimerStatus::Scheduled, clock.tz))
}

fn show(row: &TimerRow, status: TimerStatus, tz: chrono_tz::Tz) -> Timer {
    Timer {
        id: row.id,
        kind: if row.kind == "alarm" { TimerKind::Alarm } else { TimerKind::Timer },
        label: row.label.clone(),
        duration_seconds: row.duration_seconds,
        alarm_at: row.alarm_at.clone(),
        fires_at: time::show(row.fires_at, tz),
        status,
    }
}

/// What became of it: the user's own decision stands; a scheduled one is what the outbox says (rung,
/// or missed), kept on the row once learned, since the outbox forgets finished pushes after a week.
async fn status(state: &CalendarState, row: &TimerRow, now: DateTime<Utc>) -> Result<TimerStatus, DomainError> {
    let stored = TimerStatus::from_stored(&row.status);
    // The outbox hands a push out only once it is due.
    if stored != TimerStatus::Scheduled || row.fires_at > now {
        return Ok(stored);
    }
    let seen = match outbox::state(&state.db, &key(row.id)).await? {
        Some(push) => match push.status.as_str() {
            "delivered" => TimerStatus::Fired,
            "missed" => TimerStatus::Missed,
            "cancelled" => TimerStatus::Cancelled,
            _ => TimerStatus::Scheduled,
        },
        // Its push is gone without a word on the row: it cannot be said to have rung.
        None if row.fires_at < now - Duration::hours(1) => TimerStatus::Missed,
        None => TimerStatus::Scheduled,
    };
    if seen != TimerStatus::Scheduled {
        with_db!(&state.db, |pool| {
            sqlx::query(
                "UPDATE timers_and_alarms SET status = $2, updated_at = $3 WHERE id = $1 AND status = 'scheduled'",
            )
            .bind(row.id)
            .bind(seen.as_str())
            .bind(Utc::now())
            .execute(pool)
            .await
            .map(|_| ())
        })?;
    }
    Ok(seen)
}

async fn row(state: &CalendarState, user_id: Uuid, id: Uuid) -> Result<TimerRow, DomainError> {
    let row: Option<TimerRow> = with_db!(&state.db, |pool| {
        sqlx::query_as("SELECT * FROM timers_and_alarms WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .fetch_optional(pool)
            .await
    })?;
    row.ok_or_else(|| DomainError::not_found("Timer"))
}

pub async fn get(state: &CalendarState, user_id: Uuid, id: Uuid) -> Result<Timer, DomainError> {
    let clock = state.clock_of(user_id).await?;
    let row = row(state, user_id, id).await?;
    Ok(show(&row, status(state, &row, clock.now).await?, clock.tz))
}

/// The user's timers, latest to ring first.
pub async fn list(state: &CalendarState, user_id: Uuid, page: Page) -> Result<TimerList, DomainError> {
    let clock = state.clock_of(user_id).await?;
    let rows: Vec<TimerRow> = with_db!(&state.db, |pool| {
        sqlx::query_as(
            "SELECT * FROM timers_and_alarms WHERE user_id = $1 ORDER BY fires_at DESC, id DESC LIMIT $2 OFFSET $3",
        )
        .bind(user_id)
        .bind(page.limit)
        .bind(page.offset)
        .fetch_all(pool)
        .await
    })?;
    let total: i64 = with_db!(&state.db, |pool| {
        sqlx::query_scalar("SELECT count(*) FROM timers_and_alarms WHERE user_id = $1")
            .bind(user_id)
            .fetch_one(pool)
            .await
    })?;
    let mut timers = Vec::with_capacity(rows.len());
    for row in &rows {
        timers.push(show(row, status(state, row, clock.now).await?, clock.tz));
    }
    Ok(TimerList { timers, meta: page.meta(total) })
}

/// Stops it: the push is cancelled first, so once this returns it cannot ring. A deleted timer stays
/// deleted (`cancelled`).
pub async fn dismiss(state: &CalendarState, user_id: Uuid, id: Uuid) -> Result<Timer, DomainError> {
    set_final(state, user_id, id, TimerStatus::Dismissed).await
}

/// Deletes it: the push is cancelled and the timer kept as `cancelled`.
pub async fn cancel(state: &CalendarState, user_id: Uuid, id: Uuid) -> Result<Timer, DomainError> {
    set_final(state, user_id, id, TimerStatus::Cancelled).await
}

async fn set_final(state: &CalendarState, user_id: Uuid, id: Uuid, to: TimerStatus) -> Result<Timer, DomainError> {
    let clock = state.clock_of(user_id).await?;
    // Ownership first: another user's id must not cancel anything.
    row(state, user_id, id).await?;
    outbox::cancel(&state.db, &key(id)).await?;
    let updated: Option<TimerRow> = with_db!(&state.db, |pool| {
        sqlx::query_as(
            "UPDATE timers_and_alarms SET status = $3, updated_at = $4 \
             WHERE id = $1 AND user_id = $2 AND status <> 'cancelled' RETURNING *",
        )
        .bind(id)
        .bind(user_id)
        .bind(to.as_str())
        .bind(Utc::now())
        .fetch_optional(pool)
        .await
    })?;
    let row = match updated {
        Some(row) => row,
        None => row(state, user_id, id).await?,
    };
    tracing::info!(user.id = %user_id, timer.id = %id, status = row.status.as_str(), "timer stopped");
    Ok(show(&row, TimerStatus::from_stored(&row.status), clock.tz))
}

/// Every timer of a user (the account export), as stored.
pub async fn all(state: &CalendarState, user_id: Uuid, tz: chrono_tz::Tz) -> Result<Vec<Timer>, DomainError> {
    let rows: Vec<TimerRow> = with_db!(&state.db, |pool| {
        sqlx::query_as("SELECT * FROM timers_and_alarms WHERE user_id = $1 ORDER BY fires_at, id")
            .bind(user_id)
            .fetch_all(pool)
            .await
    })?;
    Ok(rows.iter().map(|r| show(r, TimerStatus::from_stored(&r.status), tz)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::America::Denver;

    fn clock() -> UserClock {
        UserClock { tz: Denver, now: "2026-12-01T20:00:00Z".parse().unwrap() } // 13:00 in Denver
    }

    fn new(duration: Option<i64>, alarm: Option<&str>) -> NewTimer {
        NewTimer { duration_seconds: duration, alarm_at: alarm.map(str::to_string), ..NewTimer::default() }
    }

    #[test]
    fn timers_run_one_second_to_seven_days() {
        assert!(plan(new(Some(0), None), clock()).is_err());
        assert!(plan(new(Some(MAX_SECONDS + 1), None), clock()).is_err());
        let p = plan(new(Some(600), None), clock()).unwrap();
        assert_eq!(p.fires_at, clock().now + Duration::minutes(10));
        assert!(plan(new(Some(600), Some("06:00")), clock()).is_err(), "not both");
        assert!(plan(new(None, None), clock()).is_err(), "one of them");
    }

    #[test]
    fn alarms_ring_at_the_next_local_time_or_on_the_day_given() {
        let p = plan(new(None, Some("06:00")), clock()).unwrap();
        assert_eq!(p.fires_at, "2026-12-02T13:00:00Z".parse::<DateTime<Utc>>().unwrap(), "06:00 tomorrow in Denver");
        assert_eq!(p.alarm_at.as_deref(), Some("06:00"));
        let on_day = NewTimer { date: chrono::NaiveDate::from_ymd_opt(2026, 12, 5), ..new(None, Some("6:30")) };
        assert_eq!(plan(on_day, clock()).unwrap().fires_at, "2026-12-05T13:30:00Z".parse::<DateTime<Utc>>().unwrap());
        let past = NewTimer { date: chrono::NaiveDate::from_ymd_opt(2026, 11, 30), ..new(None, Some("06:00")) };
        assert!(plan(past, clock()).is_err());
        assert!(plan(new(None, Some("soon")), clock()).is_err());
        assert!(plan(new(None, Some("2026-12-03T07:00:00-07:00")), clock()).is_ok());
        assert!(plan(new(None, Some("2028-12-03T07:00:00-07:00")), clock()).is_err(), "more than a year ahead");
    }
}
