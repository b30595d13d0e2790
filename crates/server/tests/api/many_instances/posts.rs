//! The following feed serves posts from a per-instance cache: a write on one instance (a like, an
//! edit, a comment) is shown by the other's feed within a second, not after the cache's 30 s.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use super::{two_instances, within};
use crate::helpers::{Backend, TestApp, TestUser};
use crate::social::{expect, follow, id, published};
use pam_testkit::{on_both_databases, redis_for};

on_both_databases!(a_write_on_one_instance_is_shown_in_the_others_following_feed_within_a_second);

/// The first post of `user`'s following feed on `app`.
async fn first_in_feed(app: &TestApp, user: &TestUser) -> Value {
    let feed = expect(app, user, Method::GET, "/api/v1/social/posts?filter=following", None, 200).await;
    feed["posts"][0].clone()
}

/// The total of `user`'s following feed on `app`.
async fn feed_total(app: &TestApp, user: &TestUser) -> Option<i64> {
    let feed = expect(app, user, Method::GET, "/api/v1/social/posts?filter=following", None, 200).await;
    feed["total"].as_i64()
}

async fn a_write_on_one_instance_is_shown_in_the_others_following_feed_within_a_second(backend: Backend) {
    let Some(redis) = redis_for("api::many_instances::posts::a_write_on_one_instance_is_shown_in_the_others_feed")
    else {
        return;
    };
    let (a, b) = two_instances(backend, &redis, &[]).await;
    let (ann, ben) = (a.register("ann.posts@example.com").await, a.register("ben.posts@example.com").await);
    follow(&a, &ben, &ann).await;
    let post = id(&published(&a, &ann, "Louth free camp is dry", "public").await);
    let cached = first_in_feed(&b, &ben).await;
    assert_eq!((cached["likes_count"].as_i64(), cached["content"].as_str()), (Some(0), Some("Louth free camp is dry")));
    // A read while A's announcement of the publish is still on its way is not kept (it might predate
    // the write); one after it is.
    let (b_ref, ben_ref) = (&b, &ben);
    let kept = within(Duration::from_secs(1), || async move {
        first_in_feed(b_ref, ben_ref).await;
        b_ref.state.domains.social.posts.entry_count() > 0
    })
    .await;
    assert!(kept.is_some(), "B keeps the post it served");

    let writes = [
        (Method::POST, format!("/api/v1/social/posts/{post}/like"), None, &ben),
        (
            Method::PATCH,
            format!("/api/v1/social/posts/{post}"),
            Some(json!({"content": "Louth is dry, Bourke flooded"})),
            &ann,
        ),
        (Method::POST, format!("/api/v1/social/posts/{post}/comments"), Some(json!({"content": "thanks"})), &ben),
    ];
    for (method, path, body, who) in writes {
        let (status, _) = crate::social::call(&a, who, method.clone(), &path, body).await;
        assert!((200..300).contains(&status), "{method} {path} → {status}");
        let fresh = expect(&a, &ben, Method::GET, &format!("/api/v1/social/posts/{post}"), None, 200).await;
        let (b, ben) = (&b, &ben);
        let seen = within(Duration::from_secs(1), || {
            let fresh = fresh.clone();
            async move { first_in_feed(b, ben).await == fresh }
        })
        .await;
        assert!(seen.is_some(), "B's following feed shows the post as A wrote it ({method} {path}): {fresh}");
    }

    // Whom Ben follows is cached on B for the feed's total too.
    assert_eq!(feed_total(&b, &ben).await, Some(1));
    expect(&a, &ben, Method::DELETE, &format!("/api/v1/social/follow/{}", ann.id), None, 204).await;
    let (b, ben) = (&b, &ben);
    let seen = within(Duration::from_secs(1), || async move { feed_total(b, ben).await == Some(0) }).await;
    assert!(seen.is_some(), "B's total drops when Ben unfollows on A");
}
