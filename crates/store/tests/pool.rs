//! The Postgres pool checks a connection that sat idle before handing it out, so a connection the server
//! (or a pooler, or the network) dropped in a quiet spell is replaced, not handed to a request to fail.

use pam_store::{ConnectOptions, Db, PING_WHEN_IDLE_FOR};
use pam_testkit::{Backend, fresh_postgres_database};

#[tokio::test]
async fn a_connection_dropped_while_idle_is_replaced_before_use() {
    let Some(Backend::Postgres(base)) = Backend::postgres_for("store::pool::dropped_while_idle") else { return };
    let mut options = ConnectOptions::new(fresh_postgres_database(&base).await);
    options.max_connections = 1;
    let Db::Postgres(pool) = Db::connect(&options).await.expect("connect") else { unreachable!("a Postgres URL") };
    let backend = || sqlx::query_scalar::<_, i32>("SELECT pg_backend_pid()").fetch_one(&pool);
    let first = backend().await.expect("first query");

    let admin = sqlx::PgPool::connect(&base).await.expect("connect as admin");
    let ended: bool = sqlx::query_scalar("SELECT pg_terminate_backend($1)")
        .bind(first)
        .fetch_one(&admin)
        .await
        .expect("terminate the pool's connection");
    assert!(ended, "the server ended the pool's only connection");
    tokio::time::sleep(PING_WHEN_IDLE_FOR + std::time::Duration::from_millis(300)).await;

    let second = backend().await.expect("the next query runs on a new connection, not the dead one");
    assert_ne!(first, second, "a new server process answers");
}
