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
///
/// JSON has one kind of number: `1024.0` is the integer 1024 (JSON Schema's `integer` says so too),
/// though serde refuses it for an integer field. A body refused only for that is read again with every
/// whole number written as an integer; the common body pays nothing for it.
pub fn parse_json_body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    // serde reads a struct from an array of its fields in order too (`[null, null]` is an empty update);
    // every body documented as an object must be one.
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') && reads_an_object::<T>() {
        return Err(AppError::Validation(vec![FieldError::new(&["body"], "Input should be an object", "type_error")]));
    }
    match parse_json_exact(bytes) {
        Err(AppError::Validation(errors))
            if errors.iter().any(|e| e.msg.starts_with("invalid type: floating point")) =>
        {
            let Ok(mut value) = serde_json::from_slice::<Value>(bytes) else {
                return Err(AppError::Validation(errors));
            };
            if !whole_numbers_as_integers(&mut value) {
                return Err(AppError::Validation(errors));
            }
            serde_path_to_error::deserialize::<_, T>(value)
                .map_err(|err| AppError::Validation(vec![json_field_error(err)]))
        }
        other => other,
    }
}

/// Whether `T` reads itself from a JSON object (a struct, or a map): asked of `T`'s own `Deserialize`
/// with a deserializer that only notes which shape it is asked for (through `Option` and newtypes).
fn reads_an_object<T: DeserializeOwned>() -> bool {
    use serde::de::{Error as _, Visitor};
    use serde::forward_to_deserialize_any;
    use std::cell::Cell;

    struct Probe<'a>(&'a Cell<bool>);
    type ProbeError = serde::de::value::Error;

    impl<'de> serde::Deserializer<'de> for Probe<'_> {
        type Error = ProbeError;

        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, ProbeError> {
            Err(ProbeError::custom("probe"))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            _: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, ProbeError> {
            self.0.set(true);
            Err(ProbeError::custom("probe"))
        }
        fn deserialize_map<V: Visitor<'de>>(self, _: V) -> Result<V::Value, ProbeError> {
            self.0.set(true);
            Err(ProbeError::custom("probe"))
        }
        fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeError> {
            visitor.visit_some(self)
        }
        fn deserialize_newtype_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            visitor: V,
        ) -> Result<V::Value, ProbeError> {
            visitor.visit_newtype_struct(self)
        }
        forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit unit_struct
            seq tuple tuple_struct enum identifier ignored_any
        }
    }

    let asked = Cell::new(false);
    let _ = T::deserialize(Probe(&asked));
    asked.get()
}

/// Rewrites every float with no fractional part (within i64) as an integer; whether any was.
fn whole_numbers_as_integers(value: &mut Value) -> bool {
    match value {
        Value::Number(n) if n.is_f64() => match n.as_f64() {
            // Strictly inside i64's range: `i64::MAX as f64` rounds up past it.
            Some(f) if f.fract() == 0.0 && f >= i64::MIN as f64 && f < i64::MAX as f64 => {
                *value = Value::from(f as i64);
                true
            }
            _ => false,
        },
        Value::Array(items) => items.iter_mut().fold(false, |any, v| whole_numbers_as_integers(v) | any),
        Value::Object(fields) => fields.values_mut().fold(false, |any, v| whole_numbers_as_integers(v) | any),
        _ => false,
    }
}

fn parse_json_exact<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
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
        // `null` is no body too: the documents describe these bodies as `T` or `null`.
        let value: Option<T> = parse_json_body(&bytes)?;
        if let Some(caller) = caller {
            check_body_user(&bytes, caller)?;
        }
        Ok(OptionalJson(value))
    }
}
