//! Community events: meet-ups anyone may find and attend. The host is the first attendee and counts
//! toward `max_attendees`, which holds however many try to attend at once (see [`attend`]).

use chrono::{DateTime, Duration, Utc};
use pam_kernel::schema_rules::{BodyRules, Rules};
use pam_kernel::{DomainError, FieldError, ListMeta, Page, text};
use pam_store::with_db;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::SocialState;

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[schema(as = NewCommunityEvent)]
pub struct NewEvent {
    /// 1–200 characters.
    #[schema(
        example = "Sunset drinks at the Lake Keepit camp kitchen",
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub title: String,
    /// At most 5000 characters.
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub description: String,
    /// When it starts: RFC 3339 with an offset ("2026-05-01T17:30:00+10:00").
    pub event_date: DateTime<Utc>,
    /// Where, as a place name; 1–200 characters.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub location: String,
    /// Given with `longitude`, or not at all.
    #[schema(minimum = -90, maximum = 90)]
    pub latitude: Option<f64>,
    /// Given with `latitude`, or not at all.
    #[schema(minimum = -180, maximum = 180)]
    pub longitude: Option<f64>,
    /// How many may come, the host included (1–100000).
    #[schema(minimum = 1, maximum = 100000)]
    pub max_attendees: Option<i64>,
}

/// What [`check`] asks beyond each field: `latitude` and `longitude` together or not at all (`null` is
/// read as left out). That the event is still to come, and within five years, depends on today.
impl BodyRules for NewEvent {
    fn rules() -> Rules {
        Rules::new().together(&["latitude", "longitude"])
    }
}

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
#[schema(as = CommunityEvent)]
pub struct Event {
    pub id: Uuid,
    /// The host.
    pub user_id: Uuid,
    pub title: String,
    pub description: String,
    pub event_date: DateTime<Utc>,
    pub location: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub max_attendees: Option<i64>,
    /// Everyone coming, the host included.
    pub attendee_count: i64,
    /// Whether the caller is coming.
    pub attending: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = CommunityEventList)]
pub struct EventList {
    pub events: Vec<Event>,
    #[serde(flatten)]
    pub meta: ListMeta,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventQuery {
    /// Include events that already started (default false).
    pub include_past: Option<bool>,
    /// Only events the caller hosts or attends.
    pub mine: Option<bool>,
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Attendance {
    pub event_id: Uuid,
    pub created_at: DateTime<Utc>,
}

/// `$1` is the viewer.
const COLUMNS: &str = "e.id, e.user_id, e.title, e.description, e.event_date, e.location, e.latitude, e.longitude, \
     e.max_attendees, e.created_at, \
     (SELECT count(*) FROM event_attendees a WHERE a.event_id = e.id) AS attendee_count, \
     EXISTS (SELECT 1 FROM event_attendees b WHERE b.event_id = e.id AND b.user_id = $1) AS attending";

fn check(input: &NewEvent, now: DateTime<Utc>) -> Result<(String, String, String), DomainError> {
    let mut errors = Vec::new();
    let mut note = |field: &str, msg: String| errors.push(FieldError::new(&["body", field], msg, "value_error"));
    let mut required = |field: &str, raw: &str, max: usize| match text::optional_text(Some(raw.to_string()), max) {
        Ok(Some(t)) => Some(t),
        Ok(None) => {
            note(field, "must not be blank".into());
            None
        }
        Err(m) => {
            note(field, m);
            None
        }
    };
    let title = required("title", &input.title, 200);
    let location = required("location", &input.location, 200);
    let description = text::optional_text(Some(input.description.clone()), 5000)
        .map_err(|m| note("description", m))
        .ok()
        .map(Option::unwrap_or_default);
    if input.event_date <= now {
        note("event_date", "must be in the future".into());
    } else if input.event_date > now + Duration::days(5 * 366) {
        note("event_date", "must be within five years".into());
    }
    match (input.latitude, input.longitude) {
        (Some(lat), Some(lng)) => {
            let _ = text::latitude(lat).map_err(|m| note("latitude", m));
            let _ = text::longitude(lng).map_err(|m| note("longitude", m));
        }
        (None, None) => {}
        (None, Some(_)) => note("latitude", "give both latitude and longitude, or neither".into()),
        (Some(_), None) => note("longitude", "give both latitude and longitude, or neither".into()),
    }
    if input.max_attendees.is_some_and(|m| !(1..=100_000).contains(&m)) {
        note("max_attendees", "must be between 1 and 100000 (the host counts)".into());
    }
    match (title, location, description) {
        (Some(t), Some(l), Some(d)) if errors.is_empty() => Ok((t, l, d)),
        _ => Err(DomainError::Invalid(errors)),
    }
}

/// Creates an event with its host as the first attendee (both or neither).
pub async fn create(state: &SocialState, user_id: Uuid, input: NewEvent) -> Result<Event, DomainError> {
    let now = Utc::now();
    let (title, location, description) = check(&input, now)?;
    let id = Uuid::now_v7();
    with_db!(&state.db, |pool| {
        let mut tx = pool.begin().await?;
        sqlx::query(
            "INSERT INTO community_events (id, user_id, title, description, event_date, location, latitude, longitude, \
             max_attendees, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
        )
        .bind(id)
        .bind(user_id)
        .bind(&title)
        .bind(&description)
        .bind(input.event_date)
        .bind(&location)
        .bind(input.latitude)
        .bind(input.longitude)
        .bind(input.max_attendees)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query("INSERT INTO event_attendees (event_id, user_id, created_at) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(user_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    })?;
    tracing::info!(user.id = %user_id, event.id = %id, "community event created");
    get(state, user_id, id).await
}

pub async fn get(state: &SocialState, viewer: Uuid, id: Uuid) -> Result<Event, DomainError> {
    let event: Option<Event> = with_db!(&state.db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM community_events e WHERE e.id = $2")))
            .bind(viewer)
            .bind(id)
            .fetch_optional(pool)
            .await
    })?;
    event.ok_or_else(|| DomainError::not_found("Event"))
}

/// Events soonest first; by default only those still to come.
pub async fn list(state: &SocialState, viewer: Uuid, q: &EventQuery, page: Page) -> Result<EventList, DomainError> {
    let mine = if q.mine == Some(true) {
        " AND EXISTS (SELECT 1 FROM event_attendees o WHERE o.event_id = e.id AND o.user_id = $1)"
    } else {
        ""
    };
    // The epoch stands for "no bound": SQLite compares instants as text, which needs four-digit years.
    let from = if q.include_past == Some(true) { DateTime::<Utc>::UNIX_EPOCH } else { Utc::now() };
    let filter = format!("e.event_date >= $2{mine}");
    let (events, total): (Vec<Event>, i64) = with_db!(&state.db, |pool| {
        let events = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM community_events e WHERE {filter} ORDER BY e.event_date, e.id LIMIT $3 OFFSET $4"
        )))
        .bind(viewer)
        .bind(from)
        .bind(page.limit)
        .bind(page.offset)
        .fetch_all(pool)
        .await?;
        // `$1 = $1` keeps the viewer a parameter when `mine` does not use it.
        let total = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT count(*) FROM community_events e WHERE $1 = $1 AND {filter}"
        )))
        .bind(viewer)
        .bind(from)
        .fetch_one(pool)
        .await?;
        Ok::<_, sqlx::Error>((events, total))
    })?;
    Ok(EventList { events, meta: page.meta(total) })
}

/// What an attempt to attend found, decided while holding the event's row.
enum Attempt {
    NoSuchEvent,
    AlreadyComing,
    Started,
    Full,
    Joined,
}

/// Attends an event (attending again changes nothing). The event's row is written first, which holds
/// every other attempt on the same event until this one commits (a row lock on Postgres, the write lock
/// on SQLite); the count read after it therefore includes every earlier acceptance, and the last place
/// goes to exactly one caller. The rest get 409.
pub async fn attend(state: &SocialState, user_id: Uuid, id: Uuid) -> Result<Event, DomainError> {
    let now = Utc::now();
    // An async block per engine, so its early returns leave the block (rolling the transaction back by
    // dropping it), not the function.
    let attempt = with_db!(&state.db, |pool| async {
        let mut tx = pool.begin().await?;
        let event: Option<(Option<i64>, DateTime<Utc>)> = sqlx::query_as(
            "UPDATE community_events SET updated_at = updated_at WHERE id = $1 RETURNING max_attendees, event_date",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((max_attendees, event_date)) = event else { return Ok(Attempt::NoSuchEvent) };
        let coming: i64 =
            sqlx::query_scalar("SELECT count(*) FROM event_attendees WHERE event_id = $1 AND user_id = $2")
                .bind(id)
                .bind(user_id)
                .fetch_one(&mut *tx)
                .await?;
        if coming > 0 {
            return Ok(Attempt::AlreadyComing);
        }
        if event_date <= now {
            return Ok(Attempt::Started);
        }
        let count: i64 = sqlx::query_scalar("SELECT count(*) FROM event_attendees WHERE event_id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        if max_attendees.is_some_and(|max| count >= max) {
            return Ok(Attempt::Full);
        }
        sqlx::query("INSERT INTO event_attendees (event_id, user_id, created_at) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(user_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok::<_, sqlx::Error>(Attempt::Joined)
    }
    .await)?;
    match attempt {
        Attempt::NoSuchEvent => return Err(DomainError::not_found("Event")),
        Attempt::Started => return Err(DomainError::Conflict("This event has already started".into())),
        Attempt::Full => return Err(DomainError::Conflict("This event is full".into())),
        Attempt::Joined => tracing::info!(user.id = %user_id, event.id = %id, "attending a community event"),
        Attempt::AlreadyComing => {}
    }
    get(state, user_id, id).await
}

/// Stops attending (not attending is fine); the host cannot leave their own event.
pub async fn leave(state: &SocialState, user_id: Uuid, id: Uuid) -> Result<(), DomainError> {
    let event = get(state, user_id, id).await?;
    if event.user_id == user_id {
        return Err(DomainError::Conflict("You are hosting this event".into()));
    }
    with_db!(&state.db, |pool| {
        sqlx::query("DELETE FROM event_attendees WHERE event_id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .execute(pool)
            .await
            .map(|_| ())
    })?;
    Ok(())
}

/// The events a user hosts, and every attendance of theirs (the account export).
pub async fn all_of(state: &SocialState, user_id: Uuid) -> Result<(Vec<Event>, Vec<Attendance>), DomainError> {
    Ok(with_db!(&state.db, |pool| {
        let events = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM community_events e WHERE e.user_id = $1 ORDER BY e.event_date"
        )))
        .bind(user_id)
        .fetch_all(pool)
        .await?;
        let attendance =
            sqlx::query_as("SELECT event_id, created_at FROM event_attendees WHERE user_id = $1 ORDER BY created_at")
                .bind(user_id)
                .fetch_all(pool)
                .await?;
        Ok::<_, sqlx::Error>((events, attendance))
    })?)
}
