//! The following feed is read from a timeline the database keeps per viewer (`feed_entries`, migration
//! 0013). These tests hold it to its definition — the published, public or followers-only posts of the
//! people the viewer follows, never across a block — after every kind of change, under races, and for
//! data written before the timeline existed. The feed's total comes from the authors' running totals
//! (migration 0014), held to the same definition by the same checks. The migration test also checks
//! that migration 0015 counts the likes and comments already stored.

use std::borrow::Cow;

use chrono::Utc;
use pam_store::{ConnectOptions, Db, with_db};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::Method;
use serde_json::json;
use uuid::Uuid;

use super::{call, draft, expect, id, roomy_app};
use crate::helpers::{Backend, TestApp, TestUser};
use pam_testkit::on_both_databases;

on_both_databases!(
    the_following_feed_matches_its_definition_after_every_change,
    follows_and_publishes_racing_leave_every_timeline_exact,
    one_authors_publish_and_delete_at_once_keep_the_total_exact,
    posts_and_follows_from_before_the_timeline_are_in_it,
);

/// The following feed of `viewer` by its definition, computed from the posts and follows themselves
/// (newest first), optionally only posts whose text contains `word`.
async fn by_definition(app: &TestApp, viewer: Uuid, word: Option<&str>) -> Vec<String> {
    let ids: Vec<Uuid> = with_db!(app.db(), |pool| {
        sqlx::query_scalar(
            "SELECT p.id FROM social_posts p WHERE p.status = 'published' \
             AND p.visibility IN ('public', 'followers') \
             AND p.user_id IN (SELECT f.followed_id FROM user_follows f WHERE f.user_id = $1) \
             AND NOT EXISTS (SELECT 1 FROM social_blocks b WHERE (b.user_id = $1 AND b.blocked_user_id = p.user_id) \
                 OR (b.user_id = p.user_id AND b.blocked_user_id = $1)) \
             AND ($2 IS NULL OR p.content LIKE $2) \
             ORDER BY p.published_at DESC, p.id DESC",
        )
        .bind(viewer)
        .bind(word.map(|w| format!("%{w}%")))
        .fetch_all(pool)
        .await
    })
    .unwrap();
    ids.iter().map(Uuid::to_string).collect()
}

/// The following feed as the API shows it (every page), and the total it reports.
async fn as_served(app: &TestApp, viewer: &TestUser, word: Option<&str>) -> (Vec<String>, i64) {
    let mut seen = Vec::new();
    let mut total = -1;
    let q = word.map(|w| format!("&q={w}")).unwrap_or_default();
    for offset in (0..).step_by(7) {
        let path = format!("/api/v1/social/posts?filter=following&limit=7&offset={offset}{q}");
        let page = expect(app, viewer, Method::GET, &path, None, 200).await;
        total = page["total"].as_i64().unwrap();
        let posts = page["posts"].as_array().unwrap();
        seen.extend(posts.iter().map(id));
        if posts.len() < 7 {
            break;
        }
    }
    (seen, total)
}

async fn assert_timelines(app: &TestApp, users: &[TestUser], step: &str) {
    for user in users {
        for word in [None, Some("even")] {
            let want = by_definition(app, user.id, word).await;
            let (got, total) = as_served(app, user, word).await;
            assert_eq!(got, want, "{} after {step} (q={word:?})", user.email);
            assert_eq!(total, want.len() as i64, "{} total after {step} (q={word:?})", user.email);
        }
    }
}

async fn register_many(app: &TestApp, prefix: &str, n: usize) -> Vec<TestUser> {
    let mut users = Vec::new();
    for i in 0..n {
        users.push(app.register(&format!("{prefix}{i}@example.com")).await);
    }
    users
}

const VISIBILITIES: [&str; 3] = ["public", "followers", "private"];

async fn the_following_feed_matches_its_definition_after_every_change(backend: Backend) {
    let app = roomy_app(backend).await;
    let users = register_many(&app, "tl", 4).await;
    let mut rng = StdRng::seed_from_u64(20261202);
    let mut posts: Vec<(usize, String)> = Vec::new();
    for step in 0..80 {
        let a = rng.random_range(0..users.len());
        let b = (a + rng.random_range(1..users.len())) % users.len();
        let (who, whom) = (&users[a], &users[b]);
        let other = format!("/api/v1/social/{{}}/{}", whom.id);
        let done = match rng.random_range(0..9) {
            0 | 1 => {
                let (status, _) = call(&app, who, Method::POST, &other.replace("{}", "follow"), None).await;
                assert!(status == 200 || status == 403, "follow → {status}");
                format!("{a} follows {b} ({status})")
            }
            2 => {
                expect(&app, who, Method::DELETE, &other.replace("{}", "follow"), None, 204).await;
                format!("{a} unfollows {b}")
            }
            3 => {
                expect(&app, who, Method::POST, &other.replace("{}", "blocks"), None, 201).await;
                format!("{a} blocks {b}")
            }
            4 => {
                let (status, _) = call(&app, who, Method::DELETE, &other.replace("{}", "blocks"), None).await;
                format!("{a} unblocks {b} ({status})")
            }
            5 | 6 => {
                let visibility = VISIBILITIES[rng.random_range(0..3)];
                let parity = if step % 2 == 0 { "even" } else { "odd" };
                let post = draft(&app, who, &format!("step {step} is {parity}"), visibility).await;
                if rng.random_bool(0.8) {
                    let path = format!("/api/v1/social/posts/{}/publish", id(&post));
                    expect(&app, who, Method::POST, &path, None, 200).await;
                }
                posts.push((a, id(&post)));
                format!("{a} posts ({visibility})")
            }
            7 if !posts.is_empty() => {
                let (owner, post) = posts[rng.random_range(0..posts.len())].clone();
                let visibility = VISIBILITIES[rng.random_range(0..3)];
                let body = json!({"visibility": visibility});
                let path = format!("/api/v1/social/posts/{post}");
                expect(&app, &users[owner], Method::PATCH, &path, Some(body), 200).await;
                format!("{owner} makes a post {visibility}")
            }
            8 if !posts.is_empty() => {
                let (owner, post) = posts.swap_remove(rng.random_range(0..posts.len()));
                expect(&app, &users[owner], Method::DELETE, &format!("/api/v1/social/posts/{post}"), None, 204).await;
                format!("{owner} deletes a post")
            }
            _ => continue,
        };
        assert_timelines(&app, &users, &format!("step {step}: {done}")).await;
    }
    // Deleting an account takes its follows, posts and timeline with it.
    let leaving = &users[0];
    let path = format!("/api/v1/users/{}", leaving.id);
    let res = app.delete(&path, &leaving.token).await;
    assert!(res.status().is_success(), "account deletion → {}", res.status());
    assert_timelines(&app, &users[1..], "an account is deleted").await;
    assert_eq!(rows_of(&app, leaving.id).await, 0, "no timeline row of the deleted account is left");
}

/// The timeline rows that are a user's, as viewer or as author, and their running total as an author.
async fn rows_of(app: &TestApp, user: Uuid) -> i64 {
    with_db!(app.db(), |pool| {
        sqlx::query_scalar(
            "SELECT (SELECT count(*) FROM feed_entries WHERE viewer_id = $1 OR author_id = $1) \
             + (SELECT count(*) FROM social_shared_posts WHERE author_id = $1)",
        )
        .bind(user)
        .fetch_one(pool)
        .await
    })
    .unwrap()
}

/// Followers arriving and leaving while the author publishes: whichever commits first, each follower's
/// timeline ends up exactly their definition (on Postgres the follow and the publish lock the author).
async fn follows_and_publishes_racing_leave_every_timeline_exact(backend: Backend) {
    let app = roomy_app(backend).await;
    let author = app.register("racing-author@example.com").await;
    let followers = register_many(&app, "racer", 8).await;
    for round in 0..3 {
        let mut drafts = Vec::new();
        for k in 0..6 {
            drafts.push(id(&draft(&app, &author, &format!("round {round} post {k} even"), "followers").await));
        }
        let publishes = drafts.iter().map(|post| {
            let path = format!("/api/v1/social/posts/{post}/publish");
            let (app, author) = (&app, &author);
            async move { expect(app, author, Method::POST, &path, None, 200).await }
        });
        let follows = followers.iter().enumerate().map(|(i, f)| {
            let app = &app;
            let path = format!("/api/v1/social/follow/{}", author.id);
            // Odd followers of odd rounds leave instead (they followed in the round before).
            let method = if round % 2 == 1 && i % 2 == 1 { Method::DELETE } else { Method::POST };
            async move { call(app, f, method, &path, None).await.0 }
        });
        let (published, statuses) =
            tokio::join!(futures::future::join_all(publishes), futures::future::join_all(follows));
        assert_eq!(published.len(), 6);
        assert!(statuses.iter().all(|s| *s == 200 || *s == 204), "{statuses:?}");
        assert_timelines(&app, &followers, &format!("racing round {round}")).await;
    }
    // Followers deleting their accounts while the author publishes: every request answers, and nothing of
    // theirs is left in the timeline.
    let mut drafts = Vec::new();
    for k in 0..4 {
        drafts.push(id(&draft(&app, &author, &format!("last {k}"), "public").await));
    }
    let leaving = &followers[..4];
    let publishes = drafts.iter().map(|post| {
        let (app, author, path) = (&app, &author, format!("/api/v1/social/posts/{post}/publish"));
        async move { call(app, author, Method::POST, &path, None).await.0 }
    });
    let deletions = leaving.iter().map(|f| {
        let app = &app;
        async move { app.delete(&format!("/api/v1/users/{}", f.id), &f.token).await.status().as_u16() }
    });
    let (published, deleted) = tokio::join!(futures::future::join_all(publishes), futures::future::join_all(deletions));
    assert!(published.iter().all(|s| *s == 200) && deleted.iter().all(|s| *s == 204), "{published:?} {deleted:?}");
    for gone in leaving {
        assert_eq!(rows_of(&app, gone.id).await, 0, "no timeline row of a deleted account is left");
    }
    assert_timelines(&app, &followers[4..], "followers left while the author published").await;
}

/// An author with one shared post publishes another while deleting (or hiding) the first, at once: the
/// running total their followers' totals are summed from ends at exactly one, whichever commits first.
async fn one_authors_publish_and_delete_at_once_keep_the_total_exact(backend: Backend) {
    let app = roomy_app(backend).await;
    let author = app.register("busy-author@example.com").await;
    let followers = register_many(&app, "watcher", 2).await;
    for f in &followers {
        expect(&app, f, Method::POST, &format!("/api/v1/social/follow/{}", author.id), None, 200).await;
    }
    let mut shared = id(&draft(&app, &author, "the first even", "public").await);
    expect(&app, &author, Method::POST, &format!("/api/v1/social/posts/{shared}/publish"), None, 200).await;
    for round in 0..8 {
        let next = id(&draft(&app, &author, &format!("round {round} even"), "followers").await);
        let publish = format!("/api/v1/social/posts/{next}/publish");
        let gone = format!("/api/v1/social/posts/{shared}");
        let (hide, method, want) = if round % 2 == 0 {
            (Some(json!({"visibility": "private"})), Method::PATCH, 200)
        } else {
            (None, Method::DELETE, 204)
        };
        let ((published, _), (ended, _)) =
            tokio::join!(call(&app, &author, Method::POST, &publish, None), call(&app, &author, method, &gone, hide));
        assert_eq!((published, ended), (200, want), "round {round}");
        assert_timelines(&app, &followers, &format!("publish and delete at once, round {round}")).await;
        shared = next;
    }
}

/// Posts and follows stored before migration 0013 are in the timeline once it is applied.
async fn posts_and_follows_from_before_the_timeline_are_in_it(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let url = backend.fresh_url(dir.path()).await;
    let db = Db::connect(&ConnectOptions::new(&url)).await.unwrap();
    let folder = if matches!(backend, Backend::Sqlite) { "sqlite" } else { "postgres" };
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../store/migrations").join(folder);
    let mut before = sqlx::migrate::Migrator::new(path).await.unwrap();
    before.migrations = Cow::Owned(before.migrations.iter().filter(|m| m.version < 13).cloned().collect());
    with_db!(&db, |pool| before.run(pool).await).unwrap();

    let (ann, ben, cat) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let now = Utc::now();
    let minute = chrono::Duration::minutes(1);
    // (author, visibility, status, minutes ago)
    let posts: Vec<(Uuid, Uuid, &str, &str, i64)> = vec![
        (Uuid::now_v7(), ann, "public", "published", 5),
        (Uuid::now_v7(), ann, "followers", "published", 3),
        (Uuid::now_v7(), ann, "private", "published", 2),
        (Uuid::now_v7(), ann, "public", "draft", 1),
        (Uuid::now_v7(), cat, "public", "published", 4),
    ];
    with_db!(&db, |pool| {
        for user in [ann, ben, cat] {
            sqlx::query(
                "INSERT INTO users (id, email, auth_source, created_at, updated_at) VALUES ($1, $2, 'builtin', $3, $3)",
            )
            .bind(user)
            .bind(format!("{user}@example.com"))
            .bind(now)
            .execute(pool)
            .await
            .unwrap();
        }
        // Ben follows ann; cat follows ann across a block (which the application never leaves, but a
        // database from elsewhere might hold): cat's timeline stays empty.
        for (follower, block) in [(ben, false), (cat, true)] {
            sqlx::query("INSERT INTO user_follows (user_id, followed_id, created_at) VALUES ($1, $2, $3)")
                .bind(follower)
                .bind(ann)
                .bind(now)
                .execute(pool)
                .await
                .unwrap();
            if block {
                sqlx::query("INSERT INTO social_blocks (user_id, blocked_user_id, created_at) VALUES ($1, $2, $3)")
                    .bind(ann)
                    .bind(follower)
                    .bind(now)
                    .execute(pool)
                    .await
                    .unwrap();
            }
        }
        for (post, author, visibility, status, ago) in &posts {
            let at = now - minute * (*ago as i32);
            sqlx::query(
                "INSERT INTO social_posts (id, user_id, content, tags, visibility, status, created_at, updated_at, \
                 published_at) VALUES ($1, $2, 'old', '[]', $3, $4, $5, $5, $6)",
            )
            .bind(post)
            .bind(author)
            .bind(visibility)
            .bind(status)
            .bind(at)
            .bind((*status == "published").then_some(at))
            .execute(pool)
            .await
            .unwrap();
        }
        // Ben likes and twice comments on ann's first post (migration 0015 counts them).
        sqlx::query("INSERT INTO post_likes (post_id, user_id, created_at) VALUES ($1, $2, $3)")
            .bind(posts[0].0)
            .bind(ben)
            .bind(now)
            .execute(pool)
            .await
            .unwrap();
        for _ in 0..2 {
            sqlx::query(
                "INSERT INTO post_comments (id, post_id, user_id, content, created_at, updated_at) \
                 VALUES ($1, $2, $3, 'hi', $4, $4)",
            )
            .bind(Uuid::now_v7())
            .bind(posts[0].0)
            .bind(ben)
            .bind(now)
            .execute(pool)
            .await
            .unwrap();
        }
    });

    db.migrate().await.unwrap();
    let timeline: Vec<(Uuid, Uuid)> = with_db!(&db, |pool| {
        sqlx::query_as("SELECT viewer_id, post_id FROM feed_entries ORDER BY published_at DESC").fetch_all(pool).await
    })
    .unwrap();
    assert_eq!(timeline, [(ben, posts[1].0), (ben, posts[0].0)], "ben's timeline holds ann's two shared posts");
    // Migration 0014: the authors' running totals of shared posts, and the follow across a block ended.
    let mut totals: Vec<(Uuid, i64)> = with_db!(&db, |pool| {
        sqlx::query_as("SELECT author_id, posts FROM social_shared_posts").fetch_all(pool).await
    })
    .unwrap();
    let follows: Vec<(Uuid, Uuid)> =
        with_db!(&db, |pool| { sqlx::query_as("SELECT user_id, followed_id FROM user_follows").fetch_all(pool).await })
            .unwrap();
    totals.sort();
    let mut want = vec![(ann, 2), (cat, 1)];
    want.sort();
    assert_eq!(totals, want, "ann shares two posts, cat one; drafts and private posts are not counted");
    assert_eq!(follows, [(ben, ann)], "cat's follow across ann's block is ended");
    // Migration 0015: each post's likes and comments, counted from the rows already there.
    let counts: Vec<(Uuid, i64, i64)> = with_db!(&db, |pool| {
        sqlx::query_as(
            "SELECT id, likes_count, comments_count FROM social_posts WHERE likes_count + comments_count > 0",
        )
        .fetch_all(pool)
        .await
    })
    .unwrap();
    assert_eq!(counts, [(posts[0].0, 1, 2)], "ann's first post has one like and two comments");
}
