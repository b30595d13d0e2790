//! The HTTP edge: extractors, middleware, idempotency and the OpenAPI document.

pub mod context;
pub mod cors;
pub mod extract;
pub mod idempotency;
pub mod middleware;
pub mod openapi;
pub mod pagination;
pub mod response_headers;
