//! Rules between a body's fields (one or the other, not both, both or neither) as the document states
//! them: each body is checked against the operation's schema as served, and what the schema allows is
//! taken while what it refuses is 422 at the field the server names. `null` is read as left out wherever
//! the server reads it so, and the document says the same.

use reqwest::Method;
use serde_json::{Value, json};

use super::{openapi, refused_at};
use crate::helpers::{Backend, TestApp, TestUser, spawn_app};
use pam_testkit::on_both_databases;

on_both_databases!(
    a_vehicle_is_named_and_gives_its_fuel_use_one_way,
    a_timer_or_an_alarm_and_a_date_only_with_a_clock_time,
    an_event_has_a_start_or_a_time,
    chat_reads_message_or_else_content,
    feedback_rates_or_thumbs,
    coordinates_come_in_pairs_and_a_share_ends_one_way,
    a_fill_up_gives_two_of_its_amounts,
);

/// What the body must be, as the document says: its schema with the document's components beside it,
/// so its `$ref`s resolve.
pub(super) fn body_schema(doc: &Value, method: &str, path: &str) -> jsonschema::Validator {
    let mut schema = doc["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"].clone();
    assert!(schema.is_object(), "{method} {path} takes no JSON body");
    schema["components"] = doc["components"].clone();
    jsonschema::validator_for(&schema).expect("the body's schema compiles")
}

/// The rules stated on a component schema (under `allOf` when there are several).
pub(super) fn rules<'a>(doc: &'a Value, name: &str) -> Vec<&'a Value> {
    let schema = &doc["components"]["schemas"][name];
    match schema["allOf"].as_array() {
        Some(all) => all.iter().collect(),
        None => ["anyOf", "not", "if"].iter().filter(|k| schema.get(**k).is_some()).map(|_| schema).collect(),
    }
}

/// What each alternative of the first `anyOf` among a body's stated rules requires.
fn alternatives<'a>(stated: &[&'a Value], what: &str) -> Vec<&'a Value> {
    let any_of = stated.iter().find_map(|r| r["anyOf"].as_array()).unwrap_or_else(|| panic!("{what}"));
    any_of.iter().map(|b| &b["required"]).collect()
}

/// Two days on: tomorrow or later in every zone, and well within the year.
fn two_days_on() -> String {
    (chrono::Utc::now() + chrono::Duration::days(2)).date_naive().to_string()
}

/// A body, and what becomes of it: `Ok(status)` when the document allows it, `Err(loc)` (after `body`)
/// when it refuses it.
pub(super) type Case = (Value, Result<u16, &'static [&'static str]>);

/// Each case both ways: the document's verdict is the one expected, and so is the server's answer.
pub(super) async fn holds(
    app: &TestApp,
    user: &TestUser,
    (method, path): (Method, &str),
    schema: &jsonschema::Validator,
    cases: Vec<Case>,
) {
    for (body, expected) in cases {
        assert_eq!(schema.is_valid(&body), expected.is_ok(), "the document's verdict on {body}");
        let res = app.send_json(method.clone(), path, Some(&user.token), &body).await;
        match expected {
            Ok(status) => assert_eq!(res.status(), status, "{method} {path} {body}"),
            Err(field) => refused_at(res, &[&["body"], field].concat()).await,
        }
    }
}

async fn a_vehicle_is_named_and_gives_its_fuel_use_one_way(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("rule-vehicles@example.com").await;
    let doc = openapi(&app).await;
    let stated = rules(&doc, "NewVehicle");
    let named = stated.iter().find_map(|r| r["anyOf"].as_array()).expect("a name or what makes one");
    let fields: Vec<&Value> = named.iter().flat_map(|b| b["required"].as_array().unwrap()).collect();
    assert_eq!(fields, [&json!("name"), &json!("make"), &json!("model"), &json!("year")]);
    assert!(stated.iter().any(|r| r["not"]["anyOf"].as_array().is_some_and(|pairs| pairs.len() == 3)));

    let schema = body_schema(&doc, "post", "/api/v1/vehicles");
    let van = |extra: Value| {
        let mut body = json!({"name": "Van"});
        body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        body
    };
    let name: &[&str] = &["name"];
    let cases: Vec<Case> = vec![
        (json!({}), Err(name)),
        (json!({"name": "   "}), Err(name)),
        (json!({"name": null, "make": null, "year": null}), Err(name)),
        (json!({"name": " ", "make": "Jayco"}), Ok(201)),
        (json!({"year": 2019}), Ok(201)),
        (json!({"model": "Conquest"}), Ok(201)),
        (van(json!({"consumption_l_per_100km": 14, "consumption_mpg": 20})), Err(&["consumption_mpg"])),
        (van(json!({"consumption": 14, "consumption_l_per_100km": 14})), Err(&["consumption_l_per_100km"])),
        (van(json!({"consumption": 14, "consumption_mpg": null})), Ok(201)),
        // Within its unit's range (3–60 L/100km, 3.93–78.4 mpg): when the unit is left out it is the
        // user's, and the document states the range that holds in both.
        (van(json!({"consumption": 60, "consumption_unit": "L/100km"})), Ok(201)),
        (van(json!({"consumption": 61, "consumption_unit": "mpg"})), Ok(201)),
        (van(json!({"consumption": 78.5, "consumption_unit": "mpg"})), Err(&["consumption"])),
        (van(json!({"consumption": 2.9, "consumption_unit": "L/100km"})), Err(&["consumption"])),
        // With its unit named, the unit's own range is the document's too.
        (van(json!({"consumption": 3.9, "consumption_unit": "mpg"})), Err(&["consumption"])),
        (van(json!({"consumption": 60.5, "consumption_unit": "L/100km"})), Err(&["consumption"])),
        (van(json!({"consumption": null, "consumption_unit": "mpg"})), Ok(201)),
        // The document's bounds are the rule to the last digit.
        (van(json!({"consumption_mpg": 3.9299999999999997})), Err(&["consumption_mpg"])),
        (van(json!({"consumption_mpg": 3.93})), Ok(201)),
        (van(json!({"consumption_mpg": 78.4})), Ok(201)),
        (van(json!({"consumption_mpg": 78.40000000000002})), Err(&["consumption_mpg"])),
    ];
    holds(&app, &user, (Method::POST, "/api/v1/vehicles"), &schema, cases).await;

    // An update: `null` clears a figure, so it counts as giving that form.
    let created = app.send_json(Method::POST, "/api/v1/vehicles", Some(&user.token), &json!({"name": "Bus"})).await;
    let path = format!("/api/v1/vehicles/{}", created.json::<Value>().await.unwrap()["id"].as_str().unwrap());
    let schema = body_schema(&doc, "patch", "/api/v1/vehicles/{id}");
    let cases: Vec<Case> = vec![
        (json!({"consumption": 14, "consumption_mpg": null}), Err(&["consumption_mpg"])),
        (json!({"consumption_mpg": null}), Ok(200)),
        (json!({"consumption": 14}), Ok(200)),
    ];
    holds(&app, &user, (Method::PATCH, &path), &schema, cases).await;
}

async fn a_timer_or_an_alarm_and_a_date_only_with_a_clock_time(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("rule-timers@example.com").await;
    let doc = openapi(&app).await;
    let stated = rules(&doc, "NewTimer");
    assert_eq!(
        alternatives(&stated, "a timer or an alarm"),
        [&json!(["duration_seconds"]), &json!(["alarm_at"]), &json!(["alarm_at", "date"])]
    );
    assert_eq!(stated.iter().find_map(|r| r["not"]["required"].as_array()).unwrap(), &["duration_seconds", "alarm_at"]);

    let schema = body_schema(&doc, "post", "/api/v1/timers");
    let day = two_days_on();
    let cases: Vec<Case> = vec![
        (json!({}), Err(&["duration_seconds"])),
        (json!({"duration_seconds": null, "alarm_at": null}), Err(&["duration_seconds"])),
        (json!({"duration_seconds": 60, "alarm_at": "06:00"}), Err(&["alarm_at"])),
        (json!({"duration_seconds": null, "alarm_at": "06:00"}), Ok(201)),
        (json!({"duration_seconds": 60, "alarm_at": null}), Ok(201)),
        (json!({"duration_seconds": 60, "date": day}), Err(&["date"])),
        (json!({"alarm_at": format!("{day}T06:00"), "date": day}), Err(&["date"])),
        (json!({"alarm_at": " 6:30 ", "date": day}), Ok(201)),
        (json!({"alarm_at": "06:00", "date": null}), Ok(201)),
        (json!({"alarm_at": format!("{day}T06:00")}), Ok(201)),
        (json!({"alarm_at": day}), Err(&["alarm_at"])),
        (json!({"alarm_at": "at six"}), Err(&["alarm_at"])),
    ];
    holds(&app, &user, (Method::POST, "/api/v1/timers"), &schema, cases).await;
}

async fn an_event_has_a_start_or_a_time(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("rule-events@example.com").await;
    let doc = openapi(&app).await;
    let stated = rules(&doc, "NewCalendarEvent");
    assert_eq!(alternatives(&stated, "a start or a time"), [&json!(["start"]), &json!(["time"])]);

    let schema = body_schema(&doc, "post", "/api/v1/calendar/events");
    let day = two_days_on();
    let cases: Vec<Case> = vec![
        (json!({"title": "Dentist"}), Err(&["start"])),
        (json!({"title": "Dentist", "start": null, "time": null}), Err(&["start"])),
        (json!({"title": "Dentist", "time": "10:00"}), Ok(201)),
        (json!({"title": "Dentist", "start": format!("{day}T10:00")}), Ok(201)),
        (json!({"title": "Dentist", "start": day, "time": "10:00"}), Ok(201)),
        (json!({"title": "Dentist", "start": null, "time": "10:00"}), Ok(201)),
        // A timed event needs a time of day to start at, and an end with one.
        (json!({"title": "Dentist", "start": day, "all_day": false}), Err(&["start"])),
        (json!({"title": "Dentist", "start": day, "all_day": false, "time": "10:00"}), Ok(201)),
        (json!({"title": "Dentist", "start": format!("{day}T10:00"), "end": day}), Err(&["end"])),
        (json!({"title": "Dentist", "time": "10:00", "end": day}), Err(&["end"])),
        (json!({"title": "Dentist", "start": format!("{day}T10:00"), "end": day, "all_day": true}), Ok(201)),
        (json!({"title": "Dentist", "start": day, "end": day}), Ok(201)),
        (json!({"title": "Dentist", "start": format!("{day}T10:00"), "end": null}), Ok(201)),
        // A day on the calendar, its year as written.
        (json!({"title": "Dentist", "start": "2027-02-30T10:00"}), Err(&["start"])),
        (json!({"title": "Dentist", "start": "2028-02-29T10:00"}), Ok(201)),
        (json!({"title": "New Year", "start": "2100-12-31T23:30"}), Ok(201)),
    ];
    holds(&app, &user, (Method::POST, "/api/v1/calendar/events"), &schema, cases).await;
}

async fn chat_reads_message_or_else_content(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("rule-chat@example.com").await;
    let doc = openapi(&app).await;
    let read = doc["components"]["schemas"]["ChatRequest"]["anyOf"].as_array().expect("message or content");
    assert_eq!((&read[0]["required"], &read[1]["required"]), (&json!(["message"]), &json!(["content"])));
    assert_eq!(read[1]["properties"]["message"], json!({"type": "null"}), "content is read when message is not");

    for path in ["/api/v1/pam/chat", "/api/v1/pam-simple/chat"] {
        let schema = body_schema(&doc, "post", path);
        // The server names the text `message` whichever field it came in.
        let message: &[&str] = &["message"];
        let cases: Vec<Case> = vec![
            (json!({}), Err(message)),
            (json!({"message": null, "content": null}), Err(message)),
            (json!({"content": " \u{7} "}), Err(message)),
            (json!({"message": "  ", "content": "What is the time?"}), Err(message)),
            (json!({"content": "x".repeat(2001)}), Err(message)),
            (json!({"message": null, "content": "What is the time?"}), Ok(200)),
            (json!({"message": "What is the time?", "content": ""}), Ok(200)),
            (json!({"content": "x".repeat(2000)}), Ok(200)),
        ];
        holds(&app, &user, (Method::POST, path), &schema, cases).await;
    }
}

async fn feedback_rates_or_thumbs(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("rule-feedback@example.com").await;
    let doc = openapi(&app).await;
    let schema = body_schema(&doc, "post", "/api/v1/pam/feedback");
    let cases: Vec<Case> = vec![
        (json!({"message_id": "m1"}), Err(&["rating"])),
        (json!({"message_id": "m1", "rating": null, "thumbs_up": null}), Err(&["rating"])),
        (json!({"message_id": "m1", "rating": null, "thumbs_up": false}), Ok(201)),
        (json!({"message_id": "m1", "rating": 5}), Ok(201)),
    ];
    holds(&app, &user, (Method::POST, "/api/v1/pam/feedback"), &schema, cases).await;
}

async fn coordinates_come_in_pairs_and_a_share_ends_one_way(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("rule-pairs@example.com").await;
    app.make_admin(user.id).await;
    let doc = openapi(&app).await;
    let privacy = format!("/api/v1/users/{}/privacy", user.id);
    let res = app.send_json(Method::PATCH, &privacy, Some(&user.token), &json!({"location_sharing": true})).await;
    assert_eq!(res.status(), 200);

    let lat: &[&str] = &["latitude"];
    let lng: &[&str] = &["longitude"];
    let article = |at: Value| {
        let mut body = json!({"title": "Dump point", "content": "Behind the showground"});
        body.as_object_mut().unwrap().extend(at.as_object().unwrap().clone());
        body
    };
    let schema = body_schema(&doc, "post", "/api/v1/knowledge");
    let cases: Vec<Case> = vec![
        (article(json!({"latitude": -32.2})), Err(lng)),
        (article(json!({"latitude": null, "longitude": 148.6})), Err(lat)),
        (article(json!({"latitude": -32.2, "longitude": 148.6})), Ok(201)),
        (article(json!({"latitude": null, "longitude": null})), Ok(201)),
    ];
    holds(&app, &user, (Method::POST, "/api/v1/knowledge"), &schema, cases).await;

    let day = (chrono::Utc::now() + chrono::Duration::days(30)).date_naive();
    let event = |at: Value| {
        let mut body =
            json!({"title": "Sunset drinks", "event_date": format!("{day}T17:30:00+10:00"), "location": "Keepit"});
        body.as_object_mut().unwrap().extend(at.as_object().unwrap().clone());
        body
    };
    let schema = body_schema(&doc, "post", "/api/v1/social/events");
    let cases: Vec<Case> = vec![
        (event(json!({"longitude": 150.5})), Err(lat)),
        (event(json!({"latitude": -30.87, "longitude": null})), Err(lng)),
        (event(json!({"latitude": -30.87, "longitude": 150.5})), Ok(201)),
        (event(json!({})), Ok(201)),
    ];
    holds(&app, &user, (Method::POST, "/api/v1/social/events"), &schema, cases).await;

    let at = (chrono::Utc::now() + chrono::Duration::days(2)).to_rfc3339();
    let share = |until: Value| {
        let mut body = json!({"latitude": -31.08, "longitude": 150.93});
        body.as_object_mut().unwrap().extend(until.as_object().unwrap().clone());
        body
    };
    let schema = body_schema(&doc, "post", "/api/v1/social/shared-locations");
    let cases: Vec<Case> = vec![
        (share(json!({"expires_at": at, "expires_in_hours": 5})), Err(&["expires_in_hours"])),
        (share(json!({"expires_at": at, "expires_in_hours": null})), Ok(201)),
        (share(json!({"expires_at": null, "expires_in_hours": 5})), Ok(201)),
    ];
    holds(&app, &user, (Method::POST, "/api/v1/social/shared-locations"), &schema, cases).await;
}

async fn a_fill_up_gives_two_of_its_amounts(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("rule-fuel@example.com").await;
    let doc = openapi(&app).await;
    let pairs = doc["components"]["schemas"]["NewFuelEntry"]["anyOf"].as_array().expect("two of the three");
    assert_eq!(pairs.len(), 3);
    let schema = body_schema(&doc, "post", "/api/v1/fuel-log");
    let cases: Vec<Case> = vec![
        (json!({"volume": 50}), Err(&["price_per_unit"])),
        (json!({"volume": 50, "price_per_unit": null, "total": null}), Err(&["total"])),
        (json!({"total": 95.0, "volume": null}), Err(&["volume"])),
        (json!({"volume": 50, "price_per_unit": 1.899}), Ok(201)),
        (json!({"volume": 50, "price_per_unit": null, "total": 94.95}), Ok(201)),
        (json!({"price_per_unit": 1.899, "total": 94.95}), Ok(201)),
        // The volume and the price are bounded in the unit they are given in, as the document says.
        (json!({"volume": 2000, "unit": "gallons", "price_per_unit": 2}), Ok(201)),
        (json!({"volume": 2000.5, "unit": "gallons", "price_per_unit": 2}), Err(&["volume"])),
        (json!({"volume": 10, "unit": "gallons", "price_per_unit": 10000}), Ok(201)),
        (json!({"volume": 10, "unit": "litres", "price_per_unit": 10000.5}), Err(&["price_per_unit"])),
    ];
    holds(&app, &user, (Method::POST, "/api/v1/fuel-log"), &schema, cases).await;
}
