//! Blocks: one user shutting another out. A block works both ways whoever made it: neither can message
//! or follow the other, blocking ends any follow between them, and neither sees the other's posts, card
//! or position. Messages already exchanged stay in both inboxes; groups and events are unaffected.
//!
//! Only the blocker ever sees a block (their list, their export). The blocked person is told no more than
//! "you can't message / follow this person", and finds the blocker's card and posts "not found", as for
//! a private profile.

use chrono::{DateTime, Utc};
use pam_kernel::{DomainError, ListMeta, Page};
use pam_store::with_db;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::SocialState;
use crate::people::{card_visible, gone_or_internal};

/// SQL that is true when neither of the two users (each a parameter like `$1` or a column like
/// `p.user_id`) has blocked the other. A macro so that it can be pasted into the crate's constant SQL
/// (`concat!`), and so every read that hides blocked people uses the same test.
macro_rules! not_blocked_sql {
    ($a:literal, $b:literal) => {
        concat!(
            "NOT EXISTS (SELECT 1 FROM social_blocks blk WHERE (blk.user_id = ",
            $a,
            " AND blk.blocked_user_id = ",
            $b,
            ") OR (blk.user_id = ",
            $b,
            " AND blk.blocked_user_id = ",
            $a,
            "))"
        )
    };
}
pub(crate) use not_blocked_sql;

/// Someone the caller has blocked.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = UserBlock)]
pub struct Block {
    pub blocked_user_id: Uuid,
    /// Their name, when their card would be visible to the caller (a public profile).
    pub display_name: Option<String>,
    /// When the caller blocked them.
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BlockList {
    pub blocks: Vec<Block>,
    #[serde(flatten)]
    pub meta: ListMeta,
}

/// A block as stored and exported: whom the user blocked and when.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct BlockRow {
    pub blocked_user_id: Uuid,
    pub created_at: DateTime<Utc>,
}

fn not_yourself() -> DomainError {
    DomainError::invalid(&["path", "user_id"], "you cannot block yourself")
}

/// Who, of `a` and `b`, has blocked the other (none, one or both of them).
pub(crate) async fn blockers(state: &SocialState, a: Uuid, b: Uuid) -> Result<Vec<Uuid>, DomainError> {
    Ok(with_db!(&state.db, |pool| {
        sqlx::query_scalar(
            "SELECT user_id FROM social_blocks WHERE (user_id = $1 AND blocked_user_id = $2) \
             OR (user_id = $2 AND blocked_user_id = $1)",
        )
        .bind(a)
        .bind(b)
        .fetch_all(pool)
        .await
    })?)
}

/// The refusal when `me` may not `verb` ("message", "follow") someone because of `blockers`, or `None`
/// when nobody blocked anybody. The blocker is reminded of their own block; the blocked person is told
/// only that they can't — the same 403 as when someone takes no messages, nothing that names a block.
pub(crate) fn refusal(me: Uuid, blockers: &[Uuid], verb: &str) -> Option<DomainError> {
    if blockers.contains(&me) {
        Some(DomainError::Forbidden(format!("You have blocked this person; unblock them to {verb} them")))
    } else if blockers.is_empty() {
        None
    } else {
        Some(DomainError::Forbidden(format!("You can't {verb} this person")))
    }
}

/// Refuses `verb` between `me` and `other` when either has blocked the other.
pub(crate) async fn ensure_not_blocked(
    state: &SocialState,
    me: Uuid,
    other: Uuid,
    verb: &str,
) -> Result<(), DomainError> {
    match refusal(me, &blockers(state, me, other).await?, verb) {
        Some(refused) => Err(refused),
        None => Ok(()),
    }
}

/// What the caller may be shown of someone they blocked.
async fn shown(state: &SocialState, viewer: Uuid, row: BlockRow) -> Result<Block, DomainError> {
    let display_name = match state.people.privacy_if_any(row.blocked_user_id).await? {
        Some(privacy) if card_visible(state, viewer, row.blocked_user_id, &privacy).await? => {
            state.people.person_if_any(row.blocked_user_id).await?.and_then(|p| p.display_name)
        }
        _ => None,
    };
    Ok(Block { blocked_user_id: row.blocked_user_id, display_name, created_at: row.created_at })
}

/// Blocks `target` (blocking again changes nothing and keeps the first time), and ends any follow
/// between the two, both in one transaction; an unknown user is "not found".
pub async fn block(state: &SocialState, user_id: Uuid, target: Uuid) -> Result<Block, DomainError> {
    if target == user_id {
        return Err(not_yourself());
    }
    state.people.privacy(target).await?;
    // The two follow rows, always in the same order, so two people blocking each other at once take
    // their locks in the same order and never deadlock.
    let (low, high) = if user_id < target { (user_id, target) } else { (target, user_id) };
    let now = Utc::now();
    // The block ends follows both ways.
    let (_mine, _theirs) = (state.totals.follows_changing(user_id), state.totals.follows_changing(target));
    let row: BlockRow = with_db!(&state.db, |pool| {
        let mut tx = pool.begin().await?;
        if crate::follows::locks_rows(&state.db) {
            sqlx::query(crate::follows::LOCK_PAIR).bind(user_id).bind(target).execute(&mut *tx).await?;
        }
        sqlx::query(
            "INSERT INTO social_blocks (user_id, blocked_user_id, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id, blocked_user_id) DO NOTHING",
        )
        .bind(user_id)
        .bind(target)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        // A follow being written right now is not visible to the DELETE below. Claiming both follow keys
        // first makes this wait for such a write (and a follow arriving later wait for this one, then
        // see the block: see `follows::follow`), so no follow survives the block.
        for (follower, followed) in [(low, high), (high, low)] {
            sqlx::query(
                "INSERT INTO user_follows (user_id, followed_id, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (user_id, followed_id) DO NOTHING",
            )
            .bind(follower)
            .bind(followed)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "DELETE FROM user_follows WHERE (user_id = $1 AND followed_id = $2) OR (user_id = $2 AND followed_id = $1)",
        )
        .bind(user_id)
        .bind(target)
        .execute(&mut *tx)
        .await?;
        let row = sqlx::query_as(
            "SELECT blocked_user_id, created_at FROM social_blocks WHERE user_id = $1 AND blocked_user_id = $2",
        )
        .bind(user_id)
        .bind(target)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok::<_, sqlx::Error>(row)
    })
    .map_err(|e| gone_or_internal(e, "User"))?;
    tracing::info!(user.id = %user_id, "user blocked someone");
    shown(state, user_id, row).await
}

/// Lifts the caller's block of `target`; "not found" when they had not blocked them. A block the other
/// person made stays.
pub async fn unblock(state: &SocialState, user_id: Uuid, target: Uuid) -> Result<(), DomainError> {
    if target == user_id {
        return Err(not_yourself());
    }
    let n = with_db!(&state.db, |pool| {
        sqlx::query("DELETE FROM social_blocks WHERE user_id = $1 AND blocked_user_id = $2")
            .bind(user_id)
            .bind(target)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })?;
    if n == 0 {
        return Err(DomainError::NotFound("You have not blocked this person".into()));
    }
    tracing::info!(user.id = %user_id, "user lifted a block");
    Ok(())
}

/// The people the caller has blocked, most recent first.
pub async fn list(state: &SocialState, user_id: Uuid, page: Page) -> Result<BlockList, DomainError> {
    let (rows, total): (Vec<BlockRow>, i64) = with_db!(&state.db, |pool| {
        let rows = sqlx::query_as(
            "SELECT blocked_user_id, created_at FROM social_blocks WHERE user_id = $1 \
             ORDER BY created_at DESC, blocked_user_id DESC LIMIT $2 OFFSET $3",
        )
        .bind(user_id)
        .bind(page.limit)
        .bind(page.offset)
        .fetch_all(pool)
        .await?;
        let total = sqlx::query_scalar("SELECT count(*) FROM social_blocks WHERE user_id = $1")
            .bind(user_id)
            .fetch_one(pool)
            .await?;
        Ok::<_, sqlx::Error>((rows, total))
    })?;
    let mut blocks = Vec::with_capacity(rows.len());
    for row in rows {
        blocks.push(shown(state, user_id, row).await?);
    }
    Ok(BlockList { blocks, meta: page.meta(total) })
}

/// Everyone a user blocked (the account export). Blocks others made of them are theirs, not this user's.
pub async fn all_of(state: &SocialState, user_id: Uuid) -> Result<Vec<BlockRow>, DomainError> {
    Ok(with_db!(&state.db, |pool| {
        sqlx::query_as(
            "SELECT blocked_user_id, created_at FROM social_blocks WHERE user_id = $1 ORDER BY created_at, blocked_user_id",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await
    })?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_blocked_person_is_told_only_that_they_cannot() {
        let (me, them) = (Uuid::now_v7(), Uuid::now_v7());
        assert!(refusal(me, &[], "message").is_none());
        let Some(DomainError::Forbidden(theirs)) = refusal(me, &[them], "message") else { panic!("not refused") };
        assert_eq!(theirs, "You can't message this person");
        let Some(DomainError::Forbidden(mine)) = refusal(me, &[them, me], "follow") else { panic!("not refused") };
        assert!(mine.contains("unblock"), "{mine}");
    }

    #[test]
    fn the_either_way_test_names_both_sides() {
        assert_eq!(
            not_blocked_sql!("$1", "p.user_id"),
            "NOT EXISTS (SELECT 1 FROM social_blocks blk WHERE (blk.user_id = $1 AND blk.blocked_user_id = p.user_id) \
             OR (blk.user_id = p.user_id AND blk.blocked_user_id = $1))"
        );
    }
}
