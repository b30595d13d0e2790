//! Rate limits as GCRA (a token bucket kept as one "theoretical arrival time" per key). The
//! [`RateLimiter`] trait is what callers hold; [`LocalRateLimiter`] is exact for a single instance, and a
//! shared implementation (Redis) stands behind the same trait when several instances run.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use futures::future::BoxFuture;
use pam_kernel::DomainError;

#[derive(Clone, Copy, Debug)]
pub struct Quota {
    /// Requests allowed per period (also the burst).
    pub limit: u32,
    pub period: Duration,
}

impl Quota {
    pub const fn per_minute(limit: u32) -> Quota {
        Quota { limit, period: Duration::from_secs(60) }
    }

    pub(crate) fn interval(&self) -> Duration {
        self.period / self.limit.max(1)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    pub limit: u32,
    pub remaining: u32,
    /// When the next request would be allowed (zero when allowed now).
    pub retry_after: Duration,
    /// When the whole quota is available again.
    pub reset: Duration,
}

impl Decision {
    /// The "rate limited" error for a refused decision.
    pub fn into_result(self) -> Result<(), DomainError> {
        if self.allowed {
            Ok(())
        } else {
            Err(DomainError::RateLimited { retry_after_secs: self.retry_after.as_secs().max(1), limit: self.limit })
        }
    }
}

/// Counts requests per key against a quota.
pub trait RateLimiter: Send + Sync {
    /// Takes one unit for `key` if the quota allows it.
    fn check<'a>(&'a self, key: &'a str, quota: Quota) -> BoxFuture<'a, Decision>;
    /// Whether one unit would be allowed, without taking it.
    fn peek<'a>(&'a self, key: &'a str, quota: Quota) -> BoxFuture<'a, Decision>;
}

/// GCRA in this process's memory.
#[derive(Default)]
pub struct LocalRateLimiter {
    arrivals: Mutex<Arrivals>,
}

#[derive(Default)]
struct Arrivals {
    by_key: HashMap<String, Instant>,
    /// When expired keys were last swept out: at most once a second, so a flood of new keys costs one
    /// scan a second rather than one per request.
    swept: Option<Instant>,
}

impl RateLimiter for LocalRateLimiter {
    fn check<'a>(&'a self, key: &'a str, quota: Quota) -> BoxFuture<'a, Decision> {
        Box::pin(std::future::ready(self.check_now(key, quota)))
    }

    fn peek<'a>(&'a self, key: &'a str, quota: Quota) -> BoxFuture<'a, Decision> {
        Box::pin(std::future::ready(self.peek_now(key, quota)))
    }
}

/// Past this many keys, expired ones are swept out on the next write.
const SWEEP_AT: usize = 50_000;
/// The most keys kept. Past it (keys arriving faster than they expire: an attack) the half closest to
/// expiring is dropped, so memory stays bounded; those keys start afresh.
const MAX_KEYS: usize = 200_000;

impl LocalRateLimiter {
    /// Takes one unit for `key` if the quota allows it.
    pub fn check_now(&self, key: &str, quota: Quota) -> Decision {
        self.decide(key, quota, true)
    }

    /// Whether one unit would be allowed, without taking it.
    pub fn peek_now(&self, key: &str, quota: Quota) -> Decision {
        self.decide(key, quota, false)
    }

    fn decide(&self, key: &str, quota: Quota, consume: bool) -> Decision {
        let now = Instant::now();
        let interval = quota.interval();
        let mut guard = self.arrivals.lock().unwrap_or_else(|p| p.into_inner());
        let Arrivals { by_key: arrivals, swept } = &mut *guard;
        let tat = arrivals.get(key).copied().filter(|t| *t > now).unwrap_or(now);
        let next = tat + interval;
        let ahead = next - now;
        if ahead > quota.period {
            return Decision {
                allowed: false,
                limit: quota.limit,
                remaining: 0,
                retry_after: ahead - quota.period,
                reset: tat.saturating_duration_since(now),
            };
        }
        if consume {
            let due = swept.is_none_or(|at| now.duration_since(at) >= Duration::from_secs(1));
            if arrivals.len() >= SWEEP_AT && !arrivals.contains_key(key) && (due || arrivals.len() >= MAX_KEYS) {
                *swept = Some(now);
                arrivals.retain(|_, t| *t > now);
                if arrivals.len() >= MAX_KEYS {
                    let mut times: Vec<Instant> = arrivals.values().copied().collect();
                    let middle = times.len() / 2;
                    let (_, cut, _) = times.select_nth_unstable(middle);
                    let cut = *cut;
                    arrivals.retain(|_, t| *t > cut);
                }
            }
            arrivals.insert(key.to_string(), next);
        }
        let used = if consume { ahead } else { tat - now };
        let remaining = ((quota.period - used).as_nanos() / interval.as_nanos().max(1)) as u32;
        Decision {
            allowed: true,
            limit: quota.limit,
            remaining: remaining.min(quota.limit),
            retry_after: Duration::ZERO,
            reset: used,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_up_to_the_limit_passes_then_refuses_with_a_wait() {
        let limiter = LocalRateLimiter::default();
        let quota = Quota::per_minute(5);
        for i in 0..5 {
            let d = limiter.check_now("ip:1", quota);
            assert!(d.allowed, "request {i}");
            assert_eq!(d.remaining, 4 - i);
        }
        let refused = limiter.check_now("ip:1", quota);
        assert!(!refused.allowed);
        assert!(refused.retry_after > Duration::from_secs(10) && refused.retry_after <= Duration::from_secs(12));
        assert!(limiter.check_now("ip:2", quota).allowed, "keys are independent");
    }

    #[test]
    fn peek_does_not_consume() {
        let limiter = LocalRateLimiter::default();
        let quota = Quota::per_minute(1);
        assert!(limiter.peek_now("k", quota).allowed);
        assert!(limiter.peek_now("k", quota).allowed);
        assert!(limiter.check_now("k", quota).allowed);
        assert!(!limiter.peek_now("k", quota).allowed);
    }

    #[test]
    fn the_key_map_stays_bounded_under_a_flood_of_new_keys() {
        let limiter = LocalRateLimiter::default();
        // Keys that do not expire within the test (each is held for 12 minutes): only the bound makes room.
        let quota = Quota { limit: 5, period: Duration::from_secs(3600) };
        for i in 0..(MAX_KEYS + MAX_KEYS / 4) {
            assert!(limiter.check_now(&format!("login-fail:{i}"), quota).allowed);
        }
        let kept = limiter.arrivals.lock().unwrap().by_key.len();
        assert!(kept <= MAX_KEYS, "{kept} keys kept, more than {MAX_KEYS}");
        assert!(kept >= SWEEP_AT, "the bound drops part of the keys, not all of them: {kept}");
        // The newest keys are the ones kept: a key just used still counts.
        let newest = format!("login-fail:{}", MAX_KEYS + MAX_KEYS / 4 - 1);
        assert_eq!(limiter.peek_now(&newest, quota).remaining, 4);
    }

    #[test]
    fn expired_keys_are_swept_once_there_are_many() {
        let limiter = LocalRateLimiter::default();
        let quota = Quota { limit: 1, period: Duration::from_millis(20) };
        for i in 0..SWEEP_AT {
            limiter.check_now(&format!("old:{i}"), quota);
        }
        std::thread::sleep(Duration::from_millis(1100));
        limiter.check_now("new", quota);
        let kept = limiter.arrivals.lock().unwrap().by_key.len();
        assert_eq!(kept, 1, "every expired key was swept out");
    }

    #[test]
    fn capacity_returns_as_time_passes() {
        let limiter = LocalRateLimiter::default();
        let quota = Quota { limit: 2, period: Duration::from_millis(100) };
        assert!(limiter.check_now("k", quota).allowed);
        assert!(limiter.check_now("k", quota).allowed);
        assert!(!limiter.check_now("k", quota).allowed);
        std::thread::sleep(Duration::from_millis(60));
        assert!(limiter.check_now("k", quota).allowed, "one unit back after one interval");
    }
}
