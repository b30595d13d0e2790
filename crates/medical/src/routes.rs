//! `/api/v1/medical/…`: the user's own records, medications and emergency card. Thin routes over the
//! services; nothing here logs a body (the edge's span carries the path and the user's id only).

use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use pam_web::{AppError, AuthUser, Authn, ErrorBody, ValidationErrorBody};
use pam_web::{Json, Path, Query};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::MedicalState;
use crate::emergency::{self, EmergencyInfo, EmergencyInfoInput};
use crate::medications::{self, Medication, MedicationFilter, MedicationList, MedicationUpdate, NewMedication};
use crate::records::{self, MedicalRecord, MedicalRecordList, NewRecord, RecordFilter, RecordUpdate};

pub fn router<S>() -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
    MedicalState: FromRef<S>,
    Authn: FromRef<S>,
{
    OpenApiRouter::new()
        .routes(routes!(create_record, list_records))
        .routes(routes!(get_record, patch_record, delete_record))
        .routes(routes!(create_medication, list_medications))
        .routes(routes!(get_medication, patch_medication, delete_medication))
        .routes(routes!(get_emergency_info, put_emergency_info))
}

#[utoipa::path(post, path = "/api/v1/medical/records", tag = "medical", security(("bearer" = [])),
    request_body = NewRecord,
    responses((status = 201, body = MedicalRecord), (status = 401, body = ErrorBody),
        (status = 422, body = ValidationErrorBody),
        pam_web::doc::BodyRefused))]
async fn create_record(
    State(state): State<MedicalState>,
    user: AuthUser,
    Json(body): Json<NewRecord>,
) -> Result<(StatusCode, Json<MedicalRecord>), AppError> {
    Ok((StatusCode::CREATED, Json(records::create(&state, user.id, body).await?)))
}

/// The user's records, newest first; `q` searches their text.
#[utoipa::path(get, path = "/api/v1/medical/records", tag = "medical", security(("bearer" = [])),
    params(RecordFilter),
    responses((status = 200, body = MedicalRecordList), (status = 401, body = ErrorBody), (status = 422, body = ValidationErrorBody)))]
async fn list_records(
    State(state): State<MedicalState>,
    user: AuthUser,
    Query(filter): Query<RecordFilter>,
) -> Result<Json<MedicalRecordList>, AppError> {
    Ok(Json(records::list(&state, user.id, &filter).await?))
}

#[utoipa::path(get, path = "/api/v1/medical/records/{id}", tag = "medical", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = MedicalRecord), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        pam_web::doc::InvalidParameters))]
async fn get_record(
    State(state): State<MedicalState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<Json<MedicalRecord>, AppError> {
    Ok(Json(records::get(&state, user.id, id).await?))
}

#[utoipa::path(patch, path = "/api/v1/medical/records/{id}", tag = "medical", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = RecordUpdate,
    responses((status = 200, body = MedicalRecord), (status = 404, body = ErrorBody),
        (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::BodyRefused))]
async fn patch_record(
    State(state): State<MedicalState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Json(body): Json<RecordUpdate>,
) -> Result<Json<MedicalRecord>, AppError> {
    Ok(Json(records::update(&state, user.id, id, body).await?))
}

#[utoipa::path(delete, path = "/api/v1/medical/records/{id}", tag = "medical", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204, description = "Deleted"), (status = 404, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn delete_record(
    State(state): State<MedicalState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    records::delete(&state, user.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/medical/medications", tag = "medical", security(("bearer" = [])),
    request_body = NewMedication,
    responses((status = 201, body = Medication), (status = 401, body = ErrorBody),
        (status = 422, body = ValidationErrorBody),
        pam_web::doc::BodyRefused))]
async fn create_medication(
    State(state): State<MedicalState>,
    user: AuthUser,
    Json(body): Json<NewMedication>,
) -> Result<(StatusCode, Json<Medication>), AppError> {
    Ok((StatusCode::CREATED, Json(medications::create(&state, user.id, body).await?)))
}

/// The user's medications, those still taken first.
#[utoipa::path(get, path = "/api/v1/medical/medications", tag = "medical", security(("bearer" = [])),
    params(MedicationFilter),
    responses((status = 200, body = MedicationList), (status = 401, body = ErrorBody), (status = 422, body = ValidationErrorBody)))]
async fn list_medications(
    State(state): State<MedicalState>,
    user: AuthUser,
    Query(filter): Query<MedicationFilter>,
) -> Result<Json<MedicationList>, AppError> {
    Ok(Json(medications::list(&state, user.id, &filter).await?))
}

#[utoipa::path(get, path = "/api/v1/medical/medications/{id}", tag = "medical", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Medication), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        pam_web::doc::InvalidParameters))]
async fn get_medication(
    State(state): State<MedicalState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<Json<Medication>, AppError> {
    Ok(Json(medications::get(&state, user.id, id).await?))
}

#[utoipa::path(patch, path = "/api/v1/medical/medications/{id}", tag = "medical", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = MedicationUpdate,
    responses((status = 200, body = Medication), (status = 404, body = ErrorBody),
        (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::BodyRefused))]
async fn patch_medication(
    State(state): State<MedicalState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Json(body): Json<MedicationUpdate>,
) -> Result<Json<Medication>, AppError> {
    Ok(Json(medications::update(&state, user.id, id, body).await?))
}

#[utoipa::path(delete, path = "/api/v1/medical/medications/{id}", tag = "medical", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204, description = "Deleted"), (status = 404, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn delete_medication(
    State(state): State<MedicalState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    medications::delete(&state, user.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The user's emergency card (empty, with `updated_at` null, until filled in).
#[utoipa::path(get, path = "/api/v1/medical/emergency-info", tag = "medical", security(("bearer" = [])),
    responses((status = 200, body = EmergencyInfo), (status = 401, body = ErrorBody)))]
async fn get_emergency_info(
    State(state): State<MedicalState>,
    user: AuthUser,
) -> Result<Json<EmergencyInfo>, AppError> {
    Ok(Json(emergency::get(&state, user.id).await?))
}

/// Replace the user's emergency card.
#[utoipa::path(put, path = "/api/v1/medical/emergency-info", tag = "medical", security(("bearer" = [])),
    request_body = EmergencyInfoInput,
    responses((status = 200, body = EmergencyInfo), (status = 401, body = ErrorBody),
        (status = 422, body = ValidationErrorBody),
        pam_web::doc::BodyRefused))]
async fn put_emergency_info(
    State(state): State<MedicalState>,
    user: AuthUser,
    Json(body): Json<EmergencyInfoInput>,
) -> Result<Json<EmergencyInfo>, AppError> {
    Ok(Json(emergency::put(&state, user.id, body).await?))
}
