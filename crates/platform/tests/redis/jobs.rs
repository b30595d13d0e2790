//! The job queue in Redis behaves as the database queue does (tests/jobs.rs): once per dedupe key, one
//! claim per job even when workers on two instances race, leases taken over when a worker dies (and the
//! stale worker's outcome ignored), retries then parking, hand-backs that do not count, cancelling,
//! newest-first lists, finished jobs that expire, and two runners sharing one queue.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;
use futures::future::BoxFuture;
use pam_kernel::{DomainError, Page};
use pam_platform::jobs::{Job, JobHandler, JobOutcome, JobQueue, JobRunner, NewJob, RunnerOptions};
use pam_platform::redis::{KEEP_FINISHED, RedisJobQueue};
use pam_testkit::{redis_for, redis_prefix};
use serde_json::json;
use uuid::Uuid;

use super::connect;

const PAGE: Page = Page { limit: 100, offset: 0 };
const LEASE: Duration = Duration::from_secs(30);

fn redis_queue(url: &str, prefix: &str) -> RedisJobQueue {
    RedisJobQueue::new(connect(url, prefix))
}

fn quick() -> RunnerOptions {
    RunnerOptions { poll: Duration::from_millis(20), grace: Duration::from_millis(200), ..RunnerOptions::default() }
}

async fn raw(url: &str) -> redis::aio::MultiplexedConnection {
    redis::Client::open(url).unwrap().get_multiplexed_async_connection().await.unwrap()
}

async fn pttl(url: &str, key: String) -> i64 {
    redis::cmd("PTTL").arg(key).query_async(&mut raw(url).await).await.unwrap()
}

#[tokio::test]
async fn a_dedupe_key_is_used_once_and_finished_jobs_expire_with_their_key() {
    let Some(url) = redis_for("platform::redis::jobs::a_dedupe_key_is_used_once") else { return };
    let prefix = redis_prefix();
    let (queue, elsewhere) = (redis_queue(&url, &prefix), redis_queue(&url, &prefix));
    let job = NewJob::new("timer.fire", json!({"timer": 1}), Utc::now()).once("timer:1");
    let id = queue.enqueue(job.clone()).await.unwrap().expect("added");
    assert!(elsewhere.enqueue(job).await.unwrap().is_none(), "another instance adds nothing with the same key");
    assert_eq!(pttl(&url, format!("{prefix}job:{id}")).await, -1, "a queued job does not expire");
    let claimed = queue.claim(10, LEASE).await.unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!((claimed[0].id, claimed[0].payload.0.clone()), (id, json!({"timer": 1})));
    queue.complete(&claimed[0]).await.unwrap();
    let again = NewJob::new("timer.fire", json!({}), Utc::now()).once("timer:1");
    assert!(queue.enqueue(again).await.unwrap().is_none(), "a finished job's key stays used: it fires once");
    assert!(queue.claim(10, LEASE).await.unwrap().is_empty());
    let week = KEEP_FINISHED.as_millis() as i64;
    for key in [format!("{prefix}job:{id}"), format!("{prefix}jobs:once:timer:1")] {
        let ttl = pttl(&url, key.clone()).await;
        assert!(ttl > week - 60_000 && ttl <= week, "{key} expires a week after it finished, got {ttl} ms");
    }
    let other_deployment = redis_queue(&url, &redis_prefix());
    let job = NewJob::new("timer.fire", json!({}), Utc::now()).once("timer:1");
    assert!(other_deployment.enqueue(job).await.unwrap().is_some(), "another prefix keeps its own keys");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_workers_on_two_instances_claim_each_job_once() {
    let Some(url) = redis_for("platform::redis::jobs::racing_workers_claim_each_job_once") else { return };
    let prefix = redis_prefix();
    let instances = [Arc::new(redis_queue(&url, &prefix)), Arc::new(redis_queue(&url, &prefix))];
    let mut ids = Vec::new();
    for i in 0..200 {
        ids.push(instances[i % 2].enqueue(NewJob::new("work", json!({"i": i}), Utc::now())).await.unwrap().unwrap());
    }
    let mut workers = Vec::new();
    for w in 0..8 {
        let queue = instances[w % 2].clone();
        workers.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            // Bounded, so a claim that hands a job out again fails the test instead of looping forever.
            for _ in 0..100 {
                let jobs = queue.claim(7, LEASE).await.unwrap();
                if jobs.is_empty() {
                    break;
                }
                mine.extend(jobs.into_iter().map(|j| j.id));
            }
            mine
        }));
    }
    let mut all = Vec::new();
    for w in workers {
        all.extend(w.await.unwrap());
    }
    let total = all.len();
    all.sort();
    all.dedup();
    ids.sort();
    assert_eq!(total, 200, "every job claimed, none twice");
    assert_eq!(all, ids, "exactly the jobs enqueued");
    assert_eq!(instances[0].list("running", PAGE).await.unwrap().1, 200);
    assert_eq!(instances[1].list("queued", PAGE).await.unwrap().1, 0);
}

#[tokio::test]
async fn an_expired_lease_is_taken_over_and_the_stale_worker_cannot_finish() {
    let Some(url) = redis_for("platform::redis::jobs::an_expired_lease_is_taken_over") else { return };
    let prefix = redis_prefix();
    let (a, b) = (redis_queue(&url, &prefix), redis_queue(&url, &prefix));
    a.enqueue(NewJob::new("work", json!({}), Utc::now())).await.unwrap();
    let first = a.claim(1, Duration::from_millis(50)).await.unwrap().remove(0);
    assert!(b.claim(1, LEASE).await.unwrap().is_empty(), "held while the lease runs");
    tokio::time::sleep(Duration::from_millis(120)).await;
    let second = b.claim(1, LEASE).await.unwrap().remove(0);
    assert_eq!(second.id, first.id);
    assert_eq!(second.attempts, 2);
    assert_ne!(second.lease_token, first.lease_token);
    // Whatever the stale worker reports changes nothing.
    a.complete(&first).await.unwrap();
    assert!(!a.fail(&first, "stale", Utc::now()).await.unwrap());
    a.release(&first).await.unwrap();
    let (running, _) = a.list("running", PAGE).await.unwrap();
    assert_eq!(running.len(), 1, "the stale worker's outcome changed nothing");
    assert_eq!((running[0].attempts, running[0].last_error.clone()), (2, None));
    assert!(a.claim(1, LEASE).await.unwrap().is_empty(), "still held by the new claim");
    b.complete(&second).await.unwrap();
    let (done, total) = a.list("done", PAGE).await.unwrap();
    assert_eq!((done.len(), total), (1, 1));
    assert!(a.list("running", PAGE).await.unwrap().0.is_empty());
}

struct Failing(AtomicUsize);

impl JobHandler for Failing {
    fn run<'a>(&'a self, _job: &'a Job) -> BoxFuture<'a, JobOutcome> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Box::pin(async { JobOutcome::Failed("the provider said no".into()) })
    }
}

#[tokio::test]
async fn a_job_that_keeps_failing_is_retried_then_parked() {
    let Some(url) = redis_for("platform::redis::jobs::a_job_that_keeps_failing_is_retried_then_parked") else {
        return;
    };
    let queue = redis_queue(&url, &redis_prefix());
    queue.enqueue(NewJob::new("flaky", json!({}), Utc::now()).attempts(3)).await.unwrap();
    for attempt in 1..=3 {
        let job = queue.claim(1, LEASE).await.unwrap().remove(0);
        assert_eq!(job.attempts, attempt);
        let parked = queue.fail(&job, "boom", Utc::now()).await.unwrap();
        assert_eq!(parked, attempt == 3);
    }
    assert!(queue.claim(1, LEASE).await.unwrap().is_empty(), "a parked job does not run");
    let (parked, total) = queue.list("parked", PAGE).await.unwrap();
    assert_eq!(total, 1);
    assert_eq!(parked[0].last_error.as_deref(), Some("boom"));
    assert_eq!(parked[0].attempts, 3);
    // A retry waits for its time.
    queue.enqueue(NewJob::new("later", json!({}), Utc::now())).await.unwrap();
    let job = queue.claim(1, LEASE).await.unwrap().remove(0);
    assert!(!queue.fail(&job, "not yet", Utc::now() + chrono::Duration::milliseconds(300)).await.unwrap());
    assert!(queue.claim(1, LEASE).await.unwrap().is_empty(), "not due before retry_at");
    tokio::time::sleep(Duration::from_millis(350)).await;
    assert_eq!(queue.claim(1, LEASE).await.unwrap().remove(0).id, job.id, "due at retry_at");
    // Through the runner: a handler that fails is retried with backoff, not run in a tight loop.
    let handler = Arc::new(Failing(AtomicUsize::new(0)));
    queue.enqueue(NewJob::new("failing", json!({}), Utc::now())).await.unwrap();
    let runner = JobRunner::new(Arc::new(queue.clone()), quick()).handle("failing", handler.clone());
    runner.run(tokio::time::sleep(Duration::from_millis(400))).await;
    assert_eq!(handler.0.load(Ordering::SeqCst), 1, "the retry waits for its backoff");
    let (queued, _) = queue.list("queued", PAGE).await.unwrap();
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].last_error.as_deref(), Some("the provider said no"));
}

#[tokio::test]
async fn a_claim_handed_back_is_due_at_once_and_its_attempt_not_counted() {
    let Some(url) = redis_for("platform::redis::jobs::a_claim_handed_back_is_due_at_once") else { return };
    let queue = redis_queue(&url, &redis_prefix());
    queue.enqueue(NewJob::new("work", json!({}), Utc::now())).await.unwrap();
    let job = queue.claim(1, LEASE).await.unwrap().remove(0);
    assert_eq!(job.attempts, 1);
    queue.release(&job).await.unwrap();
    let (queued, _) = queue.list("queued", PAGE).await.unwrap();
    assert_eq!((queued.len(), queued[0].attempts), (1, 0), "handing back does not count as an attempt");
    let again = queue.claim(1, LEASE).await.unwrap().remove(0);
    assert_eq!((again.id, again.attempts), (job.id, 1), "due again at once, not after the lease");
    queue.release(&job).await.unwrap();
    assert_eq!(queue.list("running", PAGE).await.unwrap().1, 1, "the old claim hands nothing back");
}

#[tokio::test]
async fn only_a_job_not_yet_running_is_cancelled_and_its_key_stays_used() {
    let Some(url) = redis_for("platform::redis::jobs::only_a_job_not_yet_running_is_cancelled") else { return };
    let queue = redis_queue(&url, &redis_prefix());
    let later = Utc::now() + chrono::Duration::hours(1);
    queue.enqueue(NewJob::new("timer.fire", json!({}), later).once("timer:7")).await.unwrap();
    queue.enqueue(NewJob::new("timer.fire", json!({}), Utc::now()).once("timer:8")).await.unwrap();
    assert!(queue.cancel("timer:7").await.unwrap());
    assert!(!queue.cancel("timer:7").await.unwrap(), "once");
    assert!(!queue.cancel("timer:nobody").await.unwrap());
    let running = queue.claim(10, LEASE).await.unwrap();
    assert_eq!(running.len(), 1, "the cancelled job is not claimed");
    assert!(!queue.cancel("timer:8").await.unwrap(), "a running job is not cancelled");
    let (cancelled, total) = queue.list("cancelled", PAGE).await.unwrap();
    assert_eq!((total, cancelled[0].status.as_str()), (1, "cancelled"));
    assert!(queue.list("queued", PAGE).await.unwrap().0.is_empty());
    let again = NewJob::new("timer.fire", json!({}), later).once("timer:7");
    assert!(queue.enqueue(again).await.unwrap().is_none(), "a cancelled timer does not come back");
}

#[tokio::test]
async fn lists_are_newest_first_and_paged_with_a_total() {
    let Some(url) = redis_for("platform::redis::jobs::lists_are_newest_first_and_paged") else { return };
    let queue = redis_queue(&url, &redis_prefix());
    let mut ids = Vec::new();
    for i in 0..5 {
        ids.push(queue.enqueue(NewJob::new("work", json!({"i": i}), Utc::now())).await.unwrap().unwrap());
    }
    let mut seen = Vec::new();
    for offset in [0, 2, 4] {
        let (page, total) = queue.list("queued", Page { limit: 2, offset }).await.unwrap();
        assert_eq!(total, 5);
        assert_eq!(page.len(), if offset == 4 { 1 } else { 2 });
        seen.extend(page);
    }
    ids.reverse();
    assert_eq!(seen.iter().map(|j| j.id).collect::<Vec<_>>(), ids, "newest first, no job on two pages");
    assert!(seen.windows(2).all(|w| w[0].updated_at > w[1].updated_at));
    assert_eq!(seen[0].payload.0, json!({"i": 4}));
    assert_eq!((seen[0].kind.as_str(), seen[0].max_attempts, seen[0].last_error.clone()), ("work", 5, None));
    assert!(queue.list("queued", Page { limit: 2, offset: 10 }).await.unwrap().0.is_empty());
    let (parked, total) = queue.list("parked", PAGE).await.unwrap();
    assert!(parked.is_empty() && total == 0, "another status lists none of them");
}

/// Counts each job's runs; jobs whose payload says `slow` do not finish before shutdown.
#[derive(Default)]
struct Counting {
    runs: Mutex<HashMap<Uuid, usize>>,
    finished: AtomicUsize,
}

impl JobHandler for Counting {
    fn run<'a>(&'a self, job: &'a Job) -> BoxFuture<'a, JobOutcome> {
        Box::pin(async move {
            *self.runs.lock().unwrap().entry(job.id).or_default() += 1;
            if job.payload.0["slow"] == true {
                tokio::time::sleep(Duration::from_secs(30)).await;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
            self.finished.fetch_add(1, Ordering::SeqCst);
            JobOutcome::Done
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_runners_on_one_queue_run_each_job_once_and_hand_unfinished_ones_back() {
    let Some(url) = redis_for("platform::redis::jobs::two_runners_on_one_queue_run_each_job_once") else { return };
    let prefix = redis_prefix();
    let (a, b) = (redis_queue(&url, &prefix), redis_queue(&url, &prefix));
    let mut ids = Vec::new();
    for i in 0..60 {
        ids.push(a.enqueue(NewJob::new("count", json!({"i": i, "slow": false}), Utc::now())).await.unwrap().unwrap());
    }
    let slow = a.enqueue(NewJob::new("count", json!({"slow": true}), Utc::now())).await.unwrap().unwrap();
    let later = Utc::now() + chrono::Duration::hours(1);
    let future = a.enqueue(NewJob::new("count", json!({"slow": false}), later)).await.unwrap().unwrap();
    let handler = Arc::new(Counting::default());
    // Small batches and concurrency, so both runners keep coming back for more.
    let options = RunnerOptions { batch: 4, concurrency: 4, ..quick() };
    let runners = [a.clone(), b.clone()]
        .map(|q| JobRunner::new(Arc::new(q), options.clone()).handle("count", handler.clone() as Arc<dyn JobHandler>));
    let started = Instant::now();
    let finished = handler.clone();
    let until_done = move || {
        let finished = finished.clone();
        async move {
            while finished.finished.load(Ordering::SeqCst) < 60 && started.elapsed() < Duration::from_secs(10) {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    };
    let [one, two] = runners;
    tokio::join!(one.run(until_done()), two.run(until_done()));
    let runs = handler.runs.lock().unwrap().clone();
    for id in ids.iter().chain([&slow]) {
        assert_eq!(runs.get(id), Some(&1), "job {id} ran exactly once");
    }
    assert!(!runs.contains_key(&future), "the future job did not run");
    assert_eq!(a.list("done", PAGE).await.unwrap().1, 60);
    let (queued, _) = b.list("queued", PAGE).await.unwrap();
    let mut back: Vec<Uuid> = queued.iter().map(|j| j.id).collect();
    back.sort();
    let mut expected = vec![slow, future];
    expected.sort();
    assert_eq!(back, expected, "the unfinished job was handed back beside the future one");
    assert!(queued.iter().all(|j| j.attempts == 0), "handing back does not count as a failed attempt");
    assert!(a.list("running", PAGE).await.unwrap().0.is_empty());
}

#[tokio::test]
async fn an_unreachable_redis_is_unavailable_within_the_deadline() {
    // Nothing listens on port 1. No Redis is needed, so this runs everywhere.
    let queue = redis_queue("redis://127.0.0.1:1", &redis_prefix());
    let started = Instant::now();
    let enqueued = queue.enqueue(NewJob::new("work", json!({}), Utc::now())).await;
    assert!(matches!(enqueued, Err(DomainError::Unavailable(_))), "{enqueued:?}");
    assert!(matches!(queue.claim(10, LEASE).await, Err(DomainError::Unavailable(_))));
    assert!(matches!(queue.list("parked", PAGE).await, Err(DomainError::Unavailable(_))));
    assert!(matches!(queue.cancel("timer:1").await, Err(DomainError::Unavailable(_))));
    assert!(started.elapsed() < Duration::from_secs(5), "each call ends at its deadline");
}
