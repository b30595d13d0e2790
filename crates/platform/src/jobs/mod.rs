//! Background jobs: a queue kept in the application's own database (SQLite or Postgres, so the
//! two-command start needs nothing else) and a runner that any number of processes can run at once.
//!
//! Delivery is at least once: a job is claimed with a lease, and a claim whose lease ran out (its worker
//! died) is taken over. Handlers are written to be idempotent (a timer fires once because its handler
//! flips the timer's row from `scheduled` to `fired` in one statement). A job that keeps failing is
//! retried with backoff, then parked for an admin to see.
//!
//! Why not apalis (the first choice on paper): its storages bring their own tables and migrations into
//! the same database, where they clash with ours in sqlx's single migrations table; each storage
//! (SQLite, Postgres, Redis) has its own API; and parking, listing parked jobs and handing leases back on
//! shutdown need the claim's semantics under our control. This is one portable query set over one table.

mod queue;
mod runner;

pub(crate) use queue::failure;
pub use queue::{DbJobQueue, Job, JobQueue, JobSummary, NewJob};
pub use runner::{JobHandler, JobOutcome, JobRunner, RunnerOptions, Schedule};
