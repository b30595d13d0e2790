//! Shared locations: where a user is, shared for a while (until `expires_at`), with everyone
//! (`is_public`) or with friends. The sharer reads their own exactly; everyone else only ever sees them
//! through [`nearby`](crate::locations::nearby), rounded to about a kilometre.

use chrono::{DateTime, Duration, Utc};
use pam_kernel::schema_rules::{BodyRules, Rules, given};
use pam_kernel::text::Instant;
use pam_kernel::{DomainError, FieldError, ListMeta, Page, text};
use pam_store::{Db, with_db};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::SocialState;

mod nearby;

pub use nearby::{NearbyList, NearbyQuery, NearbyRver, nearby};

/// How long a location stays shared when the caller does not say.
const DEFAULT_HOURS: i64 = 24;
const MAX_DAYS: i64 = 30;

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct NewSharedLocation {
    /// What to call it (default "Current location").
    #[schema(max_length = 100)]
    pub name: Option<String>,
    #[schema(minimum = -90, maximum = 90)]
    pub latitude: f64,
    #[schema(minimum = -180, maximum = 180)]
    pub longitude: f64,
    #[schema(max_length = 500)]
    pub description: Option<String>,
    /// Everyone nearby may see it (rounded); otherwise only friends. Default false.
    pub is_public: Option<bool>,
    /// When it stops being shared (RFC 3339); default 24 hours from now, at most 30 days.
    #[schema(value_type = Option<Instant>)]
    pub expires_at: Option<DateTime<Utc>>,
    /// Instead of `expires_at`: for this many hours (1–720).
    #[schema(minimum = 1, maximum = 720)]
    pub expires_in_hours: Option<i64>,
}

/// What [`check`] asks beyond each field: `expires_at` or `expires_in_hours`, not both (`null` is read as
/// left out). That `expires_at` is within the next 30 days depends on today.
impl BodyRules for NewSharedLocation {
    fn rules() -> Rules {
        Rules::new().at_most_one([given("expires_at"), given("expires_in_hours")])
    }
}

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct SharedLocation {
    pub id: Uuid,
    pub name: String,
    pub latitude: f64,
    pub longitude: f64,
    pub description: Option<String>,
    pub is_public: bool,
    pub expires_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SharedLocationList {
    pub shared_locations: Vec<SharedLocation>,
    #[serde(flatten)]
    pub meta: ListMeta,
}

const COLUMNS: &str = "id, name, latitude, longitude, description, is_public, expires_at, created_at";

fn check(
    input: &NewSharedLocation,
    now: DateTime<Utc>,
) -> Result<(String, Option<String>, DateTime<Utc>), DomainError> {
    let mut errors = Vec::new();
    let mut note = |field: &str, msg: String| errors.push(FieldError::new(&["body", field], msg, "value_error"));
    let name = text::optional_text(input.name.clone(), 100).map_err(|m| note("name", m)).ok().flatten();
    let description = text::optional_text(input.description.clone(), 500).map_err(|m| note("description", m)).ok();
    let _ = text::latitude(input.latitude).map_err(|m| note("latitude", m));
    let _ = text::longitude(input.longitude).map_err(|m| note("longitude", m));
    let latest = now + Duration::days(MAX_DAYS);
    let expires_at = match (input.expires_at, input.expires_in_hours) {
        (Some(_), Some(_)) => {
            note("expires_in_hours", "give expires_at or expires_in_hours, not both".into());
            None
        }
        (Some(at), None) => Some(at),
        (None, Some(hours)) if (1..=MAX_DAYS * 24).contains(&hours) => Some(now + Duration::hours(hours)),
        (None, Some(_)) => {
            note("expires_in_hours", format!("must be between 1 and {}", MAX_DAYS * 24));
            None
        }
        (None, None) => Some(now + Duration::hours(DEFAULT_HOURS)),
    };
    if let Some(at) = expires_at
        && !(at > now && at <= latest)
    {
        note("expires_at", format!("must be in the future and at most {MAX_DAYS} days away"));
    }
    match (description, expires_at) {
        (Some(description), Some(at)) if errors.is_empty() => {
            Ok((name.unwrap_or_else(|| "Current location".into()), description, at))
        }
        _ => Err(DomainError::Invalid(errors)),
    }
}

/// Shares a location. Refused while the user's own privacy settings keep their location to themselves:
/// nobody would see it, and a silent no-op would mislead them.
pub async fn share(
    state: &SocialState,
    user_id: Uuid,
    input: NewSharedLocation,
) -> Result<SharedLocation, DomainError> {
    let now = Utc::now();
    let (name, description, expires_at) = check(&input, now)?;
    if !state.people.privacy(user_id).await?.location_sharing {
        return Err(DomainError::Conflict(
            "Location sharing is off in your privacy settings; turn it on to share where you are".into(),
        ));
    }
    let shared: SharedLocation = with_db!(&state.db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "INSERT INTO shared_locations (id, user_id, name, latitude, longitude, description, is_public, expires_at, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING {COLUMNS}"
        )))
        .bind(Uuid::now_v7())
        .bind(user_id)
        .bind(&name)
        .bind(input.latitude)
        .bind(input.longitude)
        .bind(&description)
        .bind(input.is_public.unwrap_or(false))
        .bind(expires_at)
        .bind(now)
        .fetch_one(pool)
        .await
    })?;
    tracing::info!(user.id = %user_id, shared_location.id = %shared.id, "location shared");
    Ok(shared)
}

/// The caller's own locations still shared, newest first; expired ones are never returned.
pub async fn list(state: &SocialState, user_id: Uuid, page: Page) -> Result<SharedLocationList, DomainError> {
    let now = Utc::now();
    let (shared_locations, total): (Vec<SharedLocation>, i64) = with_db!(&state.db, |pool| {
        let rows = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM shared_locations WHERE user_id = $1 AND expires_at > $2 \
             ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4"
        )))
        .bind(user_id)
        .bind(now)
        .bind(page.limit)
        .bind(page.offset)
        .fetch_all(pool)
        .await?;
        let total = sqlx::query_scalar("SELECT count(*) FROM shared_locations WHERE user_id = $1 AND expires_at > $2")
            .bind(user_id)
            .bind(now)
            .fetch_one(pool)
            .await?;
        Ok::<_, sqlx::Error>((rows, total))
    })?;
    Ok(SharedLocationList { shared_locations, meta: page.meta(total) })
}

/// Stops sharing one of the caller's locations.
pub async fn stop(state: &SocialState, user_id: Uuid, id: Uuid) -> Result<(), DomainError> {
    pam_kernel::owned::delete(&state.db, "shared_locations", id, user_id, "Shared location").await
}

/// Removes every expired shared location (for the periodic cleanup job); returns how many.
pub async fn remove_expired(db: &Db, now: DateTime<Utc>) -> Result<u64, DomainError> {
    Ok(with_db!(db, |pool| {
        sqlx::query("DELETE FROM shared_locations WHERE expires_at <= $1")
            .bind(now)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })?)
}

/// Every location a user shared, expired ones included (the account export).
pub async fn all_of(state: &SocialState, user_id: Uuid) -> Result<Vec<SharedLocation>, DomainError> {
    Ok(with_db!(&state.db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM shared_locations WHERE user_id = $1 ORDER BY created_at"
        )))
        .bind(user_id)
        .fetch_all(pool)
        .await
    })?)
}
