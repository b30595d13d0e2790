//! Responses many operations share, for their `#[utoipa::path(responses(...))]`: each states once what
//! one of the shared extractors answers when it refuses a request, so every operation using it documents
//! that answer with SPEC §2's body.
//!
//! ```text
//! responses((status = 200, body = Expense), pam_web::doc::Unauthorized, pam_web::doc::BodyRefused)
//! ```

use utoipa::IntoResponses;

use crate::error::{ErrorBody, ValidationErrorBody};

/// What [`AuthUser`](crate::AuthUser) answers without a valid bearer token.
#[derive(IntoResponses)]
#[response(status = 401, description = "No bearer token, or one that was refused (`code: unauthorized`)")]
pub struct Unauthorized(#[allow(dead_code)] ErrorBody);

/// What [`Json`](crate::Json) and [`OptionalJson`](crate::OptionalJson) answer when they refuse a body.
#[derive(IntoResponses)]
pub enum BodyRefused {
    /// A body whose `user_id` names another user (`code: forbidden`); admins may act for others.
    #[response(status = 403)]
    OtherUser(#[allow(dead_code)] ErrorBody),
    /// A body over the size limit (`code: payload_too_large`).
    #[response(status = 413)]
    TooLarge(#[allow(dead_code)] ErrorBody),
    /// A body that is not `application/json` (`code: unsupported_media_type`).
    #[response(status = 415)]
    NotJson(#[allow(dead_code)] ErrorBody),
    /// A body or parameter that breaks the documented schema, each problem located (`code: validation_error`).
    #[response(status = 422)]
    Invalid(#[allow(dead_code)] ValidationErrorBody),
}

/// What [`Query`](crate::Query) and [`Path`](crate::Path) answer when a parameter does not parse or
/// breaks its documented bounds.
#[derive(IntoResponses)]
#[response(
    status = 422,
    description = "A parameter that breaks the documented schema, located (`code: validation_error`)"
)]
pub struct InvalidParameters(#[allow(dead_code)] ValidationErrorBody);
