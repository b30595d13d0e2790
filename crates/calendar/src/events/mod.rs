//! Calendar events: the service both the REST routes and PAM's tools call. Times are read in the zone
//! they were given in and stored as instants (all-day events as dates); reminders follow every change.

use chrono::Utc;
use chrono_tz::Tz;
use pam_kernel::text;
use pam_kernel::{DomainError, FieldError, Patch};
use pam_store::with_db;
use sqlx::types::Json as SqlJson;
use uuid::Uuid;

use crate::time::{Moment, UserClock};
use crate::{CalendarState, reminders};

mod query;
mod types;
mod when;

pub use query::{Agenda, AgendaPeriod, Range, all, list};
pub(crate) use types::EventRow;
pub use types::{Event, EventFilter, EventList, EventType, EventUpdate, NewEvent};
use when::{Span, invalid};

/// The checked fields of an event, ready to store.
struct Checked {
    title: String,
    description: Option<String>,
    span: Span,
    event_type: EventType,
    location_name: Option<String>,
    reminder_minutes: Vec<i64>,
    timezone: Tz,
}

/// The text fields and lead times, each problem reported at its field.
struct TextFields {
    title: String,
    description: Option<String>,
    location_name: Option<String>,
    reminder_minutes: Vec<i64>,
}

fn check_text(
    title: String,
    description: Option<String>,
    location_name: Option<String>,
    reminder_minutes: Vec<i64>,
) -> Result<TextFields, DomainError> {
    let mut errors = Vec::new();
    let mut note = |field: &str, msg: String| errors.push(FieldError::new(&["body", field], msg, "value_error"));
    let title = match text::optional_text(Some(title), 200) {
        Ok(Some(t)) => Some(t),
        Ok(None) => {
            note("title", "must not be blank".into());
            None
        }
        Err(m) => {
            note("title", m);
            None
        }
    };
    let description = text::optional_text(description, 2000).map_err(|m| note("description", m)).ok();
    let location_name = text::optional_text(location_name, 200).map_err(|m| note("location_name", m)).ok();
    let reminder_minutes = reminders::check_minutes(reminder_minutes).map_err(|m| note("reminder_minutes", m)).ok();
    match (title, description, location_name, reminder_minutes) {
        (Some(title), Some(description), Some(location_name), Some(reminder_minutes)) if errors.is_empty() => {
            Ok(TextFields { title, description, location_name, reminder_minutes })
        }
        _ => Err(DomainError::Invalid(errors)),
    }
}

fn parse_zone(raw: Option<&str>, default: Tz) -> Result<Tz, DomainError> {
    match raw {
        None => Ok(default),
        Some(name) => text::parse_timezone(name)
            .and_then(|n| n.parse::<Tz>().map_err(|_| format!("{name:?} is not an IANA time zone")))
            .map_err(|m| invalid("timezone", m)),
    }
}

pub async fn create(state: &CalendarState, user_id: Uuid, input: NewEvent) -> Result<Event, DomainError> {
    let clock = state.clock_of(user_id).await?;
    create_in(state, user_id, clock, input).await
}

/// Creates it with the zone and time the caller already has (a PAM turn's zone may come from the chat).
pub async fn create_in(
    state: &CalendarState,
    user_id: Uuid,
    clock: UserClock,
    input: NewEvent,
) -> Result<Event, DomainError> {
    let timezone = parse_zone(input.timezone.as_deref(), clock.tz)?;
    let reading = UserClock { tz: timezone, ..clock };
    let start = when::new_start(input.start.as_deref(), input.time.as_deref(), input.all_day, reading)?;
    let all_day = input.all_day.unwrap_or(start.is_date());
    let end = input.end.as_deref().map(|e| when::parse_moment("end", e)).transpose()?;
    let span = when::span(all_day, start, end, timezone)?;
    let t = check_text(input.title, input.description, input.location_name, input.reminder_minutes)?;
    let checked = Checked {
        title: t.title,
        description: t.description,
        span,
        event_type: input.event_type.unwrap_or_default(),
        location_name: t.location_name,
        reminder_minutes: t.reminder_minutes,
        timezone,
    };
    let row = insert(state, user_id, &checked).await?;
    // An event whose reminders could not be scheduled is taken back, so a retry does not leave two.
    if let Err(e) = reminders::sync(&state.db, &row, clock).await {
        if let Err(undo) = pam_kernel::owned::delete(&state.db, "calendar_events", row.id, user_id, "Event").await {
            tracing::error!(user.id = %user_id, event.id = %row.id, error = %undo, "could not take back an event");
        }
        return Err(e);
    }
    tracing::info!(user.id = %user_id, event.id = %row.id, "calendar event created");
    Ok(row.show(clock.tz))
}

async fn insert(state: &CalendarState, user_id: Uuid, c: &Checked) -> Result<EventRow, DomainError> {
    let (starts_at, ends_at) = c.span.instants(c.timezone);
    let (start_date, end_date) = c.span.dates();
    let now = Utc::now();
    let row = with_db!(&state.db, |pool| {
        sqlx::query_as(
            "INSERT INTO calendar_events (id, user_id, title, description, all_day, starts_at, ends_at, start_date, \
             end_date, event_type, location_name, reminder_minutes, timezone, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING *",
        )
        .bind(Uuid::now_v7())
        .bind(user_id)
        .bind(&c.title)
        .bind(&c.description)
        .bind(matches!(c.span, Span::AllDay { .. }))
        .bind(starts_at)
        .bind(ends_at)
        .bind(start_date)
        .bind(end_date)
        .bind(c.event_type.as_str())
        .bind(&c.location_name)
        .bind(SqlJson(&c.reminder_minutes))
        .bind(c.timezone.name())
        .bind(now)
        .fetch_one(pool)
        .await
    })?;
    Ok(row)
}

pub(crate) async fn row(state: &CalendarState, user_id: Uuid, id: Uuid) -> Result<EventRow, DomainError> {
    let row: Option<EventRow> = with_db!(&state.db, |pool| {
        sqlx::query_as("SELECT * FROM calendar_events WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .fetch_optional(pool)
            .await
    })?;
    row.ok_or_else(|| DomainError::not_found("Event"))
}

pub async fn get(state: &CalendarState, user_id: Uuid, id: Uuid) -> Result<Event, DomainError> {
    let tz = state.clock_of(user_id).await?.tz;
    Ok(row(state, user_id, id).await?.show(tz))
}

pub async fn update(state: &CalendarState, user_id: Uuid, id: Uuid, u: EventUpdate) -> Result<Event, DomainError> {
    let clock = state.clock_of(user_id).await?;
    update_in(state, user_id, clock, id, u).await
}

pub async fn update_in(
    state: &CalendarState,
    user_id: Uuid,
    clock: UserClock,
    id: Uuid,
    u: EventUpdate,
) -> Result<Event, DomainError> {
    let current = row(state, user_id, id).await?;
    let span = changed_span(&current, &u, clock)?;
    let timezone = match &u.timezone {
        Patch::Value(name) => parse_zone(Some(name), clock.tz)?,
        Patch::Null => clock.tz,
        // New times are given in the user's zone; untouched ones keep the zone they were given in.
        Patch::Absent if span.is_some() => clock.tz,
        Patch::Absent => current.zone(),
    };
    let span = match span {
        Some(span) => span,
        None if current.all_day => {
            let (first, last) = current.days();
            Span::AllDay { first, last }
        }
        None => Span::Timed { start: current.starts_at, end: current.ends_at },
    };
    let title = match u.title {
        Patch::Value(t) => t,
        Patch::Null => return Err(invalid("title", "must not be null")),
        Patch::Absent => current.title.clone(),
    };
    let t = check_text(
        title,
        u.description.apply(current.description.clone()),
        u.location_name.apply(current.location_name.clone()),
        u.reminder_minutes.apply(Some(current.reminder_minutes.0.clone())).unwrap_or_default(),
    )?;
    let event_type = match u.event_type {
        Patch::Value(e) => e,
        Patch::Null => EventType::default(),
        Patch::Absent => EventType::from_stored(&current.event_type),
    };
    let c = Checked {
        title: t.title,
        description: t.description,
        span,
        event_type,
        location_name: t.location_name,
        reminder_minutes: t.reminder_minutes,
        timezone,
    };
    let (starts_at, ends_at) = c.span.instants(c.timezone);
    let (start_date, end_date) = c.span.dates();
    let updated: Option<EventRow> = with_db!(&state.db, |pool| {
        sqlx::query_as(
            "UPDATE calendar_events SET title = $3, description = $4, all_day = $5, starts_at = $6, ends_at = $7, \
             start_date = $8, end_date = $9, event_type = $10, location_name = $11, reminder_minutes = $12, \
             timezone = $13, updated_at = $14 WHERE id = $1 AND user_id = $2 RETURNING *",
        )
        .bind(id)
        .bind(user_id)
        .bind(&c.title)
        .bind(&c.description)
        .bind(matches!(c.span, Span::AllDay { .. }))
        .bind(starts_at)
        .bind(ends_at)
        .bind(start_date)
        .bind(end_date)
        .bind(c.event_type.as_str())
        .bind(&c.location_name)
        .bind(SqlJson(&c.reminder_minutes))
        .bind(c.timezone.name())
        .bind(Utc::now())
        .fetch_optional(pool)
        .await
    })?;
    let updated = updated.ok_or_else(|| DomainError::not_found("Event"))?;
    reminders::sync(&state.db, &updated, clock).await?;
    Ok(updated.show(clock.tz))
}

/// The new span when the update touches the start, the end or all_day; `None` when it leaves them.
fn changed_span(current: &EventRow, u: &EventUpdate, clock: UserClock) -> Result<Option<Span>, DomainError> {
    if matches!((&u.start, &u.end, &u.all_day), (Patch::Absent, Patch::Absent, Patch::Absent)) {
        return Ok(None);
    }
    let tz = match &u.timezone {
        Patch::Value(name) => parse_zone(Some(name), clock.tz)?,
        _ => clock.tz,
    };
    let old = if current.all_day {
        let (first, last) = current.days();
        Span::AllDay { first, last }
    } else {
        Span::Timed { start: current.starts_at, end: current.ends_at }
    };
    let start = match &u.start {
        Patch::Value(s) => Some(when::parse_moment("start", s)?),
        Patch::Null => return Err(invalid("start", "must not be null")),
        Patch::Absent => None,
    };
    let all_day = match u.all_day {
        Patch::Value(b) => b,
        Patch::Null => return Err(invalid("all_day", "must not be null")),
        Patch::Absent => start.map_or(current.all_day, |s| s.is_date()),
    };
    // The start as it stands when only the end or all_day changes: its day, or its instant.
    let start = start.unwrap_or_else(|| match old {
        Span::AllDay { first, .. } => Moment::Date(first),
        Span::Timed { start, .. } => Moment::Exact(start.with_timezone(&current.zone()).fixed_offset()),
    });
    let span = match &u.end {
        Patch::Value(e) => when::span(all_day, start, Some(when::parse_moment("end", e)?), tz)?,
        Patch::Null => when::span(all_day, start, None, tz)?,
        Patch::Absent if matches!(u.start, Patch::Value(_)) => when::moved(old, start, all_day, tz)?,
        Patch::Absent => {
            let end = match old {
                Span::AllDay { last, .. } if all_day => Some(Moment::Date(last)),
                Span::Timed { end, .. } if !all_day => Some(Moment::Exact(end.fixed_offset())),
                // Switching between timed and all-day: the new kind's default end.
                _ => None,
            };
            when::span(all_day, start, end, tz)?
        }
    };
    Ok(Some(span))
}

/// Deletes the event and cancels its reminders (first: a reminder must not outlive its event).
pub async fn delete(state: &CalendarState, user_id: Uuid, id: Uuid) -> Result<(), DomainError> {
    let event = row(state, user_id, id).await?;
    reminders::cancel(&state.db, event.id).await?;
    pam_kernel::owned::delete(&state.db, "calendar_events", id, user_id, "Event").await?;
    tracing::info!(user.id = %user_id, event.id = %id, "calendar event deleted");
    Ok(())
}
