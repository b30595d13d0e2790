//! Calendar events: local times read in the user's zone across daylight-saving changes, east and west
//! of UTC; all-day events; filters; refusals; and reminders scheduled, moved and cancelled in the push
//! outbox — on SQLite and Postgres.

mod reminders;
mod timers;
mod tools;

use chrono::{DateTime, NaiveDate, SecondsFormat, TimeZone, Utc};
use chrono_tz::America::Denver;
use chrono_tz::Australia::Sydney;
use chrono_tz::Tz;
use reqwest::{Method, Response};
use serde_json::{Value, json};
use sqlx::types::Json as SqlJson;

use crate::helpers::{Backend, TestApp, TestUser, assert_error, spawn_app};
use pam_store::with_db;
use pam_testkit::on_both_databases;

on_both_databases!(
    nine_oclock_the_day_after_each_clock_change_is_stored_at_the_right_instant_and_listed_at_nine,
    a_skipped_local_time_is_422_at_start_and_a_repeated_one_is_the_earlier_instant,
    the_same_wall_time_is_a_different_instant_east_and_west_of_utc,
    all_day_events_are_dates,
    filters_pick_days_types_and_leave_out_past_events,
    bad_event_input_is_422_at_its_field,
    another_users_event_is_not_found,
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

/// A user whose profile puts them in `zone`.
pub async fn resident(app: &TestApp, email: &str, zone: Tz) -> TestUser {
    let user = app.register(email).await;
    let path = format!("/api/v1/users/{}/profile", user.id);
    let res = patch(app, &user, &path, json!({"timezone": zone.name()})).await;
    assert_eq!(res.status(), 200);
    user
}

/// The instant a wall-clock time is in a zone, computed here independently of the server.
pub fn wall(tz: Tz, date: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    tz.from_local_datetime(&date.and_hms_opt(hour, minute, 0).unwrap()).earliest().unwrap().with_timezone(&Utc)
}

/// An instant as the API shows it in a zone: "2026-10-05T09:00:00+11:00".
pub fn shown(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz).to_rfc3339_opts(SecondsFormat::Secs, false)
}

pub fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// The event's start instant as stored.
async fn stored_start(app: &TestApp, event_id: &str) -> DateTime<Utc> {
    let id: uuid::Uuid = event_id.parse().unwrap();
    with_db!(app.db(), |pool| {
        sqlx::query_scalar("SELECT starts_at FROM calendar_events WHERE id = $1").bind(id).fetch_one(pool).await
    })
    .unwrap()
}

/// A push in the outbox, by its key: (status, kind, due_at, expires_at, frame).
pub type Push = (String, String, DateTime<Utc>, DateTime<Utc>, Value);

/// The push with this key; a reminder's key (`reminder:<event>:<minutes>`) matches its latest push,
/// whose key also names the instant it is for.
pub async fn push(app: &TestApp, key: &str) -> Option<Push> {
    type Row = (String, String, DateTime<Utc>, DateTime<Utc>, SqlJson<Value>);
    let pattern = if key.starts_with("reminder:") { format!("{key}:%") } else { key.to_string() };
    let row: Option<Row> = with_db!(app.db(), |pool| {
        sqlx::query_as(
            "SELECT status, kind, due_at, expires_at, frame FROM push_outbox WHERE dedupe_key LIKE $1 \
             ORDER BY created_at DESC LIMIT 1",
        )
        .bind(&pattern)
        .fetch_optional(pool)
        .await
    })
    .unwrap();
    row.map(|(status, kind, due, expires, frame)| (status, kind, due, expires, frame.0))
}

/// The events listed for one day (past ones included).
async fn listed_on(app: &TestApp, user: &TestUser, date: NaiveDate) -> Vec<Value> {
    let path = format!("/api/v1/calendar/events?start_date={date}&end_date={date}&include_past=true");
    get_json(app, user, &path).await["events"].as_array().unwrap().clone()
}

async fn nine_oclock_the_day_after_each_clock_change_is_stored_at_the_right_instant_and_listed_at_nine(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    // (zone, the day before a change, the day after it); 2026's changes are past, 2027's to come.
    let cases = [
        (Sydney, "2026-04-04", "2026-04-06"),
        (Sydney, "2026-10-03", "2026-10-05"),
        (Denver, "2026-03-07", "2026-03-09"),
        (Denver, "2026-10-31", "2026-11-02"),
        (Sydney, "2027-04-03", "2027-04-05"),
        (Denver, "2027-03-13", "2027-03-15"),
    ];
    for (n, (tz, before, after)) in cases.into_iter().enumerate() {
        let user = resident(&app, &format!("dst{n}@example.com"), tz).await;
        let (before, after) = (day(before), day(after));
        assert_ne!(
            shown(wall(tz, before, 9, 0), tz)[19..],
            shown(wall(tz, after, 9, 0), tz)[19..],
            "{tz} {after}: the case must straddle a change of offset"
        );
        for date in [before, after] {
            let e = created(
                &app,
                &user,
                "/api/v1/calendar/events",
                json!({"title": "Ranger talk", "start": format!("{date}T09:00")}),
            )
            .await;
            let expected = wall(tz, date, 9, 0);
            assert_eq!(stored_start(&app, id(&e)).await, expected, "{tz} {date}: stored instant");
            assert_eq!(e["start"], shown(expected, tz), "{tz} {date}: created");
            assert_eq!(e["end"], shown(wall(tz, date, 10, 0), tz), "an hour long by default");
            assert_eq!(e["timezone"], tz.name());
            let listed = listed_on(&app, &user, date).await;
            assert_eq!(listed.len(), 1, "{tz} {date}: {listed:?}");
            let start = listed[0]["start"].as_str().unwrap();
            assert!(start.starts_with(&format!("{date}T09:00:00")), "{tz} {date}: listed at {start}");
            assert_eq!(start, shown(expected, tz), "{tz} {date}: listed with the day's offset");
        }
    }
}

async fn a_skipped_local_time_is_422_at_start_and_a_repeated_one_is_the_earlier_instant(backend: Backend) {
    let app = spawn_app(backend).await;
    for (n, (tz, skipped)) in [(Sydney, "2026-10-04T02:30"), (Denver, "2026-03-08T02:30")].into_iter().enumerate() {
        let user = resident(&app, &format!("gap{n}@example.com"), tz).await;
        let res = post(&app, &user, "/api/v1/calendar/events", json!({"title": "Stargazing", "start": skipped})).await;
        let err = assert_error(res, 422, "validation_error").await;
        assert_eq!(err["detail"][0]["loc"], json!(["body", "start"]), "{tz}: {err}");
        assert!(err["detail"][0]["msg"].as_str().unwrap().contains("does not exist"), "{err}");
    }
    // Fall back: 02:30 comes twice in Sydney on 2026-04-05 (+11, then +10); 01:30 in Denver on 2026-11-01.
    for (n, (tz, repeated, earlier)) in
        [(Sydney, "2026-04-05T02:30", "2026-04-04T15:30:00Z"), (Denver, "2026-11-01T01:30", "2026-11-01T07:30:00Z")]
            .into_iter()
            .enumerate()
    {
        let user = resident(&app, &format!("twice{n}@example.com"), tz).await;
        let e =
            created(&app, &user, "/api/v1/calendar/events", json!({"title": "Night shift", "start": repeated})).await;
        let earlier: DateTime<Utc> = earlier.parse().unwrap();
        assert_eq!(stored_start(&app, id(&e)).await, earlier, "{tz}: the earlier of the two");
        assert_eq!(e["start"], shown(earlier, tz));
    }
}

async fn the_same_wall_time_is_a_different_instant_east_and_west_of_utc(backend: Backend) {
    let app = spawn_app(backend).await;
    let date = day("2027-01-15");
    let east = resident(&app, "east@example.com", Sydney).await;
    let west = resident(&app, "west@example.com", Denver).await;
    let body = json!({"title": "Call home", "start": "2027-01-15T18:00:00", "end": "2027-01-15T18:30"});
    let e = created(&app, &east, "/api/v1/calendar/events", body.clone()).await;
    let w = created(&app, &west, "/api/v1/calendar/events", body).await;
    assert_eq!(stored_start(&app, id(&e)).await, wall(Sydney, date, 18, 0));
    assert_eq!(stored_start(&app, id(&w)).await, wall(Denver, date, 18, 0));
    assert_eq!(e["start"], "2027-01-15T18:00:00+11:00");
    assert_eq!(w["start"], "2027-01-15T18:00:00-07:00");
    assert_eq!(w["end"], "2027-01-15T18:30:00-07:00");
    // An offset is taken as given, and shown in the user's zone.
    let given =
        created(&app, &west, "/api/v1/calendar/events", json!({"title": "Webinar", "start": "2027-01-15T09:00:00Z"}))
            .await;
    assert_eq!(given["start"], "2027-01-15T02:00:00-07:00");
    // Local times may be given in another zone: read there, kept with it, shown in the user's.
    let there = json!({"title": "Flight lands", "start": "2027-01-15T18:00", "timezone": "Australia/Sydney"});
    let there = created(&app, &west, "/api/v1/calendar/events", there).await;
    assert_eq!(there["timezone"], "Australia/Sydney");
    assert_eq!(there["start"], shown(wall(Sydney, date, 18, 0), Denver));
    // No zone in the profile: UTC.
    let nowhere = app.register("utc@example.com").await;
    let u =
        created(&app, &nowhere, "/api/v1/calendar/events", json!({"title": "Call", "start": "2027-01-15T18:00"})).await;
    assert_eq!(u["start"], "2027-01-15T18:00:00+00:00");
}

async fn all_day_events_are_dates(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = resident(&app, "allday@example.com", Sydney).await;
    let one =
        created(&app, &user, "/api/v1/calendar/events", json!({"title": "Rest day", "start": "2027-02-10"})).await;
    assert_eq!(
        (one["all_day"].clone(), one["start"].clone(), one["end"].clone()),
        (json!(true), json!("2027-02-10"), json!("2027-02-10"))
    );
    let body =
        json!({"title": "Uluru", "start": "2027-02-12", "end": "2027-02-14", "all_day": true, "event_type": "trip"});
    let trip = created(&app, &user, "/api/v1/calendar/events", body).await;
    assert_eq!(trip["end"], "2027-02-14");
    // all_day with a time keeps its day.
    let timed_day = json!({"title": "Market", "start": "2027-02-20T08:00", "all_day": true});
    assert_eq!(created(&app, &user, "/api/v1/calendar/events", timed_day).await["start"], "2027-02-20");
    // A multi-day event shows on each of its days, and not the day after.
    let on = |d: &'static str| {
        let (app, user) = (&app, &user);
        async move {
            listed_on(app, user, day(d))
                .await
                .iter()
                .map(|e| e["title"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(on("2027-02-13").await, vec!["Uluru"]);
    assert_eq!(on("2027-02-10").await, vec!["Rest day"]);
    assert!(on("2027-02-15").await.is_empty());
    // all_day: false with a bare date is a timed event without a time.
    let res =
        post(&app, &user, "/api/v1/calendar/events", json!({"title": "X", "start": "2027-02-10", "all_day": false}))
            .await;
    assert_error(res, 422, "validation_error").await;
    // Switched to timed by PATCH with a time; back to all-day by a date.
    let path = format!("/api/v1/calendar/events/{}", id(&one));
    let res = patch(&app, &user, &path, json!({"start": "2027-02-10T14:00"})).await;
    let timed: Value = res.json().await.unwrap();
    assert_eq!((timed["all_day"].clone(), timed["start"].clone()), (json!(false), json!("2027-02-10T14:00:00+11:00")));
    let back: Value = patch(&app, &user, &path, json!({"all_day": true})).await.json().await.unwrap();
    assert_eq!(
        (back["all_day"].clone(), back["start"].clone(), back["end"].clone()),
        (json!(true), json!("2027-02-10"), json!("2027-02-10"))
    );
}

async fn filters_pick_days_types_and_leave_out_past_events(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = resident(&app, "filters@example.com", Denver).await;
    let past =
        created(&app, &user, "/api/v1/calendar/events", json!({"title": "Old", "start": "2026-01-10T09:00"})).await;
    for (title, start, kind) in [
        ("Oil change", "2027-05-01T08:00", "maintenance"),
        ("Camp", "2027-05-02", "booking"),
        ("Drive", "2027-05-03T07:00", "trip"),
    ] {
        created(&app, &user, "/api/v1/calendar/events", json!({"title": title, "start": start, "event_type": kind}))
            .await;
    }
    let titles = |v: &Value| {
        v["events"].as_array().unwrap().iter().map(|e| e["title"].as_str().unwrap().to_string()).collect::<Vec<_>>()
    };
    let upcoming = get_json(&app, &user, "/api/v1/calendar/events").await;
    assert_eq!(
        titles(&upcoming),
        vec!["Oil change", "Camp", "Drive"],
        "past events are left out, the rest in start order"
    );
    assert_eq!(upcoming["total"], 3);
    let everything = get_json(&app, &user, "/api/v1/calendar/events?include_past=true").await;
    assert_eq!(titles(&everything)[0], "Old");
    assert_eq!(everything["events"][0]["id"], past["id"]);
    let days = get_json(&app, &user, "/api/v1/calendar/events?start_date=2027-05-02&end_date=2027-05-03").await;
    assert_eq!(titles(&days), vec!["Camp", "Drive"]);
    let wide = get_json(&app, &user, "/api/v1/calendar/events?start_date=0001-01-01&end_date=9999-12-31").await;
    assert_eq!(titles(&wide), vec!["Oil change", "Camp", "Drive"], "the widest days still match");
    let trips = get_json(&app, &user, "/api/v1/calendar/events?event_type=trip").await;
    assert_eq!(titles(&trips), vec!["Drive"]);
    let page = get_json(&app, &user, "/api/v1/calendar/events?limit=1&offset=1").await;
    assert_eq!(
        (titles(&page), page["total"].clone(), page["limit"].clone(), page["offset"].clone()),
        (vec!["Camp".to_string()], json!(3), json!(1), json!(1))
    );
    let beyond = get_json(&app, &user, "/api/v1/calendar/events?offset=10").await;
    assert_eq!(
        (titles(&beyond).len(), beyond["total"].clone()),
        (0, json!(3)),
        "an empty page still counts the matches"
    );
    for query in ["start_date=2027-05-03&end_date=2027-05-02", "event_type=party", "start_date=soon", "limit=0"] {
        let res = app.get(&format!("/api/v1/calendar/events?{query}"), &user.token).await;
        let err = assert_error(res, 422, "validation_error").await;
        assert_eq!(err["detail"][0]["loc"][0], "query", "{query}: {err}");
    }
}

async fn bad_event_input_is_422_at_its_field(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = resident(&app, "bad@example.com", Sydney).await;
    let cases = [
        (json!({"title": "A", "start": "2027-01-10T09:00", "end": "2027-01-10T08:59"}), "end"),
        (json!({"title": "A", "start": "2027-01-12", "end": "2027-01-11"}), "end"),
        (json!({"title": "A", "start": "2027-01-10T09:00", "event_type": "party"}), "event_type"),
        (json!({"title": "A"}), "start"),
        (json!({"title": "A", "start": "next tuesday"}), "start"),
        (json!({"title": "A", "start": "2227-01-10T09:00"}), "start"),
        (json!({"title": "   ", "start": "2027-01-10T09:00"}), "title"),
        (json!({"title": "A".repeat(201), "start": "2027-01-10T09:00"}), "title"),
        (json!({"title": "A", "start": "2027-01-10T09:00", "reminder_minutes": [40_321]}), "reminder_minutes"),
        (json!({"title": "A", "start": "2027-01-10T09:00", "reminder_minutes": [-5]}), "reminder_minutes"),
        (json!({"title": "A", "start": "2027-01-10T09:00", "timezone": "Mars/Olympus"}), "timezone"),
        (json!({"title": "A", "time": "25:00"}), "time"),
    ];
    for (body, field) in cases {
        let res = post(&app, &user, "/api/v1/calendar/events", body.clone()).await;
        let err = assert_error(res, 422, "validation_error").await;
        assert_eq!(err["detail"][0]["loc"], json!(["body", field]), "{body}: {err}");
    }
    let e = created(&app, &user, "/api/v1/calendar/events", json!({"title": "A", "start": "2027-01-10T09:00"})).await;
    let res =
        patch(&app, &user, &format!("/api/v1/calendar/events/{}", id(&e)), json!({"end": "2027-01-10T08:00"})).await;
    let err = assert_error(res, 422, "validation_error").await;
    assert_eq!(err["detail"][0]["loc"], json!(["body", "end"]));
    assert_eq!(get_json(&app, &user, "/api/v1/calendar/events").await["total"], 1, "refused input stored nothing");
}

async fn another_users_event_is_not_found(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = resident(&app, "owner@example.com", Sydney).await;
    let other = resident(&app, "other@example.com", Sydney).await;
    let body = json!({"title": "Dentist", "start": "2030-06-15T09:00", "reminder_minutes": [15]});
    let e = created(&app, &owner, "/api/v1/calendar/events", body).await;
    let path = format!("/api/v1/calendar/events/{}", id(&e));
    assert_error(app.get(&path, &other.token).await, 404, "not_found").await;
    assert_error(patch(&app, &other, &path, json!({"title": "Mine"})).await, 404, "not_found").await;
    assert_error(delete(&app, &other, &path).await, 404, "not_found").await;
    assert_eq!(get_json(&app, &other, "/api/v1/calendar/events").await["total"], 0);
    let (status, ..) = push(&app, &format!("reminder:{}:15", id(&e))).await.unwrap();
    assert_eq!(status, "scheduled", "another user's delete cancels nothing");
    assert_eq!(get_json(&app, &owner, &path).await["title"], "Dentist");
}

#[tokio::test]
async fn the_calendar_routes_and_shapes_are_documented() {
    let app = spawn_app(Backend::Sqlite).await;
    let doc: Value = app.get_anonymous("/openapi.json").await.json().await.unwrap();
    for (path, methods) in [
        ("/api/v1/calendar/events", &["get", "post"][..]),
        ("/api/v1/calendar/events/{id}", &["get", "patch", "delete"][..]),
        ("/api/v1/timers", &["get", "post"][..]),
        ("/api/v1/timers/{id}", &["get", "delete"][..]),
        ("/api/v1/timers/{id}/dismiss", &["post"][..]),
        ("/api/v1/pam/internal/dismiss-timer", &["post"][..]),
    ] {
        for m in methods {
            assert_eq!(doc["paths"][path][m]["tags"][0], "calendar", "{m} {path}");
        }
    }
    let event = &doc["components"]["schemas"]["CalendarEvent"]["properties"];
    for field in [
        "id",
        "title",
        "description",
        "start",
        "end",
        "all_day",
        "event_type",
        "location_name",
        "reminder_minutes",
        "timezone",
    ] {
        assert!(event.get(field).is_some(), "CalendarEvent.{field}: {event}");
    }
    let timer = &doc["components"]["schemas"]["Timer"]["properties"];
    for field in ["id", "kind", "label", "duration_seconds", "alarm_at", "fires_at", "status"] {
        assert!(timer.get(field).is_some(), "Timer.{field}: {timer}");
    }
}
