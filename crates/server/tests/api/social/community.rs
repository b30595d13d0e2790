//! Groups and membership counts, community events (the host attends, past events are hidden and closed),
//! and the public user card (public to all, friends-only to friends, private to nobody else).

use reqwest::Method;
use serde_json::json;

use super::{expect, follow, ids, published, set_privacy};
use crate::helpers::{Backend, spawn_app};
use pam_testkit::on_both_databases;

on_both_databases!(
    groups_count_their_members_exactly,
    events_count_the_host_and_refuse_bad_input,
    the_public_card_shows_only_what_the_profile_allows,
);

async fn groups_count_their_members_exactly(backend: Backend) {
    let app = spawn_app(backend).await;
    let (ann, ben) = (app.register("ann@example.com").await, app.register("ben@example.com").await);
    let body = json!({"name": "Kimberley crossers", "group_type": "regional", "location": "Broome"});
    let group = expect(&app, &ann, Method::POST, "/api/v1/social/groups", Some(body), 201).await;
    assert_eq!((group["member_count"].as_i64(), group["is_member"].as_bool()), (Some(1), Some(true)));
    expect(&app, &ann, Method::POST, "/api/v1/social/groups", Some(json!({"name": "Tassie loop"})), 201).await;
    let path = format!("/api/v1/social/groups/{}/membership", group["id"].as_str().unwrap());
    let joined = expect(&app, &ben, Method::POST, &path, None, 200).await;
    assert_eq!((joined["member_count"].as_i64(), joined["is_member"].as_bool()), (Some(2), Some(true)));
    let again = expect(&app, &ben, Method::POST, &path, None, 200).await;
    assert_eq!(again["member_count"], 2, "joining twice is one membership");

    let found = expect(&app, &ben, Method::GET, "/api/v1/social/groups?q=kimberley", None, 200).await;
    assert_eq!(ids(&found, "groups"), [group["id"].as_str().unwrap()]);
    let mine = expect(&app, &ben, Method::GET, "/api/v1/social/groups?mine=true", None, 200).await;
    assert_eq!(mine["total"], 1, "{mine}");
    let all = expect(&app, &ben, Method::GET, "/api/v1/social/groups", None, 200).await;
    assert_eq!(all["total"], 2);

    expect(&app, &ben, Method::DELETE, &path, None, 204).await;
    let left = expect(&app, &ann, Method::GET, "/api/v1/social/groups?q=kimberley", None, 200).await;
    assert_eq!(left["groups"][0]["member_count"], 1);
    expect(&app, &ann, Method::POST, "/api/v1/social/groups", Some(json!({"name": "  "})), 422).await;
}

async fn events_count_the_host_and_refuse_bad_input(backend: Backend) {
    let app = spawn_app(backend).await;
    let (ann, ben) = (app.register("ann@example.com").await, app.register("ben@example.com").await);
    let day = (chrono::Utc::now() + chrono::Duration::days(30)).date_naive();
    let body = json!({"title": "Sunset drinks", "description": "BYO chair", "event_date": format!("{day}T17:30:00+10:00"),
        "location": "Lake Keepit", "latitude": -30.87, "longitude": 150.5});
    let event = expect(&app, &ann, Method::POST, "/api/v1/social/events", Some(body), 201).await;
    assert_eq!(event["event_date"], format!("{day}T07:30:00Z"), "stored and shown in UTC");
    assert_eq!((event["attendee_count"].as_i64(), event["max_attendees"].is_null()), (Some(1), true));
    let path = format!("/api/v1/social/events/{}/attend", event["id"].as_str().unwrap());
    let going = expect(&app, &ben, Method::POST, &path, None, 200).await;
    assert_eq!((going["attendee_count"].as_i64(), going["attending"].as_bool()), (Some(2), Some(true)));
    let again = expect(&app, &ben, Method::POST, &path, None, 200).await;
    assert_eq!(again["attendee_count"], 2, "attending twice is one place");
    let mine = expect(&app, &ben, Method::GET, "/api/v1/social/events?mine=true", None, 200).await;
    assert_eq!(mine["total"], 1);

    let ahead = super::days_ahead(7, "10:00:00", "Z");
    for (body, field) in [
        (json!({"title": "Past", "event_date": "2001-01-01T00:00:00Z", "location": "Hay"}), "event_date"),
        (json!({"title": "", "event_date": ahead, "location": "Hay"}), "title"),
        (json!({"title": "x", "event_date": ahead, "location": "Hay", "max_attendees": 0}), "max_attendees"),
        (json!({"title": "x", "event_date": ahead, "location": "Hay", "latitude": -30}), "longitude"),
        (json!({"title": "x", "event_date": "next friday", "location": "Hay"}), "event_date"),
    ] {
        let refused = expect(&app, &ann, Method::POST, "/api/v1/social/events", Some(body.clone()), 422).await;
        assert_eq!(refused["detail"][0]["loc"], json!(["body", field]), "{body} → {refused}");
    }
    let listed = expect(&app, &ben, Method::GET, "/api/v1/social/events", None, 200).await;
    assert_eq!(listed["total"], 1, "{listed}");
}

async fn the_public_card_shows_only_what_the_profile_allows(backend: Backend) {
    let app = spawn_app(backend).await;
    let (ann, ben) = (app.register("ann@example.com").await, app.register("ben@example.com").await);
    let profile = json!({"full_name": "Ann Smith", "nickname": "Nomad Ann", "interests": ["birding"],
        "current_latitude": -30.123456, "current_longitude": 150.654321});
    expect(&app, &ann, Method::PATCH, &format!("/api/v1/users/{}/profile", ann.id), Some(profile), 200).await;
    published(&app, &ann, "Hello all", "public").await;
    published(&app, &ann, "Followers only", "followers").await;
    let card = format!("/api/v1/social/users/{}", ann.id);

    // New profiles are friends-only.
    expect(&app, &ben, Method::GET, &card, None, 404).await;
    let own = expect(&app, &ann, Method::GET, &card, None, 200).await;
    assert_eq!(own["posts_count"], 2, "{own}");
    follow(&app, &ben, &ann).await;
    follow(&app, &ann, &ben).await;
    let seen = expect(&app, &ben, Method::GET, &card, None, 200).await;
    assert_eq!((seen["display_name"].as_str(), seen["interests"].clone()), (Some("Nomad Ann"), json!(["birding"])));
    assert_eq!(
        (seen["followers_count"].as_i64(), seen["is_following"].as_bool(), seen["follows_you"].as_bool()),
        (Some(1), Some(true), Some(true))
    );
    assert_eq!(seen["posts_count"], 2);
    let text = seen.to_string();
    assert!(!text.contains("ann@example.com") && !text.contains("30.123") && !text.contains("150.654"), "{text}");

    set_privacy(&app, &ann, json!({"profile_visibility": "public"})).await;
    expect(&app, &ben, Method::DELETE, &format!("/api/v1/social/follow/{}", ann.id), None, 204).await;
    let stranger_view = expect(&app, &ben, Method::GET, &card, None, 200).await;
    assert_eq!(stranger_view["posts_count"], 1, "followers-only posts are not counted for non-followers");
    set_privacy(&app, &ann, json!({"profile_visibility": "private"})).await;
    let hidden = expect(&app, &ben, Method::GET, &card, None, 404).await;
    assert_eq!(hidden["code"], "not_found");
    expect(&app, &ben, Method::GET, &format!("/api/v1/social/users/{}", uuid::Uuid::now_v7()), None, 404).await;
}
