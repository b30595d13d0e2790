//! Maintenance records and the schedule, counted from the user's today.

use chrono::Duration;
use serde_json::{Value, json};

use super::{brisbane_today, created, delete, get_json, id, patch, post, traveller};
use crate::helpers::{Backend, assert_error, spawn_app};
use pam_testkit::on_both_databases;

on_both_databases!(
    maintenance_crud_with_readings_in_any_unit,
    bad_maintenance_input_is_422,
    the_schedule_sorts_services_into_buckets
);

fn day(offset: i64) -> String {
    (brisbane_today() + Duration::days(offset)).to_string()
}

async fn maintenance_crud_with_readings_in_any_unit(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = traveller(&app, "mnt1@example.com", "metric").await;
    let van = created(&app, &user, "/api/v1/vehicles", json!({"name": "Van"})).await;
    let oil = created(
        &app,
        &user,
        "/api/v1/maintenance",
        json!({"task": "Oil change", "date": day(-3), "mileage": 30000, "odometer_unit": "mi", "cost": 89.5,
               "notes": "Penrite 15W-40", "next_due_mileage": 33000}),
    )
    .await;
    assert_eq!(oil["vehicle_id"], van["id"], "the primary vehicle by default");
    assert_eq!(oil["mileage"], 48280.3, "shown in km to a metric user");
    assert_eq!(oil["next_due_mileage"], 53108.4);
    assert_eq!(oil["odometer_unit"], "km");
    assert_eq!((oil["cost"].as_f64(), oil["currency"].as_str()), (Some(89.5), Some("AUD")));
    let today = created(&app, &user, "/api/v1/maintenance", json!({"task": "Tyre rotation", "cost": 40})).await;
    assert_eq!(today["date"], brisbane_today().to_string(), "today in the user's zone");
    assert_eq!(today["cost"], 40.0);

    let list = get_json(&app, &user, "/api/v1/maintenance").await;
    assert_eq!((list["total"].as_i64(), list["total_amount"].as_f64()), (Some(2), Some(129.5)));
    assert_eq!(list["maintenance_records"][0]["id"], today["id"], "newest first");
    let older = get_json(&app, &user, &format!("/api/v1/maintenance?end_date={}", day(-1))).await;
    assert_eq!(older["total"], 1);
    assert_eq!(older["maintenance_records"][0]["id"], oil["id"]);

    let path = format!("/api/v1/maintenance/{}", id(&oil));
    let res: Value = patch(&app, &user, &path, json!({"cost": null, "task": "Oil and filter", "vehicle_id": null}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(res["cost"], Value::Null);
    assert_eq!(res["task"], "Oil and filter");
    assert_eq!(res["vehicle_id"], Value::Null);
    assert_eq!(res["mileage"], 48280.3, "untouched fields stay");
    assert_eq!(get_json(&app, &user, &path).await, res);
    assert_eq!(delete(&app, &user, &path).await.status(), 204);
    assert_error(app.get(&path, &user.token).await, 404, "not_found").await;
}

async fn bad_maintenance_input_is_422(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = traveller(&app, "mnt2@example.com", "metric").await;
    let cases = [
        (json!({"task": "Service", "date": day(1)}), "date"),
        (json!({"task": "  "}), "task"),
        (json!({"date": day(0)}), "task"),
        (json!({"task": "Belts", "mileage": 50000, "next_due_mileage": 40000}), "next_due_mileage"),
        (json!({"task": "Belts", "mileage": -10}), "mileage"),
        (json!({"task": "Belts", "cost": -1}), "cost"),
        (json!({"task": "Belts", "next_due_date": "2026-02-30"}), "next_due_date"),
    ];
    for (body, field) in cases {
        let err =
            assert_error(post(&app, &user, "/api/v1/maintenance", body.clone()).await, 422, "validation_error").await;
        assert_eq!(err["detail"][0]["loc"], json!(["body", field]), "{body} → {err}");
    }
    assert_eq!(get_json(&app, &user, "/api/v1/maintenance").await["total"], 0);
}

async fn the_schedule_sorts_services_into_buckets(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = traveller(&app, "mnt3@example.com", "metric").await;
    created(&app, &user, "/api/v1/vehicles", json!({"name": "Van"})).await;
    // The latest known reading comes from the fuel log.
    created(&app, &user, "/api/v1/fuel-log", json!({"volume": 60, "total": 120, "odometer": 50000, "date": day(-1)}))
        .await;
    let service = |task: &str, extra: Value| {
        let mut body = json!({"task": task});
        body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        body
    };
    for body in [
        service("Registration", json!({"date": day(-370), "next_due_date": day(-5)})),
        service("Gas certificate", json!({"date": day(-200), "next_due_date": day(10)})),
        service("Annual service", json!({"date": day(-20), "next_due_date": day(345)})),
        service("Tyres", json!({"date": day(-100), "mileage": 40000, "next_due_mileage": 50500})),
        service("Belts", json!({"date": day(-150), "mileage": 30000, "next_due_mileage": 49900})),
        // Done again since: the first record's due date no longer counts.
        service("Oil change", json!({"date": day(-200), "next_due_date": day(-30)})),
        service("oil change", json!({"date": day(-2), "next_due_date": day(178)})),
    ] {
        assert_eq!(post(&app, &user, "/api/v1/maintenance", body).await.status(), 201);
    }
    let s = get_json(&app, &user, "/api/v1/maintenance/schedule").await;
    let tasks = |bucket: &str| -> Vec<String> {
        s[bucket].as_array().unwrap().iter().map(|r| r["task"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(s["today"], brisbane_today().to_string());
    assert_eq!(tasks("overdue"), ["Registration", "Belts"], "{s}");
    assert_eq!(tasks("upcoming"), ["Gas certificate", "Tyres"], "{s}");
    assert_eq!(tasks("recent"), ["oil change", "Annual service"], "{s}");
    assert_eq!(s["overdue"][0]["days_until_due"], -5);
    assert_eq!(s["overdue"][1]["distance_until_due"], json!({"value": -100.0, "unit": "km"}));
    assert_eq!(s["overdue"][1]["current_odometer"], json!({"value": 50000.0, "unit": "km"}));
    assert_eq!(s["upcoming"][0]["days_until_due"], 10);
    assert_eq!(s["upcoming"][1]["distance_until_due"]["value"], 500.0);
    // An empty schedule for someone with no records.
    let other = traveller(&app, "mnt4@example.com", "metric").await;
    let empty = get_json(&app, &other, "/api/v1/maintenance/schedule").await;
    assert_eq!((empty["overdue"].as_array().unwrap().len(), empty["upcoming"].as_array().unwrap().len()), (0, 0));
}
