//! The fuel log: any two amounts give the third, the user's units, filters, the 422s, learned
//! consumption and the statistics.

use chrono::{Datelike, Duration};
use serde_json::{Value, json};

use super::{brisbane_today, created, delete, get_json, id, patch, post, traveller};
use crate::helpers::{Backend, assert_error, spawn_app};
use pam_testkit::on_both_databases;

on_both_databases!(
    fill_ups_work_out_the_third_amount_and_list_with_filters,
    fill_ups_show_in_gallons_and_miles_for_imperial_users,
    amounts_without_a_unit_are_read_in_the_users_units,
    bad_fill_ups_are_422_naming_the_fields,
    two_full_fills_teach_the_vehicle_its_consumption_and_stats_show_it,
);

fn days_ago(n: i64) -> String {
    (brisbane_today() - Duration::days(n)).to_string()
}

async fn fill_ups_work_out_the_third_amount_and_list_with_filters(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = traveller(&app, "fuel1@example.com", "metric").await;
    let van = created(&app, &user, "/api/v1/vehicles", json!({"name": "Van"})).await;
    let priced = created(
        &app,
        &user,
        "/api/v1/fuel-log",
        json!({"volume": 50, "price_per_unit": 1.899, "odometer": 10000, "date": days_ago(20), "station": "Dubbo Ampol"}),
    )
    .await;
    assert_eq!(priced["total"], 94.95);
    assert_eq!(priced["vehicle_id"], van["id"], "the primary vehicle by default");
    assert_eq!((priced["unit"].as_str(), priced["volume"].as_f64()), (Some("litres"), Some(50.0)));
    assert_eq!(priced["price_per_unit"], 1.899);
    assert_eq!(priced["filled_to_top"], true, "full unless said");
    assert_eq!(priced["currency"], "AUD");
    let totalled = created(
        &app,
        &user,
        "/api/v1/fuel-log",
        json!({"volume": 40, "total": 80, "filled_to_top": false, "date": days_ago(15)}),
    )
    .await;
    assert_eq!(totalled["price_per_unit"], 2.0);
    let today = created(&app, &user, "/api/v1/fuel-log", json!({"price_per_unit": 2, "total": 60})).await;
    assert_eq!(today["volume"], 30.0);
    assert_eq!(today["date"], brisbane_today().to_string(), "today in the user's zone");
    let gallons = created(
        &app,
        &user,
        "/api/v1/fuel-log",
        json!({"volume": 10, "volume_unit": "gallons", "price_per_unit": 4, "date": days_ago(10)}),
    )
    .await;
    assert_eq!(gallons["total"], 40.0);
    assert_eq!(gallons["volume"], 37.85, "shown in litres to a metric user");
    assert_eq!(gallons["price_per_unit"], 1.057, "per litre");

    let list = get_json(&app, &user, "/api/v1/fuel-log").await;
    assert_eq!(list["total"], 4);
    assert_eq!(list["total_amount"], 274.95);
    assert_eq!(list["fuel_entries"][0]["id"], today["id"], "newest first");
    let window = format!("/api/v1/fuel-log?start_date={}&end_date={}", days_ago(16), days_ago(12));
    let window = get_json(&app, &user, &window).await;
    assert_eq!((window["total"].as_i64(), window["total_amount"].as_f64()), (Some(1), Some(80.0)));
    assert_eq!(window["fuel_entries"][0]["id"], totalled["id"]);
    let paged = get_json(&app, &user, "/api/v1/fuel-log?limit=1&offset=1").await;
    assert_eq!(paged["fuel_entries"].as_array().unwrap().len(), 1);
    assert_eq!(paged["total"], 4, "the total counts every match");
    let past_end = get_json(&app, &user, "/api/v1/fuel-log?offset=10").await;
    assert_eq!((past_end["total"].as_i64(), past_end["total_amount"].as_f64()), (Some(4), Some(274.95)));

    // Changing one amount keeps the volume and works out the rest; the volume keeps the price.
    let path = format!("/api/v1/fuel-log/{}", id(&priced));
    let res: Value = patch(&app, &user, &path, json!({"total": 100})).await.json().await.unwrap();
    assert_eq!((res["volume"].as_f64(), res["price_per_unit"].as_f64()), (Some(50.0), Some(2.0)));
    let res: Value = patch(&app, &user, &path, json!({"volume": 25})).await.json().await.unwrap();
    assert_eq!((res["total"].as_f64(), res["price_per_unit"].as_f64()), (Some(50.0), Some(2.0)));
    let res: Value = patch(&app, &user, &path, json!({"station": null, "odometer": 10010})).await.json().await.unwrap();
    assert_eq!((res["total"].as_f64(), res["station"].clone()), (Some(50.0), Value::Null));
    assert_eq!(res["odometer"], 10010.0);
    assert_eq!(get_json(&app, &user, &path).await, res);
    assert_eq!(delete(&app, &user, &path).await.status(), 204);
    assert_error(app.get(&path, &user.token).await, 404, "not_found").await;
    assert_eq!(get_json(&app, &user, "/api/v1/fuel-log").await["total"], 3);
}

async fn fill_ups_show_in_gallons_and_miles_for_imperial_users(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = traveller(&app, "fuel2@example.com", "imperial").await;
    let fill = created(
        &app,
        &user,
        "/api/v1/fuel-log",
        json!({"volume": 10, "volume_unit": "gallons", "price_per_unit": 3.999, "odometer": 1000, "odometer_unit": "mi"}),
    )
    .await;
    assert_eq!(fill["unit"], "gallons");
    assert_eq!(fill["volume"], 10.0);
    assert_eq!(fill["price_per_unit"], 3.999, "per gallon, as the pump showed it");
    assert_eq!(fill["total"], 39.99);
    assert_eq!((fill["odometer"].as_f64(), fill["odometer_unit"].as_str()), (Some(1000.0), Some("mi")));
    assert!((fill["odometer_km"].as_f64().unwrap() - 1609.344).abs() < 1e-6, "stored in km");
    assert!((fill["volume_litres"].as_f64().unwrap() - 37.854).abs() < 1e-3, "stored in litres");
    assert_eq!(fill["vehicle_id"], Value::Null, "no vehicle yet");
}

async fn amounts_without_a_unit_are_read_in_the_users_units(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = traveller(&app, "fuel5@example.com", "imperial").await;
    // 15 US gallons at $3.59 a gallon, odometer in miles: nothing says so but the profile.
    let fill =
        created(&app, &user, "/api/v1/fuel-log", json!({"volume": 15, "price_per_unit": 3.59, "odometer": 1000})).await;
    let litres = fill["volume_litres"].as_f64().unwrap();
    assert!((litres - 56.78).abs() < 0.01, "15 gal is stored as 56.78 L: {fill}");
    assert_eq!((fill["volume"].as_f64(), fill["unit"].as_str()), (Some(15.0), Some("gallons")));
    assert_eq!((fill["price_per_unit"].as_f64(), fill["total"].as_f64()), (Some(3.59), Some(53.85)));
    assert!((fill["price_per_litre"].as_f64().unwrap() - 0.948).abs() < 0.001, "{fill}");
    assert!((fill["odometer_km"].as_f64().unwrap() - 1609.344).abs() < 1e-6, "1000 mi: {fill}");
    // A new price alone is per gallon too, and keeps the volume.
    let path = format!("/api/v1/fuel-log/{}", id(&fill));
    let changed: Value = patch(&app, &user, &path, json!({"price_per_unit": 4})).await.json().await.unwrap();
    assert_eq!((changed["volume"].as_f64(), changed["total"].as_f64()), (Some(15.0), Some(60.0)), "{changed}");
    // Units that are named win, under SPEC's name `unit` or the older `volume_unit`.
    let named = created(&app, &user, "/api/v1/fuel-log", json!({"volume": 40, "unit": "litres", "total": 80})).await;
    assert_eq!(named["volume_litres"], 40.0);
    assert_eq!((named["volume"].as_f64(), named["unit"].as_str()), (Some(10.57), Some("gallons")), "shown in gallons");
    let aliased =
        created(&app, &user, "/api/v1/fuel-log", json!({"volume": 40, "volume_unit": "litres", "total": 80})).await;
    assert_eq!(aliased["volume_litres"], 40.0);
    let both = json!({"volume": 40, "unit": "litres", "volume_unit": "gallons", "total": 80});
    assert_error(post(&app, &user, "/api/v1/fuel-log", both).await, 422, "validation_error").await;

    // Fuel use in mpg, readings in miles; `consumption_mpg` as SPEC names it.
    let van = created(&app, &user, "/api/v1/vehicles", json!({"name": "Van", "consumption": 10})).await;
    assert!((van["consumption_l_per_100km"].as_f64().unwrap() - 23.52).abs() < 0.01, "10 mpg: {van}");
    assert_eq!(van["consumption_display"], json!({"value": 10.0, "unit": "mpg"}));
    let van_path = format!("/api/v1/vehicles/{}", id(&van));
    let patched: Value = patch(&app, &user, &van_path, json!({"consumption": 20})).await.json().await.unwrap();
    assert!((patched["consumption_l_per_100km"].as_f64().unwrap() - 11.76).abs() < 0.01, "20 mpg: {patched}");
    let car = created(&app, &user, "/api/v1/vehicles", json!({"name": "Car", "consumption_mpg": 30})).await;
    assert!((car["consumption_l_per_100km"].as_f64().unwrap() - 7.84).abs() < 0.01, "{car}");
    let service = created(
        &app,
        &user,
        "/api/v1/maintenance",
        json!({"task": "Oil change", "mileage": 30000, "next_due_mileage": 33000}),
    )
    .await;
    assert_eq!((service["mileage"].as_f64(), service["odometer_unit"].as_str()), (Some(30000.0), Some("mi")));
    assert!((service["mileage_km"].as_f64().unwrap() - 48280.32).abs() < 1e-6, "30000 mi: {service}");
    let service_path = format!("/api/v1/maintenance/{}", id(&service));
    let moved: Value =
        patch(&app, &user, &service_path, json!({"next_due_mileage": 35000})).await.json().await.unwrap();
    assert!((moved["next_due_km"].as_f64().unwrap() - 56327.04).abs() < 1e-6, "{moved}");

    // The same numbers from a metric user are litres, km and L/100 km.
    let metric = traveller(&app, "fuel6@example.com", "metric").await;
    let fill =
        created(&app, &metric, "/api/v1/fuel-log", json!({"volume": 15, "price_per_unit": 3.59, "odometer": 1000}))
            .await;
    assert_eq!((fill["volume_litres"].as_f64(), fill["unit"].as_str()), (Some(15.0), Some("litres")));
    assert_eq!(fill["odometer_km"], 1000.0);
    let van = created(&app, &metric, "/api/v1/vehicles", json!({"name": "Van", "consumption": 10})).await;
    assert_eq!(van["consumption_l_per_100km"], 10.0);
}

async fn bad_fill_ups_are_422_naming_the_fields(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = traveller(&app, "fuel3@example.com", "metric").await;
    let tomorrow = (brisbane_today() + Duration::days(1)).to_string();
    let cases = [
        (json!({"volume": -5, "total": 10}), vec!["volume"]),
        (json!({"volume": 0, "price_per_unit": 1.9}), vec!["volume"]),
        (json!({"volume": 50, "price_per_unit": 1.899, "total": 90}), vec!["volume", "price_per_unit", "total"]),
        (json!({"total": 90}), vec!["volume", "price_per_unit"]),
        (json!({"volume": 50}), vec!["price_per_unit", "total"]),
        (json!({"volume": 50, "total": 90, "date": tomorrow}), vec!["date"]),
        (json!({"volume": 50, "total": 90, "odometer": -1}), vec!["odometer"]),
        (json!({"volume": 50, "total": 90.999}), vec!["total"]),
        (json!({"volume": 50, "total": 90, "volume_unit": "buckets"}), vec!["volume_unit"]),
        (json!({"volume": "lots", "total": 90}), vec!["volume"]),
    ];
    for (body, fields) in cases {
        let err =
            assert_error(post(&app, &user, "/api/v1/fuel-log", body.clone()).await, 422, "validation_error").await;
        let locs: Vec<Value> = fields.iter().map(|f| json!(["body", f])).collect();
        let got: Vec<Value> = err["detail"].as_array().unwrap().iter().map(|d| d["loc"].clone()).collect();
        assert_eq!(got, locs, "{body} → {err}");
    }
    let err = assert_error(
        post(&app, &user, "/api/v1/fuel-log", json!({"volume": 50, "price_per_unit": 1.899, "total": 90})).await,
        422,
        "validation_error",
    )
    .await;
    assert!(err["detail"][0]["msg"].as_str().unwrap().contains("94.95"), "says what the two make: {err}");
    assert_eq!(get_json(&app, &user, "/api/v1/fuel-log").await["total"], 0, "nothing stored");
    let fill = created(&app, &user, "/api/v1/fuel-log", json!({"volume": 50, "total": 90})).await;
    let path = format!("/api/v1/fuel-log/{}", id(&fill));
    let err = assert_error(patch(&app, &user, &path, json!({"date": tomorrow})).await, 422, "validation_error").await;
    assert_eq!(err["detail"][0]["loc"], json!(["body", "date"]));
    let err = assert_error(
        patch(&app, &user, &path, json!({"volume": 10, "price_per_unit": 2, "total": 50})).await,
        422,
        "validation_error",
    )
    .await;
    assert_eq!(err["detail"].as_array().unwrap().len(), 3);
    assert_eq!(get_json(&app, &user, &path).await["total"], 90.0, "unchanged");
}

async fn two_full_fills_teach_the_vehicle_its_consumption_and_stats_show_it(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = traveller(&app, "fuel4@example.com", "metric").await;
    let van = created(&app, &user, "/api/v1/vehicles", json!({"name": "Van", "consumption": 20})).await;
    let van_path = format!("/api/v1/vehicles/{}", id(&van));
    created(
        &app,
        &user,
        "/api/v1/fuel-log",
        json!({"volume": 70, "total": 140, "odometer": 10000, "date": days_ago(10)}),
    )
    .await;
    created(
        &app,
        &user,
        "/api/v1/fuel-log",
        json!({"volume": 20, "total": 40, "filled_to_top": false, "date": days_ago(8)}),
    )
    .await;
    assert_eq!(
        get_json(&app, &user, &van_path).await["learned_l_per_100km"],
        Value::Null,
        "one full fill measures nothing"
    );
    let second_full = created(
        &app,
        &user,
        "/api/v1/fuel-log",
        json!({"volume": 100, "total": 200, "odometer": 10800, "date": days_ago(5)}),
    )
    .await;
    // The partial fill's 20 L and the full fill's 100 L took the van 800 km.
    let learned = get_json(&app, &user, &van_path).await;
    assert_eq!(learned["learned_l_per_100km"], 15.0);
    assert_eq!(learned["learned_consumption_display"], json!({"value": 15.0, "unit": "L/100km"}));
    assert_eq!(learned["consumption_l_per_100km"], 20.0, "the stated figure stays as stated");

    // A fill from last year: counted for all time, not for this year; its stretch (70 L over 5000 km) is
    // implausible and left out.
    let last_year = chrono::NaiveDate::from_ymd_opt(brisbane_today().year() - 1, 6, 1).unwrap();
    created(&app, &user, "/api/v1/fuel-log", json!({"volume": 50, "total": 100, "odometer": 5000, "date": last_year}))
        .await;
    assert_eq!(get_json(&app, &user, &van_path).await["learned_l_per_100km"], 15.0);
    let all = get_json(&app, &user, "/api/v1/fuel-log/stats?period=all").await;
    assert_eq!((all["fill_count"].as_i64(), all["spend"].as_f64()), (Some(4), Some(480.0)));
    assert_eq!(all["volume"], json!({"value": 240.0, "unit": "L"}));
    assert_eq!(all["average_price"], json!({"value": 2.0, "per": "L"}));
    assert_eq!(all["consumption"], json!({"value": 15.0, "unit": "L/100km"}));
    assert_eq!(all["measured_distance"], json!({"value": 800.0, "unit": "km"}));
    assert_eq!(all["stretches"].as_array().unwrap().len(), 1);
    assert_eq!(all["start_date"], Value::Null);
    let year = get_json(&app, &user, "/api/v1/fuel-log/stats?period=year").await;
    let today = brisbane_today();
    let expected = [10, 8, 5].iter().filter(|d| (today - Duration::days(**d)).year() == today.year()).count();
    assert_eq!(year["fill_count"], expected as i64, "{year}");
    assert_eq!(year["start_date"], format!("{}-01-01", brisbane_today().year()));
    let res = app.get("/api/v1/fuel-log/stats?period=fortnight", &user.token).await;
    assert_error(res, 422, "validation_error").await;

    // In miles per gallon for someone who thinks that way: 235.2/15 = 15.7.
    patch(&app, &user, &format!("/api/v1/users/{}/profile", user.id), json!({"preferred_units": "imperial"})).await;
    let imperial = get_json(&app, &user, "/api/v1/fuel-log/stats?period=all").await;
    assert_eq!(imperial["consumption"], json!({"value": 15.7, "unit": "mpg"}));
    assert_eq!(imperial["average_price"]["per"], "gal");
    let by_vehicle = get_json(&app, &user, &format!("/api/v1/fuel-log/stats?period=all&vehicle_id={}", id(&van))).await;
    assert_eq!(by_vehicle["fill_count"], 4);

    // Without the second full fill there is nothing to learn from.
    assert_eq!(delete(&app, &user, &format!("/api/v1/fuel-log/{}", id(&second_full))).await.status(), 204);
    assert_eq!(get_json(&app, &user, &van_path).await["learned_l_per_100km"], Value::Null);
}
