//! Trips: a route between named places with its computed distance, driving time and fuel, dates, a
//! status, a budget and who may see it. Creating or planning a trip routes it; changing its places
//! routes it again.

pub mod order;
pub mod plan;
mod title;

use chrono::{DateTime, NaiveDate, Utc};
use pam_kernel::text::{Day, Id};
use pam_kernel::{DomainError, ListMeta, Money, Page, Patch, Units};
use pam_store::with_db;
use serde::{Deserialize, Serialize};
use sqlx::types::Json as SqlJson;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::WheelsState;
use crate::units::stored_enum;
use plan::PlaceName;
pub use plan::{RoutePlan, RouteRequest};
use title::{check_title, default_title};

stored_enum! {
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
    pub enum TripStatus {
        #[default]
        Planning = "planning",
        Active = "active",
        Completed = "completed",
        Cancelled = "cancelled",
    }
}

stored_enum! {
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
    pub enum Privacy {
        #[default]
        Private = "private",
        Friends = "friends",
        Public = "public",
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Trip {
    pub id: Uuid,
    pub title: String,
    pub origin: String,
    pub destination: String,
    pub stops: Vec<String>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub status: TripStatus,
    pub budget: Option<Money>,
    pub currency: String,
    pub privacy: Privacy,
    /// The computed route: places, legs, distance, driving time, fuel, and where each came from.
    pub route: Option<RoutePlan>,
    /// Fuel cost against the budget, when both are known.
    pub over_budget: Option<bool>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct TripRow {
    id: Uuid,
    title: String,
    origin: String,
    destination: String,
    stops: SqlJson<Vec<String>>,
    start_date: Option<NaiveDate>,
    end_date: Option<NaiveDate>,
    status: String,
    budget_cents: Option<i64>,
    currency: String,
    privacy: String,
    route: Option<SqlJson<RoutePlan>>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TripRow {
    /// The trip as the user sees it: the route's figures in their units.
    fn into_trip(self, units: Units) -> Trip {
        let r = self;
        let route = r.route.map(|j| j.0.in_units(units));
        let budget = r.budget_cents.map(Money::from_cents);
        let over_budget = match (route.as_ref().and_then(|route| route.fuel.cost), budget) {
            (Some(cost), Some(b)) => Some(cost > b),
            _ => None,
        };
        Trip {
            id: r.id,
            title: r.title,
            origin: r.origin,
            destination: r.destination,
            stops: r.stops.0,
            start_date: r.start_date,
            end_date: r.end_date,
            status: TripStatus::from_db(&r.status),
            budget,
            currency: r.currency,
            privacy: Privacy::from_db(&r.privacy),
            route,
            over_budget,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

const COLUMNS: &str = "id, title, origin, destination, stops, start_date, end_date, status, budget_cents, currency, \
     privacy, route, created_at, updated_at";

/// A trip to plan and save (`POST /trips` and `POST /trips/plan`).
#[derive(Clone, Debug, Deserialize, ToSchema)]
pub struct NewTrip {
    /// 1–200 characters; default: "<origin> to <destination>".
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub title: Option<String>,
    #[serde(flatten)]
    pub route: RouteRequest,
    /// For a trip being planned or under way: not in the past, and within ten years.
    #[schema(value_type = Option<Day>)]
    pub start_date: Option<NaiveDate>,
    /// Not before `start_date`.
    #[schema(value_type = Option<Day>)]
    pub end_date: Option<NaiveDate>,
    #[serde(default)]
    pub status: TripStatus,
    pub budget: Option<Money>,
    #[serde(default)]
    pub privacy: Privacy,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct TripPatch {
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub title: Option<String>,
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub origin: Option<String>,
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub destination: Option<String>,
    #[schema(value_type = Option<Vec<PlaceName>>, max_items = 25)]
    pub stops: Option<Vec<String>>,
    #[serde(default)]
    #[schema(value_type = Option<Day>)]
    pub start_date: Patch<NaiveDate>,
    #[serde(default)]
    #[schema(value_type = Option<Day>)]
    pub end_date: Patch<NaiveDate>,
    pub status: Option<TripStatus>,
    #[serde(default)]
    #[schema(value_type = Option<Money>)]
    pub budget: Patch<Money>,
    pub privacy: Option<Privacy>,
    #[schema(value_type = Option<Id>)]
    pub vehicle_id: Option<Uuid>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TripFilter {
    /// planning | active | completed | cancelled.
    pub status: Option<TripStatus>,
    /// Page size (1–1000, default 50).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TripList {
    pub trips: Vec<Trip>,
    #[serde(flatten)]
    pub meta: ListMeta,
}

fn check_dates(start: Option<NaiveDate>, end: Option<NaiveDate>) -> Result<(), DomainError> {
    match (start, end) {
        (Some(s), Some(e)) if e < s => {
            Err(DomainError::invalid(&["body", "end_date"], "must not be before start_date"))
        }
        _ => Ok(()),
    }
}

fn check_budget(budget: Option<Money>) -> Result<(), DomainError> {
    match budget {
        Some(b) if b.cents() <= 0 => Err(DomainError::invalid(&["body", "budget"], "must be greater than 0")),
        _ => Ok(()),
    }
}

/// Routes and saves a new trip.
pub async fn create(state: &WheelsState, user_id: Uuid, new: NewTrip) -> Result<Trip, DomainError> {
    let locale = state.locales.of(user_id).await?;
    let title = match &new.title {
        Some(t) => check_title(t)?,
        None => default_title(&new.route.origin, &new.route.destination),
    };
    if matches!(new.status, TripStatus::Planning | TripStatus::Active) {
        plan::check_start(new.start_date, locale.today())?;
    }
    check_dates(new.start_date, new.end_date)?;
    check_budget(new.budget)?;
    let route = plan::plan(state, user_id, &new.route).await?;
    // "Here" (a position) is stored as the place it was taken to be, not as numbers.
    let origin = route.places.first().map(|p| p.name.clone()).unwrap_or_else(|| new.route.origin.trim().to_string());
    let title = if new.title.is_none() && origin != new.route.origin.trim() {
        check_title(&format!("{} to {}", origin, new.route.destination.trim()))?
    } else {
        title
    };
    // The stops in the order the route takes them (they may have been reordered).
    let stops: Vec<String> =
        route.places[1..route.places.len().saturating_sub(1)].iter().map(|p| p.name.clone()).collect();
    let id = Uuid::now_v7();
    let now = Utc::now();
    with_db!(&state.db, |pool| {
        sqlx::query(
            "INSERT INTO user_trips (id, user_id, title, origin, destination, stops, start_date, end_date, status, \
             budget_cents, currency, privacy, route, distance_km, duration_minutes, fuel_litres, fuel_cost_cents, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, \
             $17, $18, $18)",
        )
        .bind(id)
        .bind(user_id)
        .bind(&title)
        .bind(&origin)
        .bind(new.route.destination.trim())
        .bind(SqlJson(&stops))
        .bind(new.start_date)
        .bind(new.end_date)
        .bind(TripStatus::as_str(new.status))
        .bind(new.budget.map(|b| b.cents()))
        .bind(&locale.currency)
        .bind(Privacy::as_str(new.privacy))
        .bind(SqlJson(route.clone().canonical()))
        .bind(route.distance_km)
        .bind(route.duration_minutes)
        .bind(route.fuel.litres)
        .bind(route.fuel.cost.map(|c| c.cents()))
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    get(state, user_id, id).await
}

pub async fn get(state: &WheelsState, user_id: Uuid, id: Uuid) -> Result<Trip, DomainError> {
    let row: Option<TripRow> = with_db!(&state.db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM user_trips WHERE id = $1 AND user_id = $2")))
            .bind(id)
            .bind(user_id)
            .fetch_optional(pool)
            .await
    })?;
    let units = state.locales.of(user_id).await?.units;
    row.map(|r| r.into_trip(units)).ok_or_else(|| DomainError::not_found("Trip"))
}

pub async fn list(
    state: &WheelsState,
    user_id: Uuid,
    filter: &TripFilter,
    page: Page,
) -> Result<TripList, DomainError> {
    let status = filter.status.map(TripStatus::as_str);
    let (rows, total): (Vec<TripRow>, i64) = with_db!(&state.db, |pool| {
        let rows = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM user_trips WHERE user_id = $1 AND ($2 IS NULL OR status = $2) \
             ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4"
        )))
        .bind(user_id)
        .bind(status)
        .bind(page.limit)
        .bind(page.offset)
        .fetch_all(pool)
        .await?;
        let total =
            sqlx::query_scalar("SELECT COUNT(*) FROM user_trips WHERE user_id = $1 AND ($2 IS NULL OR status = $2)")
                .bind(user_id)
                .bind(status)
                .fetch_one(pool)
                .await?;
        Ok::<_, sqlx::Error>((rows, total))
    })?;
    let units = state.locales.of(user_id).await?.units;
    Ok(TripList { trips: rows.into_iter().map(|r| r.into_trip(units)).collect(), meta: page.meta(total) })
}

/// Every trip of the user (account export).
pub async fn all(state: &WheelsState, user_id: Uuid) -> Result<Vec<Trip>, DomainError> {
    let rows: Vec<TripRow> = with_db!(&state.db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM user_trips WHERE user_id = $1 ORDER BY created_at"
        )))
        .bind(user_id)
        .fetch_all(pool)
        .await
    })?;
    let units = state.locales.of(user_id).await?.units;
    Ok(rows.into_iter().map(|r| r.into_trip(units)).collect())
}

pub async fn update(state: &WheelsState, user_id: Uuid, id: Uuid, patch: TripPatch) -> Result<Trip, DomainError> {
    let current = get(state, user_id, id).await?;
    let title = match &patch.title {
        Some(t) => check_title(t)?,
        None => current.title.clone(),
    };
    let start_date = patch.start_date.apply(current.start_date);
    let end_date = patch.end_date.apply(current.end_date);
    check_dates(start_date, end_date)?;
    let budget = patch.budget.apply(current.budget);
    check_budget(budget)?;
    let replaced = patch.origin.is_some() || patch.destination.is_some() || patch.stops.is_some();
    let origin = patch.origin.unwrap_or(current.origin);
    let destination = patch.destination.unwrap_or(current.destination);
    let stops = patch.stops.unwrap_or(current.stops);
    let route = if replaced || patch.vehicle_id.is_some() {
        let req = RouteRequest {
            origin: origin.clone(),
            destination: destination.clone(),
            stops: stops.clone(),
            vehicle_id: patch.vehicle_id,
            optimize_stops: false,
        };
        Some(plan::plan(state, user_id, &req).await?)
    } else {
        current.route
    };
    let status = patch.status.unwrap_or(current.status);
    let privacy = patch.privacy.unwrap_or(current.privacy);
    let now = Utc::now();
    with_db!(&state.db, |pool| {
        sqlx::query(
            "UPDATE user_trips SET title = $3, origin = $4, destination = $5, stops = $6, start_date = $7, end_date = $8, \
             status = $9, budget_cents = $10, privacy = $11, route = $12, distance_km = $13, duration_minutes = $14, \
             fuel_litres = $15, fuel_cost_cents = $16, updated_at = $17 WHERE id = $1 AND user_id = $2",
        )
        .bind(id)
        .bind(user_id)
        .bind(&title)
        .bind(origin.trim())
        .bind(destination.trim())
        .bind(SqlJson(&stops))
        .bind(start_date)
        .bind(end_date)
        .bind(TripStatus::as_str(status))
        .bind(budget.map(|b| b.cents()))
        .bind(Privacy::as_str(privacy))
        .bind(route.clone().map(|r| SqlJson(r.canonical())))
        .bind(route.as_ref().map(|r| r.distance_km))
        .bind(route.as_ref().map(|r| r.duration_minutes))
        .bind(route.as_ref().map(|r| r.fuel.litres))
        .bind(route.as_ref().and_then(|r| r.fuel.cost.map(|c| c.cents())))
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    get(state, user_id, id).await
}

pub async fn delete(state: &WheelsState, user_id: Uuid, id: Uuid) -> Result<(), DomainError> {
    pam_kernel::owned::delete(&state.db, "user_trips", id, user_id, "Trip").await
}
