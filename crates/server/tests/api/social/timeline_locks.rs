//! The timeline's locks on Postgres (migration 0013): a follow change and a post change by the same
//! author, in two transactions at once, interleaved by hand so that each order that would lose a row or
//! keep a stale one without the lock is tried.

use pam_store::Db;
use uuid::Uuid;

use super::{draft, id, roomy_app};
use crate::helpers::Backend;

/// On Postgres a follow (or unfollow) and a publish by the same author, in two transactions at once,
/// each cannot see the other's uncommitted row; the triggers lock the author's `users` row so the later
/// one waits and then sees the earlier one. Here the two are interleaved by hand, in every order that
/// would lose or keep a row without the lock.
#[tokio::test]
async fn a_follow_and_a_publish_in_flight_at_once_wait_for_each_other_on_postgres() {
    let Some(pg) = Backend::postgres_for("social::timeline::a_follow_and_a_publish_in_flight_at_once") else {
        return;
    };
    let app = roomy_app(pg).await;
    let Db::Postgres(pool) = app.db().clone() else { unreachable!("a Postgres app") };
    let author = app.register("locked-author@example.com").await;
    let viewer = app.register("locked-viewer@example.com").await;
    let viewer_id = viewer.id;
    let entries = |pool: sqlx::PgPool| async move {
        sqlx::query_scalar::<_, Uuid>("SELECT post_id FROM feed_entries WHERE viewer_id = $1 ORDER BY post_id")
            .bind(viewer_id)
            .fetch_all(&pool)
            .await
            .unwrap()
    };
    let publish = |post: Uuid| {
        let pool = pool.clone();
        tokio::spawn(async move {
            sqlx::query(
                "UPDATE social_posts SET status = 'published', published_at = now(), updated_at = now() WHERE id = $1",
            )
            .bind(post)
            .execute(&pool)
            .await
            .unwrap();
        })
    };
    let new_draft = |n: u32| {
        let (app, author) = (&app, &author);
        async move { Uuid::parse_str(&id(&draft(app, author, &format!("draft {n}"), "public").await)).unwrap() }
    };
    let follow_sql = "INSERT INTO user_follows (user_id, followed_id, created_at) VALUES ($1, $2, now())";

    // A follow not yet committed, then a publish: the publish waits, then fans out to the new follower.
    let first = new_draft(1).await;
    let mut follow = pool.begin().await.unwrap();
    sqlx::query(follow_sql).bind(viewer.id).bind(author.id).execute(&mut *follow).await.unwrap();
    let publishing = publish(first);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(!publishing.is_finished(), "the publish waits for the follow in flight");
    follow.commit().await.unwrap();
    publishing.await.unwrap();
    assert_eq!(entries(pool.clone()).await, [first], "the post reached the follower who came at the same moment");

    // A publish not yet committed, then an unfollow: the unfollow waits, then removes the new row too.
    let second = new_draft(2).await;
    let mut publishing = pool.begin().await.unwrap();
    sqlx::query("UPDATE social_posts SET status = 'published', published_at = now(), updated_at = now() WHERE id = $1")
        .bind(second)
        .execute(&mut *publishing)
        .await
        .unwrap();
    let unfollow = {
        let pool = pool.clone();
        let (viewer, author) = (viewer.id, author.id);
        tokio::spawn(async move {
            sqlx::query("DELETE FROM user_follows WHERE user_id = $1 AND followed_id = $2")
                .bind(viewer)
                .bind(author)
                .execute(&pool)
                .await
                .unwrap();
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(!unfollow.is_finished(), "the unfollow waits for the publish in flight");
    publishing.commit().await.unwrap();
    unfollow.await.unwrap();
    assert!(entries(pool.clone()).await.is_empty(), "nothing of the author's stays after the unfollow");

    // A publish not yet committed, then a follow: the follow waits, then takes the post in.
    let third = new_draft(3).await;
    let mut publishing = pool.begin().await.unwrap();
    sqlx::query("UPDATE social_posts SET status = 'published', published_at = now(), updated_at = now() WHERE id = $1")
        .bind(third)
        .execute(&mut *publishing)
        .await
        .unwrap();
    let following = {
        let pool = pool.clone();
        let (viewer, author) = (viewer.id, author.id);
        tokio::spawn(async move {
            sqlx::query(follow_sql).bind(viewer).bind(author).execute(&pool).await.unwrap();
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(!following.is_finished(), "the follow waits for the publish in flight");
    publishing.commit().await.unwrap();
    following.await.unwrap();
    let mut want = vec![first, second, third];
    want.sort();
    assert_eq!(entries(pool.clone()).await, want, "following again brings back every shared post");

    // A follow not yet committed, then the author deletes a post it took in: the delete waits, then its
    // row goes too.
    let mut unfollow = pool.begin().await.unwrap();
    sqlx::query("DELETE FROM user_follows WHERE user_id = $1 AND followed_id = $2")
        .bind(viewer.id)
        .bind(author.id)
        .execute(&mut *unfollow)
        .await
        .unwrap();
    unfollow.commit().await.unwrap();
    let mut follow = pool.begin().await.unwrap();
    sqlx::query(follow_sql).bind(viewer.id).bind(author.id).execute(&mut *follow).await.unwrap();
    let deleting = {
        let pool = pool.clone();
        tokio::spawn(async move {
            sqlx::query("DELETE FROM social_posts WHERE id = $1").bind(first).execute(&pool).await.unwrap();
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(!deleting.is_finished(), "the delete waits for the follow in flight");
    follow.commit().await.unwrap();
    deleting.await.unwrap();
    let mut want = vec![second, third];
    want.sort();
    assert_eq!(entries(pool.clone()).await, want, "the deleted post left the timeline");

    // An unfollow not yet committed, then a publish: the publish waits, then fans out to nobody.
    let fourth = new_draft(4).await;
    let mut unfollow = pool.begin().await.unwrap();
    sqlx::query("DELETE FROM user_follows WHERE user_id = $1 AND followed_id = $2")
        .bind(viewer.id)
        .bind(author.id)
        .execute(&mut *unfollow)
        .await
        .unwrap();
    let publishing = publish(fourth);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(!publishing.is_finished(), "the publish waits for the unfollow in flight");
    unfollow.commit().await.unwrap();
    publishing.await.unwrap();
    assert!(entries(pool.clone()).await.is_empty(), "nothing reached the person who just left");
}
