//! Cross-cutting services the domains share: rate limits (and, as they arrive, cache, pub/sub, jobs).

pub mod rate_limit;
