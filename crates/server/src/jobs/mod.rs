//! Background work: the job runner over the configured queue (`pam_platform::jobs`; `JOBS_QUEUE`, the
//! database by default, or Redis), with this application's handlers and schedules. `serve` runs it
//! in-process unless `JOBS_IN_PROCESS=false`; `pam-backend worker` runs it without HTTP. Every instance
//! and worker may run one: a job is claimed by one of them at a time (a lease), and each periodic job is
//! scheduled once per period (a dedupe key).
//!
//! Pushes (timers, reminders, alerts) are not delivered here: jobs and domains put them in the push
//! outbox, and each serving instance delivers the due ones to the sockets it holds (`pam::deliver`).

pub mod cleanup;
mod reminders;

use std::sync::Arc;
use std::time::Duration;

use futures::future::BoxFuture;
use pam_platform::jobs::{Job, JobHandler, JobOutcome, JobRunner, RunnerOptions, Schedule};

use crate::state::AppState;

/// A handler from an async function over the application state.
struct Handler<F>(AppState, F);

impl<F> JobHandler for Handler<F>
where
    F: for<'a> Fn(&'a AppState, &'a Job) -> BoxFuture<'a, JobOutcome> + Send + Sync,
{
    fn run<'a>(&'a self, job: &'a Job) -> BoxFuture<'a, JobOutcome> {
        (self.1)(&self.0, job)
    }
}

fn handler<F>(state: &AppState, f: F) -> Arc<dyn JobHandler>
where
    F: for<'a> Fn(&'a AppState, &'a Job) -> BoxFuture<'a, JobOutcome> + Send + Sync + 'static,
{
    Arc::new(Handler(state.clone(), f))
}

pub const HOUR: Duration = Duration::from_secs(3600);
pub const DAY: Duration = Duration::from_secs(86_400);

/// The runner with every handler and schedule of the application.
pub fn runner(state: &AppState) -> JobRunner {
    let options = RunnerOptions { retry_base: state.config.jobs_retry_base, ..RunnerOptions::default() };
    JobRunner::new(state.jobs.clone(), options)
        .handle("cleanup", handler(state, |s, _| Box::pin(cleanup::run(s))))
        .every(Schedule { kind: "cleanup", every: HOUR })
        .handle("pushes.sweep", handler(state, |s, _| Box::pin(cleanup::pushes(s))))
        .every(Schedule { kind: "pushes.sweep", every: Duration::from_secs(60) })
        .handle("budget.alerts", handler(state, |s, _| Box::pin(reminders::budget_alerts(s))))
        .every(Schedule { kind: "budget.alerts", every: HOUR })
        .handle("maintenance.reminders", handler(state, |s, _| Box::pin(reminders::maintenance(s))))
        .every(Schedule { kind: "maintenance.reminders", every: DAY })
}

/// The outcome of a job body that returns a domain result.
pub(crate) fn outcome<T>(result: Result<T, pam_kernel::DomainError>) -> JobOutcome {
    match result {
        Ok(_) => JobOutcome::Done,
        Err(e) => JobOutcome::Failed(e.to_string()),
    }
}
