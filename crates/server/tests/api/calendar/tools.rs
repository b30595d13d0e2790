//! The calendar tools through `POST /api/v1/pam/tools/execute/{tool}`: the same services as the routes,
//! `reload_calendar` on every change, the confirmation before a deletion, and the offline brain's own
//! arguments accepted as they come.

use chrono::{DateTime, Utc};
use chrono_tz::Australia::Sydney;
use pam_nlu::{Action, understand};
use reqwest::Method;
use serde_json::{Value, json};

use super::{day, id, post, push, resident, shown, wall};
use crate::helpers::{Backend, TestApp, TestUser, assert_error, spawn_app};
use pam_testkit::on_both_databases;

on_both_databases!(calendar_tools_act_through_the_same_services, the_offline_brains_calendar_requests_run);

async fn run(app: &TestApp, user: &TestUser, tool: &str, args: Value) -> Value {
    let res = post(app, user, &format!("/api/v1/pam/tools/execute/{tool}"), args.clone()).await;
    assert_eq!(res.status(), 200, "{tool} {args}");
    res.json().await.unwrap()
}

/// Runs a tool that must succeed and ask the front end to reload the calendar; returns its data.
async fn changed(app: &TestApp, user: &TestUser, tool: &str, args: Value) -> Value {
    let body = run(app, user, tool, args).await;
    assert_eq!(body["success"], true, "{tool}: {body}");
    assert_eq!(body["ui_actions"][0]["type"], "reload_calendar", "{tool}: {body}");
    assert_eq!(body["ui_actions"][0]["entity_id"], body["data"]["id"], "{tool}: {body}");
    body["data"].clone()
}

fn titles(data: &Value) -> Vec<String> {
    data["events"].as_array().unwrap().iter().map(|e| e["title"].as_str().unwrap().to_string()).collect()
}

async fn calendar_tools_act_through_the_same_services(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = resident(&app, "tools@example.com", Sydney).await;
    let args = json!({"title": "Dentist", "start": "2027-02-10T10:00:00", "reminder_minutes": [30]});
    let dentist = changed(&app, &user, "create_calendar_event", args).await;
    assert_eq!(dentist["start"], "2027-02-10T10:00:00+11:00");
    let rest =
        changed(&app, &user, "create_calendar_event", json!({"title": "Rest", "start": "2027-02-11", "all_day": true}))
            .await;
    assert_eq!((rest["all_day"].clone(), rest["start"].clone()), (json!(true), json!("2027-02-11")));
    // A time with no day: the next time 10:00 comes round in the user's zone.
    let call = changed(&app, &user, "create_calendar_event", json!({"title": "Call Mum", "time": "10:00"})).await;
    let today = Utc::now().with_timezone(&Sydney).date_naive();
    let ten_today = wall(Sydney, today, 10, 0);
    let next_ten = if ten_today > Utc::now() { ten_today } else { wall(Sydney, today.succ_opt().unwrap(), 10, 0) };
    assert_eq!(call["start"], shown(next_ten, Sydney));

    let on_day = run(&app, &user, "get_calendar_events", json!({"date": "2027-02-10"})).await;
    assert_eq!(
        (titles(&on_day["data"]), on_day["data"]["start_date"].clone()),
        (vec!["Dentist".to_string()], json!("2027-02-10"))
    );
    let today_list = run(&app, &user, "get_calendar_events", json!({"period": "today"})).await;
    let expected: Vec<String> = if next_ten == ten_today { vec!["Call Mum".into()] } else { vec![] };
    assert_eq!(titles(&today_list["data"]), expected);
    let coming = run(&app, &user, "get_calendar_events", json!({})).await;
    assert_eq!(titles(&coming["data"]), vec!["Call Mum", "Dentist", "Rest"], "everything to come, in order");

    // Moved by the tool: same length, reminder moved with it.
    let args = json!({"event_id": dentist["id"], "start": "2027-02-12T15:00:00"});
    let moved = changed(&app, &user, "update_calendar_event", args).await;
    assert_eq!(
        (moved["start"].clone(), moved["end"].clone()),
        (json!("2027-02-12T15:00:00+11:00"), json!("2027-02-12T16:00:00+11:00"))
    );
    let (_, _, due, ..) = push(&app, &format!("reminder:{}:30", id(&dentist))).await.unwrap();
    assert_eq!(due, wall(Sydney, day("2027-02-12"), 14, 30));

    let timer = changed(&app, &user, "set_timer_or_alarm", json!({"duration_seconds": 300, "label": "Tea"})).await;
    assert_eq!((timer["kind"].clone(), timer["label"].clone()), (json!("timer"), json!("Tea")));
    assert_eq!(push(&app, &format!("timer:{}", id(&timer))).await.unwrap().0, "scheduled");
    let alarm = changed(&app, &user, "set_timer_or_alarm", json!({"time": "06:00", "date": "2027-02-13"})).await;
    assert_eq!(
        (alarm["kind"].clone(), alarm["fires_at"].clone()),
        (json!("alarm"), json!("2027-02-13T06:00:00+11:00"))
    );

    // Deleting asks first, naming the event and its local time; nothing is deleted until confirmed.
    let proposal = run(&app, &user, "delete_calendar_event", json!({"event_id": dentist["id"]})).await;
    assert_eq!((proposal["success"].clone(), proposal["confirmation_required"].clone()), (json!(false), json!(true)));
    assert_eq!(proposal["summary"], "Delete \"Dentist\" at 15:00 on Friday 12 February 2027?");
    let path = format!("/api/v1/calendar/events/{}", id(&dentist));
    assert_eq!(app.get(&path, &user.token).await.status(), 200, "nothing deleted before the yes");
    let confirm = format!("/api/v1/pam/tools/confirm/{}", proposal["confirmation_id"].as_str().unwrap());
    let done: Value = app.send_json(Method::POST, &confirm, Some(&user.token), &json!({})).await.json().await.unwrap();
    assert_eq!(
        (done["success"].clone(), done["ui_actions"][0]["type"].clone()),
        (json!(true), json!("reload_calendar"))
    );
    assert_eq!(app.get(&path, &user.token).await.status(), 404);
    assert_eq!(push(&app, &format!("reminder:{}:30", id(&dentist))).await.unwrap().0, "cancelled");

    // Refused arguments are the same 422 as the route's.
    let res = post(
        &app,
        &user,
        "/api/v1/pam/tools/execute/create_calendar_event",
        json!({"title": "X", "start": "2026-10-04T02:30:00"}),
    )
    .await;
    assert_error(res, 422, "validation_error").await;
    let res = post(&app, &user, "/api/v1/pam/tools/execute/set_timer_or_alarm", json!({"duration_seconds": 0})).await;
    assert_error(res, 422, "validation_error").await;
}

/// What the offline brain makes of a sentence today in Sydney: the tool and its arguments.
fn brain(text: &str) -> (&'static str, Value) {
    let today = Utc::now().with_timezone(&Sydney).date_naive();
    match understand(text, today).action {
        Action::Call { tool, arguments } => (tool, arguments),
        other => panic!("{text:?} was not a tool call: {other:?}"),
    }
}

async fn the_offline_brains_calendar_requests_run(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = resident(&app, "brain@example.com", Sydney).await;
    let tomorrow = Utc::now().with_timezone(&Sydney).date_naive().succ_opt().unwrap();
    let (tool, args) = brain("dentist tomorrow at 10am");
    assert_eq!(tool, "create_calendar_event");
    let e = changed(&app, &user, tool, args).await;
    assert_eq!(e["start"], shown(wall(Sydney, tomorrow, 10, 0), Sydney), "read in the user's zone");

    let (tool, args) = brain("put the rego inspection on the 10th of January");
    let e = changed(&app, &user, tool, args).await;
    assert_eq!(e["all_day"], true, "a day without a time is all-day: {e}");

    let (tool, args) = brain("set a timer for 10 minutes");
    assert_eq!(tool, "set_timer_or_alarm");
    let t = changed(&app, &user, tool, args).await;
    assert_eq!((t["kind"].clone(), t["duration_seconds"].clone()), (json!("timer"), json!(600)));

    let (tool, args) = brain("wake me at 5:30");
    let a = changed(&app, &user, tool, args).await;
    let fires: DateTime<Utc> = DateTime::parse_from_rfc3339(a["fires_at"].as_str().unwrap()).unwrap().into();
    assert_eq!(fires.with_timezone(&Sydney).format("%H:%M").to_string(), "05:30", "{a}");
    assert!(fires > Utc::now());

    let (tool, args) = brain("what's on this week");
    assert_eq!(tool, "get_calendar_events");
    let body = run(&app, &user, tool, args).await;
    assert_eq!(body["success"], true, "{body}");
    assert!(body["data"]["events"].is_array());
}
