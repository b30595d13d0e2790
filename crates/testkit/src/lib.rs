//! Test support shared by the crates' test suites: a fresh database per test on SQLite or Postgres, and
//! the macro that runs one test body on both.
//!
//! Postgres variants need `PAM_TEST_POSTGRES_URL`, Redis tests `PAM_TEST_REDIS_URL`. Locally a missing
//! URL skips them with a printed reason; in CI (`CI` set) it fails them, so a run never passes by not
//! running.

pub mod redis_proxy;

use std::sync::Once;
use std::sync::atomic::{AtomicU32, Ordering};

use pam_store::{ConnectOptions, Db};

#[derive(Clone, Debug)]
pub enum Backend {
    Sqlite,
    Postgres(String),
}

impl Backend {
    /// The Postgres backend when `PAM_TEST_POSTGRES_URL` is set.
    pub fn postgres() -> Option<Backend> {
        Backend::postgres_for("a Postgres test")
    }

    /// The Postgres backend for the test `name`; without one the skip is reported (see [`skipped`]).
    pub fn postgres_for(name: &str) -> Option<Backend> {
        match std::env::var("PAM_TEST_POSTGRES_URL") {
            Ok(url) if !url.is_empty() => Some(Backend::Postgres(url)),
            _ if std::env::var("CI").is_ok() => panic!("PAM_TEST_POSTGRES_URL must be set in CI"),
            _ => {
                skipped(name, "PAM_TEST_POSTGRES_URL is not set");
                None
            }
        }
    }

    /// A `DATABASE_URL` for a new, empty database: a file in `dir`, or a fresh Postgres database.
    pub async fn fresh_url(&self, dir: &std::path::Path) -> String {
        match self {
            Backend::Sqlite => format!("sqlite://{}", dir.join("pam.db").display()),
            Backend::Postgres(base) => fresh_postgres_database(base).await,
        }
    }
}

/// The Redis server for the test `name` (`PAM_TEST_REDIS_URL`); without one the skip is reported
/// (see [`skipped`]), and in CI the test fails.
pub fn redis_for(name: &str) -> Option<String> {
    match std::env::var("PAM_TEST_REDIS_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var("CI").is_ok() => panic!("PAM_TEST_REDIS_URL must be set in CI"),
        _ => {
            skipped(name, "PAM_TEST_REDIS_URL is not set");
            None
        }
    }
}

static REDIS_COUNTER: AtomicU32 = AtomicU32::new(0);

/// A key prefix no other test, process or earlier run uses, so tests sharing one Redis never see each
/// other's keys or messages (and `pam:`, a deployment's default, is never touched).
pub fn redis_prefix() -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    format!("pam-test:{}:{nanos}:{}:", std::process::id(), REDIS_COUNTER.fetch_add(1, Ordering::SeqCst))
}

/// Records a test that did not run: on stderr, and in the file `PAM_TEST_SKIP_LOG` names, which the
/// test script counts and prints after the run (a passing run says how much of it did not run).
pub fn skipped(name: &str, reason: &str) {
    eprintln!("SKIPPED {name}: {reason}");
    if let Ok(path) = std::env::var("PAM_TEST_SKIP_LOG") {
        use std::io::Write;
        if let Ok(mut file) = std::fs::OpenOptions::new().create(true).append(true).open(path) {
            let _ = writeln!(file, "{name}: {reason}");
        }
    }
}

/// A fresh, migrated database and the temp dir that holds it (keep it alive as long as the database).
pub async fn fresh_db(backend: &Backend) -> (Db, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = backend.fresh_url(dir.path()).await;
    let mut options = ConnectOptions::new(url);
    options.max_connections = 5;
    let db = Db::connect(&options).await.expect("connect to the test database");
    db.migrate().await.expect("migrate the test database");
    (db, dir)
}

/// Generates `sqlite` and `postgres` tests that run one async test body against each backend.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test]
                async fn sqlite() {
                    super::$name($crate::Backend::Sqlite).await
                }
                #[tokio::test]
                async fn postgres() {
                    let name = concat!(module_path!(), "::", stringify!($name), "::postgres");
                    if let Some(backend) = $crate::Backend::postgres_for(name) {
                        super::$name(backend).await
                    }
                }
            }
        )*
    };
}

static PG_COUNTER: AtomicU32 = AtomicU32::new(0);
static CLEANUP: Once = Once::new();

/// A fresh, empty Postgres database for one test. Databases left by earlier runs (whose process is gone)
/// are dropped the first time this runs.
pub async fn fresh_postgres_database(base_url: &str) -> String {
    let admin = sqlx::PgPool::connect(base_url).await.expect("connect to PAM_TEST_POSTGRES_URL");
    let mut stale = Vec::new();
    CLEANUP.call_once(|| stale.push(()));
    if !stale.is_empty() {
        let names: Vec<String> =
            sqlx::query_scalar("SELECT datname::text FROM pg_database WHERE datname LIKE 'pam_t_%'")
                .fetch_all(&admin)
                .await
                .unwrap_or_default();
        for name in names {
            let pid: Option<u32> = name.split('_').nth(2).and_then(|p| p.parse().ok());
            if pid.is_some_and(|p| p != std::process::id() && !std::path::Path::new(&format!("/proc/{p}")).exists()) {
                let _ = sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")))
                    .execute(&admin)
                    .await;
            }
        }
    }
    let name = format!("pam_t_{}_{}", std::process::id(), PG_COUNTER.fetch_add(1, Ordering::SeqCst));
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
        .execute(&admin)
        .await
        .expect("create a test database");
    admin.close().await;
    let (prefix, _) = base_url.rsplit_once('/').expect("PAM_TEST_POSTGRES_URL ends with /database");
    format!("{prefix}/{name}")
}
