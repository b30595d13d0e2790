//! Profiles: the rows every user has from first sight, and their reads and updates.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use pam_kernel::money::CurrencyCode;
use pam_kernel::money::currency_for_region;
use pam_kernel::text::{ListItem, TimeZoneName};
use pam_kernel::text::{latitude, longitude, optional_text, parse_language, parse_timezone, tag_list};
use pam_kernel::{Currency, Locale, Patch, Units};
use pam_kernel::{DomainError, FieldError};
use pam_store::{Db, with_db};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::types::Json as SqlJson;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::ProfilesState;
// The operators' functions over accounts live in `accounts`; these names stay for their callers.
pub use crate::accounts::{AccountSummary, find_account, list_accounts, set_admin, set_role};
use crate::settings::{PrivacySettings, UserSettings};

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Profile {
    pub id: Uuid,
    pub email: Option<String>,
    pub full_name: Option<String>,
    pub nickname: Option<String>,
    pub region: Option<String>,
    pub language: String,
    /// ISO 4217 code.
    pub currency: String,
    /// IANA zone; null until the user sets one.
    pub timezone: Option<String>,
    #[schema(value_type = Units)]
    pub preferred_units: String,
    #[schema(value_type = Vec<String>)]
    pub travel_style: SqlJson<Vec<String>>,
    #[schema(value_type = Vec<String>)]
    pub interests: SqlJson<Vec<String>>,
    /// Any JSON the user gave.
    #[schema(value_type = Option<Value>)]
    pub pets: Option<SqlJson<Value>>,
    /// Any JSON the user gave.
    #[schema(value_type = Option<Value>)]
    pub accessibility: Option<SqlJson<Value>>,
    pub current_latitude: Option<f64>,
    pub current_longitude: Option<f64>,
    /// Free-form summary of the user's rig, shown with the profile (any JSON the user gave).
    #[schema(value_type = Option<Value>)]
    pub vehicle: Option<SqlJson<Value>>,
    pub profile_image_url: Option<String>,
    pub partner_profile_image_url: Option<String>,
    /// `user` or `admin`.
    pub role: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// PUT replaces every field (absent = default); PATCH changes only the fields present (`null` clears).
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ProfileUpdate {
    #[serde(default)]
    #[schema(value_type = Option<String>, max_length = 200)]
    pub full_name: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>, max_length = 100)]
    pub nickname: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>, max_length = 100)]
    pub region: Patch<String>,
    /// A language tag (`en`, `en-AU`); null goes back to `en`.
    #[serde(default)]
    #[schema(
        value_type = Option<String>,
        example = "en-AU",
        min_length = 2,
        max_length = 35,
        pattern = r"^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$"
    )]
    pub language: Patch<String>,
    /// Null goes back to the region's currency.
    #[serde(default)]
    #[schema(value_type = Option<CurrencyCode>)]
    pub currency: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<TimeZoneName>)]
    pub timezone: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<Units>)]
    pub preferred_units: Patch<Units>,
    /// At most 50, each at most 100 characters.
    #[serde(default)]
    #[schema(value_type = Option<Vec<ListItem>>, max_items = 50)]
    pub travel_style: Patch<Vec<String>>,
    /// At most 50, each at most 100 characters.
    #[serde(default)]
    #[schema(value_type = Option<Vec<ListItem>>, max_items = 50)]
    pub interests: Patch<Vec<String>>,
    #[serde(default)]
    #[schema(value_type = FreeJson)]
    pub pets: Patch<Value>,
    #[serde(default)]
    #[schema(value_type = FreeJson)]
    pub accessibility: Patch<Value>,
    #[serde(default)]
    #[schema(value_type = Option<f64>, minimum = -90, maximum = 90)]
    pub current_latitude: Patch<f64>,
    #[serde(default)]
    #[schema(value_type = Option<f64>, minimum = -180, maximum = 180)]
    pub current_longitude: Patch<f64>,
    #[serde(default)]
    #[schema(value_type = FreeJson)]
    pub vehicle: Patch<Value>,
}

/// Creates the profile, settings and privacy rows a user needs, if they are missing. Idempotent, so a
/// crash between the inserts heals on the next request.
pub async fn ensure_defaults(
    db: &Db,
    user_id: Uuid,
    email: Option<&str>,
    full_name: Option<&str>,
    region: Option<&str>,
) -> Result<(), DomainError> {
    let now = Utc::now();
    let currency = currency_for_region(region);
    let units = Units::for_region(region).as_str();
    let settings = UserSettings::default();
    let privacy = PrivacySettings::default();
    with_db!(db, |pool| {
        let mut tx = pool.begin().await?;
        sqlx::query(
            "INSERT INTO profiles (id, email, full_name, region, language, currency, timezone, preferred_units, \
             travel_style, interests, role, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, 'en', $5, NULL, $6, $7, $7, 'user', $8, $8) ON CONFLICT (id) DO NOTHING",
        )
        .bind(user_id)
        .bind(email)
        .bind(full_name)
        .bind(region)
        .bind(currency)
        .bind(units)
        .bind(SqlJson(Vec::<String>::new()))
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO user_settings (user_id, notifications, display, regional, pam, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (user_id) DO NOTHING",
        )
        .bind(user_id)
        .bind(SqlJson(&settings.notifications))
        .bind(SqlJson(&settings.display))
        .bind(SqlJson(&settings.regional))
        .bind(SqlJson(&settings.pam))
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO privacy_settings (user_id, profile_visibility, location_sharing, allow_messages, \
             show_activity, data_collection, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (user_id) DO NOTHING",
        )
        .bind(user_id)
        .bind(privacy.profile_visibility.as_str())
        .bind(privacy.location_sharing)
        .bind(privacy.allow_messages.as_str())
        .bind(privacy.show_activity)
        .bind(privacy.data_collection)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    })?;
    Ok(())
}

/// A profile through the in-process cache (SPEC §7: profiles cached, invalidated on write). Every write
/// below goes through [`forget`], so this instance never serves a stale profile.
pub async fn get_cached(state: &ProfilesState, user_id: Uuid) -> Result<Arc<Profile>, DomainError> {
    let mark = state.cache.mark();
    if let Some(hit) = state.cache.get(&user_id) {
        return Ok(hit);
    }
    let profile = Arc::new(get(&state.db, user_id).await?);
    state.cache.insert(user_id, profile.clone(), mark);
    Ok(profile)
}

/// Drops the cached profile here and on every other instance.
pub fn forget(state: &ProfilesState, user_id: Uuid) {
    state.cache.invalidate(&user_id);
}

pub async fn get(db: &Db, user_id: Uuid) -> Result<Profile, DomainError> {
    let profile: Option<Profile> = with_db!(db, |pool| {
        sqlx::query_as("SELECT * FROM profiles WHERE id = $1").bind(user_id).fetch_optional(pool).await
    })?;
    profile.ok_or_else(|| DomainError::not_found("Profile"))
}

/// Applies an update (PATCH, or PUT with `replace`) after checking every field; all problems are
/// reported together.
pub async fn update(
    state: &ProfilesState,
    user_id: Uuid,
    update: ProfileUpdate,
    replace: bool,
) -> Result<Profile, DomainError> {
    let db = &state.db;
    let current = get(db, user_id).await?;
    let next = apply(current, update, replace)?;
    let saved: Profile = with_db!(db, |pool| {
        sqlx::query_as(
            "UPDATE profiles SET full_name = $2, nickname = $3, region = $4, language = $5, currency = $6, \
             timezone = $7, preferred_units = $8, travel_style = $9, interests = $10, pets = $11, \
             accessibility = $12, current_latitude = $13, current_longitude = $14, vehicle = $15, updated_at = $16 \
             WHERE id = $1 RETURNING *",
        )
        .bind(user_id)
        .bind(&next.full_name)
        .bind(&next.nickname)
        .bind(&next.region)
        .bind(&next.language)
        .bind(&next.currency)
        .bind(&next.timezone)
        .bind(&next.preferred_units)
        .bind(&next.travel_style)
        .bind(&next.interests)
        .bind(&next.pets)
        .bind(&next.accessibility)
        .bind(next.current_latitude)
        .bind(next.current_longitude)
        .bind(&next.vehicle)
        .bind(Utc::now())
        .fetch_one(pool)
        .await
    })?;
    forget(state, user_id);
    Ok(saved)
}

/// Largest free-form JSON value (pets, accessibility, vehicle) kept on a profile.
const MAX_FREE_JSON: usize = 16 * 1024;

/// The schema of a free-form JSON field on a profile: any JSON, at most `MAX_FREE_JSON` bytes written
/// compactly (else 422 at the field); `null` clears it. JSON Schema cannot measure a value's length as
/// JSON, so the rule is in the description only: a bound on characters, items or members would either
/// let through values longer than that or refuse ones within it.
pub struct FreeJson;

impl utoipa::PartialSchema for FreeJson {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, SchemaType};
        ObjectBuilder::new()
            .schema_type(SchemaType::AnyValue)
            .description(Some("Any JSON, at most 16 KiB (16384 bytes) of it written compactly"))
            .into()
    }
}

impl ToSchema for FreeJson {}

fn apply(mut p: Profile, u: ProfileUpdate, replace: bool) -> Result<Profile, DomainError> {
    // With PUT an absent field means "back to the default", i.e. the same as null.
    fn norm<T>(patch: Patch<T>, replace: bool) -> Patch<T> {
        match patch {
            Patch::Absent if replace => Patch::Null,
            other => other,
        }
    }
    let mut errors: Vec<FieldError> = Vec::new();
    let mut fail = |field: &str, msg: String| errors.push(FieldError::new(&["body", field], msg, "value_error"));

    for (field, patch, slot, max) in [
        ("full_name", norm(u.full_name, replace), &mut p.full_name, 200),
        ("nickname", norm(u.nickname, replace), &mut p.nickname, 100),
        ("region", norm(u.region, replace), &mut p.region, 100),
    ] {
        match optional_text(patch.apply(slot.clone()), max) {
            Ok(v) => *slot = v,
            Err(m) => fail(field, m),
        }
    }
    match norm(u.language, replace) {
        Patch::Absent => {}
        Patch::Null => p.language = "en".into(),
        Patch::Value(v) => match parse_language(&v) {
            Ok(v) => p.language = v,
            Err(m) => fail("language", m),
        },
    }
    match norm(u.currency, replace) {
        Patch::Absent => {}
        Patch::Null => p.currency = currency_for_region(p.region.as_deref()).into(),
        Patch::Value(v) => match Currency::parse(&v) {
            Ok(c) => p.currency = c.as_str().into(),
            Err(m) => fail("currency", m),
        },
    }
    match norm(u.timezone, replace) {
        Patch::Absent => {}
        Patch::Null => p.timezone = None,
        Patch::Value(v) => match parse_timezone(&v) {
            Ok(tz) => p.timezone = Some(tz),
            Err(m) => fail("timezone", m),
        },
    }
    match norm(u.preferred_units, replace) {
        Patch::Absent => {}
        Patch::Null => p.preferred_units = Units::for_region(p.region.as_deref()).as_str().into(),
        Patch::Value(units) => p.preferred_units = units.as_str().into(),
    }
    for (field, patch, slot) in [
        ("travel_style", norm(u.travel_style, replace), &mut p.travel_style),
        ("interests", norm(u.interests, replace), &mut p.interests),
    ] {
        match patch {
            Patch::Absent => {}
            Patch::Null => slot.0 = Vec::new(),
            Patch::Value(list) => match tag_list(list) {
                Ok(list) => slot.0 = list,
                Err(m) => fail(field, m),
            },
        }
    }
    for (field, patch, slot) in [
        ("pets", norm(u.pets, replace), &mut p.pets),
        ("accessibility", norm(u.accessibility, replace), &mut p.accessibility),
        ("vehicle", norm(u.vehicle, replace), &mut p.vehicle),
    ] {
        match patch.apply(slot.take().map(|j| j.0)) {
            Some(v) if v.to_string().len() > MAX_FREE_JSON => {
                fail(field, format!("must be at most {MAX_FREE_JSON} bytes of JSON"))
            }
            Some(Value::Null) | None => *slot = None,
            Some(v) => *slot = Some(SqlJson(v)),
        }
    }
    match norm(u.current_latitude, replace).apply(p.current_latitude).map(latitude).transpose() {
        Ok(v) => p.current_latitude = v,
        Err(m) => fail("current_latitude", m),
    }
    match norm(u.current_longitude, replace).apply(p.current_longitude).map(longitude).transpose() {
        Ok(v) => p.current_longitude = v,
        Err(m) => fail("current_longitude", m),
    }
    if errors.is_empty() { Ok(p) } else { Err(DomainError::Invalid(errors)) }
}

/// Points the profile (or partner) picture at a newly stored upload.
pub async fn set_image_url(
    state: &ProfilesState,
    user_id: Uuid,
    field: crate::avatar::ImageField,
    url: &str,
) -> Result<Profile, DomainError> {
    // The column name comes from a closed enum, never from input.
    let sql = format!("UPDATE profiles SET {} = $2, updated_at = $3 WHERE id = $1 RETURNING *", field.column());
    let saved: Option<Profile> = with_db!(&state.db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(user_id)
            .bind(url)
            .bind(Utc::now())
            .fetch_optional(pool)
            .await
    })?;
    forget(state, user_id);
    saved.ok_or_else(|| DomainError::not_found("Profile"))
}

/// The user's locale from their profile: zone (UTC until set), currency and unit system.
pub async fn locale(state: &ProfilesState, user_id: Uuid) -> Result<Locale, DomainError> {
    let profile = get_cached(state, user_id).await?;
    Ok(locale_of(&profile))
}

pub fn locale_of(profile: &Profile) -> Locale {
    let tz = profile.timezone.as_deref().and_then(|t| t.parse().ok()).unwrap_or(chrono_tz::UTC);
    Locale { tz, currency: profile.currency.clone(), units: Units::parse(&profile.preferred_units) }
}
