//! Identity: Supabase tokens (HS256 secret or JWKS) and built-in accounts, one verifier for both.

pub mod accounts;
pub mod authn;
pub mod identity;
pub mod jwks;
pub mod password;
pub mod routes;
pub mod token;

pub use authn::IDENTITY_CACHE;
