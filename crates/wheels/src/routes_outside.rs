//! `/api/v1/weather`, `/api/v1/geocode`, `/api/v1/fuel-prices`, `/api/v1/campgrounds`.

use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use pam_geo::Geocoded;
use pam_web::{AdminUser, AppError, AuthUser, Authn, ErrorBody, ValidationErrorBody};
use pam_web::{Json, Path, Query};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::WheelsState;
use crate::outside::{
    self, CampgroundEntry, CampgroundQuery, CampgroundReport, FuelPriceReport, Near, NewCampground, WeatherReport,
};

pub fn router<S>() -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
    WheelsState: FromRef<S>,
    Authn: FromRef<S>,
{
    OpenApiRouter::new()
        .routes(routes!(weather))
        .routes(routes!(geocode))
        .routes(routes!(fuel_prices))
        .routes(routes!(list_campgrounds, add_campground))
        .routes(routes!(delete_campground))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct WeatherQuery {
    /// A place name ("Broome"); or give `lat` and `lng`.
    location: Option<String>,
    #[param(minimum = -90, maximum = 90)]
    lat: Option<f64>,
    #[param(minimum = -180, maximum = 180)]
    lng: Option<f64>,
    /// Days to forecast, 1–16 (default 7).
    #[param(minimum = 1, maximum = 16)]
    days: Option<u8>,
}

/// The daily forecast for a place (Open-Meteo); 503 when the weather service is not there.
#[utoipa::path(get, path = "/api/v1/weather", tag = "wheels", security(("bearer" = [])), params(WeatherQuery),
    responses((status = 200, body = WeatherReport), (status = 422, body = ValidationErrorBody),
        (status = 503, body = ErrorBody),
        pam_web::doc::Unauthorized))]
async fn weather(
    State(state): State<WheelsState>,
    _user: AuthUser,
    Query(q): Query<WeatherQuery>,
) -> Result<Json<WeatherReport>, AppError> {
    let near = Near { location: q.location, lat: q.lat, lng: q.lng };
    Ok(Json(outside::weather(&state, &near, q.days).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct GeocodeQuery {
    /// A place name, with a state or country if it helps ("Perth WA", "Moab, Utah"); 1–200 characters.
    #[param(
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]",
        example = "Perth WA"
    )]
    q: String,
}

/// Places matching a name (the geocoding service when configured, else the bundled gazetteer).
#[utoipa::path(get, path = "/api/v1/geocode", tag = "wheels", security(("bearer" = [])), params(GeocodeQuery),
    responses((status = 200, body = Object), (status = 422, body = ValidationErrorBody), pam_web::doc::Unauthorized))]
async fn geocode(
    State(state): State<WheelsState>,
    _user: AuthUser,
    Query(q): Query<GeocodeQuery>,
) -> Result<Json<Geocoded>, AppError> {
    Ok(Json(outside::geocode(&state, &q.q).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct FuelPriceQuery {
    /// A place name, or "lat,lng" (needed).
    #[param(
        required = true,
        min_length = 1,
        pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]",
        example = "52.52,13.41"
    )]
    near: Option<String>,
    /// diesel | petrol | e5 | e10 (any case; `unleaded` is petrol): cheapest first for it.
    #[param(
        pattern = r"^([dD][iI][eE][sS][eE][lL]|[pP][eE][tT][rR][oO][lL]|[uU][nN][lL][eE][aA][dD][eE][dD]|[eE](5|10))$"
    )]
    fuel_type: Option<String>,
}

/// Pump prices near a place, from the fuel price service; 503 when none is configured.
#[utoipa::path(get, path = "/api/v1/fuel-prices", tag = "wheels", security(("bearer" = [])), params(FuelPriceQuery),
    responses((status = 200, body = FuelPriceReport), (status = 422, body = ValidationErrorBody),
        (status = 503, body = ErrorBody),
        pam_web::doc::Unauthorized))]
async fn fuel_prices(
    State(state): State<WheelsState>,
    _user: AuthUser,
    Query(q): Query<FuelPriceQuery>,
) -> Result<Json<FuelPriceReport>, AppError> {
    let near = outside::parse_near(q.near.as_deref());
    let fuel_type = q.fuel_type.as_deref().map(str::to_lowercase);
    if let Some(f) = &fuel_type
        && !matches!(f.as_str(), "diesel" | "petrol" | "unleaded" | "e5" | "e10")
    {
        return Err(
            pam_kernel::DomainError::invalid(&["query", "fuel_type"], "must be diesel, petrol, e5 or e10").into()
        );
    }
    Ok(Json(outside::fuel_prices(&state, &near, fuel_type.as_deref()).await?))
}

/// Campgrounds near a place: the admins' list, plus the campground service when configured.
#[utoipa::path(get, path = "/api/v1/campgrounds", tag = "wheels", security(("bearer" = [])), params(CampgroundQuery),
    responses((status = 200, body = CampgroundReport), (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized))]
async fn list_campgrounds(
    State(state): State<WheelsState>,
    _user: AuthUser,
    Query(q): Query<CampgroundQuery>,
) -> Result<Json<CampgroundReport>, AppError> {
    Ok(Json(outside::campgrounds(&state, &q).await?))
}

/// Add a campground to the list (admins only).
#[utoipa::path(post, path = "/api/v1/campgrounds", tag = "wheels", security(("bearer" = [])), request_body = NewCampground,
    responses((status = 201, body = CampgroundEntry), (status = 403, body = ErrorBody),
        (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::BodyRefused))]
async fn add_campground(
    State(state): State<WheelsState>,
    admin: AdminUser,
    Json(body): Json<NewCampground>,
) -> Result<(StatusCode, Json<CampgroundEntry>), AppError> {
    let added = outside::add_campground(&state, body).await?;
    let target = Some(("campground", added.id.clone()));
    pam_kernel::audit::record(
        &state.db,
        Some(admin.0.id),
        "campground.add",
        target,
        serde_json::json!({"name": added.name}),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(added)))
}

/// Remove a campground from the list (admins only).
#[utoipa::path(delete, path = "/api/v1/campgrounds/{id}", tag = "wheels", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 204, description = "Deleted"), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn delete_campground(
    State(state): State<WheelsState>,
    admin: AdminUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    outside::delete_campground(&state, id).await?;
    pam_kernel::audit::record(
        &state.db,
        Some(admin.0.id),
        "campground.delete",
        Some(("campground", id.to_string())),
        serde_json::json!({}),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
