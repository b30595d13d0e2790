//! The two migration folders describe the same tables, columns, unique indexes and foreign keys.

use pam_store::{ConnectOptions, Db};

use crate::helpers::{Backend, init_test_process, spawn_app};

#[tokio::test]
async fn sqlite_and_postgres_migrations_have_the_same_tables_and_columns() {
    init_test_process();
    let Some(pg) = Backend::postgres_for("migrations::sqlite_and_postgres_migrations_have_the_same_tables_and_columns")
    else {
        return;
    };
    let sqlite = spawn_app(Backend::Sqlite).await;
    let postgres = spawn_app(pg).await;
    let a = sqlite.db().schema_outline().await.unwrap();
    let b = postgres.db().schema_outline().await.unwrap();
    assert!(a.iter().any(|(t, _)| t == "users"), "outline lists tables: {a:?}");
    assert_eq!(a, b, "migrations/sqlite and migrations/postgres differ");
    let a = sqlite.db().constraint_outline().await.unwrap();
    let b = postgres.db().constraint_outline().await.unwrap();
    assert!(a.iter().any(|c| c == "unique budgets(user_id,category_key)"), "outline lists unique indexes: {a:?}");
    assert!(a.iter().any(|c| c == "unique pam_turns(user_id) partial"), "partial indexes are marked: {a:?}");
    assert!(a.iter().any(|c| c == "fk expenses.user_id -> users.id on delete cascade"), "outline lists keys: {a:?}");
    assert_eq!(a, b, "the two migration folders differ in unique indexes or foreign keys");
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
