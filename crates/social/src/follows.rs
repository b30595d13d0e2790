//! Follows: one user following another. Following someone shows their followers-only posts; two people
//! who follow each other are friends (messages, friends-only cards and shared locations). Nobody follows
//! across a block (see [`blocks`](crate::blocks)).

use chrono::{DateTime, Utc};
use pam_kernel::DomainError;
use pam_store::with_db;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::SocialState;
use crate::blocks::refusal;
use crate::people::gone_or_internal;

/// The caller's relation to another user after a change.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FollowState {
    pub user_id: Uuid,
    pub following: bool,
    pub followers_count: i64,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Follow {
    pub followed_id: Uuid,
    pub created_at: DateTime<Utc>,
}

/// How many follow `user_id`, and how many they follow.
pub async fn counts(state: &SocialState, user_id: Uuid) -> Result<(i64, i64), DomainError> {
    Ok(with_db!(&state.db, |pool| {
        let followers = sqlx::query_scalar("SELECT count(*) FROM user_follows WHERE followed_id = $1")
            .bind(user_id)
            .fetch_one(pool)
            .await?;
        let following = sqlx::query_scalar("SELECT count(*) FROM user_follows WHERE user_id = $1")
            .bind(user_id)
            .fetch_one(pool)
            .await?;
        Ok::<_, sqlx::Error>((followers, following))
    })?)
}

/// Locks two people's `users` rows, in id order, before a follow between them changes (Postgres; SQLite
/// runs one writer at a time). The timeline triggers (migration 0013) lock the followed person's row; taking
/// both here first, before any follow row, means a change waiting for them holds nothing an account
/// deletion's cascade or a block between the same two needs, and the id order keeps two such changes from
/// waiting on each other.
pub(crate) const LOCK_PAIR: &str = "SELECT 1 FROM users WHERE id IN ($1, $2) ORDER BY id FOR NO KEY UPDATE";

/// Whether [`LOCK_PAIR`] is needed (and understood): on Postgres.
pub(crate) fn locks_rows(db: &pam_store::Db) -> bool {
    db.kind() == pam_store::DbKind::Postgres
}

fn not_yourself() -> DomainError {
    DomainError::invalid(&["path", "user_id"], "you cannot follow yourself")
}

/// Follows another user (following again changes nothing); an unknown user is "not found", and a block
/// either way is refused (403).
pub async fn follow(state: &SocialState, user_id: Uuid, target: Uuid) -> Result<FollowState, DomainError> {
    if target == user_id {
        return Err(not_yourself());
    }
    state.people.privacy(target).await?;
    let _total = state.totals.follows_changing(user_id);
    // The block test comes after the insert, in the same transaction: a block committed while this runs
    // is then seen (or the block, which claims the follow rows first, waits for this and removes the row
    // it wrote). Testing before the insert would leave a window for a follow to outlive a block.
    let blocked_by: Vec<Uuid> = with_db!(&state.db, |pool| {
        let mut tx = pool.begin().await?;
        if locks_rows(&state.db) {
            sqlx::query(LOCK_PAIR).bind(user_id).bind(target).execute(&mut *tx).await?;
        }
        sqlx::query(
            "INSERT INTO user_follows (user_id, followed_id, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id, followed_id) DO NOTHING",
        )
        .bind(user_id)
        .bind(target)
        .bind(Utc::now())
        .execute(&mut *tx)
        .await?;
        let blocked_by = sqlx::query_scalar(
            "SELECT user_id FROM social_blocks WHERE (user_id = $1 AND blocked_user_id = $2) \
             OR (user_id = $2 AND blocked_user_id = $1)",
        )
        .bind(user_id)
        .bind(target)
        .fetch_all(&mut *tx)
        .await?;
        if refusal(user_id, &blocked_by, "follow").is_some() {
            tx.rollback().await?;
        } else {
            tx.commit().await?;
        }
        Ok::<_, sqlx::Error>(blocked_by)
    })
    .map_err(|e| gone_or_internal(e, "User"))?;
    if let Some(refused) = refusal(user_id, &blocked_by, "follow") {
        return Err(refused);
    }
    let (followers_count, _) = counts(state, target).await?;
    Ok(FollowState { user_id: target, following: true, followers_count })
}

/// Stops following (not following already is fine); an unknown user is "not found".
pub async fn unfollow(state: &SocialState, user_id: Uuid, target: Uuid) -> Result<(), DomainError> {
    if target == user_id {
        return Err(not_yourself());
    }
    state.people.privacy(target).await?;
    let _total = state.totals.follows_changing(user_id);
    with_db!(&state.db, |pool| {
        let mut tx = pool.begin().await?;
        if locks_rows(&state.db) {
            sqlx::query(LOCK_PAIR).bind(user_id).bind(target).execute(&mut *tx).await?;
        }
        sqlx::query("DELETE FROM user_follows WHERE user_id = $1 AND followed_id = $2")
            .bind(user_id)
            .bind(target)
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    })?;
    Ok(())
}

/// Everyone a user follows (the account export).
pub async fn all_of(state: &SocialState, user_id: Uuid) -> Result<Vec<Follow>, DomainError> {
    Ok(with_db!(&state.db, |pool| {
        sqlx::query_as("SELECT followed_id, created_at FROM user_follows WHERE user_id = $1 ORDER BY created_at")
            .bind(user_id)
            .fetch_all(pool)
            .await
    })?)
}
