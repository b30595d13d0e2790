//! The assembly of domains holds together: every table with user rows belongs to a domain and shows in
//! the account export, and every tool the offline brain can call exists with arguments that parse.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use pam_nlu::{Action, understand};
use pam_store::{Db, with_db};
use serde_json::Value;

use reqwest::Method;
use serde_json::json;
use uuid::Uuid;

use crate::helpers::{Backend, TestApp, TestUser, spawn_app};
use pam_testkit::on_both_databases;

on_both_databases!(every_table_holding_user_rows_is_exported_and_deleted_with_the_account);

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

async fn rows_of(app: &TestApp, table: &str, user_id: Uuid) -> i64 {
    let column = if table == "users" || table == "profiles" { "id" } else { "user_id" };
    let sql = format!("SELECT count(*) FROM {table} WHERE {column} = $1");
    with_db!(app.db(), |pool| sqlx::query_scalar(sqlx::AssertSqlSafe(sql.clone())).bind(user_id).fetch_one(pool).await)
        .unwrap()
}

/// Gives the user at least one row in every table that can hold their rows, through the API.
async fn fill_every_table(app: &TestApp, user: &TestUser) {
    let post = |path: &'static str, body: Value| async move {
        let res = app.send_json(Method::POST, path, Some(&user.token), &body).await;
        assert!(res.status().is_success(), "{path}: {}", res.status());
        res.json::<Value>().await.unwrap_or(Value::Null)
    };
    post("/api/v1/budgets", json!({"category": "Fuel", "monthly_limit": 10})).await;
    // With an Idempotency-Key (its row), over the budget (an alert).
    let expense = app
        .send(Method::POST, "/api/v1/expenses", Some(&user.token), |r| {
            r.header("idempotency-key", "fill-1").json(&json!({"amount": 12.5, "category": "fuel"}))
        })
        .await;
    assert_eq!(expense.status(), 201);
    let expense: Value = expense.json().await.unwrap();
    post("/api/v1/income", json!({"amount": 100, "source": "Pension", "type": "pension"})).await;
    post(
        "/api/v1/pam/savings/record",
        json!({"savings_type": "fuel", "baseline_cost": 80, "optimized_cost": 70, "description": "Cheaper servo"}),
    )
    .await;
    // A chat turn: conversation, messages, turn, a tool execution, usage.
    let reply = post("/api/v1/pam/chat", json!({"message": "I spent $5 on coffee"})).await;
    post("/api/v1/pam/feedback", json!({"message_id": reply["message_id"], "rating": 5})).await;
    // A proposal waiting for the user's yes.
    post("/api/v1/pam/tools/execute/delete_expense", json!({"expense_id": expense["id"]})).await;
    // Travel: a vehicle, a fill-up, a service, a favourite spot, a trip.
    post("/api/v1/vehicles", json!({"name": "The Troopy", "fuel_type": "diesel"})).await;
    post("/api/v1/fuel-log", json!({"volume": 60, "total": 120, "odometer": 150000})).await;
    post("/api/v1/maintenance", json!({"task": "Oil change", "date": "2026-01-10"})).await;
    post(
        "/api/v1/places/favorites",
        json!({"name": "Lake Keepit", "place_type": "campground", "latitude": -30.87, "longitude": 150.5}),
    )
    .await;
    post("/api/v1/trips/plan", json!({"origin": "Tamworth", "destination": "Armidale"})).await;
    // Calendar: an event with a reminder to come, and a timer (each with its push).
    post(
        "/api/v1/calendar/events",
        json!({"title": "Rego inspection", "start": "2099-03-01T09:00", "reminder_minutes": [60]}),
    )
    .await;
    post("/api/v1/timers", json!({"duration_seconds": 600, "label": "Tea"})).await;
    fill_medical_tables(app, user).await;
    fill_social_tables(app, user).await;
}

/// Social: a post with a comment and a like, a follow each way (so a message may be sent), a message, a
/// block (of someone else: a block ends follows), a group (its creator's membership), an event (its
/// host's attendance) and a shared location.
async fn fill_social_tables(app: &TestApp, user: &TestUser) {
    let friend = app.register("eve.friend@example.com").await;
    let pest = app.register("eve.pest@example.com").await;
    let send = |who: &TestUser, path: String, body: Value| {
        let token = who.token.clone();
        async move {
            let res = app.send_json(Method::POST, &path, Some(&token), &body).await;
            assert!(res.status().is_success(), "{path}: {}", res.status());
            res.json::<Value>().await.unwrap_or(Value::Null)
        }
    };
    let draft = send(user, "/api/v1/social/posts".into(), json!({"content": "Hello from Eve"})).await;
    let post = format!("/api/v1/social/posts/{}", draft["id"].as_str().unwrap_or_default());
    send(user, format!("{post}/publish"), json!({})).await;
    send(user, format!("{post}/comments"), json!({"content": "First!"})).await;
    send(user, format!("{post}/like"), json!({})).await;
    send(user, format!("/api/v1/social/follow/{}", friend.id), json!({})).await;
    send(&friend, format!("/api/v1/social/follow/{}", user.id), json!({})).await;
    send(user, "/api/v1/social/messages".into(), json!({"recipient_id": friend.id, "message": "Hi"})).await;
    send(user, format!("/api/v1/social/blocks/{}", pest.id), json!({})).await;
    send(user, "/api/v1/social/groups".into(), json!({"name": "Grey nomads"})).await;
    let soon = chrono::Utc::now() + chrono::Duration::days(30);
    let event = json!({"title": "Camp oven night", "event_date": soon, "location": "Lake Keepit"});
    send(user, "/api/v1/social/events".into(), event).await;
    let privacy = json!({"location_sharing": true});
    let res =
        app.send_json(Method::PATCH, &format!("/api/v1/users/{}/privacy", user.id), Some(&user.token), &privacy).await;
    assert_eq!(res.status(), 200);
    send(user, "/api/v1/social/shared-locations".into(), json!({"latitude": -30.87, "longitude": 150.5})).await;
}

/// Medical: a record, a medication and the emergency card.
async fn fill_medical_tables(app: &TestApp, user: &TestUser) {
    let record = json!({"title": "Tetanus booster", "record_type": "vaccination"});
    let medication = json!({"name": "Cetirizine", "dosage": "10 mg"});
    for (path, body) in [("/api/v1/medical/records", record), ("/api/v1/medical/medications", medication)] {
        let res = app.send_json(Method::POST, path, Some(&user.token), &body).await;
        assert_eq!(res.status(), 201, "{path}");
    }
    let card = json!({"blood_type": "O+", "allergies": ["Penicillin"]});
    let res = app.send_json(Method::PUT, "/api/v1/medical/emergency-info", Some(&user.token), &card).await;
    assert_eq!(res.status(), 200);
}

async fn every_table_holding_user_rows_is_exported_and_deleted_with_the_account(backend: Backend) {
    let app = spawn_app(backend).await;
    let declared: Vec<_> = pam_server::account::owned_tables().collect();
    let mut sections = BTreeSet::new();
    for t in &declared {
        assert!(sections.insert(t.section), "two tables share the export section {:?}", t.section);
        assert!(
            !["exported_at", "account", "sessions", "audit_log"].contains(&t.section)
                || t.table == "users"
                || t.table == "refresh_tokens",
            "section {:?} would collide with a fixed field",
            t.section
        );
    }
    let tables = user_tables(app.db()).await;
    for table in &tables {
        assert!(
            declared.iter().any(|t| t.table == table),
            "table {table} holds user rows but no domain declares it: add it to that domain's TABLES and export"
        );
    }
    let user = app.register("eve@example.com").await;
    let keep = app.register("fay@example.com").await;
    fill_every_table(&app, &user).await;
    for table in &tables {
        assert!(rows_of(&app, table, user.id).await > 0, "the fixture left {table} empty");
    }
    let res = app.get(&format!("/api/v1/users/{}/export", user.id), &user.token).await;
    assert_eq!(res.status(), 200);
    let export: Value = res.json().await.unwrap();
    for t in &declared {
        let section = &export[t.section];
        let filled = match section {
            Value::Array(rows) => !rows.is_empty(),
            Value::Object(map) => !map.is_empty(),
            _ => false,
        };
        assert!(filled, "the export's {:?} section shows none of the rows of {}: {section}", t.section, t.table);
    }
    assert!(!export.to_string().contains("argon2"), "the password hash is never exported");

    let res = app.delete(&format!("/api/v1/users/{}", user.id), &user.token).await;
    assert_eq!(res.status(), 204);
    for table in &tables {
        assert_eq!(rows_of(&app, table, user.id).await, 0, "{table} still holds rows of the deleted user");
    }
    assert_eq!(app.get("/api/auth/me", &keep.token).await.status(), 200, "other users are untouched");
}

/// Tools the offline brain names that arrive with a later domain (wheels, calendar, social). Each must
/// leave this list when its domain lands; the test then holds it to the registry like the rest.
const ARRIVING_WITH_LATER_DOMAINS: &[&str] = &[];

#[tokio::test]
async fn every_tool_the_offline_brain_calls_exists_and_its_arguments_parse() {
    let app = spawn_app(Backend::Sqlite).await;
    let corpus = include_str!("../../../nlu/corpus/utterances.jsonl");
    let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let mut seen = BTreeSet::new();
    for line in corpus.lines().filter(|l| !l.trim().is_empty()) {
        let row: Value = serde_json::from_str(line).unwrap();
        let text = row["text"].as_str().unwrap();
        let Action::Call { tool: name, arguments } = understand(text, today).action else { continue };
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
    // Every name the brain can call, whether or not the corpus happened to reach it.
    for name in pam_nlu::intents::tools() {
        assert!(
            app.state.pam.tools.get(name).is_some() || ARRIVING_WITH_LATER_DOMAINS.contains(&name),
            "the offline brain can call {name}, which no domain provides"
        );
    }
    // And each of them was reached by some sentence above, so its arguments were checked too.
    let unreached: Vec<&str> = pam_nlu::intents::tools().filter(|name| !seen.contains(name)).collect();
    assert!(
        unreached.is_empty(),
        "no corpus sentence makes the brain call {unreached:?}, so their arguments went unchecked"
    );
}
