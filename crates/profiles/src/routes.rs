//! `/api/v1/users/{user_id}/…`: profile, settings, privacy, stats and pictures (the account export and
//! deletion span every domain, so the server serves them).

use axum::extract::FromRef;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use pam_web::{AppError, AuthUser, Authn, ErrorBody, Json, Path, ValidationErrorBody};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::ProfilesState;
use crate::account::{self, UserStats};
use crate::avatar;
use crate::service::{self, Profile, ProfileUpdate};
use crate::settings::{self, PrivacyPatch, PrivacySettings, SettingsPatch, UserSettings};

/// Largest upload body (SPEC §7: HTTP bodies 10 MB); the image itself is limited to 5 MB.
pub const UPLOAD_BODY_LIMIT: usize = 10 * 1024 * 1024;

pub fn router<S>() -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
    ProfilesState: FromRef<S>,
    Authn: FromRef<S>,
{
    OpenApiRouter::new()
        .routes(routes!(get_profile, put_profile, patch_profile))
        // Uploads are the one place a body may exceed axum's default 2 MB (SPEC §7: bodies up to 10 MB);
        // the limit is set on that route alone so other requests skip the extra layer.
        .merge(OpenApiRouter::new().routes(routes!(upload_image)).layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)))
        .routes(routes!(get_settings, patch_settings))
        .routes(routes!(get_privacy, patch_privacy))
        .routes(routes!(get_stats))
        .routes(routes!(serve_upload))
}

/// Checks the caller may act for `user_id` (own, or admin) and that the user exists. (The server's
/// account routes use it too.)
pub async fn target(state: &ProfilesState, caller: &AuthUser, user_id: Uuid) -> Result<Uuid, AppError> {
    caller.ensure_may_act_for(user_id)?;
    if caller.id != user_id {
        service::get(&state.db, user_id).await?;
    }
    Ok(user_id)
}

/// A user's full profile (own, or admin).
#[utoipa::path(get, path = "/api/v1/users/{user_id}/profile", tag = "profiles", security(("bearer" = [])),
    params(("user_id" = Uuid, Path)),
    responses((status = 200, body = Profile), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ValidationErrorBody)))]
async fn get_profile(
    State(state): State<ProfilesState>,
    user: AuthUser,
    Path(user_id): Path<Uuid>,
) -> Result<Json<std::sync::Arc<Profile>>, AppError> {
    user.ensure_may_act_for(user_id)?;
    Ok(Json(service::get_cached(&state, user_id).await?))
}

/// Replace the profile (fields left out return to their defaults).
#[utoipa::path(put, path = "/api/v1/users/{user_id}/profile", tag = "profiles", security(("bearer" = [])),
    params(("user_id" = Uuid, Path)), request_body = ProfileUpdate,
    responses((status = 200, body = Profile), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "An admin named an account that does not exist"),
        (status = 422, body = ValidationErrorBody), pam_web::doc::BodyRefused))]
async fn put_profile(
    State(state): State<ProfilesState>,
    user: AuthUser,
    Path(user_id): Path<Uuid>,
    Json(body): Json<ProfileUpdate>,
) -> Result<Json<Profile>, AppError> {
    let id = target(&state, &user, user_id).await?;
    Ok(Json(service::update(&state, id, body, true).await?))
}

/// Change some profile fields (`null` clears one).
#[utoipa::path(patch, path = "/api/v1/users/{user_id}/profile", tag = "profiles", security(("bearer" = [])),
    params(("user_id" = Uuid, Path)), request_body = ProfileUpdate,
    responses((status = 200, body = Profile), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "An admin named an account that does not exist"),
        (status = 422, body = ValidationErrorBody), pam_web::doc::BodyRefused))]
async fn patch_profile(
    State(state): State<ProfilesState>,
    user: AuthUser,
    Path(user_id): Path<Uuid>,
    Json(body): Json<ProfileUpdate>,
) -> Result<Json<Profile>, AppError> {
    let id = target(&state, &user, user_id).await?;
    Ok(Json(service::update(&state, id, body, false).await?))
}

#[derive(ToSchema)]
#[allow(dead_code)] // describes the multipart form for OpenAPI only
struct ImageUploadForm {
    /// PNG, JPEG, GIF or WebP, at most 5 MB; recognised by content.
    #[schema(format = Binary, value_type = String)]
    file: Vec<u8>,
    /// `profile_image` (default) or `partner_profile_image`. (A form field is text: never null.)
    #[schema(value_type = String, required = false, pattern = r"^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*(profile_image|partner_profile_image)[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$")]
    field_type: Option<String>,
}

#[derive(Serialize, ToSchema)]
struct ImageUploaded {
    url: String,
    field_type: &'static str,
    profile: Profile,
}

/// Upload a profile picture.
#[utoipa::path(post, path = "/api/v1/users/{user_id}/profile/upload", tag = "profiles", security(("bearer" = [])),
    params(("user_id" = Uuid, Path)), request_body(content = ImageUploadForm, content_type = "multipart/form-data"),
    responses((status = 201, body = ImageUploaded),
        (status = 400, body = ErrorBody, description = "A multipart body that cannot be read"),
        (status = 403, body = ErrorBody), (status = 413, body = ErrorBody),
        (status = 415, body = ErrorBody), (status = 422, body = ValidationErrorBody), pam_web::doc::Unauthorized))]
async fn upload_image(
    State(state): State<ProfilesState>,
    user: AuthUser,
    Path(user_id): Path<Uuid>,
    multipart: Multipart,
) -> Result<(StatusCode, Json<ImageUploaded>), AppError> {
    let id = target(&state, &user, user_id).await?;
    let upload = avatar::read_upload(multipart).await?;
    let before = service::get(&state.db, id).await?;
    let in_use: Vec<&str> = [before.profile_image_url.as_deref(), before.partner_profile_image_url.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    let name = avatar::store(&state.uploads_dir, id, &upload, &in_use).await?;
    let url = format!("/api/v1/uploads/{id}/{name}");
    let profile = service::set_image_url(&state, id, upload.field, &url).await?;
    let old = match upload.field {
        avatar::ImageField::Profile => before.profile_image_url.as_deref(),
        avatar::ImageField::Partner => before.partner_profile_image_url.as_deref(),
    };
    avatar::remove_replaced(&state.uploads_dir, id, old, &url).await;
    let field_type = match upload.field {
        avatar::ImageField::Profile => "profile_image",
        avatar::ImageField::Partner => "partner_profile_image",
    };
    Ok((StatusCode::CREATED, Json(ImageUploaded { url, field_type, profile })))
}

/// An uploaded picture (public: its name is unguessable).
#[utoipa::path(get, path = "/api/v1/uploads/{user_id}/{file_name}", tag = "profiles",
    params(("user_id" = Uuid, Path), ("file_name" = String, Path)),
    responses((status = 200, description = "The image", content_type = "image/*"), (status = 404, body = ErrorBody),
        pam_web::doc::InvalidParameters))]
async fn serve_upload(
    State(state): State<ProfilesState>,
    Path((user_id, file_name)): Path<(Uuid, String)>,
) -> Result<impl IntoResponse, AppError> {
    let kind = avatar::parse_stored_name(&file_name).ok_or_else(|| AppError::NotFound("File not found".into()))?;
    let path = state.uploads_dir.join(user_id.to_string()).join(&file_name);
    let bytes = tokio::fs::read(&path).await.map_err(|_| AppError::NotFound("File not found".into()))?;
    Ok(([(header::CONTENT_TYPE, kind.mime()), (header::CACHE_CONTROL, "public, max-age=86400, immutable")], bytes))
}

#[utoipa::path(get, path = "/api/v1/users/{user_id}/settings", tag = "profiles", security(("bearer" = [])),
    params(("user_id" = Uuid, Path)),
    responses((status = 200, body = UserSettings), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn get_settings(
    State(state): State<ProfilesState>,
    user: AuthUser,
    Path(user_id): Path<Uuid>,
) -> Result<Json<UserSettings>, AppError> {
    user.ensure_may_act_for(user_id)?;
    Ok(Json(settings::get_settings(&state.db, user_id).await?))
}

/// Change any subset of the settings' sections and fields.
#[utoipa::path(patch, path = "/api/v1/users/{user_id}/settings", tag = "profiles", security(("bearer" = [])),
    params(("user_id" = Uuid, Path)), request_body = SettingsPatch,
    responses((status = 200, body = UserSettings), (status = 403, body = ErrorBody),
        (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::BodyRefused))]
async fn patch_settings(
    State(state): State<ProfilesState>,
    user: AuthUser,
    Path(user_id): Path<Uuid>,
    Json(body): Json<SettingsPatch>,
) -> Result<Json<UserSettings>, AppError> {
    user.ensure_may_act_for(user_id)?;
    Ok(Json(settings::patch_settings(&state.db, user_id, body).await?))
}

#[utoipa::path(get, path = "/api/v1/users/{user_id}/privacy", tag = "profiles", security(("bearer" = [])),
    params(("user_id" = Uuid, Path)),
    responses((status = 200, body = PrivacySettings), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn get_privacy(
    State(state): State<ProfilesState>,
    user: AuthUser,
    Path(user_id): Path<Uuid>,
) -> Result<Json<PrivacySettings>, AppError> {
    user.ensure_may_act_for(user_id)?;
    Ok(Json(settings::get_privacy(&state.db, user_id).await?))
}

#[utoipa::path(patch, path = "/api/v1/users/{user_id}/privacy", tag = "profiles", security(("bearer" = [])),
    params(("user_id" = Uuid, Path)), request_body = PrivacyPatch,
    responses((status = 200, body = PrivacySettings), (status = 403, body = ErrorBody),
        (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::BodyRefused))]
async fn patch_privacy(
    State(state): State<ProfilesState>,
    user: AuthUser,
    Path(user_id): Path<Uuid>,
    Json(body): Json<PrivacyPatch>,
) -> Result<Json<PrivacySettings>, AppError> {
    user.ensure_may_act_for(user_id)?;
    Ok(Json(settings::patch_privacy(&state.db, user_id, body).await?))
}

#[utoipa::path(get, path = "/api/v1/users/{user_id}/stats", tag = "profiles", security(("bearer" = [])),
    params(("user_id" = Uuid, Path)),
    responses((status = 200, body = UserStats), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn get_stats(
    State(state): State<ProfilesState>,
    user: AuthUser,
    Path(user_id): Path<Uuid>,
) -> Result<Json<UserStats>, AppError> {
    user.ensure_may_act_for(user_id)?;
    Ok(Json(account::stats(&state.db, user_id).await?))
}
