//! The assembly of domains holds together: every table with user rows belongs to a domain and shows in
//! the account export, and every tool the offline brain can call exists with arguments that parse.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use pam_nlu::intent::{Intent, understand};
use pam_store::{Db, with_db};
use serde_json::Value;

use crate::helpers::{Backend, spawn_app};
use pam_testkit::on_both_databases;

on_both_databases!(every_table_holding_user_rows_is_in_the_export);

/// Tables whose rows belong to a user: a `user_id` column, or keyed by the user's id (`users`, `profiles`).
async fn user_tables(db: &Db) -> BTreeSet<String> {
    let names: Vec<String> = match db {
        Db::Sqlite(pool) => sqlx::query_scalar(
            "SELECT m.name FROM sqlite_master m JOIN pragma_table_info(m.name) c \
             WHERE m.type = 'table' AND c.name = 'user_id'",
        )
        .fetch_all(pool)
        .await
        .unwrap(),
        Db::Postgres(pool) => sqlx::query_scalar(
            "SELECT table_name::text FROM information_schema.columns \
             WHERE table_schema = current_schema() AND column_name = 'user_id'",
        )
        .fetch_all(pool)
        .await
        .unwrap(),
    };
    let mut tables: BTreeSet<String> = names.into_iter().collect();
    tables.extend(["users".to_string(), "profiles".to_string()]);
    tables
}

async fn every_table_holding_user_rows_is_in_the_export(backend: Backend) {
    let app = spawn_app(backend).await;
    let declared: Vec<_> = pam_server::account::owned_tables().collect();
    for table in user_tables(app.db()).await {
        assert!(
            declared.iter().any(|t| t.table == table),
            "table {table} holds user rows but no domain declares it: add it to that domain's TABLES and export"
        );
    }
    let user = app.register("eve@example.com").await;
    let res = app.get(&format!("/api/v1/users/{}/export", user.id), &user.token).await;
    assert_eq!(res.status(), 200);
    let export: Value = res.json().await.unwrap();
    for t in &declared {
        assert!(export.get(t.section).is_some(), "the export has no section {:?} for table {}", t.section, t.table);
    }
    // A section is the table's rows, not a placeholder: one expense shows up as one row.
    let expense = serde_json::json!({"amount": 12.5, "category": "fuel"});
    let created = app.send_json(reqwest::Method::POST, "/api/v1/expenses", Some(&user.token), &expense).await;
    assert_eq!(created.status(), 201);
    let export: Value = app.get(&format!("/api/v1/users/{}/export", user.id), &user.token).await.json().await.unwrap();
    assert_eq!(export["expenses"].as_array().map(Vec::len), Some(1), "{}", export["expenses"]);
    let rows: i64 = with_db!(app.db(), |pool| {
        sqlx::query_scalar("SELECT count(*) FROM expenses WHERE user_id = $1").bind(user.id).fetch_one(pool).await
    })
    .unwrap();
    assert_eq!(rows, 1);
}

/// Tools the offline brain names that arrive with a later domain (wheels, calendar, social). Each must
/// leave this list when its domain lands; the test then holds it to the registry like the rest.
const ARRIVING_WITH_LATER_DOMAINS: &[&str] = &[
    "add_fuel_entry",
    "calculate_gas_cost",
    "create_calendar_event",
    "create_post",
    "estimate_travel_time",
    "get_calendar_events",
    "get_maintenance_schedule",
    "plan_trip",
    "set_timer_or_alarm",
];

#[tokio::test]
async fn every_tool_the_offline_brain_calls_exists_and_its_arguments_parse() {
    let app = spawn_app(Backend::Sqlite).await;
    let corpus = include_str!("../../../nlu/corpus/utterances.jsonl");
    let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let mut seen = BTreeSet::new();
    for line in corpus.lines().filter(|l| !l.trim().is_empty()) {
        let row: Value = serde_json::from_str(line).unwrap();
        let text = row["text"].as_str().unwrap();
        let Intent::Tool { name, arguments } = understand(text, today) else { continue };
        seen.insert(name);
        match app.state.pam.tools.get(name) {
            Some(tool) => {
                if let Err(e) = tool.check(&arguments) {
                    panic!("{text:?} → {name} with {arguments}, which the tool refuses: {e}");
                }
            }
            None => assert!(ARRIVING_WITH_LATER_DOMAINS.contains(&name), "{text:?} → {name}, which no domain provides"),
        }
    }
    for pending in ARRIVING_WITH_LATER_DOMAINS {
        assert!(
            app.state.pam.tools.get(pending).is_none(),
            "{pending} is in the registry now: take it off the list of tools still to come"
        );
    }
    assert!(seen.len() >= 8, "the corpus exercises most of the brain's tools: {seen:?}");
}
