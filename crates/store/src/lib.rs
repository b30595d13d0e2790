//! Storage: one `Db` type over a SQLite or a Postgres pool.
//!
//! Each query is written once in a portable SQL subset (`$1` placeholders, `RETURNING`, `ON CONFLICT`)
//! and compiled for both pools through [`with_db!`]. Dates, "this month" and similar are computed in Rust
//! and passed as parameters, so no dialect-specific function appears in the SQL.
//!
//! ## When a query may be split by dialect
//!
//! Only where the two engines have no common SQL for the feature and the feature is the point of the
//! query: full-text search is the case today (SQLite's FTS5 `MATCH` and `bm25()`, Postgres's `tsvector`,
//! `websearch_to_tsquery` and `ts_rank`). Then:
//! - match on [`Db`] by hand, with the two branches side by side in one function, each binding the same
//!   parameters in the same order and returning the same row type, so a reader compares them at a glance;
//! - keep everything else (filters, paging, what a row holds) identical in both branches or out of the
//!   SQL (computed in Rust);
//! - the engine-specific index lives in each engine's migration with a comment naming the query that
//!   uses it, and the parity test ignores only what cannot be common (SQLite's virtual tables and their
//!   shadow tables; Postgres indexes are not compared);
//! - a test runs the query on both databases and asserts the same results.
//!
//! `pam_knowledge::search` is the example to copy.

// Outside data never reaches an unwrap: failures are errors, not panics (tests may unwrap).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
pub use sqlx::{PgPool, SqlitePool};

mod retry;
pub use retry::{lost_to_another_transaction, retry_lost_transactions};

/// The application's database: exactly one of the two supported engines.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Which engine a [`Db`] runs on; printed at startup and used by tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DbKind {
    Sqlite,
    Postgres,
}

impl std::fmt::Display for DbKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            DbKind::Sqlite => "sqlite",
            DbKind::Postgres => "postgres",
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("DATABASE_URL must start with sqlite:// or postgres:// (got scheme {0:?})")]
    UnknownScheme(String),
    #[error("cannot open the database: {0}")]
    Open(#[from] sqlx::Error),
    #[error("cannot apply migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// Connection settings read from the application's config. `Debug` leaves the URL out: it may hold a
/// password.
#[derive(Clone)]
pub struct ConnectOptions {
    pub url: String,
    pub max_connections: u32,
    pub acquire_timeout: Duration,
}

impl std::fmt::Debug for ConnectOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectOptions")
            .field("url", &"[redacted]")
            .field("max_connections", &self.max_connections)
            .field("acquire_timeout", &self.acquire_timeout)
            .finish()
    }
}

impl ConnectOptions {
    pub fn new(url: impl Into<String>) -> Self {
        Self { url: url.into(), max_connections: 16, acquire_timeout: Duration::from_secs(5) }
    }
}

/// The engine a database URL names, or the scheme it has when it names neither.
pub fn kind_of_url(url: &str) -> Result<DbKind, ConnectError> {
    let scheme = url.split(':').next().unwrap_or_default();
    match scheme {
        "sqlite" => Ok(DbKind::Sqlite),
        "postgres" | "postgresql" => Ok(DbKind::Postgres),
        other => Err(ConnectError::UnknownScheme(other.to_string())),
    }
}

/// How long a Postgres connection may sit idle before it is checked again before use.
pub const PING_WHEN_IDLE_FOR: Duration = Duration::from_secs(1);

impl Db {
    /// Opens the pool. SQLite files are created when missing and run in WAL mode with a busy timeout,
    /// so concurrent writers wait instead of failing with SQLITE_BUSY.
    pub async fn connect(opts: &ConnectOptions) -> Result<Db, ConnectError> {
        match kind_of_url(&opts.url)? {
            DbKind::Sqlite => {
                let options = SqliteConnectOptions::from_str(&opts.url)?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(Duration::from_secs(10))
                    .foreign_keys(true);
                // A file has no far end to lose: the pool's ping before every use would only cost a
                // round trip to the connection's worker thread.
                let pool = SqlitePoolOptions::new()
                    .test_before_acquire(false)
                    .max_connections(opts.max_connections)
                    .acquire_timeout(opts.acquire_timeout)
                    .connect_with(options)
                    .await?;
                Ok(Db::Sqlite(pool))
            }
            DbKind::Postgres => {
                let options = PgConnectOptions::from_str(&opts.url)?;
                // The pool's default pings every connection before each use, a round trip per query
                // (a fifth of a short read's cost: bench/RESULTS.md). A connection in use moments ago
                // is alive; one idle for longer may have been dropped by the server, a pooler or the
                // network, so it is pinged, and replaced when the ping fails.
                let pool = PgPoolOptions::new()
                    .test_before_acquire(false)
                    .before_acquire(|conn, meta| {
                        Box::pin(async move {
                            if meta.idle_for >= PING_WHEN_IDLE_FOR {
                                sqlx::Connection::ping(conn).await?;
                            }
                            Ok(true)
                        })
                    })
                    .max_connections(opts.max_connections)
                    .acquire_timeout(opts.acquire_timeout)
                    .connect_with(options)
                    .await?;
                Ok(Db::Postgres(pool))
            }
        }
    }

    pub fn kind(&self) -> DbKind {
        match self {
            Db::Sqlite(_) => DbKind::Sqlite,
            Db::Postgres(_) => DbKind::Postgres,
        }
    }

    /// Applies the embedded migrations for this engine.
    pub async fn migrate(&self) -> Result<(), ConnectError> {
        match self {
            Db::Sqlite(pool) => sqlx::migrate!("./migrations/sqlite").run(pool).await?,
            Db::Postgres(pool) => sqlx::migrate!("./migrations/postgres").run(pool).await?,
        }
        Ok(())
    }

    /// A cheap round trip, used by readiness checks.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        with_db!(self, |pool| sqlx::query("SELECT 1").execute(pool).await.map(|_| ()))
    }

    /// Closes the pool; later queries fail. Used on shutdown (and by tests that need a dead database).
    pub async fn close(&self) {
        with_db!(self, |pool| pool.close().await)
    }

    /// Names and columns of every table, sorted, for the test that keeps the two migration folders in step
    /// (SQLite's full-text virtual tables and their shadow tables are left out: see the module docs).
    pub async fn schema_outline(&self) -> Result<Vec<(String, Vec<String>)>, sqlx::Error> {
        let rows: Vec<(String, String)> = match self {
            Db::Sqlite(pool) => {
                sqlx::query_as(
                    // `pragma_table_list` types a full-text index's virtual table `virtual` and its storage
                    // `shadow`: engine-specific search machinery with no Postgres counterpart.
                    "SELECT m.name, p.name FROM pragma_table_list m JOIN pragma_table_info(m.name) p \
                     WHERE m.schema = 'main' AND m.type = 'table' AND m.name NOT LIKE 'sqlite_%' \
                     AND m.name NOT LIKE '_sqlx%'",
                )
                .fetch_all(pool)
                .await?
            }
            Db::Postgres(pool) => {
                sqlx::query_as(
                    "SELECT table_name::text, column_name::text FROM information_schema.columns \
                     WHERE table_schema = current_schema() AND table_name NOT LIKE '_sqlx%'",
                )
                .fetch_all(pool)
                .await?
            }
        };
        let mut tables: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        for (table, column) in rows {
            tables.entry(table).or_default().push(column);
        }
        Ok(tables
            .into_iter()
            .map(|(t, mut cols)| {
                cols.sort();
                (t, cols)
            })
            .collect())
    }
}

impl Db {
    /// Every primary key, unique index (with whether it is partial), foreign key (with its `ON DELETE`
    /// rule) and the number of CHECK constraints per table, as sorted descriptions: the migration parity
    /// test holds the two engines to the same constraints. (CHECK expressions are compared by count: each
    /// engine prints them in its own words.)
    pub async fn constraint_outline(&self) -> Result<Vec<String>, sqlx::Error> {
        let mut out: Vec<String> = match self {
            Db::Sqlite(pool) => {
                let uniques: Vec<(String, String, i64, String)> = sqlx::query_as(
                    "SELECT m.name, il.name, il.partial, group_concat(ii.name, ',') FROM sqlite_master m \
                     JOIN pragma_index_list(m.name) il JOIN pragma_index_info(il.name) ii \
                     WHERE m.type = 'table' AND m.name NOT LIKE '_sqlx%' AND il.\"unique\" = 1 AND il.origin != 'pk' \
                     GROUP BY m.name, il.name, il.partial",
                )
                .fetch_all(pool)
                .await?;
                let fks: Vec<(String, String, String, String, String)> = sqlx::query_as(
                    "SELECT m.name, f.\"from\", f.\"table\", f.\"to\", f.on_delete FROM sqlite_master m \
                     JOIN pragma_foreign_key_list(m.name) f WHERE m.type = 'table'",
                )
                .fetch_all(pool)
                .await?;
                // As in `schema_outline`: `pragma_table_list` leaves out a full-text index's virtual table
                // and its shadow tables (engine-specific search machinery with no Postgres counterpart).
                let tables: Vec<(String, String)> = sqlx::query_as(
                    "SELECT m.name, s.sql FROM pragma_table_list m JOIN sqlite_master s ON s.name = m.name \
                     WHERE m.schema = 'main' AND m.type = 'table' AND m.name NOT LIKE '_sqlx%' \
                     AND m.name NOT LIKE 'sqlite_%'",
                )
                .fetch_all(pool)
                .await?;
                let mut lines: Vec<String> = Vec::new();
                for (table, sql) in &tables {
                    let mut pk: Vec<(i64, String)> =
                        sqlx::query_as("SELECT pk, name FROM pragma_table_info(?) WHERE pk > 0")
                            .bind(table)
                            .fetch_all(pool)
                            .await?;
                    pk.sort();
                    let columns: Vec<String> = pk.into_iter().map(|(_, c)| c).collect();
                    lines.push(pk_line(table, &columns.join(",")));
                    lines.push(checks_line(table, sql.to_ascii_uppercase().matches("CHECK").count()));
                }
                uniques
                    .into_iter()
                    .map(|(t, _, partial, cols)| unique_line(&t, &cols, partial != 0))
                    .chain(fks.into_iter().map(|(t, from, to_t, to_c, rule)| fk_line(&t, &from, &to_t, &to_c, &rule)))
                    .chain(lines)
                    .collect()
            }
            Db::Postgres(pool) => {
                let uniques: Vec<(String, String, bool)> = sqlx::query_as(
                    "SELECT t.relname::text, string_agg(a.attname::text, ',' ORDER BY k.n), i.indpred IS NOT NULL \
                     FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace s ON s.oid = t.relnamespace \
                     JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) ON true \
                     JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum \
                     WHERE s.nspname = current_schema() AND i.indisunique AND NOT i.indisprimary \
                     AND t.relname NOT LIKE '_sqlx%' GROUP BY t.relname, i.indexrelid, i.indpred",
                )
                .fetch_all(pool)
                .await?;
                let fks: Vec<(String, String, String, String, String)> = sqlx::query_as(
                    "SELECT kcu.table_name::text, kcu.column_name::text, ccu.table_name::text, ccu.column_name::text, \
                     rc.delete_rule::text FROM information_schema.referential_constraints rc \
                     JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = rc.constraint_name \
                     AND kcu.constraint_schema = rc.constraint_schema \
                     JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = rc.constraint_name \
                     AND ccu.constraint_schema = rc.constraint_schema WHERE rc.constraint_schema = current_schema()",
                )
                .fetch_all(pool)
                .await?;
                let keys: Vec<(String, Option<String>, i64)> = sqlx::query_as(
                    "SELECT t.relname::text, \
                     (SELECT string_agg(a.attname::text, ',' ORDER BY k.n) FROM pg_index i \
                      JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) ON true \
                      JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum \
                      WHERE i.indrelid = t.oid AND i.indisprimary), \
                     (SELECT count(*) FROM pg_constraint c WHERE c.conrelid = t.oid AND c.contype = 'c') \
                     FROM pg_class t JOIN pg_namespace s ON s.oid = t.relnamespace \
                     WHERE s.nspname = current_schema() AND t.relkind = 'r' AND t.relname NOT LIKE '_sqlx%'",
                )
                .fetch_all(pool)
                .await?;
                uniques
                    .into_iter()
                    .map(|(t, cols, partial)| unique_line(&t, &cols, partial))
                    .chain(fks.into_iter().map(|(t, from, to_t, to_c, rule)| fk_line(&t, &from, &to_t, &to_c, &rule)))
                    .chain(keys.iter().flat_map(|(t, pk, checks)| {
                        [
                            pk_line(t, pk.as_deref().unwrap_or_default()),
                            checks_line(t, usize::try_from(*checks).unwrap_or(0)),
                        ]
                    }))
                    .collect()
            }
        };
        out.sort();
        Ok(out)
    }
}

fn unique_line(table: &str, columns: &str, partial: bool) -> String {
    format!("unique {table}({columns}){}", if partial { " partial" } else { "" })
}

fn pk_line(table: &str, columns: &str) -> String {
    format!("primary key {table}({columns})")
}

fn checks_line(table: &str, count: usize) -> String {
    format!("checks {table}: {count}")
}

fn fk_line(table: &str, from: &str, to_table: &str, to_column: &str, rule: &str) -> String {
    format!("fk {table}.{from} -> {to_table}.{to_column} on delete {}", rule.to_ascii_lowercase())
}

/// Runs one expression against whichever pool a [`Db`] holds. The body is compiled twice, once per
/// engine, so a query written once is type-checked for both.
///
/// ```ignore
/// let n: i64 = with_db!(db, |pool| sqlx::query_scalar("SELECT count(*) FROM users").fetch_one(pool).await)?;
/// ```
#[macro_export]
macro_rules! with_db {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db {
            $crate::Db::Sqlite($pool) => $body,
            $crate::Db::Postgres($pool) => $body,
        }
    };
}

/// True when a database error is a unique-constraint violation (the portable way to turn a duplicate
/// into 409 without a check-then-insert race).
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Database(db) => db.is_unique_violation(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connect_options_do_not_print_the_database_password() {
        let mut opts = ConnectOptions::new("postgres://pam:hunter2-s3cret@db.internal:5432/pam?sslmode=require");
        opts.max_connections = 7;
        for shown in [format!("{opts:?}"), format!("{opts:#?}")] {
            assert!(!shown.contains("hunter2-s3cret"), "the password leaked: {shown}");
            assert!(!shown.contains("pam:"), "the credentials leaked: {shown}");
            assert!(shown.contains("[redacted]") && shown.contains('7'), "the rest is still shown: {shown}");
        }
    }
}
