//! Event reminders in the push outbox: due at the start less each lead time, in the front end's
//! `timer_expired` shape, moved with the event, replaced when the lead times change, cancelled with the
//! event, and never scheduled in the past.

use chrono::{Duration, SecondsFormat, Utc};
use serde_json::json;

use super::{created, day, delete, id, patch, push, resident, wall};
use crate::helpers::{Backend, spawn_app};
use chrono_tz::Australia::Sydney;
use pam_testkit::on_both_databases;

on_both_databases!(reminders_follow_their_event_from_creation_to_deletion, reminders_already_past_are_not_scheduled);

async fn reminders_follow_their_event_from_creation_to_deletion(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = resident(&app, "remind@example.com", Sydney).await;
    let body = json!({"title": "Dentist", "start": "2030-06-15T09:00", "reminder_minutes": [15, 1440]});
    let e = created(&app, &user, "/api/v1/calendar/events", body).await;
    assert_eq!(e["reminder_minutes"], json!([1440, 15]));
    let event_id = id(&e).to_string();
    let key = |m: i64| format!("reminder:{event_id}:{m}");
    let start = wall(Sydney, day("2030-06-15"), 9, 0);
    for minutes in [15, 1440] {
        let (status, kind, due, expires, frame) = push(&app, &key(minutes)).await.expect("a reminder row");
        assert_eq!((status.as_str(), kind.as_str()), ("scheduled", "reminder"));
        assert_eq!(due, start - Duration::minutes(minutes), "{minutes} minutes before the start");
        assert_eq!(expires - due, Duration::hours(1), "valid for an hour");
        assert_eq!(frame["type"], "timer_expired");
        assert_eq!(frame["timer_type"], "reminder");
        assert_eq!(frame["timer_id"], event_id.as_str());
        assert_eq!(frame["label"], "Dentist at 09:00");
        let message = frame["message"].as_str().unwrap();
        assert!(message.contains("Dentist") && message.contains("09:00") && message.contains("15 June"), "{message}");
        assert_eq!(frame["action"], "show_notification");
        assert_eq!(frame["notification"]["requireInteraction"], true);
        assert_eq!(frame["notification"]["body"], frame["message"]);
        assert_eq!(frame["timestamp"], due.to_rfc3339_opts(SecondsFormat::Secs, true));
    }

    // Moved: every reminder moves with the start, and names the new time.
    let path = format!("/api/v1/calendar/events/{event_id}");
    let res = patch(&app, &user, &path, json!({"start": "2030-06-16T14:30"})).await;
    assert_eq!(res.status(), 200);
    let moved = wall(Sydney, day("2030-06-16"), 14, 30);
    for minutes in [15, 1440] {
        let (status, _, due, _, frame) = push(&app, &key(minutes)).await.unwrap();
        assert_eq!((status.as_str(), due), ("scheduled", moved - Duration::minutes(minutes)), "{minutes}");
        assert_eq!(frame["label"], "Dentist at 14:30");
    }

    // New lead times: the dropped ones are cancelled, the new one scheduled.
    let res = patch(&app, &user, &path, json!({"reminder_minutes": [30]})).await;
    assert_eq!(res.status(), 200);
    assert_eq!(push(&app, &key(15)).await.unwrap().0, "cancelled");
    assert_eq!(push(&app, &key(1440)).await.unwrap().0, "cancelled");
    let (status, _, due, ..) = push(&app, &key(30)).await.unwrap();
    assert_eq!((status.as_str(), due), ("scheduled", moved - Duration::minutes(30)));

    // A title change is a new message on the same reminder.
    patch(&app, &user, &path, json!({"title": "Dentist (Dr Lee)"})).await;
    assert_eq!(push(&app, &key(30)).await.unwrap().4["label"], "Dentist (Dr Lee) at 14:30");

    // Deleted: nothing of it is left to go out.
    assert_eq!(delete(&app, &user, &path).await.status(), 204);
    assert_eq!(push(&app, &key(30)).await.unwrap().0, "cancelled");
    assert_eq!(app.get(&path, &user.token).await.status(), 404);
}

async fn reminders_already_past_are_not_scheduled(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = resident(&app, "soon@example.com", Sydney).await;
    let start = Utc::now() + Duration::minutes(10);
    let body = json!({"title": "Ferry", "start": start.to_rfc3339(), "reminder_minutes": [60, 5]});
    let e = created(&app, &user, "/api/v1/calendar/events", body).await;
    assert!(push(&app, &format!("reminder:{}:60", id(&e))).await.is_none(), "an hour before is already past");
    let (status, ..) = push(&app, &format!("reminder:{}:5", id(&e))).await.expect("five minutes before is to come");
    assert_eq!(status, "scheduled");
    // An all-day event's reminder counts back from the start of its day in the user's zone.
    let trip = created(
        &app,
        &user,
        "/api/v1/calendar/events",
        json!({"title": "Ferry day", "start": "2030-07-01", "reminder_minutes": [120]}),
    )
    .await;
    let (_, _, due, ..) = push(&app, &format!("reminder:{}:120", id(&trip))).await.unwrap();
    assert_eq!(due, wall(Sydney, day("2030-06-30"), 22, 0));
}
