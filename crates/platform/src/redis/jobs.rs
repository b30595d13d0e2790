//! The job queue in Redis (`JOBS_QUEUE=redis`), with exactly the semantics of [`DbJobQueue`]: once per
//! dedupe key, claims under a lease that another worker takes over once it has run out, outcomes that
//! count only while the claim's lease token still matches, retries, parking, hand-backs on shutdown.
//!
//! Each operation is one Lua script, so reading a job's state, deciding and writing it back are one
//! atomic step: two workers, on one instance or two, can never both hold a valid lease on one job.
//!
//! Keys (all behind the deployment's prefix, `pam:` by default):
//! - `job:{id}` — a hash: kind, payload (JSON), dedupe, status, run_at, attempts, max_attempts, lease,
//!   locked_until, last_error, created_at, updated_at (times in µs since the epoch);
//! - `jobs:due` — queued jobs by run_at; `jobs:leased` — running jobs by the end of their lease;
//! - `jobs:status:{status}` — each status's jobs by updated_at, for the admin's newest-first list;
//! - `jobs:once:{dedupe key}` — the id of the job that used the key.
//!
//! Done and cancelled jobs, and their dedupe keys, expire [`KEEP_FINISHED`] after they finished: the
//! database's hourly cleanup deletes those rows after the same week, which frees their keys there too.
//! Parked jobs stay until someone deals with them, as in the database.
//!
//! The clock is Redis's own (`TIME`) for every "now": the lease is the safety property, and it is
//! decided by comparing a lease end written by one instance with a "now" read by another, so one clock
//! keeps instances whose clocks disagree from taking each other's jobs early. `run_at` is the caller's
//! wall-clock wish, as in the database. The scripts build job keys from ids they read, so they need
//! one Redis (or a primary), not a cluster — as the rest of this module does.
//!
//! There is no in-process fallback: a job kept in this process alone could be lost or run twice. A
//! failed or late call is [`DomainError::Unavailable`] (the runner logs it and tries again at its next
//! poll), and it counts in the shared health like any other call. A call that timed out may still have
//! run in Redis; a claim whose jobs never reached the runner is taken over once its lease ends.
//!
//! [`DbJobQueue`]: crate::jobs::DbJobQueue

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use pam_kernel::{DomainError, Page};
use redis::{FromRedisValue, Script};
use serde_json::Value;
use sqlx::types::Json as SqlJson;
use uuid::Uuid;

use super::Redis;
use crate::jobs::{Job, JobQueue, JobSummary, NewJob};

mod scripts;

use scripts::Scripts;

/// How long done and cancelled jobs (and their dedupe keys) stay: the database keeps them a week too.
pub const KEEP_FINISHED: Duration = Duration::from_secs(7 * 86_400);

/// The queue on a shared Redis. Cheap to clone.
#[derive(Clone)]
pub struct RedisJobQueue {
    redis: Redis,
    scripts: Arc<Scripts>,
}

impl RedisJobQueue {
    pub fn new(redis: Redis) -> RedisJobQueue {
        RedisJobQueue { redis, scripts: Arc::new(Scripts::new()) }
    }

    /// Runs one script under the call deadline (EVALSHA; loaded again by itself if Redis forgot it).
    async fn call<T: FromRedisValue>(
        &self,
        op: &'static str,
        script: &Script,
        args: &[String],
    ) -> Result<T, DomainError> {
        let mut invocation = script.prepare_invoke();
        invocation.arg(self.redis.key_prefix()).arg(micros(KEEP_FINISHED));
        for arg in args {
            invocation.arg(arg);
        }
        let mut conn = self.redis.connection();
        let deadline = self.redis.timeout();
        let health = self.redis.health();
        match tokio::time::timeout(deadline, invocation.invoke_async::<T>(&mut conn)).await {
            Ok(Ok(reply)) => {
                health.answered();
                Ok(reply)
            }
            Ok(Err(e)) => {
                health.lost(op, &e);
                Err(unavailable())
            }
            Err(_) => {
                health.lost(op, &format!("no answer within {} ms", deadline.as_millis()));
                Err(unavailable())
            }
        }
    }

    async fn finish(
        &self,
        job: &Job,
        status: &str,
        error: Option<&str>,
        run_at: DateTime<Utc>,
    ) -> Result<(), DomainError> {
        let args = [
            job.id.to_string(),
            token(job),
            status.to_string(),
            run_at.timestamp_micros().to_string(),
            if error.is_some() { "1" } else { "0" }.to_string(),
            error.unwrap_or_default().to_string(),
        ];
        self.call::<i64>("jobs.finish", &self.scripts.finish, &args).await.map(|_| ())
    }
}

impl JobQueue for RedisJobQueue {
    fn enqueue(&self, job: NewJob) -> BoxFuture<'_, Result<Option<Uuid>, DomainError>> {
        Box::pin(async move {
            let id = Uuid::now_v7();
            let args = [
                id.to_string(),
                job.kind,
                job.dedupe_key.unwrap_or_default(),
                job.payload.to_string(),
                job.run_at.timestamp_micros().to_string(),
                job.max_attempts.to_string(),
            ];
            let added: i64 = self.call("jobs.enqueue", &self.scripts.enqueue, &args).await?;
            Ok((added == 1).then_some(id))
        })
    }

    fn claim(&self, limit: i64, lease: Duration) -> BoxFuture<'_, Result<Vec<Job>, DomainError>> {
        Box::pin(async move {
            let token = Uuid::now_v7();
            let args = [limit.clamp(1, 1000).to_string(), micros(lease).max(1).to_string(), token.to_string()];
            let rows: Vec<Vec<String>> = self.call("jobs.claim", &self.scripts.claim, &args).await?;
            rows.into_iter().map(|row| claimed(&row, token)).collect()
        })
    }

    fn complete<'a>(&'a self, job: &'a Job) -> BoxFuture<'a, Result<(), DomainError>> {
        Box::pin(self.finish(job, "done", None, job.run_at))
    }

    fn fail<'a>(
        &'a self,
        job: &'a Job,
        error: &'a str,
        retry_at: DateTime<Utc>,
    ) -> BoxFuture<'a, Result<bool, DomainError>> {
        Box::pin(async move {
            let (park, error) = crate::jobs::failure(job, error);
            self.finish(job, if park { "parked" } else { "queued" }, Some(&error), retry_at).await?;
            Ok(park)
        })
    }

    fn release<'a>(&'a self, job: &'a Job) -> BoxFuture<'a, Result<(), DomainError>> {
        Box::pin(async move {
            let args = [job.id.to_string(), token(job)];
            self.call::<i64>("jobs.release", &self.scripts.release, &args).await.map(|_| ())
        })
    }

    fn cancel<'a>(&'a self, dedupe_key: &'a str) -> BoxFuture<'a, Result<bool, DomainError>> {
        Box::pin(async move {
            let cancelled: i64 = self.call("jobs.cancel", &self.scripts.cancel, &[dedupe_key.to_string()]).await?;
            Ok(cancelled == 1)
        })
    }

    fn list<'a>(&'a self, status: &'a str, page: Page) -> BoxFuture<'a, Result<(Vec<JobSummary>, i64), DomainError>> {
        Box::pin(async move {
            let args = [status.to_string(), page.offset.max(0).to_string(), page.limit.max(0).to_string()];
            let (total, rows): (i64, Vec<Vec<String>>) = self.call("jobs.list", &self.scripts.list, &args).await?;
            let jobs = rows.iter().map(|row| summary(row)).collect::<Result<Vec<_>, _>>()?;
            Ok((jobs, total))
        })
    }
}

fn unavailable() -> DomainError {
    // The cause is in the health log (once per outage); this message may reach an admin's screen.
    DomainError::Unavailable("the job queue (Redis) is not answering".into())
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

/// The claim's token as the scripts compare it; a job never claimed has none and matches nothing.
fn token(job: &Job) -> String {
    job.lease_token.map(|t| t.to_string()).unwrap_or_default()
}

/// A field of a script's reply; a reply of the wrong shape is a bug or a hand-edited key, not an outage.
fn field<T: FromStr>(row: &[String], i: usize, what: &'static str) -> Result<T, DomainError>
where
    T::Err: std::error::Error + Send + Sync + 'static,
{
    row.get(i).map(String::as_str).unwrap_or_default().parse().map_err(|e| DomainError::internal(what, e))
}

fn time(row: &[String], i: usize, what: &'static str) -> Result<DateTime<Utc>, DomainError> {
    let us: i64 = field(row, i, what)?;
    DateTime::from_timestamp_micros(us)
        .ok_or_else(|| DomainError::internal(what, std::io::Error::other(format!("{us} µs is out of range"))))
}

fn payload(row: &[String], i: usize) -> Result<SqlJson<Value>, DomainError> {
    let text = row.get(i).map(String::as_str).unwrap_or_default();
    serde_json::from_str(text).map(SqlJson).map_err(|e| DomainError::internal("job payload in Redis", e))
}

fn claimed(row: &[String], token: Uuid) -> Result<Job, DomainError> {
    Ok(Job {
        id: field(row, 0, "job id in Redis")?,
        kind: row.get(1).cloned().unwrap_or_default(),
        payload: payload(row, 2)?,
        attempts: field(row, 3, "job attempts in Redis")?,
        max_attempts: field(row, 4, "job max_attempts in Redis")?,
        run_at: time(row, 5, "job run_at in Redis")?,
        lease_token: Some(token),
    })
}

fn summary(row: &[String]) -> Result<JobSummary, DomainError> {
    Ok(JobSummary {
        id: field(row, 0, "job id in Redis")?,
        kind: row.get(1).cloned().unwrap_or_default(),
        payload: payload(row, 2)?,
        status: row.get(3).cloned().unwrap_or_default(),
        attempts: field(row, 4, "job attempts in Redis")?,
        max_attempts: field(row, 5, "job max_attempts in Redis")?,
        run_at: time(row, 6, "job run_at in Redis")?,
        created_at: time(row, 7, "job created_at in Redis")?,
        updated_at: time(row, 8, "job updated_at in Redis")?,
        last_error: (row.get(9).map(String::as_str) == Some("1")).then(|| row.get(10).cloned().unwrap_or_default()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(fields: &[&str]) -> Vec<String> {
        fields.iter().map(|f| f.to_string()).collect()
    }

    #[test]
    fn replies_become_jobs_and_summaries() {
        let id = Uuid::now_v7();
        let token = Uuid::now_v7();
        let job =
            claimed(&row(&[&id.to_string(), "timer.fire", r#"{"timer":1}"#, "2", "5", "1700000000123456"]), token)
                .unwrap();
        assert_eq!((job.id, job.attempts, job.max_attempts, job.lease_token), (id, 2, 5, Some(token)));
        assert_eq!(job.payload.0["timer"], 1);
        assert_eq!(job.run_at.timestamp_micros(), 1_700_000_000_123_456);
        let base = [&id.to_string()[..], "k", "{}", "parked", "3", "3", "1", "2", "3"];
        let with = [&base[..], &["1", ""]].concat();
        assert_eq!(summary(&row(&with)).unwrap().last_error.as_deref(), Some(""), "an empty error is still one");
        let without = [&base[..], &["0", ""]].concat();
        assert_eq!(summary(&row(&without)).unwrap().last_error, None);
    }

    #[test]
    fn a_reply_of_the_wrong_shape_is_an_internal_error() {
        assert!(matches!(claimed(&row(&["not-a-uuid"]), Uuid::nil()), Err(DomainError::Internal(_))));
        let bad_json = row(&[&Uuid::nil().to_string(), "k", "{", "1", "1", "0"]);
        assert!(matches!(claimed(&bad_json, Uuid::nil()), Err(DomainError::Internal(_))));
    }
}
