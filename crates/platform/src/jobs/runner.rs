//! The runner: claims due jobs, runs each through its handler with bounded concurrency, records the
//! outcome, keeps periodic schedules filled, and on shutdown hands unfinished claims back.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::FutureExt;
use futures::future::BoxFuture;
use serde_json::json;
use tokio::sync::{Notify, Semaphore};
use tokio::task::JoinSet;
use uuid::Uuid;

use super::queue::{Job, JobQueue, NewJob};

/// What a job does. Handlers must be idempotent: a job may run again if its worker died mid-way.
pub trait JobHandler: Send + Sync {
    fn run<'a>(&'a self, job: &'a Job) -> BoxFuture<'a, JobOutcome>;
}

#[derive(Debug, Clone, PartialEq)]
pub enum JobOutcome {
    Done,
    /// Failed; retried with backoff until its attempts are spent, then parked.
    Failed(String),
}

/// A job that runs once per period (aligned to the Unix epoch: hourly jobs at the top of the hour).
#[derive(Clone, Debug)]
pub struct Schedule {
    pub kind: &'static str,
    pub every: Duration,
}

#[derive(Clone, Debug)]
pub struct RunnerOptions {
    /// How often to look for due jobs when nothing wakes the runner.
    pub poll: Duration,
    pub batch: i64,
    /// How long a claim is held before another worker may take the job over.
    pub lease: Duration,
    pub concurrency: usize,
    /// How long shutdown waits for running jobs before handing them back.
    pub grace: Duration,
    /// The first retry's delay; each later one doubles it (at most an hour).
    pub retry_base: Duration,
}

impl Default for RunnerOptions {
    fn default() -> Self {
        RunnerOptions {
            poll: Duration::from_millis(500),
            batch: 200,
            lease: Duration::from_secs(60),
            concurrency: 16,
            grace: Duration::from_secs(10),
            retry_base: Duration::from_secs(5),
        }
    }
}

pub struct JobRunner {
    queue: Arc<dyn JobQueue>,
    handlers: HashMap<String, Arc<dyn JobHandler>>,
    schedules: Vec<Schedule>,
    options: RunnerOptions,
    wake: Arc<Notify>,
}

/// The retry delay after `attempts` failures: `base`, twice that, four times … at most an hour.
pub fn backoff(attempts: i32, base: Duration) -> Duration {
    let exp = attempts.clamp(1, 12) as u32 - 1;
    base.saturating_mul(1u32 << exp).min(Duration::from_secs(3600))
}

/// The start of the period `every` that contains `now`.
fn slot_of(now: DateTime<Utc>, every: Duration) -> DateTime<Utc> {
    let period = every.as_secs().max(1) as i64;
    let start = now.timestamp().div_euclid(period) * period;
    DateTime::from_timestamp(start, 0).unwrap_or(now)
}

impl JobRunner {
    pub fn new(queue: Arc<dyn JobQueue>, options: RunnerOptions) -> JobRunner {
        JobRunner { queue, handlers: HashMap::new(), schedules: Vec::new(), options, wake: Arc::new(Notify::new()) }
    }

    pub fn handle(mut self, kind: &str, handler: Arc<dyn JobHandler>) -> JobRunner {
        self.handlers.insert(kind.to_string(), handler);
        self
    }

    pub fn every(mut self, schedule: Schedule) -> JobRunner {
        self.schedules.push(schedule);
        self
    }

    /// Lets code that just enqueued a job due now wake the runner instead of waiting for the next poll.
    pub fn waker(&self) -> Arc<Notify> {
        self.wake.clone()
    }

    /// Adds the current period's job of every schedule (once per period across all workers).
    async fn fill_schedules(&self) {
        let now = Utc::now();
        for s in &self.schedules {
            let slot = slot_of(now, s.every);
            let job = NewJob::new(s.kind, json!({"slot": slot}), slot).once(format!("{}@{}", s.kind, slot.timestamp()));
            if let Err(e) = self.queue.enqueue(job).await {
                tracing::warn!(job.kind = s.kind, error = %e, "could not schedule a periodic job");
            }
        }
    }

    /// Runs until `shutdown` resolves, then waits (up to the grace period) for running jobs and hands
    /// back the claims of those still unfinished.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send) {
        let permits = Arc::new(Semaphore::new(self.options.concurrency.max(1)));
        let running: Arc<Mutex<HashMap<Uuid, Job>>> = Arc::default();
        let mut tasks = JoinSet::new();
        let mut shutdown = std::pin::pin!(shutdown);
        let mut last_fill: Option<tokio::time::Instant> = None;
        loop {
            if last_fill.is_none_or(|t| t.elapsed() > Duration::from_secs(30)) {
                self.fill_schedules().await;
                last_fill = Some(tokio::time::Instant::now());
            }
            while tasks.try_join_next().is_some() {}
            let free = permits.available_permits() as i64;
            let mut claimed = 0;
            if free > 0 {
                match self.queue.claim(free.min(self.options.batch), self.options.lease).await {
                    Ok(jobs) => {
                        claimed = jobs.len();
                        for job in jobs {
                            let Ok(permit) = permits.clone().acquire_owned().await else { break };
                            running.lock().unwrap_or_else(|p| p.into_inner()).insert(job.id, job.clone());
                            let queue = self.queue.clone();
                            let handler = self.handlers.get(&job.kind).cloned();
                            let running = running.clone();
                            let base = self.options.retry_base;
                            tasks.spawn(async move {
                                run_one(queue.as_ref(), handler, &job, base).await;
                                running.lock().unwrap_or_else(|p| p.into_inner()).remove(&job.id);
                                drop(permit);
                            });
                        }
                    }
                    Err(e) => tracing::warn!(error = %e, "could not claim jobs"),
                }
            }
            // A full batch means more may be due: look again at once.
            if claimed as i64 >= self.options.batch {
                continue;
            }
            tokio::select! {
                _ = &mut shutdown => break,
                _ = tokio::time::sleep(self.options.poll) => {}
                _ = self.wake.notified() => {}
            }
        }
        let _ = tokio::time::timeout(self.options.grace, async { while tasks.join_next().await.is_some() {} }).await;
        tasks.abort_all();
        let unfinished: Vec<Job> = running.lock().unwrap_or_else(|p| p.into_inner()).drain().map(|(_, j)| j).collect();
        for job in &unfinished {
            if let Err(e) = self.queue.release(job).await {
                tracing::warn!(job.id = %job.id, error = %e, "could not hand a job back");
            }
        }
        if !unfinished.is_empty() {
            tracing::info!(count = unfinished.len(), "handed unfinished jobs back to the queue");
        }
    }
}

async fn run_one(queue: &dyn JobQueue, handler: Option<Arc<dyn JobHandler>>, job: &Job, retry_base: Duration) {
    let outcome = match handler {
        Some(h) => match std::panic::AssertUnwindSafe(h.run(job)).catch_unwind().await {
            Ok(outcome) => outcome,
            Err(_) => JobOutcome::Failed("the handler panicked".into()),
        },
        None => JobOutcome::Failed(format!("no handler for jobs of kind {}", job.kind)),
    };
    let label = |parked: Option<bool>| match parked {
        None => "done",
        Some(false) => "retry",
        Some(true) => "parked",
    };
    let recorded = match &outcome {
        JobOutcome::Done => {
            metrics::counter!("pam_job_runs_total", "kind" => job.kind.clone(), "outcome" => label(None)).increment(1);
            queue.complete(job).await
        }
        JobOutcome::Failed(error) => {
            let retry_at =
                Utc::now() + chrono::Duration::from_std(backoff(job.attempts, retry_base)).unwrap_or_default();
            let failed = queue.fail(job, error, retry_at).await;
            if let Ok(parked) = failed {
                metrics::counter!("pam_job_runs_total", "kind" => job.kind.clone(), "outcome" => label(Some(parked)))
                    .increment(1);
            }
            match failed {
                Ok(true) => {
                    tracing::error!(job.id = %job.id, job.kind = %job.kind, error = %error, "job parked after repeated failures");
                    Ok(())
                }
                Ok(false) => {
                    tracing::warn!(job.id = %job.id, job.kind = %job.kind, error = %error, "job failed; will retry");
                    Ok(())
                }
                Err(e) => Err(e),
            }
        }
    };
    if let Err(e) = recorded {
        tracing::warn!(job.id = %job.id, error = %e, "could not record a job's outcome");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let base = Duration::from_secs(5);
        assert_eq!(backoff(1, base), Duration::from_secs(5));
        assert_eq!(backoff(2, base), Duration::from_secs(10));
        assert_eq!(backoff(4, base), Duration::from_secs(40));
        assert_eq!(backoff(100, base), Duration::from_secs(3600));
        assert_eq!(backoff(-3, base), Duration::from_secs(5));
    }

    #[test]
    fn slots_align_to_the_period() {
        let t: DateTime<Utc> = "2026-11-25T10:17:42Z".parse().unwrap();
        assert_eq!(slot_of(t, Duration::from_secs(3600)).to_rfc3339(), "2026-11-25T10:00:00+00:00");
        assert_eq!(slot_of(t, Duration::from_secs(86400)).to_rfc3339(), "2026-11-25T00:00:00+00:00");
    }
}
