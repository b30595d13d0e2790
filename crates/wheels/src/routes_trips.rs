//! `/api/v1/trips`, `/api/v1/trips/plan`, `/api/v1/routes/estimate`: thin routes over the services.

use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use pam_kernel::Page;
use pam_web::{AppError, AuthUser, Authn, ErrorBody, ValidationErrorBody};
use pam_web::{Json, Path, Query};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::WheelsState;
use crate::trips::{self, NewTrip, RoutePlan, RouteRequest, Trip, TripFilter, TripList, TripPatch};

pub fn router<S>() -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
    WheelsState: FromRef<S>,
    Authn: FromRef<S>,
{
    OpenApiRouter::new()
        .routes(routes!(create_trip, list_trips))
        .routes(routes!(get_trip, patch_trip, delete_trip))
        .routes(routes!(plan_trip))
        .routes(routes!(estimate_route))
}

/// A planned trip and the map instruction that shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlannedTrip {
    #[serde(flatten)]
    pub trip: Trip,
    /// `{type: "REPLACE_ROUTE", waypoints: [{name, type: origin|stop|destination, coordinates: [lng, lat]}]}`.
    #[schema(value_type = Object)]
    pub map_action: Value,
}

/// A route estimate (not saved) and its map instruction.
#[derive(Debug, Serialize, ToSchema)]
pub struct EstimatedRoute {
    #[serde(flatten)]
    pub route: RoutePlan,
    #[schema(value_type = Object)]
    pub map_action: Value,
}

impl PlannedTrip {
    pub fn of(trip: Trip) -> PlannedTrip {
        let map_action = trip.route.as_ref().map(RoutePlan::map_action).unwrap_or(Value::Null);
        PlannedTrip { trip, map_action }
    }
}

/// Save a trip; its route is computed from the places.
#[utoipa::path(post, path = "/api/v1/trips", tag = "wheels", security(("bearer" = [])), request_body = NewTrip,
    responses((status = 201, body = Trip), (status = 401, body = ErrorBody),
        (status = 404, description = "No such vehicle of the user's", body = ErrorBody),
        (status = 422, body = ValidationErrorBody), pam_web::doc::BodyRefused))]
async fn create_trip(
    State(state): State<WheelsState>,
    user: AuthUser,
    Json(body): Json<NewTrip>,
) -> Result<(StatusCode, Json<Trip>), AppError> {
    Ok((StatusCode::CREATED, Json(trips::create(&state, user.id, body).await?)))
}

/// The user's trips, newest first.
#[utoipa::path(get, path = "/api/v1/trips", tag = "wheels", security(("bearer" = [])), params(TripFilter),
    responses((status = 200, body = TripList), (status = 401, body = ErrorBody), (status = 422, body = ValidationErrorBody)))]
async fn list_trips(
    State(state): State<WheelsState>,
    user: AuthUser,
    Query(filter): Query<TripFilter>,
) -> Result<Json<TripList>, AppError> {
    let page = Page::parse(filter.limit, filter.offset)?;
    Ok(Json(trips::list(&state, user.id, &filter, page).await?))
}

#[utoipa::path(get, path = "/api/v1/trips/{id}", tag = "wheels", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = Trip), (status = 404, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn get_trip(
    State(state): State<WheelsState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<Json<Trip>, AppError> {
    Ok(Json(trips::get(&state, user.id, id).await?))
}

/// Change a trip; new places are routed again.
#[utoipa::path(patch, path = "/api/v1/trips/{id}", tag = "wheels", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = TripPatch,
    responses((status = 200, body = Trip), (status = 404, body = ErrorBody), (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::BodyRefused))]
async fn patch_trip(
    State(state): State<WheelsState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Json(body): Json<TripPatch>,
) -> Result<Json<Trip>, AppError> {
    Ok(Json(trips::update(&state, user.id, id, body).await?))
}

#[utoipa::path(delete, path = "/api/v1/trips/{id}", tag = "wheels", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 204, description = "Deleted"), (status = 404, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn delete_trip(
    State(state): State<WheelsState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    trips::delete(&state, user.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Geocode the places, route them, estimate fuel, save the trip and return it with the map instruction.
#[utoipa::path(post, path = "/api/v1/trips/plan", tag = "wheels", security(("bearer" = [])), request_body = NewTrip,
    responses((status = 201, body = PlannedTrip), (status = 401, body = ErrorBody),
        (status = 404, description = "No such vehicle of the user's", body = ErrorBody),
        (status = 422, body = ValidationErrorBody), pam_web::doc::BodyRefused))]
async fn plan_trip(
    State(state): State<WheelsState>,
    user: AuthUser,
    Json(body): Json<NewTrip>,
) -> Result<(StatusCode, Json<PlannedTrip>), AppError> {
    let trip = trips::create(&state, user.id, body).await?;
    Ok((StatusCode::CREATED, Json(PlannedTrip::of(trip))))
}

/// The same as planning, without saving.
#[utoipa::path(post, path = "/api/v1/routes/estimate", tag = "wheels", security(("bearer" = [])), request_body = RouteRequest,
    responses((status = 200, body = EstimatedRoute), (status = 401, body = ErrorBody),
        (status = 404, description = "No such vehicle of the user's", body = ErrorBody),
        (status = 422, body = ValidationErrorBody), pam_web::doc::BodyRefused))]
async fn estimate_route(
    State(state): State<WheelsState>,
    user: AuthUser,
    Json(body): Json<RouteRequest>,
) -> Result<Json<EstimatedRoute>, AppError> {
    let route = trips::plan::plan(&state, user.id, &body).await?;
    let map_action = route.map_action();
    Ok(Json(EstimatedRoute { route, map_action }))
}
