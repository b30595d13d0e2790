//! Likes: one per user per post. The primary key (post_id, user_id) makes a repeated like a no-op, and
//! the post's count is kept by the database beside each row that goes in or out (migration 0015), so it
//! is exact however many like at once.

use chrono::{DateTime, Utc};
use pam_kernel::DomainError;
use pam_store::with_db;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::people::gone_or_internal;
use crate::{SocialState, posts};

/// A post's likes after the caller's change.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LikeState {
    pub post_id: Uuid,
    pub liked: bool,
    pub likes_count: i64,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Like {
    pub post_id: Uuid,
    pub created_at: DateTime<Utc>,
}

async fn count(state: &SocialState, post_id: Uuid) -> Result<i64, DomainError> {
    let count: Option<i64> = with_db!(&state.db, |pool| {
        sqlx::query_scalar("SELECT likes_count FROM social_posts WHERE id = $1")
            .bind(post_id)
            .fetch_optional(pool)
            .await
    })?;
    count.ok_or_else(|| DomainError::not_found("Post"))
}

/// Likes a published post the caller may see; liking it again changes nothing.
pub async fn like(state: &SocialState, user_id: Uuid, post_id: Uuid) -> Result<LikeState, DomainError> {
    posts::published(state, user_id, post_id).await?;
    let _cached = state.posts.changing(post_id);
    // The post's count is updated beside the row: see `retry_lost_transactions`.
    pam_store::retry_lost_transactions(|| async {
        with_db!(&state.db, |pool| {
            sqlx::query(
                "INSERT INTO post_likes (post_id, user_id, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (post_id, user_id) DO NOTHING",
            )
            .bind(post_id)
            .bind(user_id)
            .bind(Utc::now())
            .execute(pool)
            .await
            .map(|_| ())
        })
    })
    .await
    .map_err(|e| gone_or_internal(e, "Post"))?;
    Ok(LikeState { post_id, liked: true, likes_count: count(state, post_id).await? })
}

/// Takes the caller's like back (none to take back is fine) on a post they may see.
pub async fn unlike(state: &SocialState, user_id: Uuid, post_id: Uuid) -> Result<(), DomainError> {
    posts::get(state, user_id, post_id).await?;
    // The post first, then the like: the order a deletion of the post takes them in (its cascade
    // removes the like), so the two cannot deadlock over the count the like's removal updates.
    let locks = crate::follows::locks_rows(&state.db);
    let _cached = state.posts.changing(post_id);
    pam_store::retry_lost_transactions(|| async {
        with_db!(&state.db, |pool| {
            let mut tx = pool.begin().await?;
            if locks {
                sqlx::query(LOCK_POST).bind(post_id).execute(&mut *tx).await?;
            }
            sqlx::query("DELETE FROM post_likes WHERE post_id = $1 AND user_id = $2")
                .bind(post_id)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await
        })
    })
    .await?;
    Ok(())
}

/// Postgres: the post row a change of its likes or comments will update (migration 0015), locked first.
pub(crate) const LOCK_POST: &str = "SELECT 1 FROM social_posts WHERE id = $1 FOR NO KEY UPDATE";

/// Every like a user gave (the account export).
pub async fn all_of(state: &SocialState, user_id: Uuid) -> Result<Vec<Like>, DomainError> {
    Ok(with_db!(&state.db, |pool| {
        sqlx::query_as("SELECT post_id, created_at FROM post_likes WHERE user_id = $1 ORDER BY created_at")
            .bind(user_id)
            .fetch_all(pool)
            .await
    })?)
}
