//! The job table's operations: enqueue (once per dedupe key), claim with a lease, finish, retry or park.

use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use pam_kernel::{DomainError, Page};
use pam_store::{Db, is_unique_violation, with_db};
use serde::Serialize;
use serde_json::Value;
use sqlx::types::Json as SqlJson;
use uuid::Uuid;

/// A job to add.
#[derive(Clone, Debug)]
pub struct NewJob {
    pub kind: String,
    pub payload: Value,
    pub run_at: DateTime<Utc>,
    /// At most one job ever carries this key (a timer's id, a periodic job's slot).
    pub dedupe_key: Option<String>,
    pub max_attempts: i32,
}

impl NewJob {
    pub fn new(kind: &str, payload: Value, run_at: DateTime<Utc>) -> NewJob {
        NewJob { kind: kind.into(), payload, run_at, dedupe_key: None, max_attempts: 5 }
    }

    pub fn once(mut self, key: impl Into<String>) -> NewJob {
        self.dedupe_key = Some(key.into());
        self
    }

    pub fn attempts(mut self, max: i32) -> NewJob {
        self.max_attempts = max.max(1);
        self
    }
}

/// A claimed job: the runner holds its lease until it reports the outcome.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Job {
    pub id: Uuid,
    pub kind: String,
    pub payload: SqlJson<Value>,
    pub attempts: i32,
    pub max_attempts: i32,
    pub run_at: DateTime<Utc>,
    pub lease_token: Option<Uuid>,
}

/// A job as an admin sees it.
#[derive(Clone, Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct JobSummary {
    pub id: Uuid,
    pub kind: String,
    #[schema(value_type = Object)]
    pub payload: SqlJson<Value>,
    pub status: String,
    pub attempts: i32,
    pub max_attempts: i32,
    pub run_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub trait JobQueue: Send + Sync {
    /// Adds a job; `None` when its dedupe key was already used (nothing is added twice).
    fn enqueue(&self, job: NewJob) -> BoxFuture<'_, Result<Option<Uuid>, DomainError>>;
    /// Takes up to `limit` due jobs (or jobs whose lease ran out) for `lease`.
    fn claim(&self, limit: i64, lease: Duration) -> BoxFuture<'_, Result<Vec<Job>, DomainError>>;
    /// The job is done; a claim that lost its lease meanwhile changes nothing.
    fn complete<'a>(&'a self, job: &'a Job) -> BoxFuture<'a, Result<(), DomainError>>;
    /// The job failed: retried at `retry_at`, or parked when its attempts are spent. Returns whether it
    /// was parked.
    fn fail<'a>(
        &'a self,
        job: &'a Job,
        error: &'a str,
        retry_at: DateTime<Utc>,
    ) -> BoxFuture<'a, Result<bool, DomainError>>;
    /// Hands an unfinished claim back (shutdown): due again at once, the attempt not counted.
    fn release<'a>(&'a self, job: &'a Job) -> BoxFuture<'a, Result<(), DomainError>>;
    /// Cancels a job that has not run yet, by its dedupe key.
    fn cancel<'a>(&'a self, dedupe_key: &'a str) -> BoxFuture<'a, Result<bool, DomainError>>;
    /// Jobs in one status, newest first.
    fn list<'a>(&'a self, status: &'a str, page: Page) -> BoxFuture<'a, Result<(Vec<JobSummary>, i64), DomainError>>;
}

/// What a failed attempt means, the same in every queue: whether the job is parked (its attempts are
/// spent, by the count its claim saw), and the error as kept — short, for an admin's list, not a log.
pub(crate) fn failure(job: &Job, error: &str) -> (bool, String) {
    (job.attempts >= job.max_attempts, error.chars().take(500).collect())
}

/// The queue in the application's database.
#[derive(Clone)]
pub struct DbJobQueue {
    db: Db,
}

impl DbJobQueue {
    pub fn new(db: Db) -> DbJobQueue {
        DbJobQueue { db }
    }

    async fn enqueue_now(&self, job: NewJob) -> Result<Option<Uuid>, DomainError> {
        let id = Uuid::now_v7();
        let now = Utc::now();
        let inserted = with_db!(&self.db, |pool| {
            sqlx::query(
                "INSERT INTO jobs (id, kind, payload, dedupe_key, status, run_at, attempts, max_attempts, created_at, \
                 updated_at) VALUES ($1, $2, $3, $4, 'queued', $5, 0, $6, $7, $7)",
            )
            .bind(id)
            .bind(&job.kind)
            .bind(SqlJson(&job.payload))
            .bind(&job.dedupe_key)
            .bind(job.run_at)
            .bind(job.max_attempts)
            .bind(now)
            .execute(pool)
            .await
            .map(|_| ())
        });
        match inserted {
            Ok(()) => Ok(Some(id)),
            Err(e) if is_unique_violation(&e) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    async fn claim_now(&self, limit: i64, lease: Duration) -> Result<Vec<Job>, DomainError> {
        let now = Utc::now();
        let until = now + chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::seconds(60));
        let token = Uuid::now_v7();
        // The condition is repeated outside the subquery: on Postgres a second worker that picked the same
        // row waits for the first's update, then re-checks it against the row as updated and skips it.
        const DUE: &str = "((status = 'queued' AND run_at <= $3) OR (status = 'running' AND locked_until < $3))";
        let sql = format!(
            "UPDATE jobs SET status = 'running', lease_token = $1, locked_until = $2, attempts = attempts + 1, \
             updated_at = $3 WHERE id IN (SELECT id FROM jobs WHERE {DUE} ORDER BY run_at LIMIT $4) AND {DUE} \
             RETURNING id, kind, payload, attempts, max_attempts, run_at, lease_token"
        );
        let jobs: Vec<Job> = with_db!(&self.db, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(token)
                .bind(until)
                .bind(now)
                .bind(limit.clamp(1, 1000))
                .fetch_all(pool)
                .await
        })?;
        Ok(jobs)
    }

    async fn finish(
        &self,
        job: &Job,
        status: &str,
        error: Option<&str>,
        run_at: DateTime<Utc>,
    ) -> Result<u64, DomainError> {
        Ok(with_db!(&self.db, |pool| {
            sqlx::query(
                "UPDATE jobs SET status = $3, last_error = COALESCE($4, last_error), run_at = $5, lease_token = NULL, \
                 locked_until = NULL, updated_at = $6 WHERE id = $1 AND lease_token = $2 AND status = 'running'",
            )
            .bind(job.id)
            .bind(job.lease_token)
            .bind(status)
            .bind(error)
            .bind(run_at)
            .bind(Utc::now())
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?)
    }
}

impl JobQueue for DbJobQueue {
    fn enqueue(&self, job: NewJob) -> BoxFuture<'_, Result<Option<Uuid>, DomainError>> {
        Box::pin(self.enqueue_now(job))
    }

    fn claim(&self, limit: i64, lease: Duration) -> BoxFuture<'_, Result<Vec<Job>, DomainError>> {
        Box::pin(self.claim_now(limit, lease))
    }

    fn complete<'a>(&'a self, job: &'a Job) -> BoxFuture<'a, Result<(), DomainError>> {
        Box::pin(async move { self.finish(job, "done", None, job.run_at).await.map(|_| ()) })
    }

    fn fail<'a>(
        &'a self,
        job: &'a Job,
        error: &'a str,
        retry_at: DateTime<Utc>,
    ) -> BoxFuture<'a, Result<bool, DomainError>> {
        Box::pin(async move {
            let (park, error) = failure(job, error);
            self.finish(job, if park { "parked" } else { "queued" }, Some(&error), retry_at).await?;
            Ok(park)
        })
    }

    fn release<'a>(&'a self, job: &'a Job) -> BoxFuture<'a, Result<(), DomainError>> {
        Box::pin(async move {
            with_db!(&self.db, |pool| {
                sqlx::query(
                    "UPDATE jobs SET status = 'queued', attempts = attempts - 1, lease_token = NULL, locked_until = NULL, \
                     updated_at = $3 WHERE id = $1 AND lease_token = $2 AND status = 'running'",
                )
                .bind(job.id)
                .bind(job.lease_token)
                .bind(Utc::now())
                .execute(pool)
                .await
                .map(|_| ())
            })?;
            Ok(())
        })
    }

    fn cancel<'a>(&'a self, dedupe_key: &'a str) -> BoxFuture<'a, Result<bool, DomainError>> {
        Box::pin(async move {
            let n = with_db!(&self.db, |pool| {
                sqlx::query(
                    "UPDATE jobs SET status = 'cancelled', updated_at = $2 WHERE dedupe_key = $1 AND status = 'queued'",
                )
                .bind(dedupe_key)
                .bind(Utc::now())
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
            })?;
            Ok(n > 0)
        })
    }

    fn list<'a>(&'a self, status: &'a str, page: Page) -> BoxFuture<'a, Result<(Vec<JobSummary>, i64), DomainError>> {
        Box::pin(async move {
            let rows: Vec<JobSummary> = with_db!(&self.db, |pool| {
                sqlx::query_as(
                    "SELECT id, kind, payload, status, attempts, max_attempts, run_at, last_error, created_at, updated_at \
                     FROM jobs WHERE status = $1 ORDER BY updated_at DESC LIMIT $2 OFFSET $3",
                )
                .bind(status)
                .bind(page.limit)
                .bind(page.offset)
                .fetch_all(pool)
                .await
            })?;
            let total: i64 = with_db!(&self.db, |pool| {
                sqlx::query_scalar("SELECT count(*) FROM jobs WHERE status = $1").bind(status).fetch_one(pool).await
            })?;
            Ok((rows, total))
        })
    }
}
