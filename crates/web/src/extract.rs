//! Our own JSON, query and path extractors, so every rejection is SPEC §2's 422 detail list (or 413/415),
//! with the location of the offending field.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use pam_kernel::FieldError;
use pam_kernel::error::field_error;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::AuthUser;
use crate::error::AppError;

/// Largest JSON body accepted (SPEC §7: JSON 1 MB).
pub const JSON_LIMIT: usize = 1024 * 1024;

/// JSON body extractor and response type.
pub struct Json<T>(pub T);

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

fn is_json_content_type(parts: &Request) -> bool {
    let Some(ct) = parts.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let mime = ct.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Json<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json_content_type(&req) {
            return Err(AppError::UnsupportedMediaType("Expected Content-Type: application/json".into()));
        }
        let caller = req.extensions().get::<AuthUser>().filter(|u| !u.is_admin).map(|u| u.id);
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                AppError::PayloadTooLarge("Request body is too large".into())
            } else {
                AppError::BadRequest(rejection.body_text())
            }
        })?;
        if bytes.len() > JSON_LIMIT {
            return Err(AppError::PayloadTooLarge(format!("JSON bodies are limited to {JSON_LIMIT} bytes")));
        }
        let value = parse_json_body(&bytes)?;
        if let Some(caller) = caller {
            check_body_user(&bytes, caller)?;
        }
        Ok(Json(value))
    }
}

/// SPEC §2: a body's `user_id` naming someone other than the caller is 403 (admins may act for anyone).
/// Bodies that carry the caller's own id, or none, pass.
fn check_body_user(bytes: &[u8], caller: uuid::Uuid) -> Result<(), AppError> {
    #[derive(serde::Deserialize)]
    struct Named {
        user_id: Option<Value>,
    }
    let Ok(Named { user_id: Some(named) }) = serde_json::from_slice::<Named>(bytes) else { return Ok(()) };
    match &named {
        Value::Null => Ok(()),
        Value::String(s) => match uuid::Uuid::parse_str(s.trim()) {
            Ok(id) if id == caller => Ok(()),
            Ok(_) => Err(AppError::Forbidden("You can only act for your own account".into())),
            Err(_) => Err(AppError::invalid(&["body", "user_id"], "Input should be a valid UUID")),
        },
        _ => Err(AppError::invalid(&["body", "user_id"], "Input should be a valid UUID")),
    }
}

/// Parses a JSON body into `T`, reporting the failing field's path as FastAPI does.
pub fn parse_json_body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize::<_, T>(&mut de)
        .map_err(|err| AppError::Validation(vec![json_field_error(err)]))?;
    de.end().map_err(|e| {
        AppError::Validation(vec![FieldError::new(
            &["body"],
            format!("Invalid JSON: {}", strip_position(&e.to_string())),
            "json_invalid",
        )])
    })?;
    Ok(value)
}

fn json_field_error(err: serde_path_to_error::Error<serde_json::Error>) -> FieldError {
    let syntax = matches!(
        err.inner().classify(),
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof | serde_json::error::Category::Io
    );
    if syntax {
        let message = strip_position(&err.into_inner().to_string());
        return FieldError {
            loc: vec![Value::from("body")],
            msg: format!("Invalid JSON: {message}"),
            kind: "json_invalid".into(),
        };
    }
    let path = err.path().clone();
    let message = strip_position(&err.into_inner().to_string());
    field_error("body", &path, &message)
}

fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// Query-string extractor; a bad or missing parameter is a 422 at `["query", name]`.
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        parse_query(query).map(Query)
    }
}

pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, AppError> {
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize::<_, T>(de).map_err(|err| {
        let path = err.path().clone();
        AppError::Validation(vec![field_error("query", &path, &err.into_inner().to_string())])
    })
}

/// Path-parameter extractor; an unparsable segment (a malformed UUID, say) is a 422 at `["path", name]`.
pub struct Path<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Path<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        use axum::extract::rejection::PathRejection;
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Path(value)),
            Err(PathRejection::FailedToDeserializePathParams(err)) => {
                use axum::extract::path::ErrorKind;
                let kind = err.kind();
                let name = match kind {
                    ErrorKind::ParseErrorAtKey { key, .. } | ErrorKind::InvalidUtf8InPathParam { key } => key.clone(),
                    // A single-value path names no key: take it from the raw params.
                    other => {
                        let value = match other {
                            ErrorKind::ParseError { value, .. } | ErrorKind::ParseErrorAtIndex { value, .. } => {
                                Some(value.clone())
                            }
                            _ => None,
                        };
                        let raw = axum::extract::RawPathParams::from_request_parts(parts, state).await.ok();
                        let params: Vec<(String, String)> = raw
                            .map(|r| r.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
                            .unwrap_or_default();
                        let by_value =
                            value.and_then(|v| params.iter().find(|(_, pv)| *pv == v).map(|(k, _)| k.clone()));
                        match (by_value, params.as_slice()) {
                            (Some(k), _) => k,
                            (None, [(k, _)]) => k.clone(),
                            _ => "path".to_string(),
                        }
                    }
                };
                let msg = match kind {
                    ErrorKind::ParseErrorAtKey { expected_type, .. } | ErrorKind::ParseError { expected_type, .. } => {
                        format!("Input should be a valid {}", friendly_type(expected_type))
                    }
                    ErrorKind::DeserializeError { message, .. } => message.clone(),
                    other => other.to_string(),
                };
                Err(AppError::Validation(vec![FieldError::new(&["path", &name], msg, "type_error")]))
            }
            Err(other) => Err(AppError::BadRequest(other.body_text())),
        }
    }
}

fn friendly_type(rust_type: &str) -> &str {
    if rust_type.ends_with("Uuid") { "UUID" } else { rust_type }
}

/// A JSON body that may be absent: an empty body is `None`, anything else must be valid JSON.
pub struct OptionalJson<T>(pub Option<T>);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for OptionalJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let json_type = is_json_content_type(&req);
        let caller = req.extensions().get::<AuthUser>().filter(|u| !u.is_admin).map(|u| u.id);
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|_| AppError::PayloadTooLarge("Request body is too large".into()))?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(OptionalJson(None));
        }
        if !json_type {
            return Err(AppError::UnsupportedMediaType("Expected Content-Type: application/json".into()));
        }
        if bytes.len() > JSON_LIMIT {
            return Err(AppError::PayloadTooLarge(format!("JSON bodies are limited to {JSON_LIMIT} bytes")));
        }
        let value = parse_json_body(&bytes)?;
        if let Some(caller) = caller {
            check_body_user(&bytes, caller)?;
        }
        Ok(OptionalJson(Some(value)))
    }
}
