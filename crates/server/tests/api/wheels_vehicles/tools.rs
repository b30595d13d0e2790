//! The vehicle tools through `POST /api/v1/pam/tools/execute/{tool}`, the confirmation before a
//! deletion, and the offline brain's arguments.

use chrono::{Datelike, Duration, NaiveDate};
use pam_nlu::{Action, understand};
use serde_json::{Value, json};

use super::{brisbane_today, get_json, post, traveller};
use crate::helpers::{Backend, TestApp, TestUser, assert_error, spawn_app};
use pam_testkit::on_both_databases;

on_both_databases!(vehicle_tools_act_through_the_same_services);

const VEHICLE_TOOLS: [&str; 10] = [
    "create_vehicle",
    "update_vehicle_fuel_consumption",
    "add_fuel_entry",
    "get_fuel_stats",
    "get_fuel_log",
    "create_maintenance_record",
    "get_maintenance_schedule",
    "update_maintenance_record",
    "delete_maintenance_record",
    "save_favorite_spot",
];

async fn run(app: &TestApp, user: &TestUser, tool: &str, args: Value) -> Value {
    let res = post(app, user, &format!("/api/v1/pam/tools/execute/{tool}"), args).await;
    assert_eq!(res.status(), 200, "{tool}");
    res.json().await.unwrap()
}

/// Runs a tool that must succeed; returns its data after checking it asked the front end to reload.
async fn changed(app: &TestApp, user: &TestUser, tool: &str, args: Value) -> Value {
    let body = run(app, user, tool, args).await;
    assert_eq!(body["success"], true, "{tool}: {body}");
    assert_eq!(body["ui_actions"][0]["type"], "reload_trips", "{tool}: {body}");
    body["data"].clone()
}

async fn vehicle_tools_act_through_the_same_services(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = traveller(&app, "tool1@example.com", "metric").await;
    let list = get_json(&app, &user, "/api/v1/pam/tools/list").await;
    let names: Vec<&str> = list["tools"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    for name in VEHICLE_TOOLS {
        assert!(names.contains(&name), "{name} is registered");
    }

    let none = run(&app, &user, "update_vehicle_fuel_consumption", json!({"consumption": 12})).await;
    assert_eq!(none["success"], false, "no vehicle to update yet: {none}");
    let van =
        changed(&app, &user, "create_vehicle", json!({"name": "Jayco", "fuel_type": "diesel", "consumption": 15}))
            .await;
    assert_eq!(van["is_primary"], true);
    let van =
        changed(&app, &user, "update_vehicle_fuel_consumption", json!({"consumption": 12, "consumption_unit": "mpg"}))
            .await;
    assert_eq!(van["consumption_display"], json!({"value": 19.6, "unit": "L/100km"}));

    // Exactly the arguments the offline brain produces for "filled up 60 litres at $1.90 a litre".
    let today = brisbane_today().to_string();
    let fill = changed(
        &app,
        &user,
        "add_fuel_entry",
        json!({"volume": 60, "volume_unit": "litres", "price_per_unit": 1.9, "odometer": 12000, "date": today,
               "filled_to_top": true, "station": "Ampol Dubbo"}),
    )
    .await;
    assert_eq!((fill["total"].as_f64(), fill["vehicle_id"].clone()), (Some(114.0), van["id"].clone()));
    let bad = post(&app, &user, "/api/v1/pam/tools/execute/add_fuel_entry", json!({"total": 50})).await;
    assert_error(bad, 422, "validation_error").await;
    let log = run(&app, &user, "get_fuel_log", json!({})).await;
    assert_eq!(log["data"]["fuel_entries"].as_array().unwrap().len(), 1);
    let stats = run(&app, &user, "get_fuel_stats", json!({"period": "all"})).await;
    assert_eq!((stats["data"]["fill_count"].as_i64(), stats["data"]["spend"].as_f64()), (Some(1), Some(114.0)));

    let yesterday = (brisbane_today() - Duration::days(1)).to_string();
    let done_on = brisbane_today() - Duration::days(40);
    let oil = changed(
        &app,
        &user,
        "create_maintenance_record",
        json!({"task": "Oil change", "date": done_on, "next_due_date": yesterday}),
    )
    .await;
    let schedule = run(&app, &user, "get_maintenance_schedule", json!({})).await;
    assert_eq!(schedule["data"]["overdue"][0]["id"], oil["id"], "{schedule}");
    let oil = changed(&app, &user, "update_maintenance_record", json!({"record_id": oil["id"], "cost": 120})).await;
    assert_eq!((oil["cost"].as_f64(), oil["task"].as_str()), (Some(120.0), Some("Oil change")));

    // Deleting asks first, in words, and runs only once confirmed.
    let record = format!("/api/v1/maintenance/{}", oil["id"].as_str().unwrap());
    let proposal = run(&app, &user, "delete_maintenance_record", json!({"record_id": oil["id"]})).await;
    assert_eq!((proposal["success"].as_bool(), proposal["confirmation_required"].as_bool()), (Some(false), Some(true)));
    let summary = proposal["summary"].as_str().unwrap();
    let when = match done_on.year() == brisbane_today().year() {
        true => done_on.format("%-d %B").to_string(),
        false => done_on.format("%-d %B %Y").to_string(),
    };
    assert_eq!(summary, format!("Delete the \"Oil change\" maintenance record of {when}?"), "{proposal}");
    assert_eq!(app.get(&record, &user.token).await.status(), 200, "nothing deleted before confirmation");
    let confirm = format!("/api/v1/pam/tools/confirm/{}", proposal["confirmation_id"].as_str().unwrap());
    let done: Value = post(&app, &user, &confirm, json!({})).await.json().await.unwrap();
    assert_eq!(done["success"], true, "{done}");
    assert_error(app.get(&record, &user.token).await, 404, "not_found").await;

    let spot = changed(
        &app,
        &user,
        "save_favorite_spot",
        json!({"name": "Dubbo dump point", "latitude": -32.25, "longitude": 148.6, "place_type": "dump_point"}),
    )
    .await;
    assert_eq!(spot["place_type"], "dump_point");
    let far = post(
        &app,
        &user,
        "/api/v1/pam/tools/execute/save_favorite_spot",
        json!({"name": "X", "latitude": 100, "longitude": 0}),
    )
    .await;
    assert_error(far, 422, "validation_error").await;
    assert_eq!(get_json(&app, &user, "/api/v1/places/favorites").await["total"], 1);
}

/// What the offline brain sends these tools parses: every corpus sentence it routes to one of them.
#[tokio::test]
async fn the_offline_brains_arguments_for_the_vehicle_tools_parse() {
    let app = spawn_app(Backend::Sqlite).await;
    let corpus = include_str!("../../../../nlu/corpus/utterances.jsonl");
    let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let mut checked = 0;
    for line in corpus.lines().filter(|l| !l.trim().is_empty()) {
        let row: Value = serde_json::from_str(line).unwrap();
        let text = row["text"].as_str().unwrap();
        let Action::Call { tool: name, arguments } = understand(text, today).action else { continue };
        if !VEHICLE_TOOLS.contains(&name) {
            continue;
        }
        let tool = app.state.pam.tools.get(name).unwrap_or_else(|| panic!("{name} is not registered"));
        if let Err(e) = tool.check(&arguments) {
            panic!("{text:?} → {name} with {arguments}, which the tool refuses: {e}");
        }
        checked += 1;
    }
    assert!(checked >= 2, "the corpus reaches the fill-up and maintenance tools ({checked} sentences)");
}
