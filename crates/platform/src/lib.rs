//! Cross-cutting services the domains and the PAM pipeline share, each a trait with an in-process
//! implementation (one instance needs nothing else) so a shared one (Redis) can stand behind the same
//! calls: rate limits, caches with invalidation, and pushes to a user's sockets.
//!
//! Depends on `kernel` only; no domain, no HTTP.

pub mod cache;
pub mod push;
pub mod rate_limit;
