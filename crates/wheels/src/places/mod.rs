//! Favourite places: campgrounds, towns, dump points… the user wants to find again.

use chrono::{DateTime, Utc};
use pam_kernel::text::{latitude, longitude, optional_text};
use pam_kernel::{DomainError, FieldError, ListMeta, Page, Patch};
use pam_store::with_db;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::WheelsState;
use crate::units::stored_enum;

stored_enum! {
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
    pub enum PlaceType {
        #[serde(alias = "campsite", alias = "caravan_park", alias = "rv_park")]
        Campground = "campground",
        Town = "town",
        Attraction = "attraction",
        #[serde(alias = "fuel_station", alias = "servo")]
        Fuel = "fuel",
        #[serde(alias = "dump_station")]
        DumpPoint = "dump_point",
        #[default]
        Other = "other",
    }
}

/// A place to keep. `category` is accepted for `place_type` (SPEC §9 names it so).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewFavorite {
    #[schema(
        example = "Lake Eildon foreshore",
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub name: String,
    /// `other` when left out.
    #[serde(default, alias = "category")]
    pub place_type: PlaceType,
    #[schema(example = -37.23, minimum = -90, maximum = 90)]
    pub latitude: f64,
    #[schema(example = 145.91, minimum = -180, maximum = 180)]
    pub longitude: f64,
    #[schema(max_length = 300)]
    pub address: Option<String>,
    #[schema(max_length = 1000)]
    pub notes: Option<String>,
    /// 1–5 stars.
    #[schema(minimum = 1, maximum = 5)]
    pub rating: Option<i32>,
}

/// Partial update: fields present replace, `null` clears an optional one.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct FavoriteUpdate {
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub name: Option<String>,
    #[serde(alias = "category")]
    pub place_type: Option<PlaceType>,
    #[schema(minimum = -90, maximum = 90)]
    pub latitude: Option<f64>,
    #[schema(minimum = -180, maximum = 180)]
    pub longitude: Option<f64>,
    #[serde(default)]
    #[schema(value_type = Option<String>, max_length = 300)]
    pub address: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>, max_length = 1000)]
    pub notes: Patch<String>,
    /// 1–5 stars.
    #[serde(default)]
    #[schema(value_type = Option<i32>, minimum = 1, maximum = 5)]
    pub rating: Patch<i32>,
}

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Favorite {
    pub id: Uuid,
    pub user_id: Uuid,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub place_type: PlaceType,
    /// The same as `place_type` (SPEC §9's name for it).
    #[sqlx(skip)]
    pub category: PlaceType,
    pub latitude: f64,
    pub longitude: f64,
    pub address: Option<String>,
    pub notes: Option<String>,
    pub rating: Option<i32>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Favorite {
    fn with_category(mut self) -> Favorite {
        self.category = self.place_type;
        self
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FavoriteList {
    pub favorites: Vec<Favorite>,
    #[serde(flatten)]
    pub meta: ListMeta,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FavoriteFilter {
    /// Only places of this kind (`category` is accepted for it).
    #[serde(alias = "category")]
    pub place_type: Option<PlaceType>,
    /// 1–1000, default 50.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

struct Checked {
    name: String,
    place_type: PlaceType,
    latitude: f64,
    longitude: f64,
    address: Option<String>,
    notes: Option<String>,
    rating: Option<i32>,
}

fn check(
    name: String,
    place_type: PlaceType,
    lat: f64,
    lng: f64,
    address: Option<String>,
    notes: Option<String>,
    rating: Option<i32>,
) -> Result<Checked, DomainError> {
    let mut errors = Vec::new();
    let mut take = |field: &str, r: Result<(), String>| {
        if let Err(m) = r {
            errors.push(FieldError::new(&["body", field], m, "value_error"));
        }
    };
    let name = optional_text(Some(name), 200).and_then(|n| n.ok_or_else(|| "must not be empty".to_string()));
    take("name", name.as_ref().map(|_| ()).map_err(Clone::clone));
    take("latitude", latitude(lat).map(|_| ()));
    take("longitude", longitude(lng).map(|_| ()));
    let address = optional_text(address, 300);
    take("address", address.as_ref().map(|_| ()).map_err(Clone::clone));
    let notes = optional_text(notes, 1000);
    take("notes", notes.as_ref().map(|_| ()).map_err(Clone::clone));
    if rating.is_some_and(|r| !(1..=5).contains(&r)) {
        take("rating", Err("must be from 1 to 5".into()));
    }
    match (name, address, notes) {
        (Ok(name), Ok(address), Ok(notes)) if errors.is_empty() => {
            Ok(Checked { name, place_type, latitude: lat, longitude: lng, address, notes, rating })
        }
        _ => Err(DomainError::Invalid(errors)),
    }
}

pub async fn create(state: &WheelsState, user_id: Uuid, input: NewFavorite) -> Result<Favorite, DomainError> {
    let c =
        check(input.name, input.place_type, input.latitude, input.longitude, input.address, input.notes, input.rating)?;
    let row: Favorite = with_db!(&state.db, |pool| {
        sqlx::query_as(
            "INSERT INTO favorite_locations (id, user_id, name, place_type, latitude, longitude, address, notes, rating, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING *",
        )
        .bind(Uuid::now_v7())
        .bind(user_id)
        .bind(&c.name)
        .bind(c.place_type.as_str())
        .bind(c.latitude)
        .bind(c.longitude)
        .bind(&c.address)
        .bind(&c.notes)
        .bind(c.rating)
        .bind(Utc::now())
        .fetch_one(pool)
        .await
    })?;
    Ok(row.with_category())
}

pub async fn get(state: &WheelsState, user_id: Uuid, id: Uuid) -> Result<Favorite, DomainError> {
    let row: Option<Favorite> = with_db!(&state.db, |pool| {
        sqlx::query_as("SELECT * FROM favorite_locations WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .fetch_optional(pool)
            .await
    })?;
    row.map(Favorite::with_category).ok_or_else(|| DomainError::not_found("Favourite place"))
}

pub async fn update(state: &WheelsState, user_id: Uuid, id: Uuid, u: FavoriteUpdate) -> Result<Favorite, DomainError> {
    let current = get(state, user_id, id).await?;
    let c = check(
        u.name.unwrap_or(current.name),
        u.place_type.unwrap_or(current.place_type),
        u.latitude.unwrap_or(current.latitude),
        u.longitude.unwrap_or(current.longitude),
        u.address.apply(current.address),
        u.notes.apply(current.notes),
        u.rating.apply(current.rating),
    )?;
    let row: Option<Favorite> = with_db!(&state.db, |pool| {
        sqlx::query_as(
            "UPDATE favorite_locations SET name = $3, place_type = $4, latitude = $5, longitude = $6, address = $7, \
             notes = $8, rating = $9, updated_at = $10 WHERE id = $1 AND user_id = $2 RETURNING *",
        )
        .bind(id)
        .bind(user_id)
        .bind(&c.name)
        .bind(c.place_type.as_str())
        .bind(c.latitude)
        .bind(c.longitude)
        .bind(&c.address)
        .bind(&c.notes)
        .bind(c.rating)
        .bind(Utc::now())
        .fetch_optional(pool)
        .await
    })?;
    row.map(Favorite::with_category).ok_or_else(|| DomainError::not_found("Favourite place"))
}

pub async fn delete(state: &WheelsState, user_id: Uuid, id: Uuid) -> Result<(), DomainError> {
    pam_kernel::owned::delete(&state.db, "favorite_locations", id, user_id, "Favourite place").await
}

/// Newest first.
pub async fn list(state: &WheelsState, user_id: Uuid, f: &FavoriteFilter) -> Result<FavoriteList, DomainError> {
    let page = Page::parse(f.limit, f.offset)?;
    let place_type = f.place_type.map(PlaceType::as_str);
    let (rows, total): (Vec<Favorite>, i64) = with_db!(&state.db, |pool| {
        let rows = sqlx::query_as(
            "SELECT * FROM favorite_locations WHERE user_id = $1 AND ($2 IS NULL OR place_type = $2) \
             ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4",
        )
        .bind(user_id)
        .bind(place_type)
        .bind(page.limit)
        .bind(page.offset)
        .fetch_all(pool)
        .await?;
        let total = sqlx::query_scalar(
            "SELECT count(*) FROM favorite_locations WHERE user_id = $1 AND ($2 IS NULL OR place_type = $2)",
        )
        .bind(user_id)
        .bind(place_type)
        .fetch_one(pool)
        .await?;
        Ok::<_, sqlx::Error>((rows, total))
    })?;
    Ok(FavoriteList { favorites: rows.into_iter().map(Favorite::with_category).collect(), meta: page.meta(total) })
}

/// Every favourite of a user, oldest first (the account export).
pub async fn all(state: &WheelsState, user_id: Uuid) -> Result<Vec<Favorite>, DomainError> {
    let rows: Vec<Favorite> = with_db!(&state.db, |pool| {
        sqlx::query_as("SELECT * FROM favorite_locations WHERE user_id = $1 ORDER BY created_at, id")
            .bind(user_id)
            .fetch_all(pool)
            .await
    })?;
    Ok(rows.into_iter().map(Favorite::with_category).collect())
}
