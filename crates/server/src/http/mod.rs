//! The HTTP edge: middleware, CORS, idempotency, response headers and the OpenAPI document (the error
//! type and extractors every crate shares are in `pam_web`).

pub mod cors;
pub mod idempotency;
pub mod limits;
pub mod middleware;
pub mod openapi;
pub mod response_headers;
