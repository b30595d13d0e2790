//! The access matrix: for every social route, Ben acting on Ann's resources gets exactly the status
//! SPEC §2/§4 says (another's hidden resource is 404, a refusal by settings 403), and nothing of Ann's
//! private data — hidden posts, drafts, messages to others, her email, her exact position — appears in
//! any response Ben gets.

use reqwest::Method;
use serde_json::{Value, json};

use super::{call, days_ahead, draft, expect, id, published, roomy_app, set_privacy};
use crate::helpers::{Backend, TestApp, TestUser};
use pam_testkit::on_both_databases;

on_both_databases!(another_users_social_resources_answer_exactly_what_the_spec_says_and_leak_nothing);

/// Ann's exact position, which must never reach anyone else.
const ANN_LAT: f64 = -33.868_820;
const ANN_LNG: f64 = 151.209_296;

/// What of Ann's is private: none of these may appear in any response to Ben.
const SECRETS: &[&str] =
    &["SECRET-PRIVATE-POST", "SECRET-DRAFT", "SECRET-FOLLOWERS", "SECRET-MESSAGE", "33.8688", "151.2092"];

struct Anns {
    public_post: String,
    private_post: String,
    draft_post: String,
    followers_post: String,
    comment: String,
    message_to_cat: String,
    group: String,
    event: String,
    shared_location: String,
}

async fn anns_world(app: &TestApp, ann: &TestUser, cat: &TestUser) -> Anns {
    set_privacy(app, ann, json!({"profile_visibility": "private", "allow_messages": "none", "location_sharing": true}))
        .await;
    set_privacy(app, cat, json!({"allow_messages": "everyone"})).await;
    let public_post = published(app, ann, "Sunrise over the Nullarbor", "public").await;
    let private_post = published(app, ann, "SECRET-PRIVATE-POST my alarm code", "private").await;
    let draft_post = draft(app, ann, "SECRET-DRAFT not ready", "public").await;
    let followers_post = published(app, ann, "SECRET-FOLLOWERS where we are", "followers").await;
    let comment_body = json!({"content": "Ann's own comment"});
    let comment_path = format!("/api/v1/social/posts/{}/comments", id(&public_post));
    let comment = expect(app, ann, Method::POST, &comment_path, Some(comment_body), 201).await;
    let message = json!({"recipient_id": cat.id, "message": "SECRET-MESSAGE meet at gate 4"});
    let message_to_cat = expect(app, ann, Method::POST, "/api/v1/social/messages", Some(message), 201).await;
    let group =
        expect(app, ann, Method::POST, "/api/v1/social/groups", Some(json!({"name": "Nullarbor crossers"})), 201).await;
    let event_body = json!({"title": "Camp oven night", "event_date": days_ahead(30, "18:00:00", "+10:00"),
        "location": "Lake Keepit", "max_attendees": 5});
    let event = expect(app, ann, Method::POST, "/api/v1/social/events", Some(event_body), 201).await;
    let shared_body = json!({"name": "Site 14", "latitude": ANN_LAT, "longitude": ANN_LNG, "is_public": true});
    let shared = expect(app, ann, Method::POST, "/api/v1/social/shared-locations", Some(shared_body), 201).await;
    Anns {
        public_post: id(&public_post),
        private_post: id(&private_post),
        draft_post: id(&draft_post),
        followers_post: id(&followers_post),
        comment: id(&comment),
        message_to_cat: id(&message_to_cat),
        group: id(&group),
        event: id(&event),
        shared_location: id(&shared),
    }
}

async fn another_users_social_resources_answer_exactly_what_the_spec_says_and_leak_nothing(backend: Backend) {
    let app = roomy_app(backend).await;
    let ann = app.register("ann.private@example.com").await;
    let ben = app.register("ben@example.com").await;
    let cat = app.register("cat@example.com").await;
    let a = anns_world(&app, &ann, &cat).await;
    let post = |id: &str| format!("/api/v1/social/posts/{id}");
    let nowhere = uuid::Uuid::now_v7().to_string();
    let comment = json!({"content": "nice"});

    let matrix: Vec<(&str, Method, String, Option<Value>, u16)> = vec![
        ("read a private post", Method::GET, post(&a.private_post), None, 404),
        ("read a draft", Method::GET, post(&a.draft_post), None, 404),
        ("read a followers post unfollowed", Method::GET, post(&a.followers_post), None, 404),
        ("read a public post", Method::GET, post(&a.public_post), None, 200),
        ("read no post", Method::GET, post(&nowhere), None, 404),
        ("edit a public post", Method::PATCH, post(&a.public_post), Some(json!({"content": "mine now"})), 404),
        ("edit a private post", Method::PATCH, post(&a.private_post), Some(json!({"content": "x"})), 404),
        ("delete a public post", Method::DELETE, post(&a.public_post), None, 404),
        ("delete a draft", Method::DELETE, post(&a.draft_post), None, 404),
        ("publish a draft", Method::POST, format!("{}/publish", post(&a.draft_post)), None, 404),
        ("like a private post", Method::POST, format!("{}/like", post(&a.private_post)), None, 404),
        ("like a draft", Method::POST, format!("{}/like", post(&a.draft_post)), None, 404),
        ("like a followers post", Method::POST, format!("{}/like", post(&a.followers_post)), None, 404),
        ("unlike a private post", Method::DELETE, format!("{}/like", post(&a.private_post)), None, 404),
        ("like a public post", Method::POST, format!("{}/like", post(&a.public_post)), None, 200),
        (
            "comment on a private post",
            Method::POST,
            format!("{}/comments", post(&a.private_post)),
            Some(comment.clone()),
            404,
        ),
        ("comment on a draft", Method::POST, format!("{}/comments", post(&a.draft_post)), Some(comment.clone()), 404),
        ("read a private post's comments", Method::GET, format!("{}/comments", post(&a.private_post)), None, 404),
        (
            "comment on a public post",
            Method::POST,
            format!("{}/comments", post(&a.public_post)),
            Some(comment.clone()),
            201,
        ),
        ("read a public post's comments", Method::GET, format!("{}/comments", post(&a.public_post)), None, 200),
        (
            "edit her comment",
            Method::PATCH,
            format!("/api/v1/social/comments/{}", a.comment),
            Some(comment.clone()),
            404,
        ),
        ("delete her comment", Method::DELETE, format!("/api/v1/social/comments/{}", a.comment), None, 404),
        (
            "message her (allow none)",
            Method::POST,
            "/api/v1/social/messages".into(),
            Some(json!({"recipient_id": ann.id, "message": "hi"})),
            403,
        ),
        (
            "mark her message to Cat read",
            Method::POST,
            format!("/api/v1/social/messages/{}/read", a.message_to_cat),
            None,
            404,
        ),
        ("read her private card", Method::GET, format!("/api/v1/social/users/{}", ann.id), None, 404),
        (
            "stop her shared location",
            Method::DELETE,
            format!("/api/v1/social/shared-locations/{}", a.shared_location),
            None,
            404,
        ),
        ("join her group", Method::POST, format!("/api/v1/social/groups/{}/membership", a.group), None, 200),
        ("leave her group", Method::DELETE, format!("/api/v1/social/groups/{}/membership", a.group), None, 204),
        ("attend her event", Method::POST, format!("/api/v1/social/events/{}/attend", a.event), None, 200),
        ("leave her event", Method::DELETE, format!("/api/v1/social/events/{}/attend", a.event), None, 204),
        ("attend no event", Method::POST, format!("/api/v1/social/events/{nowhere}/attend"), None, 404),
        ("join no group", Method::POST, format!("/api/v1/social/groups/{nowhere}/membership"), None, 404),
        ("follow nobody", Method::POST, format!("/api/v1/social/follow/{nowhere}"), None, 404),
        ("follow oneself", Method::POST, format!("/api/v1/social/follow/{}", ben.id), None, 422),
        // Reads whose lists must not carry anything of Ann's that is hidden.
        ("the feed", Method::GET, "/api/v1/social/posts".into(), None, 200),
        ("the following feed", Method::GET, "/api/v1/social/posts?filter=following".into(), None, 200),
        ("search", Method::GET, "/api/v1/social/posts?q=secret".into(), None, 200),
        ("search the feed for drafts", Method::GET, "/api/v1/social/posts?status=draft".into(), None, 200),
        ("own messages", Method::GET, "/api/v1/social/messages".into(), None, 200),
        ("messages with Ann", Method::GET, format!("/api/v1/social/messages?with={}", ann.id), None, 200),
        ("own shared locations", Method::GET, "/api/v1/social/shared-locations".into(), None, 200),
        ("nearby", Method::GET, format!("/api/v1/social/nearby?lat={ANN_LAT}&lng={ANN_LNG}&radius_km=5"), None, 200),
        ("groups", Method::GET, "/api/v1/social/groups".into(), None, 200),
        ("events", Method::GET, "/api/v1/social/events".into(), None, 200),
    ];

    let mut seen_by_ben = String::new();
    for (what, method, path, body, want) in matrix {
        let (status, got) = call(&app, &ben, method.clone(), &path, body).await;
        assert_eq!(status, want, "Ben tries to {what}: {method} {path} → {got}");
        seen_by_ben.push_str(&got.to_string());
    }
    for secret in SECRETS.iter().copied().chain([ann.email.as_str()]) {
        assert!(!seen_by_ben.contains(secret), "Ben was shown {secret:?}: {seen_by_ben}");
    }
    // The reads did show Ann's public things: the matrix proves something by passing.
    assert!(seen_by_ben.contains("Sunrise over the Nullarbor") && seen_by_ben.contains("Camp oven night"));
    let nearby =
        expect(&app, &ben, Method::GET, &format!("/api/v1/social/nearby?lat={ANN_LAT}&lng={ANN_LNG}"), None, 200).await;
    assert_eq!(nearby["users"][0]["user_id"], json!(ann.id), "Ann shares publicly: {nearby}");
    assert_eq!(
        (nearby["users"][0]["latitude"].as_f64(), nearby["users"][0]["longitude"].as_f64()),
        (Some(-33.87), Some(151.21))
    );
    assert!(nearby["users"][0]["display_name"].is_null(), "her card is private, so is her name: {nearby}");

    // Nothing Ben tried changed Ann's things.
    let hers = expect(&app, &ann, Method::GET, &post(&a.public_post), None, 200).await;
    assert_eq!((hers["content"].as_str(), hers["likes_count"].as_i64()), (Some("Sunrise over the Nullarbor"), Some(1)));
    let draft = expect(&app, &ann, Method::GET, &post(&a.draft_post), None, 200).await;
    assert_eq!(draft["status"], "draft");
    let comments = expect(&app, &ann, Method::GET, &format!("{}/comments", post(&a.public_post)), None, 200).await;
    assert_eq!(comments["comments"][0]["content"], "Ann's own comment");
    let cats = expect(&app, &cat, Method::GET, "/api/v1/social/messages", None, 200).await;
    assert_eq!(cats["messages"][0]["read"], false, "Ben could not mark Cat's message read");
    let shared = expect(&app, &ann, Method::GET, "/api/v1/social/shared-locations", None, 200).await;
    assert_eq!(shared["total"], 1);
}
