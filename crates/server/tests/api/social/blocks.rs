//! Blocks: blocking is idempotent, listed only to the blocker, lifted once, and goes with either account;
//! across a block, in both directions, nobody messages or follows (the follow between them ends with the
//! block), and messages already exchanged stay. Two blocks at once leave one row, and a follow racing a
//! block never outlives it. What a block hides (feed, card, nearby) and the tools are in `blocks_reach`.

use futures::future::join_all;
use pam_store::with_db;
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use super::{call, expect, follow, roomy_app, set_privacy};
use crate::helpers::{Backend, TestApp, TestUser, spawn_app};
use pam_testkit::on_both_databases;

on_both_databases!(
    blocking_is_idempotent_listed_to_the_blocker_alone_and_lifted_once,
    a_block_stops_messages_both_ways_and_keeps_the_conversation,
    blocking_ends_follows_both_ways_and_refuses_new_ones,
    simultaneous_blocks_of_one_person_leave_one_row,
    a_follow_racing_a_block_never_outlives_it,
);

pub fn block_path(whom: &TestUser) -> String {
    format!("/api/v1/social/blocks/{}", whom.id)
}

pub async fn block(app: &TestApp, who: &TestUser, whom: &TestUser) -> Value {
    expect(app, who, Method::POST, &block_path(whom), None, 201).await
}

pub async fn unblock(app: &TestApp, who: &TestUser, whom: &TestUser) {
    expect(app, who, Method::DELETE, &block_path(whom), None, 204).await;
}

fn blocked_ids(list: &Value) -> Vec<Value> {
    list["blocks"]
        .as_array()
        .unwrap_or_else(|| panic!("no blocks in {list}"))
        .iter()
        .map(|b| b["blocked_user_id"].clone())
        .collect()
}

/// Rows in `table` between the two users, either way (`other` names the second user's column).
async fn rows_between(app: &TestApp, table: &str, other: &str, a: Uuid, b: Uuid) -> i64 {
    let sql = format!(
        "SELECT count(*) FROM {table} WHERE (user_id = $1 AND {other} = $2) OR (user_id = $2 AND {other} = $1)"
    );
    with_db!(app.db(), |pool| sqlx::query_scalar(sqlx::AssertSqlSafe(sql.clone()))
        .bind(a)
        .bind(b)
        .fetch_one(pool)
        .await)
    .unwrap()
}

async fn send(app: &TestApp, from: &TestUser, to: &TestUser, text: &str, want: u16) -> Value {
    let body = json!({"recipient_id": to.id, "message": text});
    expect(app, from, Method::POST, "/api/v1/social/messages", Some(body), want).await
}

async fn blocking_is_idempotent_listed_to_the_blocker_alone_and_lifted_once(backend: Backend) {
    let app = roomy_app(backend).await;
    let ann = app.register("ann@example.com").await;
    let ben = app.register("ben@example.com").await;
    let cat = app.register("cat@example.com").await;
    let dan = app.register("dan@example.com").await;
    set_privacy(&app, &cat, json!({"profile_visibility": "public"})).await;
    let nickname = json!({"nickname": "Cat"});
    expect(&app, &cat, Method::PATCH, &format!("/api/v1/users/{}/profile", cat.id), Some(nickname), 200).await;

    let first = block(&app, &ann, &ben).await;
    assert_eq!(first["blocked_user_id"], json!(ben.id), "{first}");
    let again = block(&app, &ann, &ben).await;
    assert_eq!(again["created_at"], first["created_at"], "blocking again keeps the first block: {again}");
    let named = block(&app, &ann, &cat).await;
    assert_eq!(named["display_name"], "Cat", "a public profile's name is shown: {named}");
    block(&app, &ann, &dan).await;

    let list = expect(&app, &ann, Method::GET, "/api/v1/social/blocks", None, 200).await;
    assert_eq!(blocked_ids(&list), [json!(dan.id), json!(cat.id), json!(ben.id)], "newest first, once each: {list}");
    assert_eq!(list["total"], 3);
    let page = expect(&app, &ann, Method::GET, "/api/v1/social/blocks?limit=2&offset=1", None, 200).await;
    assert_eq!(blocked_ids(&page), [json!(cat.id), json!(ben.id)]);
    assert_eq!((page["total"].as_i64(), page["limit"].as_i64(), page["offset"].as_i64()), (Some(3), Some(2), Some(1)));
    let bad = expect(&app, &ann, Method::GET, "/api/v1/social/blocks?limit=0", None, 422).await;
    assert_eq!(
        (bad["code"].as_str(), &bad["detail"][0]["loc"]),
        (Some("validation_error"), &json!(["query", "limit"]))
    );
    let bens = expect(&app, &ben, Method::GET, "/api/v1/social/blocks", None, 200).await;
    assert_eq!(bens["total"], 0, "the blocked person never sees the block: {bens}");

    // Validation: oneself, nobody, not an id, nobody signed in.
    let own = expect(&app, &ann, Method::POST, &block_path(&ann), None, 422).await;
    assert_eq!(
        (own["code"].as_str(), &own["detail"][0]["loc"]),
        (Some("validation_error"), &json!(["path", "user_id"]))
    );
    expect(&app, &ann, Method::DELETE, &block_path(&ann), None, 422).await;
    let nobody =
        expect(&app, &ann, Method::POST, &format!("/api/v1/social/blocks/{}", Uuid::now_v7()), None, 404).await;
    assert_eq!(nobody["code"], "not_found", "{nobody}");
    expect(&app, &ann, Method::POST, "/api/v1/social/blocks/not-a-user", None, 422).await;
    let anonymous = app.send(Method::POST, &block_path(&ben), None, |r| r).await;
    assert_eq!(anonymous.status(), 401);

    unblock(&app, &ann, &ben).await;
    let gone = expect(&app, &ann, Method::DELETE, &block_path(&ben), None, 404).await;
    assert_eq!(gone["code"], "not_found", "not blocked any more: {gone}");
    expect(&app, &ben, Method::DELETE, &block_path(&cat), None, 404).await;

    // The export holds the blocks one made, never those made of one.
    let export = expect(&app, &ann, Method::GET, &format!("/api/v1/users/{}/export", ann.id), None, 200).await;
    let exported: Vec<&Value> =
        export["blocked_users"].as_array().unwrap().iter().map(|b| &b["blocked_user_id"]).collect();
    assert_eq!(exported, [&json!(cat.id), &json!(dan.id)], "{}", export["blocked_users"]);
    let cats = expect(&app, &cat, Method::GET, &format!("/api/v1/users/{}/export", cat.id), None, 200).await;
    assert_eq!(cats["blocked_users"], json!([]), "Cat's export does not say Ann blocked her");

    // A block goes with either account.
    let res = app.delete(&format!("/api/v1/users/{}", dan.id), &dan.token).await;
    assert_eq!(res.status(), 204);
    let list = expect(&app, &ann, Method::GET, "/api/v1/social/blocks", None, 200).await;
    assert_eq!(blocked_ids(&list), [json!(cat.id)], "{list}");
    let res = app.delete(&format!("/api/v1/users/{}", ann.id), &ann.token).await;
    assert_eq!(res.status(), 204);
    assert_eq!(rows_between(&app, "social_blocks", "blocked_user_id", ann.id, cat.id).await, 0);
}

async fn a_block_stops_messages_both_ways_and_keeps_the_conversation(backend: Backend) {
    let app = spawn_app(backend).await;
    let (ann, ben) = (app.register("ann@example.com").await, app.register("ben@example.com").await);
    for u in [&ann, &ben] {
        set_privacy(&app, u, json!({"allow_messages": "everyone"})).await;
    }
    send(&app, &ben, &ann, "Camp oven tonight?", 201).await;
    send(&app, &ann, &ben, "Sure, 6pm", 201).await;

    block(&app, &ann, &ben).await;
    let refused = send(&app, &ben, &ann, "Still on?", 403).await;
    assert_eq!(refused, json!({"detail": "You can't message this person", "code": "forbidden"}));
    let own = send(&app, &ann, &ben, "Actually…", 403).await;
    assert_eq!(own["code"], "forbidden");
    assert!(own["detail"].as_str().unwrap().contains("unblock"), "the blocker is reminded why: {own}");
    // The blocked person hears the same whatever the blocker's settings say.
    set_privacy(&app, &ann, json!({"allow_messages": "none"})).await;
    assert_eq!(send(&app, &ben, &ann, "Hello?", 403).await["detail"], "You can't message this person");

    // The conversation so far stays with both.
    for u in [&ann, &ben] {
        let thread = expect(&app, u, Method::GET, "/api/v1/social/messages", None, 200).await;
        assert_eq!(thread["total"], 2, "{thread}");
    }

    // Unblocked, the recipient's setting decides again.
    unblock(&app, &ann, &ben).await;
    let setting = send(&app, &ben, &ann, "Hello?", 403).await;
    assert!(setting["detail"].as_str().unwrap().contains("does not accept"), "{setting}");
    set_privacy(&app, &ann, json!({"allow_messages": "everyone"})).await;
    send(&app, &ben, &ann, "Back on speaking terms", 201).await;
    send(&app, &ann, &ben, "Indeed", 201).await;

    // The other way round: a block Ben makes stops Ann too.
    block(&app, &ben, &ann).await;
    assert_eq!(send(&app, &ann, &ben, "Ben?", 403).await["detail"], "You can't message this person");
    send(&app, &ben, &ann, "Bye", 403).await;
    let thread = expect(&app, &ann, Method::GET, "/api/v1/social/messages", None, 200).await;
    assert_eq!(thread["total"], 4, "only the accepted messages were stored: {thread}");
}

async fn blocking_ends_follows_both_ways_and_refuses_new_ones(backend: Backend) {
    let app = spawn_app(backend).await;
    let ann = app.register("ann@example.com").await;
    let ben = app.register("ben@example.com").await;
    let cat = app.register("cat@example.com").await;
    follow(&app, &ben, &ann).await;
    follow(&app, &ann, &ben).await;
    follow(&app, &cat, &ann).await;
    let card = format!("/api/v1/social/users/{}", ann.id);
    let before = expect(&app, &ann, Method::GET, &card, None, 200).await;
    assert_eq!((before["followers_count"].as_i64(), before["following_count"].as_i64()), (Some(2), Some(1)));

    block(&app, &ann, &ben).await;
    let after = expect(&app, &ann, Method::GET, &card, None, 200).await;
    assert_eq!(
        (after["followers_count"].as_i64(), after["following_count"].as_i64()),
        (Some(1), Some(0)),
        "both follows between Ann and Ben ended; Cat's stays: {after}"
    );
    let refused = expect(&app, &ben, Method::POST, &format!("/api/v1/social/follow/{}", ann.id), None, 403).await;
    assert_eq!(refused, json!({"detail": "You can't follow this person", "code": "forbidden"}));
    let own = expect(&app, &ann, Method::POST, &format!("/api/v1/social/follow/{}", ben.id), None, 403).await;
    assert!(own["detail"].as_str().unwrap().contains("unblock"), "{own}");
    expect(&app, &ben, Method::DELETE, &format!("/api/v1/social/follow/{}", ann.id), None, 204).await;
    assert_eq!(rows_between(&app, "user_follows", "followed_id", ann.id, ben.id).await, 0);

    // Unblocking does not bring the follows back; following again works. Friends-only messages then
    // need both to follow again.
    unblock(&app, &ann, &ben).await;
    follow(&app, &ben, &ann).await;
    let card_now = expect(&app, &ann, Method::GET, &card, None, 200).await;
    assert_eq!((card_now["followers_count"].as_i64(), card_now["following_count"].as_i64()), (Some(2), Some(0)));
    set_privacy(&app, &ann, json!({"allow_messages": "friends"})).await;
    let friends_only = send(&app, &ben, &ann, "Friends again?", 403).await;
    assert!(friends_only["detail"].as_str().unwrap().contains("friends"), "{friends_only}");
    follow(&app, &ann, &ben).await;
    send(&app, &ben, &ann, "Friends again", 201).await;
}

async fn simultaneous_blocks_of_one_person_leave_one_row(backend: Backend) {
    let app = roomy_app(backend).await;
    let (ann, ben) = (app.register("ann@example.com").await, app.register("ben@example.com").await);
    follow(&app, &ann, &ben).await;
    follow(&app, &ben, &ann).await;
    let path = block_path(&ben);
    let results = join_all((0..10).map(|_| call(&app, &ann, Method::POST, &path, None))).await;
    assert!(results.iter().all(|(s, body)| *s == 201 && body["blocked_user_id"] == json!(ben.id)), "{results:?}");
    let created: Vec<&Value> = results.iter().map(|(_, body)| &body["created_at"]).collect();
    assert!(created.windows(2).all(|w| w[0] == w[1]), "every answer shows the one block: {created:?}");
    assert_eq!(rows_between(&app, "social_blocks", "blocked_user_id", ann.id, ben.id).await, 1);
    assert_eq!(rows_between(&app, "user_follows", "followed_id", ann.id, ben.id).await, 0);
    let list = expect(&app, &ann, Method::GET, "/api/v1/social/blocks", None, 200).await;
    assert_eq!(list["total"], 1, "{list}");
}

async fn a_follow_racing_a_block_never_outlives_it(backend: Backend) {
    let app = roomy_app(backend).await;
    let (ann, ben) = (app.register("ann@example.com").await, app.register("ben@example.com").await);
    let (to_ann, to_ben) = (format!("/api/v1/social/follow/{}", ann.id), format!("/api/v1/social/follow/{}", ben.id));
    let (ann_blocks_ben, ben_blocks_ann) = (block_path(&ben), block_path(&ann));
    // Many rounds: without the block claiming the follow rows first, Postgres lets a follow through
    // within a few dozen.
    for round in 0..40 {
        let (a, b, blocked) = tokio::join!(
            call(&app, &ben, Method::POST, &to_ann, None),
            call(&app, &ann, Method::POST, &to_ben, None),
            call(&app, &ann, Method::POST, &ann_blocks_ben, None),
        );
        assert_eq!(blocked.0, 201, "round {round}: {blocked:?}");
        for (status, body) in [a, b] {
            assert!(status == 200 || status == 403, "round {round}: {status} {body}");
        }
        let left = rows_between(&app, "user_follows", "followed_id", ann.id, ben.id).await;
        assert_eq!(left, 0, "round {round}: a follow outlived the block");
        unblock(&app, &ann, &ben).await;
    }
    // Two people blocking each other at the same moment both succeed (and neither waits forever).
    let (a, b) = tokio::join!(
        call(&app, &ann, Method::POST, &ann_blocks_ben, None),
        call(&app, &ben, Method::POST, &ben_blocks_ann, None),
    );
    assert_eq!((a.0, b.0), (201, 201), "{a:?} {b:?}");
    assert_eq!(rows_between(&app, "social_blocks", "blocked_user_id", ann.id, ben.id).await, 2);
}
