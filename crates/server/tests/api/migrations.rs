//! The two migration folders describe the same tables and columns.

use pam_store::{ConnectOptions, Db};

use crate::helpers::{Backend, init_test_process, spawn_app};

#[tokio::test]
async fn sqlite_and_postgres_migrations_have_the_same_tables_and_columns() {
    init_test_process();
    let Some(pg) = Backend::postgres() else { return };
    let sqlite = spawn_app(Backend::Sqlite).await;
    let postgres = spawn_app(pg).await;
    let a = sqlite.db().schema_outline().await.unwrap();
    let b = postgres.db().schema_outline().await.unwrap();
    assert!(a.iter().any(|(t, _)| t == "users"), "outline lists tables: {a:?}");
    assert_eq!(a, b, "migrations/sqlite and migrations/postgres differ");
}

#[tokio::test]
async fn migrations_apply_to_an_existing_database_without_change() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("again.db").display());
    let db = Db::connect(&ConnectOptions::new(&url)).await.unwrap();
    db.migrate().await.unwrap();
    let before = db.schema_outline().await.unwrap();
    db.migrate().await.unwrap();
    assert_eq!(before, db.schema_outline().await.unwrap());
}
