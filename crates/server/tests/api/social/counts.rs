//! A post's likes and comments are counts the database keeps on the post row (migration 0015). These
//! tests hold every shown count to the rows themselves after every kind of change — likes, unlikes,
//! comments, comment removal by writer or author, deleted posts, deleted accounts — and check that the
//! writes that now lock a post beside its likes and comments cannot fail each other: two accounts which
//! reacted to each other's posts deleted at once, and reactions taken back while the post is deleted.
//! The following feed, which serves posts from a cache, must show the same counts and text as the rows.

use futures::future::join_all;
use pam_store::with_db;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::Method;
use serde_json::json;
use uuid::Uuid;

use super::{call, expect, follow, id, published, roomy_app};
use crate::helpers::{Backend, TestApp, TestUser};
use pam_testkit::on_both_databases;

on_both_databases!(
    every_shown_count_matches_the_rows_after_every_change,
    accounts_that_reacted_to_each_others_posts_can_be_deleted_at_once,
    reactions_taken_back_while_the_post_is_deleted_answer_cleanly,
);

/// Every post's likes and comments counted from the rows, beside the counts kept on the post.
async fn kept_and_counted(app: &TestApp) -> Vec<(Uuid, i64, i64, i64, i64)> {
    with_db!(app.db(), |pool| {
        sqlx::query_as(
            "SELECT p.id, p.likes_count, (SELECT count(*) FROM post_likes l WHERE l.post_id = p.id), \
             p.comments_count, (SELECT count(*) FROM post_comments c WHERE c.post_id = p.id) \
             FROM social_posts p ORDER BY p.id",
        )
        .fetch_all(pool)
        .await
    })
    .unwrap()
}

/// The kept counts equal the rows for every post, and each post as its author is shown it says so.
async fn assert_counts(app: &TestApp, posts: &[(usize, String)], users: &[TestUser], step: &str) {
    let rows = kept_and_counted(app).await;
    for (post, kept_likes, likes, kept_comments, comments) in &rows {
        assert_eq!((kept_likes, kept_comments), (likes, comments), "post {post} after {step}");
    }
    for (owner, post) in posts {
        let shown = expect(app, &users[*owner], Method::GET, &format!("/api/v1/social/posts/{post}"), None, 200).await;
        let row = rows.iter().find(|r| r.0.to_string() == *post).unwrap();
        assert_eq!(
            (shown["likes_count"].as_i64(), shown["comments_count"].as_i64()),
            (Some(row.2), Some(row.4)),
            "post {post} as shown after {step}"
        );
    }
    // The following feed serves its posts from the post cache: each must be the post as it is now, as
    // the single-post read (straight from the database) shows it to the same viewer.
    for user in users {
        let feed = expect(app, user, Method::GET, "/api/v1/social/posts?filter=following", None, 200).await;
        // Everyone follows everyone, and every post is public: the feed is every post of the others.
        let mut want: Vec<&String> = posts.iter().filter(|(o, _)| users[*o].id != user.id).map(|(_, p)| p).collect();
        let mut got: Vec<String> = feed["posts"].as_array().unwrap().iter().map(id).collect();
        want.sort();
        got.sort();
        assert_eq!(got.iter().collect::<Vec<_>>(), want, "{}'s following feed after {step}", user.email);
        assert_eq!(feed["total"].as_i64(), Some(want.len() as i64), "{}'s feed total after {step}", user.email);
        for shown in feed["posts"].as_array().unwrap() {
            let path = format!("/api/v1/social/posts/{}", id(shown));
            let fresh = expect(app, user, Method::GET, &path, None, 200).await;
            assert_eq!(shown, &fresh, "{}'s following feed after {step}", user.email);
        }
    }
}

async fn every_shown_count_matches_the_rows_after_every_change(backend: Backend) {
    let app = roomy_app(backend).await;
    let mut users = Vec::new();
    for i in 0..4 {
        users.push(app.register(&format!("counted{i}@example.com")).await);
    }
    for a in &users {
        for b in users.iter().filter(|b| b.id != a.id) {
            follow(&app, a, b).await;
        }
    }
    let mut rng = StdRng::seed_from_u64(20261203);
    let mut posts: Vec<(usize, String)> = Vec::new();
    let mut comments: Vec<(usize, usize, String, String)> = Vec::new(); // (writer, post's author, post, id)
    for step in 0..60 {
        let who = rng.random_range(0..users.len());
        let user = &users[who];
        let done = match rng.random_range(0..9) {
            0 => {
                posts.push((who, id(&published(&app, user, &format!("step {step}"), "public").await)));
                format!("{who} posts")
            }
            1 | 2 if !posts.is_empty() => {
                let (_, post) = &posts[rng.random_range(0..posts.len())];
                expect(&app, user, Method::POST, &format!("/api/v1/social/posts/{post}/like"), None, 200).await;
                format!("{who} likes {post}")
            }
            3 if !posts.is_empty() => {
                let (_, post) = &posts[rng.random_range(0..posts.len())];
                expect(&app, user, Method::DELETE, &format!("/api/v1/social/posts/{post}/like"), None, 204).await;
                format!("{who} takes a like back from {post}")
            }
            4 | 5 if !posts.is_empty() => {
                let (owner, post) = posts[rng.random_range(0..posts.len())].clone();
                let path = format!("/api/v1/social/posts/{post}/comments");
                let comment = expect(&app, user, Method::POST, &path, Some(json!({"content": "nice"})), 201).await;
                comments.push((who, owner, post.clone(), id(&comment)));
                format!("{who} comments on {post}")
            }
            6 if !comments.is_empty() => {
                // Removed by its writer or by the post's author, in turn.
                let (writer, owner, _, comment) = comments.swap_remove(rng.random_range(0..comments.len()));
                let by = if step % 2 == 0 { writer } else { owner };
                let path = format!("/api/v1/social/comments/{comment}");
                expect(&app, &users[by], Method::DELETE, &path, None, 204).await;
                format!("{by} removes a comment")
            }
            7 if !posts.is_empty() => {
                let (owner, post) = posts.swap_remove(rng.random_range(0..posts.len()));
                expect(&app, &users[owner], Method::DELETE, &format!("/api/v1/social/posts/{post}"), None, 204).await;
                comments.retain(|c| c.2 != post);
                format!("{owner} deletes {post}")
            }
            8 if !posts.is_empty() => {
                let (owner, post) = &posts[rng.random_range(0..posts.len())];
                let body = json!({"content": format!("edited at step {step}"), "title": "Edited"});
                expect(&app, &users[*owner], Method::PATCH, &format!("/api/v1/social/posts/{post}"), Some(body), 200)
                    .await;
                format!("{owner} edits {post}")
            }
            _ => continue,
        };
        assert_counts(&app, &posts, &users, &format!("step {step}: {done}")).await;
    }
    // An account deletion takes the likes and comments its user gave with it, and the counts follow:
    // the user who gave the most leaves (and someone has given some, whatever the steps above did).
    let last = id(&published(&app, &users[1], "the last post", "public").await);
    expect(&app, &users[0], Method::POST, &format!("/api/v1/social/posts/{last}/like"), None, 200).await;
    let path = format!("/api/v1/social/posts/{last}/comments");
    expect(&app, &users[0], Method::POST, &path, Some(json!({"content": "bye"})), 201).await;
    posts.push((1, last));
    assert_counts(&app, &posts, &users, "the last post").await;
    let mut given = Vec::new();
    for user in &users {
        let n: i64 = with_db!(app.db(), |pool| {
            sqlx::query_scalar(
                "SELECT (SELECT count(*) FROM post_likes l JOIN social_posts p ON p.id = l.post_id \
                 WHERE l.user_id = $1 AND p.user_id <> $1) + (SELECT count(*) FROM post_comments c \
                 JOIN social_posts p ON p.id = c.post_id WHERE c.user_id = $1 AND p.user_id <> $1)",
            )
            .bind(user.id)
            .fetch_one(pool)
            .await
        })
        .unwrap();
        given.push(n);
    }
    let gone = (0..users.len()).max_by_key(|i| given[*i]).unwrap();
    assert!(given[gone] > 0, "someone should have reacted to others' posts: {given:?}");
    let leaving = users.remove(gone);
    let res = app.delete(&format!("/api/v1/users/{}", leaving.id), &leaving.token).await;
    assert!(res.status().is_success(), "account deletion → {}", res.status());
    let kept: Vec<(usize, String)> = posts
        .into_iter()
        .filter(|(owner, _)| *owner != gone)
        .map(|(owner, post)| (if owner > gone { owner - 1 } else { owner }, post))
        .collect();
    assert_counts(&app, &kept, &users, "an account is deleted").await;
}

/// Likes and comments taken back while the author deletes the post: each answers 204, or 404 once the
/// post is gone — never a failure (on Postgres both lock the post before its likes and comments).
async fn reactions_taken_back_while_the_post_is_deleted_answer_cleanly(backend: Backend) {
    let app = roomy_app(backend).await;
    let author = app.register("author@example.com").await;
    let mut crowd = Vec::new();
    for i in 0..4 {
        crowd.push(app.register(&format!("reactor{i}@example.com")).await);
    }
    for round in 0..4 {
        let post = id(&published(&app, &author, &format!("round {round}"), "public").await);
        let path = format!("/api/v1/social/posts/{post}");
        let mut comments = Vec::new();
        for user in &crowd {
            expect(&app, user, Method::POST, &format!("{path}/like"), None, 200).await;
            let body = Some(json!({"content": "see you there"}));
            comments.push(id(&expect(&app, user, Method::POST, &format!("{path}/comments"), body, 201).await));
        }
        let app = &app;
        let takes_back = crowd.iter().zip(&comments).map(|(user, comment)| {
            let (like, comment) = (format!("{path}/like"), format!("/api/v1/social/comments/{comment}"));
            async move {
                let (unliked, _) = call(app, user, Method::DELETE, &like, None).await;
                let (uncommented, _) = call(app, user, Method::DELETE, &comment, None).await;
                [unliked, uncommented]
            }
        });
        let (deleted, taken) = tokio::join!(call(app, &author, Method::DELETE, &path, None), join_all(takes_back));
        assert_eq!(deleted.0, 204, "round {round}");
        assert!(taken.iter().flatten().all(|s| *s == 204 || *s == 404), "round {round}: {taken:?}");
    }
    assert!(kept_and_counted(&app).await.is_empty(), "every post is gone, and its likes and comments with it");
}

async fn accounts_that_reacted_to_each_others_posts_can_be_deleted_at_once(backend: Backend) {
    let app = roomy_app(backend).await;
    let stays = app.register("stays@example.com").await;
    let mut leaving = Vec::new();
    for i in 0..6 {
        leaving.push(app.register(&format!("leaving{i}@example.com")).await);
    }
    let mut posts = Vec::new();
    for user in leaving.iter().chain([&stays]) {
        for k in 0..3 {
            posts.push(id(&published(&app, user, &format!("post {k}"), "public").await));
        }
    }
    // Everyone likes and comments on every post, so each deletion updates the others' posts.
    for user in leaving.iter().chain([&stays]) {
        for post in &posts {
            let path = format!("/api/v1/social/posts/{post}");
            expect(&app, user, Method::POST, &format!("{path}/like"), None, 200).await;
            expect(&app, user, Method::POST, &format!("{path}/comments"), Some(json!({"content": "hi"})), 201).await;
        }
    }
    let app = &app;
    let statuses = join_all(
        leaving
            .iter()
            .map(|u| async move { app.delete(&format!("/api/v1/users/{}", u.id), &u.token).await.status().as_u16() }),
    )
    .await;
    assert!(statuses.iter().all(|s| *s == 204), "{statuses:?}");
    // Only the staying user's three posts are left, each with their one like and one comment.
    let rows = kept_and_counted(app).await;
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert!(rows.iter().all(|r| (r.1, r.2, r.3, r.4) == (1, 1, 1, 1)), "{rows:?}");
    let post = &rows[0].0;
    let (status, shown) = call(app, &stays, Method::GET, &format!("/api/v1/social/posts/{post}"), None).await;
    assert_eq!((status, shown["likes_count"].as_i64(), shown["comments_count"].as_i64()), (200, Some(1), Some(1)));
}
