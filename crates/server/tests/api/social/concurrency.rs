//! Counts that hold under concurrency: twenty people liking at once, one person liking many times at
//! once, and twenty people racing for ten places at an event (the host holds one of them).

use futures::future::join_all;
use reqwest::Method;
use serde_json::json;

use super::{call, days_ahead, expect, id, published, roomy_app};
use crate::helpers::{Backend, TestApp, TestUser};
use pam_testkit::on_both_databases;

on_both_databases!(
    twenty_concurrent_likes_by_twenty_people_count_twenty,
    concurrent_repeated_likes_by_one_person_count_one,
    twenty_people_racing_for_ten_places_leave_exactly_ten_attending,
);

async fn crowd(app: &TestApp, n: usize) -> Vec<TestUser> {
    join_all((0..n).map(|i| async move { app.register(&format!("rver{i}@example.com")).await })).await
}

async fn twenty_concurrent_likes_by_twenty_people_count_twenty(backend: Backend) {
    let app = roomy_app(backend).await;
    let ann = app.register("ann@example.com").await;
    let post = published(&app, &ann, "Who else is at Lake Eyre?", "public").await;
    let path = format!("/api/v1/social/posts/{}/like", id(&post));
    let people = crowd(&app, 20).await;
    let statuses = join_all(people.iter().map(|u| call(&app, u, Method::POST, &path, None))).await;
    assert!(statuses.iter().all(|(s, _)| *s == 200), "{statuses:?}");
    let seen = expect(&app, &ann, Method::GET, &format!("/api/v1/social/posts/{}", id(&post)), None, 200).await;
    assert_eq!(seen["likes_count"], 20, "{seen}");
}

async fn concurrent_repeated_likes_by_one_person_count_one(backend: Backend) {
    let app = roomy_app(backend).await;
    let (ann, ben) = (app.register("ann@example.com").await, app.register("ben@example.com").await);
    let post = published(&app, &ann, "Like me once", "public").await;
    let path = format!("/api/v1/social/posts/{}/like", id(&post));
    let statuses = join_all((0..10).map(|_| call(&app, &ben, Method::POST, &path, None))).await;
    assert!(statuses.iter().all(|(s, body)| *s == 200 && body["likes_count"] == 1), "{statuses:?}");
    let seen = expect(&app, &ann, Method::GET, &format!("/api/v1/social/posts/{}", id(&post)), None, 200).await;
    assert_eq!(seen["likes_count"], 1, "{seen}");
}

async fn twenty_people_racing_for_ten_places_leave_exactly_ten_attending(backend: Backend) {
    let app = roomy_app(backend).await;
    let host = app.register("host@example.com").await;
    let body = json!({"title": "Convoy to Broome", "event_date": days_ahead(60, "08:00:00", "+08:00"), "location": "Port Hedland",
        "max_attendees": 11});
    let event = expect(&app, &host, Method::POST, "/api/v1/social/events", Some(body), 201).await;
    assert_eq!(
        (event["attendee_count"].as_i64(), event["attending"].as_bool()),
        (Some(1), Some(true)),
        "the host counts"
    );
    let path = format!("/api/v1/social/events/{}/attend", id(&event));
    let people = crowd(&app, 20).await;
    let results = join_all(people.iter().map(|u| call(&app, u, Method::POST, &path, None))).await;
    let accepted = results.iter().filter(|(s, _)| *s == 200).count();
    let full = results.iter().filter(|(s, body)| *s == 409 && body["detail"] == "This event is full").count();
    assert_eq!((accepted, full), (10, 10), "{results:?}");
    let listed = expect(&app, &host, Method::GET, "/api/v1/social/events", None, 200).await;
    assert_eq!(listed["events"][0]["attendee_count"], 11, "{listed}");
    // Someone leaving frees a place for the next.
    let (leaver, _) = people.iter().zip(&results).find(|(_, (s, _))| *s == 200).expect("someone got in");
    expect(&app, leaver, Method::DELETE, &path, None, 204).await;
    let (waiting, _) = people.iter().zip(&results).find(|(_, (s, _))| *s == 409).expect("someone was refused");
    let joined = expect(&app, waiting, Method::POST, &path, None, 200).await;
    assert_eq!(joined["attendee_count"], 11);
    expect(&app, &host, Method::DELETE, &path, None, 409).await;
}
