//! Social: drafts and publishing, who sees which post, the feed and search, comments and likes — on
//! SQLite and Postgres. The access matrix, blocks, concurrency, messages, places and tools have their own
//! files.

mod access;
mod blocks;
mod blocks_reach;
mod community;
mod concurrency;
mod counts;
mod messages;
mod places;
mod timeline;
mod timeline_locks;
mod tools;

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, TestUser, spawn_app, spawn_app_with};
use pam_testkit::on_both_databases;

on_both_databases!(
    a_post_is_a_draft_only_its_author_sees_until_it_is_published,
    visibility_decides_who_sees_a_published_post,
    the_feed_is_newest_first_paged_and_following_keeps_followed_authors,
    search_finds_words_only_in_posts_the_caller_may_see,
    editing_a_post_checks_every_field_and_never_publishes,
    comments_and_likes_are_counted_on_the_post,
);

/// Sends a request as `user`; returns the status and the JSON body (null when there is none).
pub async fn call(app: &TestApp, user: &TestUser, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
    let res = app
        .send(method, path, Some(&user.token), |req| match &body {
            Some(body) => req.json(body),
            None => req,
        })
        .await;
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

pub async fn expect(
    app: &TestApp,
    user: &TestUser,
    method: Method,
    path: &str,
    body: Option<Value>,
    want: u16,
) -> Value {
    let (status, got) = call(app, user, method.clone(), path, body).await;
    assert_eq!(status, want, "{method} {path} → {got}");
    got
}

pub fn id(v: &Value) -> String {
    v["id"].as_str().unwrap_or_else(|| panic!("no id in {v}")).to_string()
}

/// A draft post by `user`.
pub async fn draft(app: &TestApp, user: &TestUser, content: &str, visibility: &str) -> Value {
    let body = json!({"content": content, "visibility": visibility});
    expect(app, user, Method::POST, "/api/v1/social/posts", Some(body), 201).await
}

/// A published post by `user`.
pub async fn published(app: &TestApp, user: &TestUser, content: &str, visibility: &str) -> Value {
    let post = draft(app, user, content, visibility).await;
    expect(app, user, Method::POST, &format!("/api/v1/social/posts/{}/publish", id(&post)), None, 200).await
}

pub async fn set_privacy(app: &TestApp, user: &TestUser, body: Value) {
    expect(app, user, Method::PATCH, &format!("/api/v1/users/{}/privacy", user.id), Some(body), 200).await;
}

pub async fn follow(app: &TestApp, who: &TestUser, whom: &TestUser) {
    expect(app, who, Method::POST, &format!("/api/v1/social/follow/{}", whom.id), None, 200).await;
}

/// A day `days` from today at `time` with `offset` ("2026-06-01T18:00:00+10:00"): events must lie ahead,
/// and within five years.
pub fn days_ahead(days: i64, time: &str, offset: &str) -> String {
    format!("{}T{time}{offset}", (chrono::Utc::now() + chrono::Duration::days(days)).date_naive())
}

/// The ids of a list's items under `key`, in order.
pub fn ids(list: &Value, key: &str) -> Vec<String> {
    list[key].as_array().unwrap_or_else(|| panic!("no {key} in {list}")).iter().map(id).collect()
}

/// An app that lets one test register many users (the auth limit is per address).
pub async fn roomy_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, &[("AUTH_RATE_LIMIT_PER_MINUTE", "1000")]).await
}

async fn a_post_is_a_draft_only_its_author_sees_until_it_is_published(backend: Backend) {
    let app = spawn_app(backend).await;
    let (ann, ben) = (app.register("ann@example.com").await, app.register("ben@example.com").await);
    let post = draft(&app, &ann, "Bourke free camp is flooded", "public").await;
    assert_eq!((post["status"].as_str(), post["published_at"].is_null()), (Some("draft"), true), "{post}");
    assert_eq!((post["likes_count"].as_i64(), post["comments_count"].as_i64()), (Some(0), Some(0)));
    let path = format!("/api/v1/social/posts/{}", id(&post));

    expect(&app, &ben, Method::GET, &path, None, 404).await;
    let feed = expect(&app, &ben, Method::GET, "/api/v1/social/posts", None, 200).await;
    assert_eq!(feed["total"], 0, "a draft is in nobody's feed: {feed}");
    let drafts = expect(&app, &ann, Method::GET, "/api/v1/social/posts?status=draft", None, 200).await;
    assert_eq!(ids(&drafts, "posts"), [id(&post)]);
    let others = expect(&app, &ben, Method::GET, "/api/v1/social/posts?status=draft", None, 200).await;
    assert_eq!(others["total"], 0, "status=draft lists only one's own drafts: {others}");

    // Creating it published is refused: publishing is explicit.
    let body = json!({"content": "straight out", "status": "published"});
    let refused = expect(&app, &ann, Method::POST, "/api/v1/social/posts", Some(body), 422).await;
    assert_eq!(refused["detail"][0]["loc"], json!(["body", "status"]));

    let done = expect(&app, &ann, Method::POST, &format!("{path}/publish"), None, 200).await;
    assert_eq!(done["status"], "published");
    let published_at = done["published_at"].as_str().expect("published_at is set").to_string();
    let seen = expect(&app, &ben, Method::GET, &path, None, 200).await;
    assert_eq!(seen["content"], "Bourke free camp is flooded");
    let again = expect(&app, &ann, Method::POST, &format!("{path}/publish"), None, 200).await;
    assert_eq!(again["published_at"], published_at.as_str(), "publishing twice changes nothing");
    let drafts = expect(&app, &ann, Method::GET, "/api/v1/social/posts?status=draft", None, 200).await;
    assert_eq!(drafts["total"], 0);
}

async fn visibility_decides_who_sees_a_published_post(backend: Backend) {
    let app = spawn_app(backend).await;
    let (ann, ben) = (app.register("ann@example.com").await, app.register("ben@example.com").await);
    let public = published(&app, &ann, "for everyone", "public").await;
    let followers = published(&app, &ann, "for my followers", "followers").await;
    let private = published(&app, &ann, "for me alone", "private").await;
    let get = |p: &Value| format!("/api/v1/social/posts/{}", id(p));

    let feed = expect(&app, &ben, Method::GET, "/api/v1/social/posts", None, 200).await;
    assert_eq!(ids(&feed, "posts"), [id(&public)], "a stranger sees only the public post");
    expect(&app, &ben, Method::GET, &get(&followers), None, 404).await;
    expect(&app, &ben, Method::GET, &get(&private), None, 404).await;

    follow(&app, &ben, &ann).await;
    let feed = expect(&app, &ben, Method::GET, "/api/v1/social/posts", None, 200).await;
    assert_eq!(ids(&feed, "posts"), [id(&followers), id(&public)], "a follower sees followers posts too");
    expect(&app, &ben, Method::GET, &get(&followers), None, 200).await;
    expect(&app, &ben, Method::GET, &get(&private), None, 404).await;

    expect(&app, &ben, Method::DELETE, &format!("/api/v1/social/follow/{}", ann.id), None, 204).await;
    expect(&app, &ben, Method::GET, &get(&followers), None, 404).await;
    let own = expect(&app, &ann, Method::GET, "/api/v1/social/posts", None, 200).await;
    assert_eq!(own["total"], 3, "the author sees all of their own published posts: {own}");
}

async fn the_feed_is_newest_first_paged_and_following_keeps_followed_authors(backend: Backend) {
    let app = spawn_app(backend).await;
    let ann = app.register("ann@example.com").await;
    let ben = app.register("ben@example.com").await;
    let cat = app.register("cat@example.com").await;
    let a1 = published(&app, &ann, "first", "public").await;
    let c1 = published(&app, &cat, "cat's only", "public").await;
    let a2 = published(&app, &ann, "second", "public").await;
    let a3 = published(&app, &ann, "third", "public").await;
    follow(&app, &ben, &ann).await;

    let all = expect(&app, &ben, Method::GET, "/api/v1/social/posts?filter=all", None, 200).await;
    assert_eq!(ids(&all, "posts"), [id(&a3), id(&a2), id(&c1), id(&a1)], "newest first");
    let following = expect(&app, &ben, Method::GET, "/api/v1/social/posts?filter=following", None, 200).await;
    assert_eq!(ids(&following, "posts"), [id(&a3), id(&a2), id(&a1)], "only people ben follows");
    assert_eq!(following["total"], 3);
    // A followers-only post of someone ben follows is in his following feed; a private one is not.
    let for_followers = published(&app, &ann, "for followers", "followers").await;
    let private = published(&app, &ann, "just for me", "private").await;
    let following = expect(&app, &ben, Method::GET, "/api/v1/social/posts?filter=following", None, 200).await;
    assert_eq!(ids(&following, "posts"), [id(&for_followers), id(&a3), id(&a2), id(&a1)]);
    assert_eq!(following["total"], 4);
    let own = expect(&app, &ann, Method::GET, "/api/v1/social/posts?filter=following", None, 200).await;
    assert_eq!(own["total"], 0, "one's own posts are not in one's following feed: {own}");
    let cats = expect(&app, &cat, Method::GET, "/api/v1/social/posts?filter=all", None, 200).await;
    assert!(!ids(&cats, "posts").contains(&id(&for_followers)) && !ids(&cats, "posts").contains(&id(&private)));
    for post in [&for_followers, &private] {
        expect(&app, &ann, Method::DELETE, &format!("/api/v1/social/posts/{}", id(post)), None, 204).await;
    }

    let page = expect(&app, &ben, Method::GET, "/api/v1/social/posts?limit=2&offset=1", None, 200).await;
    assert_eq!(ids(&page, "posts"), [id(&a2), id(&c1)]);
    assert_eq!((page["total"].as_i64(), page["limit"].as_i64(), page["offset"].as_i64()), (Some(4), Some(2), Some(1)));
    let past_end = expect(&app, &ben, Method::GET, "/api/v1/social/posts?offset=10", None, 200).await;
    assert_eq!((past_end["posts"].as_array().map(Vec::len), past_end["total"].as_i64()), (Some(0), Some(4)));
    expect(&app, &ben, Method::GET, "/api/v1/social/posts?limit=1001", None, 422).await;
    expect(&app, &ben, Method::GET, "/api/v1/social/posts?filter=friends", None, 422).await;
}

async fn search_finds_words_only_in_posts_the_caller_may_see(backend: Backend) {
    let app = spawn_app(backend).await;
    let (ann, ben) = (app.register("ann@example.com").await, app.register("ben@example.com").await);
    let open = published(&app, &ann, "Dump point at Hay is open", "public").await;
    let hidden = published(&app, &ann, "The dump point behind the pub", "private").await;
    draft(&app, &ann, "dump point draft", "public").await;
    published(&app, &ann, "Nothing to see", "public").await;

    let found = expect(&app, &ben, Method::GET, "/api/v1/social/posts?q=DUMP%20point", None, 200).await;
    assert_eq!(ids(&found, "posts"), [id(&open)], "case-insensitive, visible posts only");
    let own = expect(&app, &ann, Method::GET, "/api/v1/social/posts?q=dump", None, 200).await;
    assert_eq!(ids(&own, "posts"), [id(&hidden), id(&open)], "the author finds their own private post");
    let literal = expect(&app, &ben, Method::GET, "/api/v1/social/posts?q=%25", None, 200).await;
    assert_eq!(literal["total"], 0, "a % is a character, not a wildcard: {literal}");
}

async fn editing_a_post_checks_every_field_and_never_publishes(backend: Backend) {
    let app = spawn_app(backend).await;
    let ann = app.register("ann@example.com").await;
    let post = draft(&app, &ann, "Road to Cape Tribulation open", "public").await;
    let path = format!("/api/v1/social/posts/{}", id(&post));
    let body = json!({"content": "Road to Cape Trib open again", "tags": ["Roads", "roads", "QLD"], "visibility": "followers"});
    let changed = expect(&app, &ann, Method::PATCH, &path, Some(body), 200).await;
    assert_eq!(changed["content"], "Road to Cape Trib open again");
    assert_eq!(changed["tags"], json!(["roads", "qld"]));
    assert_eq!((changed["visibility"].as_str(), changed["status"].as_str()), (Some("followers"), Some("draft")));

    for (body, field) in [
        (json!({"content": null}), "content"),
        (json!({"content": "   "}), "content"),
        (json!({"status": "published"}), "status"),
        (json!({"image_url": "javascript:alert(1)"}), "image_url"),
        (json!({"content": "x".repeat(5001)}), "content"),
    ] {
        let refused = expect(&app, &ann, Method::PATCH, &path, Some(body.clone()), 422).await;
        assert_eq!(refused["detail"][0]["loc"], json!(["body", field]), "{body} → {refused}");
    }
    expect(&app, &ann, Method::POST, "/api/v1/social/posts", Some(json!({"content": ""})), 422).await;
    expect(
        &app,
        &ann,
        Method::POST,
        "/api/v1/social/posts",
        Some(json!({"content": "x", "visibility": "friends"})),
        422,
    )
    .await;
    let still = expect(&app, &ann, Method::GET, &path, None, 200).await;
    assert_eq!(
        (still["content"].as_str(), still["status"].as_str()),
        (Some("Road to Cape Trib open again"), Some("draft"))
    );
    expect(&app, &ann, Method::DELETE, &path, None, 204).await;
    expect(&app, &ann, Method::GET, &path, None, 404).await;
}

async fn comments_and_likes_are_counted_on_the_post(backend: Backend) {
    let app = spawn_app(backend).await;
    let (ann, ben) = (app.register("ann@example.com").await, app.register("ben@example.com").await);
    let post = published(&app, &ann, "Free camp at Lake Keepit", "public").await;
    let path = format!("/api/v1/social/posts/{}", id(&post));
    let body = json!({"content": "Thanks, heading there"});
    let comment = expect(&app, &ben, Method::POST, &format!("{path}/comments"), Some(body), 201).await;
    assert_eq!((comment["post_id"].as_str(), &comment["user_id"]), (post["id"].as_str(), &json!(ben.id)));
    expect(&app, &ann, Method::POST, &format!("{path}/comments"), Some(json!({"content": "Enjoy!"})), 201).await;
    let liked = expect(&app, &ben, Method::POST, &format!("{path}/like"), None, 200).await;
    assert_eq!((liked["liked"].as_bool(), liked["likes_count"].as_i64()), (Some(true), Some(1)));

    let seen = expect(&app, &ben, Method::GET, &path, None, 200).await;
    assert_eq!((seen["likes_count"].as_i64(), seen["comments_count"].as_i64()), (Some(1), Some(2)));
    assert_eq!(seen["liked_by_me"], true);
    let listed = expect(&app, &ann, Method::GET, &format!("{path}/comments"), None, 200).await;
    let texts: Vec<&str> =
        listed["comments"].as_array().unwrap().iter().filter_map(|c| c["content"].as_str()).collect();
    assert_eq!(texts, ["Thanks, heading there", "Enjoy!"], "oldest first");

    // The post's author may remove a comment on their post; the writer may edit their own.
    let edited = json!({"content": "Thanks, heading there Friday"});
    let comment_path = format!("/api/v1/social/comments/{}", id(&comment));
    expect(&app, &ben, Method::PATCH, &comment_path, Some(edited), 200).await;
    expect(&app, &ann, Method::DELETE, &comment_path, None, 204).await;
    expect(&app, &ben, Method::DELETE, &format!("{path}/like"), None, 204).await;
    let seen = expect(&app, &ben, Method::GET, &path, None, 200).await;
    assert_eq!((seen["likes_count"].as_i64(), seen["comments_count"].as_i64()), (Some(0), Some(1)));
    assert_eq!(seen["liked_by_me"], false);

    // One's own draft cannot be liked or commented on yet.
    let own_draft = draft(&app, &ann, "not yet", "public").await;
    let draft_path = format!("/api/v1/social/posts/{}", id(&own_draft));
    expect(&app, &ann, Method::POST, &format!("{draft_path}/like"), None, 409).await;
    expect(&app, &ann, Method::POST, &format!("{draft_path}/comments"), Some(json!({"content": "hm"})), 409).await;
    expect(&app, &ben, Method::POST, &format!("{path}/comments"), Some(json!({"content": " "})), 422).await;
}

#[tokio::test]
async fn openapi_lists_every_social_route_under_its_tag() {
    let app = spawn_app(Backend::Sqlite).await;
    let doc: Value = app.get_anonymous("/openapi.json").await.json().await.unwrap();
    let routes = [
        ("/api/v1/social/posts", &["get", "post"][..]),
        ("/api/v1/social/posts/{id}", &["get", "patch", "delete"]),
        ("/api/v1/social/posts/{id}/publish", &["post"]),
        ("/api/v1/social/posts/{id}/comments", &["get", "post"]),
        ("/api/v1/social/comments/{id}", &["patch", "delete"]),
        ("/api/v1/social/posts/{id}/like", &["post", "delete"]),
        ("/api/v1/social/follow/{user_id}", &["post", "delete"]),
        ("/api/v1/social/blocks", &["get"]),
        ("/api/v1/social/blocks/{user_id}", &["post", "delete"]),
        ("/api/v1/social/messages", &["get", "post"]),
        ("/api/v1/social/messages/{id}/read", &["post"]),
        ("/api/v1/social/groups", &["get", "post"]),
        ("/api/v1/social/groups/{id}/membership", &["post", "delete"]),
        ("/api/v1/social/events", &["get", "post"]),
        ("/api/v1/social/events/{id}/attend", &["post", "delete"]),
        ("/api/v1/social/shared-locations", &["get", "post"]),
        ("/api/v1/social/shared-locations/{id}", &["delete"]),
        ("/api/v1/social/nearby", &["get"]),
        ("/api/v1/social/users/{id}", &["get"]),
    ];
    for (path, methods) in routes {
        for m in methods {
            let op = &doc["paths"][path][m];
            assert_eq!(op["tags"], json!(["social"]), "{m} {path} in the OpenAPI document: {op}");
        }
    }
    for schema in [
        "Post",
        "NewPost",
        "PostList",
        "Comment",
        "DirectMessage",
        "SocialGroup",
        "CommunityEvent",
        "UserCard",
        "UserBlock",
        "BlockList",
    ] {
        assert!(doc["components"]["schemas"].get(schema).is_some(), "schema {schema}");
    }
    assert!(doc["tags"].as_array().unwrap().iter().any(|t| t["name"] == "social"));
}
