//! Cross-cutting services the domains and the PAM pipeline share, each a trait with an in-process
//! implementation (one instance needs nothing else) so a shared one (Redis) can stand behind the same
//! calls: rate limits, caches with invalidation, pushes to a user's sockets, and background jobs. The
//! Redis implementations live in the `redis` module; each falls back to the in-process one while Redis
//! does not answer.
//!
//! Depends on `kernel` and `store` (jobs live in the application's database); no domain, no HTTP.

// Outside data never reaches an unwrap: failures are errors, not panics (tests may unwrap).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod cache;
pub mod jobs;
pub mod outbox;
pub mod push;
pub mod push_frames;
pub mod rate_limit;
pub mod redis;
