//! Cross-cutting services the domains and the PAM pipeline share, each a trait with an in-process
//! implementation (one instance needs nothing else) so a shared one (Redis) can stand behind the same
//! calls: rate limits, caches with invalidation, pushes to a user's sockets, and background jobs.
//!
//! Depends on `kernel` and `store` (jobs live in the application's database); no domain, no HTTP.

pub mod cache;
pub mod jobs;
pub mod outbox;
pub mod push;
pub mod rate_limit;
