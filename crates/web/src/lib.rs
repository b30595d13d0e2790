//! The HTTP vocabulary every domain's routes share: the one error type and its mapping from the domain
//! error (SPEC §2 bodies), our JSON/query/path extractors whose rejections are 422s with a location, the
//! authenticated-user extractors, and the request context (request id, client address) the edge sets.
//!
//! A crate of its own because of the orphan rule: `IntoResponse` and `FromRequestParts` for these types
//! must live beside them, and the kernel stays free of HTTP.

// Outside data never reaches an unwrap: failures are errors, not panics (tests may unwrap).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod auth;
pub mod context;
pub mod doc;
pub mod error;
pub mod extract;

pub use auth::{AdminUser, AuthRejected, AuthUser, Authenticator, Authn, MaybeUser};
pub use error::{AppError, AppResult, ErrorBody, ValidationErrorBody};
pub use extract::{Json, OptionalJson, Path, Query};
