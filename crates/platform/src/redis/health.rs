//! Whether Redis is answering, shared by every call of one instance: each call runs under the
//! deadline, a failure or a late answer starts an outage (one warning) and the caller falls back
//! (`pam_redis_fallbacks_total{op}`); the first call that succeeds ends it (one info line).
//!
//! During an outage only one call per [`PROBE_EVERY`] tries Redis; the others fall back at once, so a
//! dead or stalled Redis costs requests no waiting beyond that one probe.

use std::fmt::Display;
use std::future::Future;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How often, during an outage, one call tries Redis again.
pub(super) const PROBE_EVERY: Duration = Duration::from_secs(1);

#[derive(Default)]
pub(super) struct Health {
    down: AtomicBool,
    /// While down: when the next call may try Redis.
    next_probe: Mutex<Option<Instant>>,
    fallbacks: AtomicU64,
}

impl Health {
    /// Runs `call` under `deadline` if Redis may be tried now. `None` means the caller falls back;
    /// the fallback is already counted and any outage logged.
    pub(super) async fn attempt<T, E: Display>(
        &self,
        op: &'static str,
        deadline: Duration,
        call: impl Future<Output = Result<T, E>>,
    ) -> Option<T> {
        if !self.may_try() {
            self.fell_back(op);
            return None;
        }
        match tokio::time::timeout(deadline, call).await {
            Ok(Ok(value)) => {
                self.answered();
                Some(value)
            }
            Ok(Err(e)) => {
                self.lost(op, &e);
                self.fell_back(op);
                None
            }
            Err(_) => {
                self.lost(op, &format!("no answer within {} ms", deadline.as_millis()));
                self.fell_back(op);
                None
            }
        }
    }

    /// Whether a call should try Redis: always while it is up; during an outage, one call per probe
    /// interval (whoever comes first takes the probe).
    pub(super) fn may_try(&self) -> bool {
        if !self.down.load(Ordering::Acquire) {
            return true;
        }
        let mut next = self.next_probe.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        match *next {
            Some(at) if now < at => false,
            _ => {
                *next = Some(now + PROBE_EVERY);
                true
            }
        }
    }

    /// One operation served in-process instead of through Redis.
    pub(super) fn fell_back(&self, op: &'static str) {
        self.fallbacks.fetch_add(1, Ordering::Relaxed);
        metrics::counter!("pam_redis_fallbacks_total", "op" => op).increment(1);
    }

    /// Redis failed or was late: the outage starts (logged once) or goes on.
    pub(super) fn lost(&self, op: &'static str, cause: &dyn Display) {
        *self.next_probe.lock().unwrap_or_else(|p| p.into_inner()) = Some(Instant::now() + PROBE_EVERY);
        if !self.down.swap(true, Ordering::AcqRel) {
            tracing::warn!(
                redis.op = op,
                error = %cause,
                "Redis is not answering: rate limits, cache invalidations and pushes stay in this process until it does"
            );
        }
    }

    /// Redis answered: an outage, if there was one, is over.
    pub(super) fn answered(&self) {
        if self.down.swap(false, Ordering::AcqRel) {
            tracing::info!("Redis answers again: rate limits, cache invalidations and pushes are shared again");
        }
    }

    pub(super) fn is_down(&self) -> bool {
        self.down.load(Ordering::Acquire)
    }

    pub(super) fn fallbacks(&self) -> u64 {
        self.fallbacks.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_failure_starts_an_outage_that_the_next_success_ends() {
        let health = Health::default();
        let ok: Option<u8> = health.attempt("t", Duration::from_secs(1), async { Ok::<_, String>(1) }).await;
        assert_eq!(ok, Some(1));
        let failed: Option<u8> =
            health.attempt("t", Duration::from_secs(1), async { Err("refused".to_string()) }).await;
        assert_eq!(failed, None);
        assert!(health.is_down());
        assert_eq!(health.fallbacks(), 1);
        // Within the probe interval nobody tries: the call is not even run.
        let skipped: Option<u8> = health.attempt("t", Duration::from_secs(1), async { Ok::<_, String>(2) }).await;
        assert_eq!(skipped, None, "no probe before the interval has passed");
        assert_eq!(health.fallbacks(), 2);
        health.answered();
        assert!(!health.is_down());
        assert!(health.may_try());
    }

    #[tokio::test]
    async fn a_late_answer_counts_as_a_failure() {
        let health = Health::default();
        let late = async {
            tokio::time::sleep(Duration::from_millis(200)).await;
            Ok::<u8, String>(1)
        };
        assert_eq!(health.attempt("t", Duration::from_millis(20), late).await, None);
        assert!(health.is_down());
    }

    #[test]
    fn during_an_outage_one_caller_per_interval_probes() {
        let health = Health::default();
        health.lost("t", &"refused");
        assert!(!health.may_try(), "the failure itself set the next probe");
        *health.next_probe.lock().unwrap() = Some(Instant::now());
        assert!(health.may_try(), "the first caller after the interval probes");
        assert!(!health.may_try(), "the next one does not");
    }
}
