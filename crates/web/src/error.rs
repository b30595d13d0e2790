//! The HTTP error: every failure a request can meet, mapped once to SPEC §2's FastAPI-compatible
//! bodies. The domain error converts into it here and nowhere else.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use pam_kernel::DomainError;

pub use pam_kernel::FieldError;
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use crate::context::current_request_id;

/// Error body for every non-validation failure.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub detail: String,
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// Error body for 422 validation failures.
#[derive(Serialize, ToSchema)]
pub struct ValidationErrorBody {
    pub detail: Vec<FieldError>,
    pub code: String,
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("rate limited")]
    RateLimited { retry_after_secs: u64, limit: u32 },
    #[error("{message}")]
    Busy { message: String, retry_after_secs: u64 },
    #[error("{0}")]
    Unavailable(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    /// A single-field validation failure.
    pub fn invalid(loc: &[&str], msg: impl Into<String>) -> AppError {
        AppError::Validation(vec![FieldError::new(loc, msg, "value_error")])
    }

    pub fn not_found(what: &str) -> AppError {
        AppError::NotFound(format!("{what} not found"))
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::RateLimited { .. } | AppError::Busy { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// The machine code SPEC §2 pairs with each status.
pub fn code_for_status(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "bad_request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        409 => "conflict",
        413 => "payload_too_large",
        415 => "unsupported_media_type",
        422 => "validation_error",
        429 => "rate_limited",
        503 => "unavailable",
        s if s >= 500 => "internal_error",
        _ => "bad_request",
    }
}

/// The JSON body for a status and message; 5xx bodies never carry the message, only the request id.
pub fn error_body(status: StatusCode, detail: &str) -> Value {
    let code = code_for_status(status);
    if status.is_server_error() && status != StatusCode::SERVICE_UNAVAILABLE {
        json!({"detail": "Internal server error", "code": code, "request_id": current_request_id()})
    } else if status == StatusCode::SERVICE_UNAVAILABLE {
        json!({"detail": detail, "code": code, "request_id": current_request_id()})
    } else {
        json!({"detail": detail, "code": code})
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let mut response = match &self {
            AppError::Validation(errors) => {
                (status, Json(json!({"detail": errors, "code": "validation_error"}))).into_response()
            }
            AppError::Internal(err) => {
                // The one place a 5xx is logged, with its cause; the client gets the request id only.
                tracing::error!(error = ?err, request_id = current_request_id().as_deref(), "internal error");
                (status, Json(error_body(status, ""))).into_response()
            }
            AppError::MethodNotAllowed => (status, Json(error_body(status, "Method Not Allowed"))).into_response(),
            AppError::RateLimited { retry_after_secs, limit } => {
                let mut r = (status, Json(error_body(status, "Too many requests, slow down"))).into_response();
                let h = r.headers_mut();
                h.insert(header::RETRY_AFTER, HeaderValue::from(*retry_after_secs));
                h.insert("x-ratelimit-limit", HeaderValue::from(*limit));
                h.insert("x-ratelimit-remaining", HeaderValue::from(0u32));
                h.insert("x-ratelimit-reset", HeaderValue::from(*retry_after_secs));
                r
            }
            AppError::Busy { message, retry_after_secs } => {
                let mut r = (status, Json(error_body(status, message))).into_response();
                r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(*retry_after_secs));
                r
            }
            other => (status, Json(error_body(status, &other.to_string()))).into_response(),
        };
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// The one mapping of the domain's errors to HTTP.
impl From<DomainError> for AppError {
    fn from(err: DomainError) -> Self {
        match err {
            DomainError::Invalid(errors) => AppError::Validation(errors),
            DomainError::NotFound(m) => AppError::NotFound(m),
            DomainError::Conflict(m) => AppError::Conflict(m),
            DomainError::Forbidden(m) => AppError::Forbidden(m),
            DomainError::RateLimited { retry_after_secs, limit } => AppError::RateLimited { retry_after_secs, limit },
            DomainError::Busy { message, retry_after_secs } => AppError::Busy { message, retry_after_secs },
            DomainError::Unavailable(m) => AppError::Unavailable(m),
            DomainError::Internal(e) => AppError::Internal(e),
        }
    }
}

impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        AppError::Internal(anyhow::Error::new(err).context("database"))
    }
}
