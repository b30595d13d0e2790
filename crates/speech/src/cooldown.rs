//! An engine that has just failed is skipped for a while, so every request in the meantime goes
//! straight to the next engine instead of waiting on a timeout first. After the cool-down it is tried
//! again; one success clears it. Tokio's clock, so tests can move time.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

pub struct Cooldown {
    period: Duration,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    until: Option<Instant>,
    last_error: Option<String>,
    failures: u64,
}

/// What `/tts/status` shows of an engine's health.
#[derive(Clone, Debug, PartialEq)]
pub struct Health {
    /// Seconds of cool-down left; 0 when the engine is tried.
    pub cooling_for: f64,
    pub last_error: Option<String>,
    pub failures: u64,
}

impl Cooldown {
    pub fn new(period: Duration) -> Cooldown {
        Cooldown { period, state: Mutex::new(State::default()) }
    }

    fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        // A poisoned lock only means another thread panicked mid-update of plain values: keep going.
        let mut guard = self.state.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut guard)
    }

    /// Whether the engine is being skipped right now.
    pub fn is_cooling(&self) -> bool {
        self.with(|s| s.until.is_some_and(|until| Instant::now() < until))
    }

    /// The engine failed: skip it for the period, or for as long as it asked (`Retry-After`).
    pub fn failed(&self, reason: &str, retry_after: Option<Duration>) {
        let wait = retry_after.map_or(self.period, |r| r.max(self.period));
        self.with(|s| {
            s.until = Some(Instant::now() + wait);
            s.last_error = Some(reason.chars().take(200).collect());
            s.failures += 1;
        });
    }

    pub fn succeeded(&self) {
        self.with(|s| s.until = None);
    }

    pub fn health(&self) -> Health {
        self.with(|s| Health {
            cooling_for: s.until.map_or(0.0, |u| u.saturating_duration_since(Instant::now()).as_secs_f64()),
            last_error: s.last_error.clone(),
            failures: s.failures,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_failed_engine_is_skipped_until_its_cool_down_ends() {
        let c = Cooldown::new(Duration::from_secs(60));
        assert!(!c.is_cooling());
        c.failed("HTTP 500", None);
        assert!(c.is_cooling());
        tokio::time::advance(Duration::from_secs(59)).await;
        assert!(c.is_cooling(), "still cooling after 59 s");
        tokio::time::advance(Duration::from_secs(2)).await;
        assert!(!c.is_cooling(), "tried again after 60 s");
        assert_eq!(c.health().failures, 1);
        assert_eq!(c.health().last_error.as_deref(), Some("HTTP 500"));
    }

    #[tokio::test(start_paused = true)]
    async fn retry_after_lengthens_the_cool_down_but_never_shortens_it() {
        let c = Cooldown::new(Duration::from_secs(60));
        c.failed("429", Some(Duration::from_secs(300)));
        tokio::time::advance(Duration::from_secs(120)).await;
        assert!(c.is_cooling());
        assert!((c.health().cooling_for - 180.0).abs() < 1.0);
        c.succeeded();
        assert!(!c.is_cooling(), "a success clears it");
        c.failed("429", Some(Duration::from_secs(1)));
        tokio::time::advance(Duration::from_secs(30)).await;
        assert!(c.is_cooling(), "the period is the floor");
    }
}
