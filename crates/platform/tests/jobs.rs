//! The job queue and runner on both databases: once per dedupe key, one claim per job even when workers
//! race, leases taken over when a worker dies, retries then parking, and claims handed back on shutdown.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use chrono::Utc;
use futures::future::BoxFuture;
use pam_kernel::Page;
use pam_platform::jobs::{DbJobQueue, Job, JobHandler, JobOutcome, JobQueue, JobRunner, NewJob, RunnerOptions};
use pam_testkit::{Backend, fresh_db, on_both_databases};
use serde_json::json;

on_both_databases!(
    a_dedupe_key_is_used_once,
    racing_workers_claim_each_job_once,
    an_expired_lease_is_taken_over_and_the_stale_worker_cannot_finish,
    a_job_that_keeps_failing_is_retried_then_parked,
    the_runner_runs_due_jobs_and_hands_unfinished_ones_back_on_shutdown,
);

fn quick() -> RunnerOptions {
    RunnerOptions { poll: Duration::from_millis(20), grace: Duration::from_millis(200), ..RunnerOptions::default() }
}

async fn a_dedupe_key_is_used_once(backend: Backend) {
    let (db, _dir) = fresh_db(&backend).await;
    let queue = DbJobQueue::new(db);
    let job = NewJob::new("timer.fire", json!({"timer": 1}), Utc::now()).once("timer:1");
    assert!(queue.enqueue(job.clone()).await.unwrap().is_some());
    assert!(queue.enqueue(job).await.unwrap().is_none(), "the second enqueue with the same key adds nothing");
    let claimed = queue.claim(10, Duration::from_secs(30)).await.unwrap();
    assert_eq!(claimed.len(), 1);
    queue.complete(&claimed[0]).await.unwrap();
    let again = NewJob::new("timer.fire", json!({}), Utc::now()).once("timer:1");
    assert!(queue.enqueue(again).await.unwrap().is_none(), "a finished job's key stays used: it fires once");
    assert!(queue.claim(10, Duration::from_secs(30)).await.unwrap().is_empty());
}

async fn racing_workers_claim_each_job_once(backend: Backend) {
    let (db, _dir) = fresh_db(&backend).await;
    let queue = Arc::new(DbJobQueue::new(db));
    for i in 0..200 {
        queue.enqueue(NewJob::new("work", json!({"i": i}), Utc::now())).await.unwrap();
    }
    let mut workers = Vec::new();
    for _ in 0..4 {
        let queue = queue.clone();
        workers.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let jobs = queue.claim(7, Duration::from_secs(30)).await.unwrap();
                if jobs.is_empty() {
                    break mine;
                }
                mine.extend(jobs.into_iter().map(|j| j.id));
            }
        }));
    }
    let mut all = Vec::new();
    for w in workers {
        all.extend(w.await.unwrap());
    }
    let total = all.len();
    all.sort();
    all.dedup();
    assert_eq!(total, 200, "every job claimed");
    assert_eq!(all.len(), 200, "no job claimed twice");
}

async fn an_expired_lease_is_taken_over_and_the_stale_worker_cannot_finish(backend: Backend) {
    let (db, _dir) = fresh_db(&backend).await;
    let queue = DbJobQueue::new(db);
    queue.enqueue(NewJob::new("work", json!({}), Utc::now())).await.unwrap();
    let first = queue.claim(1, Duration::from_millis(50)).await.unwrap().remove(0);
    assert!(queue.claim(1, Duration::from_secs(30)).await.unwrap().is_empty(), "held while the lease runs");
    tokio::time::sleep(Duration::from_millis(120)).await;
    let second = queue.claim(1, Duration::from_secs(30)).await.unwrap().remove(0);
    assert_eq!(second.id, first.id);
    assert_eq!(second.attempts, 2);
    queue.complete(&first).await.unwrap();
    let (running, _) = queue.list("running", Page { limit: 10, offset: 0 }).await.unwrap();
    assert_eq!(running.len(), 1, "the stale worker's completion changed nothing");
    queue.complete(&second).await.unwrap();
    let (done, _) = queue.list("done", Page { limit: 10, offset: 0 }).await.unwrap();
    assert_eq!(done.len(), 1);
}

struct Failing(AtomicUsize);

impl JobHandler for Failing {
    fn run<'a>(&'a self, _job: &'a Job) -> BoxFuture<'a, JobOutcome> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Box::pin(async { JobOutcome::Failed("the provider said no".into()) })
    }
}

async fn a_job_that_keeps_failing_is_retried_then_parked(backend: Backend) {
    let (db, _dir) = fresh_db(&backend).await;
    let queue = DbJobQueue::new(db);
    queue.enqueue(NewJob::new("flaky", json!({}), Utc::now()).attempts(3)).await.unwrap();
    for attempt in 1..=3 {
        let job = queue.claim(1, Duration::from_secs(30)).await.unwrap().remove(0);
        assert_eq!(job.attempts, attempt);
        // Due again at once, so the test need not wait out the backoff.
        let parked = queue.fail(&job, "boom", Utc::now()).await.unwrap();
        assert_eq!(parked, attempt == 3);
    }
    assert!(queue.claim(1, Duration::from_secs(30)).await.unwrap().is_empty(), "a parked job does not run");
    let (parked, total) = queue.list("parked", Page { limit: 10, offset: 0 }).await.unwrap();
    assert_eq!(total, 1);
    assert_eq!(parked[0].last_error.as_deref(), Some("boom"));
    assert_eq!(parked[0].attempts, 3);
    // Through the runner: a handler that fails is retried with backoff, not run in a tight loop.
    let handler = Arc::new(Failing(AtomicUsize::new(0)));
    queue.enqueue(NewJob::new("failing", json!({}), Utc::now())).await.unwrap();
    let runner = JobRunner::new(Arc::new(queue.clone()), quick()).handle("failing", handler.clone());
    runner.run(tokio::time::sleep(Duration::from_millis(400))).await;
    assert_eq!(handler.0.load(Ordering::SeqCst), 1, "the retry waits for its backoff");
    let (queued, _) = queue.list("queued", Page { limit: 10, offset: 0 }).await.unwrap();
    assert_eq!(queued[0].last_error.as_deref(), Some("the provider said no"));
}

struct Slow {
    started: AtomicUsize,
    finished: AtomicUsize,
}

impl JobHandler for Slow {
    fn run<'a>(&'a self, job: &'a Job) -> BoxFuture<'a, JobOutcome> {
        Box::pin(async move {
            self.started.fetch_add(1, Ordering::SeqCst);
            if job.payload.0["slow"] == true {
                tokio::time::sleep(Duration::from_secs(30)).await;
            }
            self.finished.fetch_add(1, Ordering::SeqCst);
            JobOutcome::Done
        })
    }
}

async fn the_runner_runs_due_jobs_and_hands_unfinished_ones_back_on_shutdown(backend: Backend) {
    let (db, _dir) = fresh_db(&backend).await;
    let queue = DbJobQueue::new(db);
    for _ in 0..5 {
        queue.enqueue(NewJob::new("slowpoke", json!({"slow": false}), Utc::now())).await.unwrap();
    }
    queue.enqueue(NewJob::new("slowpoke", json!({"slow": true}), Utc::now())).await.unwrap();
    let later = Utc::now() + chrono::Duration::hours(1);
    queue.enqueue(NewJob::new("slowpoke", json!({"slow": false}), later)).await.unwrap();
    let handler = Arc::new(Slow { started: AtomicUsize::new(0), finished: AtomicUsize::new(0) });
    let runner = JobRunner::new(Arc::new(queue.clone()), quick()).handle("slowpoke", handler.clone());
    runner.run(tokio::time::sleep(Duration::from_millis(300))).await;
    assert_eq!(handler.started.load(Ordering::SeqCst), 6, "every due job started; the future one did not");
    assert_eq!(handler.finished.load(Ordering::SeqCst), 5);
    let page = Page { limit: 10, offset: 0 };
    assert_eq!(queue.list("done", page).await.unwrap().1, 5);
    let (queued, _) = queue.list("queued", page).await.unwrap();
    assert_eq!(queued.len(), 2, "the unfinished job was handed back beside the future one");
    let handed_back = queued.iter().find(|j| j.payload.0["slow"] == true).unwrap();
    assert_eq!(handed_back.attempts, 0, "handing back does not count as a failed attempt");
    assert!(queue.list("running", page).await.unwrap().0.is_empty());
}
