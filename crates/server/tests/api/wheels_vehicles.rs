//! Wheels — vehicles, the fuel log, maintenance and favourite places: every route's happy path and
//! refusals, the primary vehicle under concurrency, and the vehicle tools, on SQLite and Postgres.

mod fuel;
mod maintenance;
mod places;
mod tools;

use reqwest::{Method, Response};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{Backend, TestApp, TestUser, assert_error, spawn_app};
use pam_store::with_db;
use pam_testkit::on_both_databases;

on_both_databases!(
    vehicle_crud_in_the_users_units,
    bad_vehicle_input_is_422_at_its_field,
    the_primary_flag_moves_and_is_handed_on,
    one_primary_vehicle_under_concurrent_changes,
    concurrent_updates_of_different_fields_all_land,
    another_users_rows_are_not_found,
    the_export_holds_every_vehicle_row_and_deletion_removes_them,
);

pub async fn post(app: &TestApp, user: &TestUser, path: &str, body: Value) -> Response {
    app.send_json(Method::POST, path, Some(&user.token), &body).await
}

pub async fn patch(app: &TestApp, user: &TestUser, path: &str, body: Value) -> Response {
    app.send_json(Method::PATCH, path, Some(&user.token), &body).await
}

pub async fn delete(app: &TestApp, user: &TestUser, path: &str) -> Response {
    app.delete(path, &user.token).await
}

pub async fn get_json(app: &TestApp, user: &TestUser, path: &str) -> Value {
    let res = app.get(path, &user.token).await;
    assert_eq!(res.status(), 200, "GET {path}");
    res.json().await.unwrap()
}

/// POSTs and expects 201; returns the created object.
pub async fn created(app: &TestApp, user: &TestUser, path: &str, body: Value) -> Value {
    let res = post(app, user, path, body.clone()).await;
    let status = res.status();
    let got: Value = res.json().await.unwrap();
    assert_eq!(status, 201, "POST {path} {body} → {got}");
    got
}

pub fn id(v: &Value) -> &str {
    v["id"].as_str().unwrap()
}

/// A user in Brisbane (no daylight saving, so "today" there is easy to work out), metric or imperial.
pub async fn traveller(app: &TestApp, email: &str, units: &str) -> TestUser {
    let user = app.register(email).await;
    let res = patch(
        app,
        &user,
        &format!("/api/v1/users/{}/profile", user.id),
        json!({"timezone": "Australia/Brisbane", "preferred_units": units}),
    )
    .await;
    assert_eq!(res.status(), 200);
    user
}

pub fn brisbane_today() -> chrono::NaiveDate {
    chrono::Utc::now().with_timezone(&chrono_tz::Australia::Brisbane).date_naive()
}

async fn primaries(app: &TestApp, user_id: Uuid) -> (i64, i64) {
    with_db!(app.db(), |pool| {
        sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(CASE WHEN is_primary THEN 1 ELSE 0 END), 0) AS BIGINT), count(*) \
             FROM vehicles WHERE user_id = $1",
        )
        .bind(user_id)
        .fetch_one(pool)
        .await
    })
    .unwrap()
}

async fn vehicle_crud_in_the_users_units(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = traveller(&app, "veh1@example.com", "metric").await;
    let van = created(
        &app,
        &user,
        "/api/v1/vehicles",
        json!({"name": "The Jayco", "make": "Jayco", "model": "Conquest", "year": 2019, "vehicle_type": "motorhome",
               "fuel_type": "diesel", "length_m": 7.5, "height_m": 3.2, "weight_kg": 4490,
               "consumption": 10, "consumption_unit": "mpg"}),
    )
    .await;
    assert_eq!(van["vehicle_type"], "motorhome");
    assert_eq!(van["is_primary"], true, "the first vehicle is primary");
    let stored = van["consumption_l_per_100km"].as_f64().unwrap();
    assert!((stored - 23.52).abs() < 0.01, "10 mpg is stored as 23.52 L/100km: {van}");
    assert_eq!(van["consumption_display"], json!({"value": 23.5, "unit": "L/100km"}));
    assert_eq!(van["learned_l_per_100km"], Value::Null);
    let unnamed =
        created(&app, &user, "/api/v1/vehicles", json!({"make": "Toyota", "model": "Hilux", "year": 2021})).await;
    assert_eq!(unnamed["name"], "2021 Toyota Hilux", "named from what was given");
    assert_eq!((unnamed["vehicle_type"].as_str(), unnamed["fuel_type"].as_str()), (Some("other"), Some("other")));
    assert_eq!(unnamed["is_primary"], false);

    let list = get_json(&app, &user, "/api/v1/vehicles").await;
    assert_eq!(list["total"], 2);
    assert_eq!(list["vehicles"][0]["id"], van["id"], "the primary first");
    let paged = get_json(&app, &user, "/api/v1/vehicles?limit=1&offset=1").await;
    assert_eq!(paged["vehicles"][0]["id"], unnamed["id"]);
    assert_eq!(paged["total"], 2);

    let path = format!("/api/v1/vehicles/{}", id(&van));
    assert_eq!(get_json(&app, &user, &path).await, van);
    let res =
        patch(&app, &user, &path, json!({"consumption_l_per_100km": 14.5, "make": null, "name": "Big Jay"})).await;
    let patched: Value = res.json().await.unwrap();
    assert_eq!(patched["consumption_l_per_100km"], 14.5);
    assert_eq!(patched["make"], Value::Null);
    assert_eq!(patched["model"], "Conquest", "untouched fields stay");
    assert_eq!(patched["name"], "Big Jay");

    // The same vehicle, for someone who thinks in miles per gallon.
    patch(&app, &user, &format!("/api/v1/users/{}/profile", user.id), json!({"preferred_units": "imperial"})).await;
    let shown = get_json(&app, &user, &path).await;
    assert_eq!(shown["consumption_display"], json!({"value": 16.2, "unit": "mpg"}));
    assert_eq!(shown["consumption_l_per_100km"], 14.5, "stored once, in L/100km");

    assert_eq!(delete(&app, &user, &path).await.status(), 204);
    assert_error(app.get(&path, &user.token).await, 404, "not_found").await;
}

async fn bad_vehicle_input_is_422_at_its_field(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("veh2@example.com").await;
    let cases = [
        (json!({"name": "Van", "consumption": 2}), "consumption"),
        (json!({"name": "Van", "consumption": 61, "consumption_unit": "L/100km"}), "consumption"),
        (json!({"name": "Van", "consumption": 200, "consumption_unit": "mpg"}), "consumption"),
        (json!({"name": "Van", "consumption_mpg": -4}), "consumption_mpg"),
        (json!({"name": "Van", "consumption": 12, "consumption_mpg": 20}), "consumption_mpg"),
        (json!({"name": "Van", "consumption_unit": "furlongs"}), "consumption_unit"),
        (json!({"name": "Van", "year": 1800}), "year"),
        (json!({"name": "Van", "length_m": -1}), "length_m"),
        (json!({"name": "Van", "vehicle_type": "spaceship"}), "vehicle_type"),
        (json!({"name": "  "}), "name"),
        (json!({}), "name"),
    ];
    for (body, field) in cases {
        let err =
            assert_error(post(&app, &user, "/api/v1/vehicles", body.clone()).await, 422, "validation_error").await;
        assert_eq!(err["detail"][0]["loc"], json!(["body", field]), "{body} → {err}");
    }
    let van = created(&app, &user, "/api/v1/vehicles", json!({"name": "Van", "consumption": 12})).await;
    let path = format!("/api/v1/vehicles/{}", id(&van));
    let err = assert_error(patch(&app, &user, &path, json!({"consumption": 1})).await, 422, "validation_error").await;
    assert_eq!(err["detail"][0]["loc"], json!(["body", "consumption"]));
    let err = assert_error(patch(&app, &user, &path, json!({"name": null})).await, 422, "validation_error").await;
    assert_eq!(err["detail"][0]["loc"], json!(["body", "name"]));
    assert_eq!(get_json(&app, &user, &path).await["consumption_l_per_100km"], 12.0, "nothing half-written");
    assert_eq!(get_json(&app, &user, "/api/v1/vehicles").await["total"], 1);
}

async fn the_primary_flag_moves_and_is_handed_on(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("veh3@example.com").await;
    let path = |v: &Value| format!("/api/v1/vehicles/{}", id(v));
    let a = created(&app, &user, "/api/v1/vehicles", json!({"name": "A", "is_primary": false})).await;
    assert_eq!(a["is_primary"], true, "the first vehicle is primary even when asked otherwise");
    let res = patch(&app, &user, &path(&a), json!({"is_primary": false})).await;
    assert_eq!(res.json::<Value>().await.unwrap()["is_primary"], true, "the only vehicle stays primary");
    let b = created(&app, &user, "/api/v1/vehicles", json!({"name": "B"})).await;
    assert_eq!(b["is_primary"], false);
    let c = created(&app, &user, "/api/v1/vehicles", json!({"name": "C", "is_primary": true})).await;
    assert_eq!(c["is_primary"], true);
    assert_eq!(get_json(&app, &user, &path(&a)).await["is_primary"], false, "the flag moved to C");
    let res = patch(&app, &user, &path(&b), json!({"is_primary": true})).await;
    assert_eq!(res.json::<Value>().await.unwrap()["is_primary"], true);
    assert_eq!(get_json(&app, &user, &path(&c)).await["is_primary"], false);
    // Giving up the flag hands it to the newest other vehicle (C).
    patch(&app, &user, &path(&b), json!({"is_primary": false})).await;
    assert_eq!(get_json(&app, &user, &path(&c)).await["is_primary"], true);
    // Deleting the primary promotes the newest remaining one (B, newer than A).
    assert_eq!(delete(&app, &user, &path(&c)).await.status(), 204);
    assert_eq!(get_json(&app, &user, &path(&b)).await["is_primary"], true);
    assert_eq!(get_json(&app, &user, &path(&a)).await["is_primary"], false);
    assert_eq!(primaries(&app, user.id).await, (1, 2));
    // Deleting a vehicle that is not primary leaves the flag where it is.
    assert_eq!(delete(&app, &user, &path(&a)).await.status(), 204);
    assert_eq!(primaries(&app, user.id).await, (1, 1));
}

async fn one_primary_vehicle_under_concurrent_changes(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("veh4@example.com").await;
    // Ten first vehicles at once, half of them asking for the flag.
    let creates = (0..10).map(|i| {
        let (app, user) = (&app, &user);
        async move {
            post(app, user, "/api/v1/vehicles", json!({"name": format!("Van {i}"), "is_primary": i % 2 == 0})).await
        }
    });
    for res in futures::future::join_all(creates).await {
        assert_eq!(res.status(), 201);
    }
    assert_eq!(primaries(&app, user.id).await, (1, 10), "one primary after concurrent creates");

    // Every vehicle claims the flag at once.
    let list = get_json(&app, &user, "/api/v1/vehicles?limit=100").await;
    let ids: Vec<String> = list["vehicles"].as_array().unwrap().iter().map(|v| id(v).to_string()).collect();
    let claims = ids.iter().map(|vid| {
        let (app, user) = (&app, &user);
        async move { patch(app, user, &format!("/api/v1/vehicles/{vid}"), json!({"is_primary": true})).await }
    });
    for res in futures::future::join_all(claims).await {
        assert_eq!(res.status(), 200);
    }
    assert_eq!(primaries(&app, user.id).await, (1, 10), "one primary after concurrent claims");

    // Deletions (the primary among them), new vehicles and hand-offs, all at once.
    let primary =
        get_json(&app, &user, "/api/v1/vehicles?limit=1").await["vehicles"][0]["id"].as_str().unwrap().to_string();
    let mut doomed: Vec<String> = ids.iter().filter(|v| **v != primary).take(5).cloned().collect();
    doomed.push(primary);
    let deletes = doomed.iter().map(|vid| {
        let (app, user) = (&app, &user);
        async move { delete(app, user, &format!("/api/v1/vehicles/{vid}")).await.status().as_u16() }
    });
    let adds = (0..4).map(|i| {
        let (app, user) = (&app, &user);
        async move { post(app, user, "/api/v1/vehicles", json!({"name": format!("New {i}")})).await.status().as_u16() }
    });
    let (deleted, added) = futures::join!(futures::future::join_all(deletes), futures::future::join_all(adds));
    assert!(deleted.iter().all(|s| *s == 204), "{deleted:?}");
    assert!(added.iter().all(|s| *s == 201), "{added:?}");
    assert_eq!(primaries(&app, user.id).await, (1, 8), "one primary after concurrent deletes and creates");
}

async fn concurrent_updates_of_different_fields_all_land(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("veh5@example.com").await;
    let van = created(&app, &user, "/api/v1/vehicles", json!({"name": "Van"})).await;
    let path = format!("/api/v1/vehicles/{}", id(&van));
    // Ten partial updates at once, each of its own field: each applies to the row as the one before it
    // left it, so none puts back a value another has just changed.
    let changes = [
        json!({"name": "Big Jay"}),
        json!({"make": "Jayco"}),
        json!({"model": "Conquest"}),
        json!({"year": 2019}),
        json!({"vehicle_type": "motorhome"}),
        json!({"fuel_type": "diesel"}),
        json!({"length_m": 7.5}),
        json!({"height_m": 3.2}),
        json!({"weight_kg": 4490.0}),
        json!({"consumption_l_per_100km": 14.5}),
    ];
    let updates = changes.iter().map(|change| {
        let (app, user, path) = (&app, &user, &path);
        async move { patch(app, user, path, change.clone()).await.status().as_u16() }
    });
    let statuses = futures::future::join_all(updates).await;
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    let stored = get_json(&app, &user, &path).await;
    for change in &changes {
        let (field, value) = change.as_object().unwrap().iter().next().unwrap();
        assert_eq!(&stored[field], value, "the update of {field} was lost: {stored}");
    }
}

async fn another_users_rows_are_not_found(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.register("own1@example.com").await;
    let other = app.register("oth1@example.com").await;
    let van = created(&app, &owner, "/api/v1/vehicles", json!({"name": "Van"})).await;
    let fill = created(&app, &owner, "/api/v1/fuel-log", json!({"volume": 50, "total": 95})).await;
    let service = created(&app, &owner, "/api/v1/maintenance", json!({"task": "Oil change"})).await;
    let spot = created(
        &app,
        &owner,
        "/api/v1/places/favorites",
        json!({"name": "Lake Eildon", "latitude": -37.23, "longitude": 145.91}),
    )
    .await;
    for path in [
        format!("/api/v1/vehicles/{}", id(&van)),
        format!("/api/v1/fuel-log/{}", id(&fill)),
        format!("/api/v1/maintenance/{}", id(&service)),
        format!("/api/v1/places/favorites/{}", id(&spot)),
    ] {
        assert_error(app.get(&path, &other.token).await, 404, "not_found").await;
        assert_error(patch(&app, &other, &path, json!({})).await, 404, "not_found").await;
        assert_error(delete(&app, &other, &path).await, 404, "not_found").await;
        assert_eq!(app.get(&path, &owner.token).await.status(), 200, "still there for its owner: {path}");
    }
    // Another user's vehicle cannot be named either.
    let theirs = json!({"volume": 10, "total": 20, "vehicle_id": van["id"]});
    assert_error(post(&app, &other, "/api/v1/fuel-log", theirs).await, 404, "not_found").await;
    let theirs = json!({"task": "Tyres", "vehicle_id": van["id"]});
    assert_error(post(&app, &other, "/api/v1/maintenance", theirs).await, 404, "not_found").await;
    let path = format!("/api/v1/fuel-log/stats?vehicle_id={}", id(&van));
    assert_error(app.get(&path, &other.token).await, 404, "not_found").await;
    let own_fill = created(&app, &other, "/api/v1/fuel-log", json!({"volume": 10, "total": 20})).await;
    let path = format!("/api/v1/fuel-log/{}", id(&own_fill));
    assert_error(patch(&app, &other, &path, json!({"vehicle_id": van["id"]})).await, 404, "not_found").await;
    for list in ["/api/v1/vehicles", "/api/v1/maintenance", "/api/v1/places/favorites"] {
        assert_eq!(get_json(&app, &other, list).await["total"], 0, "{list}");
    }
    assert_eq!(get_json(&app, &other, "/api/v1/fuel-log").await["total"], 1);
}

async fn the_export_holds_every_vehicle_row_and_deletion_removes_them(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("exp1@example.com").await;
    let van = created(&app, &user, "/api/v1/vehicles", json!({"name": "Van"})).await;
    created(&app, &user, "/api/v1/fuel-log", json!({"volume": 50, "total": 95})).await;
    created(&app, &user, "/api/v1/maintenance", json!({"task": "Oil change", "cost": 80})).await;
    let spot = json!({"name": "Bright", "latitude": -36.73, "longitude": 146.96});
    created(&app, &user, "/api/v1/places/favorites", spot).await;
    let export = get_json(&app, &user, &format!("/api/v1/users/{}/export", user.id)).await;
    assert_eq!(export["vehicles"][0]["id"], van["id"]);
    assert_eq!(export["fuel_log"][0]["total"], 95.0);
    assert_eq!(export["maintenance"][0]["task"], "Oil change");
    assert_eq!(export["favorites"][0]["name"], "Bright");
    assert_eq!(delete(&app, &user, &format!("/api/v1/users/{}", user.id)).await.status(), 204);
    for table in ["vehicles", "fuel_log", "maintenance_records", "favorite_locations"] {
        let sql = format!("SELECT count(*) FROM {table} WHERE user_id = $1");
        let left: i64 = with_db!(app.db(), |pool| {
            sqlx::query_scalar(sqlx::AssertSqlSafe(sql.clone())).bind(user.id).fetch_one(pool).await
        })
        .unwrap();
        assert_eq!(left, 0, "{table} keeps rows of a deleted account");
    }
}
