//! Timers and alarms: one push each in the front end's shape, alarms at the next local time, dismissal
//! and deletion cancelling the push, status read from the outbox, the front end's dismiss route, and
//! refusals.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use chrono_tz::America::Denver;
use chrono_tz::Australia::Sydney;
use chrono_tz::Tz;
use serde_json::{Value, json};
use uuid::Uuid;

use super::{created, delete, get_json, id, post, push, resident, shown, wall};
use crate::helpers::{Backend, TestApp, assert_error, spawn_app};
use pam_store::with_db;
use pam_testkit::on_both_databases;

on_both_databases!(
    a_timer_schedules_one_push_in_the_front_ends_shape,
    an_alarm_at_six_is_the_next_six_in_the_users_zone,
    dismissing_or_deleting_cancels_the_push,
    fired_and_missed_are_read_from_the_outbox,
    the_front_ends_dismiss_takes_the_id_in_the_body_or_the_query,
    another_users_timer_is_not_found,
    bad_timer_input_is_422_at_its_field,
);

fn key(timer: &Value) -> String {
    format!("timer:{}", id(timer))
}

fn instant(shown: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(shown.as_str().unwrap()).unwrap().with_timezone(&Utc)
}

async fn a_timer_schedules_one_push_in_the_front_ends_shape(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = resident(&app, "timer@example.com", Denver).await;
    let before = Utc::now();
    let t = created(&app, &user, "/api/v1/timers", json!({"duration_seconds": 600, "label": "Pasta"})).await;
    let fires_at = instant(&t["fires_at"]);
    assert!(fires_at >= before + Duration::seconds(599) && fires_at <= Utc::now() + Duration::seconds(601), "{t}");
    assert_eq!(t["fires_at"], shown(fires_at, Denver), "shown in the user's zone with its offset");
    assert_eq!(
        (t["kind"].clone(), t["status"].clone(), t["duration_seconds"].clone()),
        (json!("timer"), json!("scheduled"), json!(600))
    );
    assert_eq!(t["label"], "Pasta");
    assert!(t["alarm_at"].is_null());

    let (status, kind, due, expires, frame) = push(&app, &key(&t)).await.expect("its push");
    assert_eq!((status.as_str(), kind.as_str()), ("scheduled", "timer"));
    assert_eq!(due.timestamp(), fires_at.timestamp(), "due when it should ring");
    assert_eq!(expires - due, Duration::hours(1));
    let keys: BTreeSet<&str> = frame.as_object().unwrap().keys().map(String::as_str).collect();
    let expected: BTreeSet<&str> =
        ["type", "timer_id", "label", "timer_type", "message", "timestamp", "action", "notification"].into();
    assert_eq!(keys, expected, "{frame}");
    assert_eq!(frame["type"], "timer_expired");
    assert_eq!(frame["timer_id"], t["id"]);
    assert_eq!((frame["label"].clone(), frame["timer_type"].clone()), (json!("Pasta"), json!("timer")));
    assert_eq!(frame["message"], "Time's up: Pasta (10 minutes).");
    assert_eq!(frame["timestamp"], due.to_rfc3339_opts(SecondsFormat::Secs, true));
    assert_eq!(frame["action"], "show_notification");
    let n = &frame["notification"];
    let keys: BTreeSet<&str> = n.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["title", "body", "requireInteraction", "tag"].into());
    assert_eq!((n["body"].clone(), n["requireInteraction"].clone()), (frame["message"].clone(), json!(true)));

    let listed = get_json(&app, &user, "/api/v1/timers").await;
    assert_eq!((listed["total"].clone(), listed["timers"][0]["id"].clone()), (json!(1), t["id"].clone()));
}

/// When 06:00 next comes round in `tz`, worked out here.
fn next_six(tz: Tz) -> DateTime<Utc> {
    let today = Utc::now().with_timezone(&tz).date_naive();
    let six = wall(tz, today, 6, 0);
    if six > Utc::now() { six } else { wall(tz, today.succ_opt().unwrap(), 6, 0) }
}

async fn an_alarm_at_six_is_the_next_six_in_the_users_zone(backend: Backend) {
    let app = spawn_app(backend).await;
    for (n, tz) in [Sydney, Denver].into_iter().enumerate() {
        let user = resident(&app, &format!("alarm{n}@example.com"), tz).await;
        let a = created(&app, &user, "/api/v1/timers", json!({"alarm_at": "06:00", "label": "Wake up"})).await;
        assert_eq!((a["kind"].clone(), a["alarm_at"].clone()), (json!("alarm"), json!("06:00")));
        let expected = next_six(tz);
        assert_eq!(instant(&a["fires_at"]), expected, "{tz}");
        assert_eq!(a["fires_at"], shown(expected, tz));
        let (_, kind, due, _, frame) = push(&app, &key(&a)).await.unwrap();
        assert_eq!((kind.as_str(), due, frame["timer_type"].clone()), ("timer", expected, json!("alarm")));
        assert_eq!(frame["message"], "Wake up: it's 06:00.");
        // On a given day, and as an RFC 3339 time.
        let on_day = created(&app, &user, "/api/v1/timers", json!({"alarm_at": "06:00", "date": "2027-03-20"})).await;
        assert_eq!(instant(&on_day["fires_at"]), wall(tz, super::day("2027-03-20"), 6, 0));
        let exact = created(&app, &user, "/api/v1/timers", json!({"alarm_at": "2027-03-20T20:00:00Z"})).await;
        assert_eq!(instant(&exact["fires_at"]), "2027-03-20T20:00:00Z".parse::<DateTime<Utc>>().unwrap());
    }
}

async fn dismissing_or_deleting_cancels_the_push(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = resident(&app, "dismiss@example.com", Sydney).await;
    let t = created(&app, &user, "/api/v1/timers", json!({"duration_seconds": 300})).await;
    let res = post(&app, &user, &format!("/api/v1/timers/{}/dismiss", id(&t)), json!({})).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["status"], "dismissed");
    assert_eq!(push(&app, &key(&t)).await.unwrap().0, "cancelled", "a dismissed timer never fires");
    assert_eq!(get_json(&app, &user, &format!("/api/v1/timers/{}", id(&t))).await["status"], "dismissed");

    let d = created(&app, &user, "/api/v1/timers", json!({"duration_seconds": 300})).await;
    assert_eq!(delete(&app, &user, &format!("/api/v1/timers/{}", id(&d))).await.status(), 204);
    assert_eq!(push(&app, &key(&d)).await.unwrap().0, "cancelled");
    assert_eq!(get_json(&app, &user, &format!("/api/v1/timers/{}", id(&d))).await["status"], "cancelled");
    let res = post(&app, &user, &format!("/api/v1/timers/{}/dismiss", id(&d)), json!({})).await;
    assert_eq!(res.json::<Value>().await.unwrap()["status"], "cancelled", "a deleted timer stays deleted");
}

/// Puts a timer's time in the past and its push in `status`, as the delivery loop or the sweep would.
async fn push_became(app: &TestApp, timer: &Value, status: &str) {
    let id: Uuid = id(timer).parse().unwrap();
    let past = Utc::now() - Duration::minutes(5);
    with_db!(app.db(), |pool| {
        sqlx::query("UPDATE timers_and_alarms SET fires_at = $2 WHERE id = $1")
            .bind(id)
            .bind(past)
            .execute(pool)
            .await
            .map(|_| ())
    })
    .unwrap();
    with_db!(app.db(), |pool| {
        sqlx::query("UPDATE push_outbox SET status = $2, due_at = $3 WHERE dedupe_key = $1")
            .bind(format!("timer:{id}"))
            .bind(status)
            .bind(past)
            .execute(pool)
            .await
            .map(|_| ())
    })
    .unwrap();
}

async fn fired_and_missed_are_read_from_the_outbox(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = resident(&app, "fired@example.com", Sydney).await;
    let rang = created(&app, &user, "/api/v1/timers", json!({"duration_seconds": 60})).await;
    let missed = created(&app, &user, "/api/v1/timers", json!({"duration_seconds": 60})).await;
    let waiting = created(&app, &user, "/api/v1/timers", json!({"duration_seconds": 60})).await;
    push_became(&app, &rang, "delivered").await;
    push_became(&app, &missed, "missed").await;
    assert_eq!(get_json(&app, &user, &format!("/api/v1/timers/{}", id(&rang))).await["status"], "fired");
    assert_eq!(get_json(&app, &user, &format!("/api/v1/timers/{}", id(&missed))).await["status"], "missed");
    let listed = get_json(&app, &user, "/api/v1/timers").await;
    let status_of =
        |t: &Value| listed["timers"].as_array().unwrap().iter().find(|x| x["id"] == t["id"]).unwrap()["status"].clone();
    assert_eq!(
        (status_of(&rang), status_of(&missed), status_of(&waiting)),
        (json!("fired"), json!("missed"), json!("scheduled"))
    );
    // Once learned it is kept, even after the outbox forgets the push.
    with_db!(app.db(), |pool| sqlx::query("DELETE FROM push_outbox").execute(pool).await.map(|_| ())).unwrap();
    assert_eq!(get_json(&app, &user, &format!("/api/v1/timers/{}", id(&rang))).await["status"], "fired");
}

async fn the_front_ends_dismiss_takes_the_id_in_the_body_or_the_query(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = resident(&app, "front@example.com", Sydney).await;
    let other = resident(&app, "front2@example.com", Sydney).await;
    let by_body = created(&app, &user, "/api/v1/timers", json!({"duration_seconds": 120})).await;
    let by_query = created(&app, &user, "/api/v1/timers", json!({"duration_seconds": 120})).await;
    let res = post(&app, &user, "/api/v1/pam/internal/dismiss-timer", json!({"timer_id": by_body["id"]})).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(
        (body["success"].clone(), body["timer_id"].clone(), body["status"].clone()),
        (json!(true), by_body["id"].clone(), json!("dismissed"))
    );
    assert_eq!(push(&app, &key(&by_body)).await.unwrap().0, "cancelled");
    let path = format!("/api/v1/pam/internal/dismiss-timer?timer_id={}", id(&by_query));
    let res = app.send(reqwest::Method::POST, &path, Some(&user.token), |r| r).await;
    assert_eq!(res.status(), 200);
    assert_eq!(push(&app, &key(&by_query)).await.unwrap().0, "cancelled");
    assert_eq!(get_json(&app, &user, &format!("/api/v1/timers/{}", id(&by_query))).await["status"], "dismissed");

    let theirs = created(&app, &other, "/api/v1/timers", json!({"duration_seconds": 120})).await;
    let res = post(&app, &user, "/api/v1/pam/internal/dismiss-timer", json!({"timer_id": theirs["id"]})).await;
    assert_error(res, 404, "not_found").await;
    assert_eq!(push(&app, &key(&theirs)).await.unwrap().0, "scheduled", "someone else's timer still rings");
    let res = post(&app, &user, "/api/v1/pam/internal/dismiss-timer", json!({})).await;
    let err = assert_error(res, 422, "validation_error").await;
    assert_eq!(err["detail"][0]["loc"], json!(["body", "timer_id"]));
}

async fn another_users_timer_is_not_found(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = resident(&app, "towner@example.com", Denver).await;
    let other = resident(&app, "tother@example.com", Denver).await;
    let t = created(&app, &owner, "/api/v1/timers", json!({"duration_seconds": 900})).await;
    let path = format!("/api/v1/timers/{}", id(&t));
    assert_error(app.get(&path, &other.token).await, 404, "not_found").await;
    assert_error(delete(&app, &other, &path).await, 404, "not_found").await;
    assert_error(post(&app, &other, &format!("{path}/dismiss"), json!({})).await, 404, "not_found").await;
    assert_eq!(get_json(&app, &other, "/api/v1/timers").await["total"], 0);
    assert_eq!(push(&app, &key(&t)).await.unwrap().0, "scheduled");
    assert_eq!(get_json(&app, &owner, &path).await["status"], "scheduled");
}

async fn bad_timer_input_is_422_at_its_field(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = resident(&app, "tbad@example.com", Sydney).await;
    let cases = [
        (json!({"duration_seconds": 0}), "duration_seconds"),
        (json!({"duration_seconds": 604_801}), "duration_seconds"),
        (json!({}), "duration_seconds"),
        (json!({"alarm_at": "25:00"}), "alarm_at"),
        (json!({"alarm_at": "soon"}), "alarm_at"),
        (json!({"alarm_at": "06:00", "date": "2020-01-01"}), "alarm_at"),
        (json!({"alarm_at": "02:30", "date": "2027-10-03"}), "alarm_at"),
        (json!({"alarm_at": "06:00", "duration_seconds": 60}), "alarm_at"),
        (json!({"duration_seconds": 60, "label": "x".repeat(201)}), "label"),
        (json!({"duration_seconds": "ten"}), "duration_seconds"),
    ];
    for (body, field) in cases {
        let res = post(&app, &user, "/api/v1/timers", body.clone()).await;
        let err = assert_error(res, 422, "validation_error").await;
        assert_eq!(err["detail"][0]["loc"], json!(["body", field]), "{body}: {err}");
    }
    assert!(
        created(&app, &user, "/api/v1/timers", json!({"duration_seconds": 604_800})).await["id"].is_string(),
        "7 days is allowed"
    );
    assert_eq!(get_json(&app, &user, "/api/v1/timers").await["total"], 1, "refused input stored nothing");
}
