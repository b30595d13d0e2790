//! `/api/v1/vehicles`, `/api/v1/fuel-log`, `/api/v1/maintenance`, `/api/v1/places/favorites`: thin
//! routes over the services.

use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use pam_kernel::PageQuery;
use pam_web::{AppError, AuthUser, Authn, ErrorBody, ValidationErrorBody};
use pam_web::{Json, Path, Query};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::WheelsState;
use crate::fuel::{self, FuelEntry, FuelEntryUpdate, FuelFilter, FuelList, FuelStats, FuelStatsQuery, NewFuelEntry};
use crate::maintenance::{
    self, MaintenanceFilter, MaintenanceList, MaintenanceRecord, MaintenanceUpdate, NewMaintenance, Schedule,
};
use crate::places::{self, Favorite, FavoriteFilter, FavoriteList, FavoriteUpdate, NewFavorite};
use crate::vehicles::{self, NewVehicle, Vehicle, VehicleList, VehicleUpdate};

pub fn router<S>() -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
    WheelsState: FromRef<S>,
    Authn: FromRef<S>,
{
    OpenApiRouter::new()
        .routes(routes!(create_vehicle, list_vehicles))
        .routes(routes!(get_vehicle, patch_vehicle, delete_vehicle))
        .routes(routes!(create_fuel_entry, list_fuel_entries))
        .routes(routes!(fuel_stats))
        .routes(routes!(get_fuel_entry, patch_fuel_entry, delete_fuel_entry))
        .routes(routes!(create_maintenance, list_maintenance))
        .routes(routes!(maintenance_schedule))
        .routes(routes!(get_maintenance, patch_maintenance, delete_maintenance))
        .routes(routes!(create_favorite, list_favorites))
        .routes(routes!(get_favorite, patch_favorite, delete_favorite))
}

type Created<T> = Result<(StatusCode, Json<T>), AppError>;

/// Add a vehicle (the first one is primary; `is_primary: true` moves the flag to it).
#[utoipa::path(post, path = "/api/v1/vehicles", tag = "wheels", security(("bearer" = [])), request_body = NewVehicle,
    responses((status = 201, body = Vehicle), (status = 401, body = ErrorBody),
        (status = 422, body = ValidationErrorBody),
        pam_web::doc::BodyRefused))]
async fn create_vehicle(
    State(state): State<WheelsState>,
    user: AuthUser,
    Json(body): Json<NewVehicle>,
) -> Created<Vehicle> {
    Ok((StatusCode::CREATED, Json(vehicles::create(&state, user.id, body).await?)))
}

/// The user's vehicles, the primary first.
#[utoipa::path(get, path = "/api/v1/vehicles", tag = "wheels", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, body = VehicleList), (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized))]
async fn list_vehicles(
    State(state): State<WheelsState>,
    user: AuthUser,
    Query(q): Query<PageQuery>,
) -> Result<Json<VehicleList>, AppError> {
    Ok(Json(vehicles::list(&state, user.id, q.page()?).await?))
}

#[utoipa::path(get, path = "/api/v1/vehicles/{id}", tag = "wheels", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = Vehicle), (status = 404, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn get_vehicle(
    State(state): State<WheelsState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<Json<Vehicle>, AppError> {
    Ok(Json(vehicles::get(&state, user.id, id).await?))
}

#[utoipa::path(patch, path = "/api/v1/vehicles/{id}", tag = "wheels", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = VehicleUpdate,
    responses((status = 200, body = Vehicle), (status = 404, body = ErrorBody),
        (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::BodyRefused))]
async fn patch_vehicle(
    State(state): State<WheelsState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Json(body): Json<VehicleUpdate>,
) -> Result<Json<Vehicle>, AppError> {
    Ok(Json(vehicles::update(&state, user.id, id, body).await?))
}

/// Delete a vehicle; when it was the primary, the newest remaining one becomes primary.
#[utoipa::path(delete, path = "/api/v1/vehicles/{id}", tag = "wheels", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 204, description = "Deleted"), (status = 404, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn delete_vehicle(
    State(state): State<WheelsState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    vehicles::delete(&state, user.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Log a fill-up: any two of volume, price per unit and total.
#[utoipa::path(post, path = "/api/v1/fuel-log", tag = "wheels", security(("bearer" = [])), request_body = NewFuelEntry,
    responses((status = 201, body = FuelEntry), (status = 404, body = ErrorBody),
        (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::BodyRefused))]
async fn create_fuel_entry(
    State(state): State<WheelsState>,
    user: AuthUser,
    Json(body): Json<NewFuelEntry>,
) -> Created<FuelEntry> {
    Ok((StatusCode::CREATED, Json(fuel::create(&state, user.id, body).await?)))
}

/// The user's fill-ups, newest first.
#[utoipa::path(get, path = "/api/v1/fuel-log", tag = "wheels", security(("bearer" = [])), params(FuelFilter),
    responses((status = 200, body = FuelList), (status = 422, body = ValidationErrorBody), pam_web::doc::Unauthorized))]
async fn list_fuel_entries(
    State(state): State<WheelsState>,
    user: AuthUser,
    Query(q): Query<FuelFilter>,
) -> Result<Json<FuelList>, AppError> {
    Ok(Json(fuel::list(&state, user.id, &q).await?))
}

/// Spend, volume, fills, average price and fuel use between full fills for a period.
#[utoipa::path(get, path = "/api/v1/fuel-log/stats", tag = "wheels", security(("bearer" = [])), params(FuelStatsQuery),
    responses((status = 200, body = FuelStats), (status = 404, body = ErrorBody),
        (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized))]
async fn fuel_stats(
    State(state): State<WheelsState>,
    user: AuthUser,
    Query(q): Query<FuelStatsQuery>,
) -> Result<Json<FuelStats>, AppError> {
    Ok(Json(fuel::stats(&state, user.id, &q).await?))
}

#[utoipa::path(get, path = "/api/v1/fuel-log/{id}", tag = "wheels", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = FuelEntry), (status = 404, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn get_fuel_entry(
    State(state): State<WheelsState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<Json<FuelEntry>, AppError> {
    Ok(Json(fuel::get(&state, user.id, id).await?))
}

#[utoipa::path(patch, path = "/api/v1/fuel-log/{id}", tag = "wheels", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = FuelEntryUpdate,
    responses((status = 200, body = FuelEntry), (status = 404, body = ErrorBody),
        (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::BodyRefused))]
async fn patch_fuel_entry(
    State(state): State<WheelsState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Json(body): Json<FuelEntryUpdate>,
) -> Result<Json<FuelEntry>, AppError> {
    Ok(Json(fuel::update(&state, user.id, id, body).await?))
}

#[utoipa::path(delete, path = "/api/v1/fuel-log/{id}", tag = "wheels", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 204, description = "Deleted"), (status = 404, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn delete_fuel_entry(
    State(state): State<WheelsState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    fuel::delete(&state, user.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Record a service.
#[utoipa::path(post, path = "/api/v1/maintenance", tag = "wheels", security(("bearer" = [])), request_body = NewMaintenance,
    responses((status = 201, body = MaintenanceRecord), (status = 404, body = ErrorBody),
        (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::BodyRefused))]
async fn create_maintenance(
    State(state): State<WheelsState>,
    user: AuthUser,
    Json(body): Json<NewMaintenance>,
) -> Created<MaintenanceRecord> {
    Ok((StatusCode::CREATED, Json(maintenance::create(&state, user.id, body).await?)))
}

/// The user's maintenance records, newest first.
#[utoipa::path(get, path = "/api/v1/maintenance", tag = "wheels", security(("bearer" = [])), params(MaintenanceFilter),
    responses((status = 200, body = MaintenanceList), (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized))]
async fn list_maintenance(
    State(state): State<WheelsState>,
    user: AuthUser,
    Query(q): Query<MaintenanceFilter>,
) -> Result<Json<MaintenanceList>, AppError> {
    Ok(Json(maintenance::list(&state, user.id, &q).await?))
}

/// What is overdue, what is due within 30 days or 1,000 km, and what was done in the last 90 days.
#[utoipa::path(get, path = "/api/v1/maintenance/schedule", tag = "wheels", security(("bearer" = [])),
    responses((status = 200, body = Schedule), (status = 401, body = ErrorBody)))]
async fn maintenance_schedule(State(state): State<WheelsState>, user: AuthUser) -> Result<Json<Schedule>, AppError> {
    Ok(Json(maintenance::schedule(&state, user.id).await?))
}

#[utoipa::path(get, path = "/api/v1/maintenance/{id}", tag = "wheels", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = MaintenanceRecord), (status = 404, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn get_maintenance(
    State(state): State<WheelsState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<Json<MaintenanceRecord>, AppError> {
    Ok(Json(maintenance::get(&state, user.id, id).await?))
}

#[utoipa::path(patch, path = "/api/v1/maintenance/{id}", tag = "wheels", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = MaintenanceUpdate,
    responses((status = 200, body = MaintenanceRecord), (status = 404, body = ErrorBody),
        (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::BodyRefused))]
async fn patch_maintenance(
    State(state): State<WheelsState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Json(body): Json<MaintenanceUpdate>,
) -> Result<Json<MaintenanceRecord>, AppError> {
    Ok(Json(maintenance::update(&state, user.id, id, body).await?))
}

#[utoipa::path(delete, path = "/api/v1/maintenance/{id}", tag = "wheels", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 204, description = "Deleted"), (status = 404, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn delete_maintenance(
    State(state): State<WheelsState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    maintenance::delete(&state, user.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Save a favourite place.
#[utoipa::path(post, path = "/api/v1/places/favorites", tag = "wheels", security(("bearer" = [])), request_body = NewFavorite,
    responses((status = 201, body = Favorite), (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::BodyRefused))]
async fn create_favorite(
    State(state): State<WheelsState>,
    user: AuthUser,
    Json(body): Json<NewFavorite>,
) -> Created<Favorite> {
    Ok((StatusCode::CREATED, Json(places::create(&state, user.id, body).await?)))
}

/// The user's favourite places, newest first.
#[utoipa::path(get, path = "/api/v1/places/favorites", tag = "wheels", security(("bearer" = [])), params(FavoriteFilter),
    responses((status = 200, body = FavoriteList), (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized))]
async fn list_favorites(
    State(state): State<WheelsState>,
    user: AuthUser,
    Query(q): Query<FavoriteFilter>,
) -> Result<Json<FavoriteList>, AppError> {
    Ok(Json(places::list(&state, user.id, &q).await?))
}

#[utoipa::path(get, path = "/api/v1/places/favorites/{id}", tag = "wheels", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = Favorite), (status = 404, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn get_favorite(
    State(state): State<WheelsState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<Json<Favorite>, AppError> {
    Ok(Json(places::get(&state, user.id, id).await?))
}

#[utoipa::path(patch, path = "/api/v1/places/favorites/{id}", tag = "wheels", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = FavoriteUpdate,
    responses((status = 200, body = Favorite), (status = 404, body = ErrorBody),
        (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::BodyRefused))]
async fn patch_favorite(
    State(state): State<WheelsState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Json(body): Json<FavoriteUpdate>,
) -> Result<Json<Favorite>, AppError> {
    Ok(Json(places::update(&state, user.id, id, body).await?))
}

#[utoipa::path(delete, path = "/api/v1/places/favorites/{id}", tag = "wheels", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 204, description = "Deleted"), (status = 404, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn delete_favorite(
    State(state): State<WheelsState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    places::delete(&state, user.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
