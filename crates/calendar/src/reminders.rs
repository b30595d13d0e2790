//! An event's reminders: one push per `reminder_minutes` entry, due that many minutes before the start,
//! through the platform's push outbox under the key `reminder:<event id>:<minutes>`. Whenever an event
//! changes, its reminders are rebuilt from it (the title and time they name may have changed too).

use chrono::{Duration, NaiveDate};
use pam_kernel::DomainError;
use pam_platform::outbox::{self, NewPush};
use pam_store::Db;
use uuid::Uuid;

use crate::events::EventRow;
use crate::frames::{self, TimerType, Words};
use crate::time::{self, UserClock};

/// Longest lead time: four weeks.
pub const MAX_MINUTES: i64 = 40_320;
/// Most reminders one event may carry.
pub const MAX_REMINDERS: usize = 10;

/// How late a reminder may still be delivered (a user who connects later than that has missed it).
fn valid_for() -> Duration {
    Duration::hours(1)
}

fn prefix(event_id: Uuid) -> String {
    format!("reminder:{event_id}:")
}

/// The reminder's key names the instant it is for: a moved event's reminder is a new push, even when
/// the reminder for the old time was already delivered.
fn key(event_id: Uuid, minutes: i64, due_at: chrono::DateTime<chrono::Utc>) -> String {
    format!("reminder:{event_id}:{minutes}:{}", due_at.timestamp())
}

/// Checks the lead times: each 0–40320 minutes, at most ten; repeats dropped, soonest-to-start last.
pub fn check_minutes(raw: Vec<i64>) -> Result<Vec<i64>, String> {
    if raw.len() > MAX_REMINDERS {
        return Err(format!("at most {MAX_REMINDERS} reminders"));
    }
    if let Some(bad) = raw.iter().find(|m| !(0..=MAX_MINUTES).contains(*m)) {
        return Err(format!("{bad} is out of range: each must be 0–{MAX_MINUTES} minutes before the start"));
    }
    let mut minutes = raw;
    minutes.sort_unstable_by(|a, b| b.cmp(a));
    minutes.dedup();
    Ok(minutes)
}

/// Replaces the event's scheduled reminders with ones for its current start, title and lead times.
/// Reminders whose time has passed are not scheduled.
pub(crate) async fn sync(db: &Db, event: &EventRow, clock: UserClock) -> Result<(), DomainError> {
    outbox::cancel_prefix(db, &prefix(event.id)).await?;
    for &minutes in &event.reminder_minutes.0 {
        let Some(due_at) = event.starts_at.checked_sub_signed(Duration::minutes(minutes)) else { continue };
        if due_at <= clock.now {
            continue;
        }
        let dedupe_key = key(event.id, minutes, due_at);
        let words = words(event, minutes, clock);
        let frame = frames::timer_expired(event.id, TimerType::Reminder, &words, due_at, &dedupe_key);
        let push =
            NewPush { user_id: event.user_id, kind: "reminder", frame, due_at, valid_for: valid_for(), dedupe_key };
        // Rescheduling replaces a cancelled row under the same key (a reminder put back after a change).
        outbox::reschedule(db, push).await?;
    }
    Ok(())
}

/// Cancels every reminder of the event still to go out.
pub(crate) async fn cancel(db: &Db, event_id: Uuid) -> Result<(), DomainError> {
    outbox::cancel_prefix(db, &prefix(event_id)).await.map(|_| ())
}

/// "Dentist at 09:00" and "Dentist at 09:00 on Saturday 10 January, in 15 minutes.", the time in the
/// user's zone; an all-day event is named by its day.
fn words(event: &EventRow, minutes: i64, clock: UserClock) -> Words {
    let today = clock.today();
    let (label, when) = if event.all_day {
        let (first, _) = event.days();
        (event.title.clone(), format!("on {}", time::day_words(first, today)))
    } else {
        let day: NaiveDate = event.starts_at.with_timezone(&clock.tz).date_naive();
        let at = time::clock_time(event.starts_at, clock.tz);
        (format!("{} at {at}", event.title), format!("at {at} on {}", time::day_words(day, today)))
    };
    let lead = if minutes == 0 {
        "starting now".to_string()
    } else {
        format!("in {}", frames::span_words(minutes.saturating_mul(60)))
    };
    Words { title: format!("Reminder: {}", event.title), message: format!("{} {when}, {lead}.", event.title), label }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lead_times_are_checked_and_tidied() {
        assert_eq!(check_minutes(vec![15, 60, 15, 0]).unwrap(), vec![60, 15, 0]);
        assert!(check_minutes(vec![-1]).is_err());
        assert!(check_minutes(vec![40_321]).is_err());
        assert!(check_minutes(vec![40_320]).is_ok());
        assert!(check_minutes((0..11).collect()).is_err());
    }
}
