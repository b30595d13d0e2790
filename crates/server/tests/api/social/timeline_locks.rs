//! The timeline's locks on Postgres (migration 0013): a follow change and a post change by the same
//! author, in two transactions at once, interleaved by hand so that each order that would lose a row or
//! keep a stale one without the lock is tried.

use pam_store::Db;
use sqlx::PgPool;
use uuid::Uuid;

use super::{draft, id, roomy_app};
use crate::helpers::Backend;

const FOLLOW: &str = "INSERT INTO user_follows (user_id, followed_id, created_at) VALUES ($1, $2, now())";
const UNFOLLOW: &str = "DELETE FROM user_follows WHERE user_id = $1 AND followed_id = $2";
const PUBLISH: &str = "UPDATE social_posts SET status = 'published', published_at = now(), updated_at = now() \
     WHERE id = $1";
const DELETE: &str = "DELETE FROM social_posts WHERE id = $1";

/// Runs `first` in a transaction left open, then `second` on its own: asserts that `second` waits (for
/// the lock `first`'s trigger took), commits `first`, and lets `second` finish.
async fn second_waits_for_first(pool: &PgPool, first: (&'static str, &[Uuid]), second: (&'static str, Vec<Uuid>)) {
    let mut open = pool.begin().await.unwrap();
    let mut statement = sqlx::query(first.0);
    for id in first.1 {
        statement = statement.bind(*id);
    }
    statement.execute(&mut *open).await.unwrap();
    let waiting = {
        let pool = pool.clone();
        tokio::spawn(async move {
            let mut statement = sqlx::query(second.0);
            for id in second.1 {
                statement = statement.bind(id);
            }
            statement.execute(&pool).await.unwrap();
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(!waiting.is_finished(), "{:?} waits for {:?} in flight", second.0, first.0);
    open.commit().await.unwrap();
    waiting.await.unwrap();
}

/// On Postgres a follow (or unfollow) and a publish or delete by the same author, in two transactions at
/// once, each cannot see the other's uncommitted row; the triggers lock the author's `users` row so the
/// later one waits and then sees the earlier one. Here the two are interleaved by hand, in every order
/// that would lose or keep a row without the lock.
#[tokio::test]
async fn a_follow_and_a_publish_in_flight_at_once_wait_for_each_other_on_postgres() {
    let Some(pg) = Backend::postgres_for("social::timeline::a_follow_and_a_publish_in_flight_at_once") else {
        return;
    };
    let app = roomy_app(pg).await;
    let Db::Postgres(pool) = app.db().clone() else { unreachable!("a Postgres app") };
    let author = app.register("locked-author@example.com").await;
    let viewer = app.register("locked-viewer@example.com").await;
    let pair = [viewer.id, author.id];
    let entries = || async {
        sqlx::query_scalar::<_, Uuid>("SELECT post_id FROM feed_entries WHERE viewer_id = $1 ORDER BY post_id")
            .bind(viewer.id)
            .fetch_all(&pool)
            .await
            .unwrap()
    };
    let new_draft = |n: u32| {
        let (app, author) = (&app, &author);
        async move { Uuid::parse_str(&id(&draft(app, author, &format!("draft {n}"), "public").await)).unwrap() }
    };
    let sorted = |mut ids: Vec<Uuid>| {
        ids.sort();
        ids
    };

    // A follow in flight, then a publish: the publish fans out to the new follower.
    let first = new_draft(1).await;
    second_waits_for_first(&pool, (FOLLOW, &pair), (PUBLISH, vec![first])).await;
    assert_eq!(entries().await, [first], "the post reached the follower who came at the same moment");

    // A publish in flight, then an unfollow: the unfollow removes the new row too.
    let second = new_draft(2).await;
    second_waits_for_first(&pool, (PUBLISH, &[second]), (UNFOLLOW, pair.to_vec())).await;
    assert!(entries().await.is_empty(), "nothing of the author's stays after the unfollow");

    // A publish in flight, then a follow: the follow takes the post in.
    let third = new_draft(3).await;
    second_waits_for_first(&pool, (PUBLISH, &[third]), (FOLLOW, pair.to_vec())).await;
    assert_eq!(entries().await, sorted(vec![first, second, third]), "following again brings back every shared post");

    // An unfollow, then a follow in flight and a delete of a post it took in: that row goes too.
    sqlx::query(UNFOLLOW).bind(viewer.id).bind(author.id).execute(&pool).await.unwrap();
    second_waits_for_first(&pool, (FOLLOW, &pair), (DELETE, vec![first])).await;
    assert_eq!(entries().await, sorted(vec![second, third]), "the deleted post left the timeline");

    // An unfollow in flight, then a publish: it fans out to nobody.
    let fourth = new_draft(4).await;
    second_waits_for_first(&pool, (UNFOLLOW, &pair), (PUBLISH, vec![fourth])).await;
    assert!(entries().await.is_empty(), "nothing reached the person who just left");
}
