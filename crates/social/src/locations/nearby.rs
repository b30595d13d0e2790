//! Nearby RVers: other users with a current shared location within a radius, each shown once at their
//! latest position rounded to a 0.01° grid (about a kilometre). Only users whose privacy settings allow
//! location sharing appear, never the caller nor anyone the caller blocked or was blocked by, and a
//! location shared with friends only appears to friends.
//! The radius test and the distance both use the rounded point, so neither can be used to home in on
//! the exact one.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use pam_kernel::{DomainError, FieldError, ListMeta, Page, text};
use pam_store::with_db;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::SocialState;
use crate::blocks::not_blocked_sql;
use crate::people::card_visible;

const DEFAULT_RADIUS_KM: f64 = 50.0;
const MAX_RADIUS_KM: f64 = 500.0;
/// Candidate rows read at most: the newest shares in the box, enough for any sensible radius.
const MAX_CANDIDATES: i64 = 2000;
const EARTH_RADIUS_KM: f64 = 6371.0;

#[derive(Debug, Default, Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
pub struct NearbyQuery {
    #[param(minimum = -90, maximum = 90)]
    pub lat: f64,
    #[param(minimum = -180, maximum = 180)]
    pub lng: f64,
    /// Default 50, at most 500.
    #[param(exclusive_minimum = 0, maximum = 500)]
    pub radius_km: Option<f64>,
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NearbyRver {
    pub user_id: Uuid,
    /// Their name, when their card is visible to the caller.
    pub display_name: Option<String>,
    /// Rounded to 0.01° (about a kilometre).
    pub latitude: f64,
    pub longitude: f64,
    /// From the asked point to the rounded one, to 0.1 km.
    pub distance_km: f64,
    pub shared_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NearbyList {
    pub users: Vec<NearbyRver>,
    pub radius_km: f64,
    #[serde(flatten)]
    pub meta: ListMeta,
}

#[derive(sqlx::FromRow)]
struct Candidate {
    user_id: Uuid,
    latitude: f64,
    longitude: f64,
    is_public: bool,
    created_at: DateTime<Utc>,
}

/// A coordinate on the 0.01° grid.
fn coarse(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

fn distance_km(lat1: f64, lng1: f64, lat2: f64, lng2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lng2 - lng1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * a.sqrt().min(1.0).asin()
}

fn checked(q: &NearbyQuery) -> Result<f64, DomainError> {
    let mut errors = Vec::new();
    if let Err(m) = text::latitude(q.lat) {
        errors.push(FieldError::new(&["query", "lat"], m, "value_error"));
    }
    if let Err(m) = text::longitude(q.lng) {
        errors.push(FieldError::new(&["query", "lng"], m, "value_error"));
    }
    let radius = q.radius_km.unwrap_or(DEFAULT_RADIUS_KM);
    if !(radius.is_finite() && radius > 0.0 && radius <= MAX_RADIUS_KM) {
        errors.push(FieldError::new(&["query", "radius_km"], "must be more than 0 and at most 500", "value_error"));
    }
    if errors.is_empty() { Ok(radius) } else { Err(DomainError::Invalid(errors)) }
}

/// The caller's friends (people they follow who follow them back).
async fn friends_of(state: &SocialState, user_id: Uuid) -> Result<HashSet<Uuid>, DomainError> {
    let ids: Vec<Uuid> = with_db!(&state.db, |pool| {
        sqlx::query_scalar(
            "SELECT f.followed_id FROM user_follows f WHERE f.user_id = $1 AND EXISTS \
             (SELECT 1 FROM user_follows b WHERE b.user_id = f.followed_id AND b.followed_id = $1)",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await
    })?;
    Ok(ids.into_iter().collect())
}

/// Current shares of others inside a box around the point, newest first. The box is widened by the
/// rounding, and dropped in longitude where it would wrap past ±180° or near a pole.
async fn candidates(
    state: &SocialState,
    viewer: Uuid,
    q: &NearbyQuery,
    radius: f64,
) -> Result<Vec<Candidate>, DomainError> {
    let dlat = radius / 111.0 + 0.02;
    let cos = q.lat.to_radians().cos();
    let dlng = if cos > 0.01 { radius / (111.0 * cos) + 0.02 } else { 360.0 };
    let (west, east) = (q.lng - dlng, q.lng + dlng);
    let wraps = west < -180.0 || east > 180.0;
    let lng_filter = if wraps { "" } else { " AND longitude BETWEEN $5 AND $6" };
    let sql = format!(
        "SELECT user_id, latitude, longitude, is_public, created_at FROM shared_locations \
         WHERE expires_at > $1 AND user_id <> $2 AND {} AND latitude BETWEEN $3 AND $4{lng_filter} \
         ORDER BY created_at DESC LIMIT {MAX_CANDIDATES}",
        // In the query rather than after it, so blocked people never take up candidate places.
        not_blocked_sql!("$2", "shared_locations.user_id")
    );
    let now = Utc::now();
    let rows = with_db!(&state.db, |pool| {
        let query = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(now)
            .bind(viewer)
            .bind(q.lat - dlat)
            .bind(q.lat + dlat);
        if wraps { query.fetch_all(pool).await } else { query.bind(west).bind(east).fetch_all(pool).await }
    })?;
    Ok(rows)
}

pub async fn nearby(state: &SocialState, viewer: Uuid, q: &NearbyQuery, page: Page) -> Result<NearbyList, DomainError> {
    let radius = checked(q)?;
    let friends = friends_of(state, viewer).await?;
    let mut decided: HashSet<Uuid> = HashSet::new();
    let mut found = Vec::new();
    // Newest first: each user's first visible share is their latest.
    for c in candidates(state, viewer, q, radius).await? {
        if decided.contains(&c.user_id) || !(c.is_public || friends.contains(&c.user_id)) {
            continue;
        }
        decided.insert(c.user_id);
        // A sharer whose account is going away as we read is simply not shown.
        let Some(privacy) = state.people.privacy_if_any(c.user_id).await? else { continue };
        if !privacy.location_sharing {
            continue;
        }
        let (lat, lng) = (coarse(c.latitude), coarse(c.longitude));
        let distance = distance_km(q.lat, q.lng, lat, lng);
        if distance > radius {
            continue;
        }
        let display_name = if card_visible(state, viewer, c.user_id, &privacy).await? {
            state.people.person_if_any(c.user_id).await?.and_then(|p| p.display_name)
        } else {
            None
        };
        found.push(NearbyRver {
            user_id: c.user_id,
            display_name,
            latitude: lat,
            longitude: lng,
            distance_km: (distance * 10.0).round() / 10.0,
            shared_at: c.created_at,
        });
    }
    found.sort_by(|a, b| a.distance_km.total_cmp(&b.distance_km).then(a.user_id.cmp(&b.user_id)));
    let total = i64::try_from(found.len()).unwrap_or(i64::MAX);
    let start = usize::try_from(page.offset).unwrap_or(usize::MAX);
    let users: Vec<NearbyRver> = found.into_iter().skip(start).take(usize::try_from(page.limit).unwrap_or(0)).collect();
    Ok(NearbyList { users, radius_km: radius, meta: page.meta(total) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_rounded_to_about_a_kilometre() {
        assert_eq!(coarse(-33.868_820), -33.87);
        assert_eq!(coarse(151.209_296), 151.21);
        // The rounded point is never more than ~0.8 km from the true one.
        let moved = distance_km(-33.868_820, 151.209_296, coarse(-33.868_820), coarse(151.209_296));
        assert!(moved < 0.8, "{moved}");
    }

    #[test]
    fn distances_are_great_circle_kilometres() {
        let sydney_to_melbourne = distance_km(-33.8688, 151.2093, -37.8136, 144.9631);
        assert!((sydney_to_melbourne - 714.0).abs() < 5.0, "{sydney_to_melbourne}");
        assert_eq!(distance_km(10.0, 20.0, 10.0, 20.0), 0.0);
    }

    #[test]
    fn bad_points_and_radii_are_refused_at_their_field() {
        let q = NearbyQuery { lat: 95.0, lng: 0.0, radius_km: Some(0.0), ..NearbyQuery::default() };
        let Err(DomainError::Invalid(errors)) = checked(&q) else { panic!("accepted") };
        let fields: Vec<String> = errors.iter().map(|e| e.field_path()).collect();
        assert_eq!(fields, ["lat", "radius_km"]);
    }
}
