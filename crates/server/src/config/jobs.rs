//! Where the background job queue is kept (`JOBS_QUEUE`): the application's database (the default: the
//! two-command start needs nothing else), or the shared Redis, which then must be configured.

use super::vars::{Vars, get};
use super::{ConfigError, Secret, bad};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobQueueKind {
    /// The `jobs` table of the application's database.
    Database,
    /// Keys in the Redis of `REDIS_URL`; jobs wait while it does not answer.
    Redis,
}

impl JobQueueKind {
    pub(super) fn from_vars(vars: &Vars, redis_url: Option<&Secret>) -> Result<JobQueueKind, ConfigError> {
        match get(vars, "JOBS_QUEUE").map(str::to_ascii_lowercase).as_deref() {
            None | Some("database") => Ok(JobQueueKind::Database),
            Some("redis") if redis_url.is_some() => Ok(JobQueueKind::Redis),
            // Refused at start rather than quietly kept in the database: instances would not share it.
            Some("redis") => Err(bad("JOBS_QUEUE", "redis needs REDIS_URL to be set")),
            Some(other) => Err(bad("JOBS_QUEUE", format!("expected database or redis, got {other:?}"))),
        }
    }

    /// For the startup summary.
    pub fn describe(self) -> &'static str {
        match self {
            JobQueueKind::Database => "queue in the database",
            JobQueueKind::Redis => "queue in Redis, JOBS_QUEUE=redis: jobs wait while Redis does not answer",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Config;
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> Vars {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn the_queue_is_in_the_database_unless_redis_is_asked_for_and_configured() {
        assert_eq!(Config::from_vars(Vars::new()).unwrap().jobs_queue, JobQueueKind::Database);
        let db = Config::from_vars(vars(&[("JOBS_QUEUE", "database"), ("REDIS_URL", "redis://r:6379")])).unwrap();
        assert_eq!(db.jobs_queue, JobQueueKind::Database, "REDIS_URL alone does not move the queue");
        let redis = Config::from_vars(vars(&[("JOBS_QUEUE", "Redis"), ("REDIS_URL", "redis://r:6379")])).unwrap();
        assert_eq!(redis.jobs_queue, JobQueueKind::Redis);
        assert!(redis.describe().iter().any(|line| line.contains("queue in Redis")), "{:?}", redis.describe());
    }

    #[test]
    fn redis_without_redis_url_and_unknown_queues_are_refused() {
        let err = Config::from_vars(vars(&[("JOBS_QUEUE", "redis")])).unwrap_err();
        assert_eq!(err.variable, "JOBS_QUEUE");
        assert!(err.reason.contains("REDIS_URL"), "{err}");
        let err = Config::from_vars(vars(&[("JOBS_QUEUE", "rabbitmq"), ("REDIS_URL", "redis://r:6379")])).unwrap_err();
        assert_eq!(err.variable, "JOBS_QUEUE");
        assert!(err.reason.contains("database or redis"), "{err}");
    }
}
