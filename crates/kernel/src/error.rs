//! The domain error: what a service, a tool or a job reports when it cannot do what was asked. It
//! knows nothing of HTTP; the web crate maps each kind to SPEC §2's status and body, in one place.

use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

/// One problem with one input field, in FastAPI's `detail` list shape.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct FieldError {
    /// Where the problem is: `["body", "amount"]`, `["query", "limit"]`, `["path", "id"]`.
    #[schema(schema_with = loc_schema)]
    pub loc: Vec<Value>,
    pub msg: String,
    #[serde(rename = "type")]
    pub kind: String,
}

/// `loc`'s schema: names of fields and places, and the indexes of list items.
fn loc_schema() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, OneOfBuilder, Type};
    ArrayBuilder::new()
        .items(
            OneOfBuilder::new()
                .item(ObjectBuilder::new().schema_type(Type::String))
                .item(ObjectBuilder::new().schema_type(Type::Integer)),
        )
        .build()
}

impl FieldError {
    pub fn new(loc: &[&str], msg: impl Into<String>, kind: &str) -> Self {
        FieldError { loc: loc.iter().map(|s| Value::from(*s)).collect(), msg: msg.into(), kind: kind.to_string() }
    }

    /// The field's path without its first segment (`body`, `query`…): how a tool names an argument.
    pub fn field_path(&self) -> String {
        let parts: Vec<String> =
            self.loc.iter().skip(1).map(|p| p.as_str().map(str::to_string).unwrap_or_else(|| p.to_string())).collect();
        parts.join(".")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    /// The input was wrong; every problem found is listed.
    #[error("validation failed")]
    Invalid(Vec<FieldError>),
    /// The thing does not exist for this caller (another user's row is "not found" too).
    #[error("{0}")]
    NotFound(String),
    /// It clashes with what is stored (a duplicate, a state that does not allow it).
    #[error("{0}")]
    Conflict(String),
    /// The caller may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// Too many attempts: come back after `retry_after_secs`.
    #[error("rate limited")]
    RateLimited { retry_after_secs: u64, limit: u32 },
    /// Something of the caller's is still in progress (a previous chat turn): try again shortly.
    #[error("{message}")]
    Busy { message: String, retry_after_secs: u64 },
    /// A service it needs is not configured or not answering.
    #[error("{0}")]
    Unavailable(String),
    /// Our fault; the cause is logged, never shown.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl DomainError {
    /// A single-field validation failure.
    pub fn invalid(loc: &[&str], msg: impl Into<String>) -> DomainError {
        DomainError::Invalid(vec![FieldError::new(loc, msg, "value_error")])
    }

    pub fn not_found(what: &str) -> DomainError {
        DomainError::NotFound(format!("{what} not found"))
    }

    pub fn internal(context: &'static str, err: impl std::error::Error + Send + Sync + 'static) -> DomainError {
        DomainError::Internal(anyhow::Error::new(err).context(context))
    }
}

impl From<sqlx::Error> for DomainError {
    fn from(err: sqlx::Error) -> Self {
        DomainError::Internal(anyhow::Error::new(err).context("database"))
    }
}

/// A deserialisation failure as FastAPI reports it: `loc` is `root` then the path to the field (serde
/// reports a missing field on its parent; FastAPI names the field itself), `type` says what went wrong.
pub fn field_error(root: &str, path: &serde_path_to_error::Path, message: &str) -> FieldError {
    let mut loc = vec![Value::from(root)];
    for segment in path.iter() {
        match segment {
            serde_path_to_error::Segment::Seq { index } => loc.push(Value::from(*index)),
            serde_path_to_error::Segment::Map { key } | serde_path_to_error::Segment::Enum { variant: key } => {
                loc.push(Value::from(key.as_str()))
            }
            serde_path_to_error::Segment::Unknown => {}
        }
    }
    let kind = classify_data_error(message, &mut loc);
    FieldError { loc, msg: humanize(message), kind }
}

/// serde reports a missing field on its parent; FastAPI puts the field itself in `loc`.
fn classify_data_error(message: &str, loc: &mut Vec<Value>) -> String {
    if let Some(field) = backticked_after(message, "missing field ") {
        loc.push(Value::from(field));
        "missing".into()
    } else if message.starts_with("unknown variant") {
        "enum".into()
    } else if message.starts_with("unknown field") {
        if let Some(field) = backticked_after(message, "unknown field ") {
            loc.push(Value::from(field));
        }
        "extra_forbidden".into()
    } else if message.starts_with("invalid type") {
        "type_error".into()
    } else {
        "value_error".into()
    }
}

fn backticked_after<'a>(message: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = message.strip_prefix(prefix)?.strip_prefix('`')?;
    rest.split('`').next()
}

fn humanize(message: &str) -> String {
    if let Some(field) = backticked_after(message, "missing field ") {
        return format!("Field required: {field}");
    }
    message.replace('`', "'")
}
