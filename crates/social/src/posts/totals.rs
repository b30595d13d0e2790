//! The following feed's total without a database read: the sum, over the people the viewer follows, of
//! each one's shared posts (published, public or for followers), the definition migration 0014 keeps
//! in `social_shared_posts`. Both parts are cached in this process: whom each viewer follows, and each
//! author's count. With the post cache this leaves the feed's page one index range of the timeline;
//! summing fifty authors' counts in the database had become most of what the page cost it (see
//! bench/RESULTS.md).
//!
//! A viewer's follows change by a follow, an unfollow or a block (which ends follows both ways), an
//! author's count by publishing, a visibility change or a deletion of one of their posts; each of those
//! writes drops the entry here and on every other instance, by a guard made before the write (so
//! however it ends). An account deletion drops everything (its cascade ends other people's follows of
//! it). A value read while a drop was announced is not stored, and entries expire after
//! [`super::POST_TTL`], as posts do.

use std::collections::HashMap;
use std::sync::Arc;

use pam_kernel::DomainError;
use pam_platform::cache::{Cache, InvalidateOnDrop, Invalidations};
use pam_store::with_db;
use uuid::Uuid;

use super::POST_TTL;
use super::cache::id_list;

/// Follow lists held at most, in bytes (an id is 16).
const FOLLOWS_BYTES: u64 = 16 * 1024 * 1024;

/// Authors whose count is held at most.
const AUTHORS: u64 = 200_000;

/// How many ids one statement asks about (a power of two: see [`id_list`]).
const CHUNK: usize = 512;

#[derive(Clone)]
pub struct TimelineTotals {
    follows: Cache<Arc<[Uuid]>>,
    shared: Cache<i64>,
}

impl TimelineTotals {
    pub fn new(bus: Arc<dyn Invalidations>) -> TimelineTotals {
        TimelineTotals {
            follows: Cache::weighed("follows", FOLLOWS_BYTES, weight, POST_TTL, bus.clone()),
            shared: Cache::new("shared_posts", AUTHORS, POST_TTL, bus),
        }
    }

    /// Made before a write to whom `user` follows.
    pub(crate) fn follows_changing(&self, user: Uuid) -> InvalidateOnDrop<Arc<[Uuid]>> {
        self.follows.invalidate_when_done(user)
    }

    /// Made before a write that may change how many of `author`'s posts are shared.
    pub(crate) fn author_changing(&self, author: Uuid) -> InvalidateOnDrop<i64> {
        self.shared.invalidate_when_done(author)
    }

    /// Made before an account deletion: other people's follows of it go by cascade.
    pub(crate) fn account_deleting(&self) -> (InvalidateOnDrop<Arc<[Uuid]>>, InvalidateOnDrop<i64>) {
        (self.follows.invalidate_all_when_done(), self.shared.invalidate_all_when_done())
    }

    /// How many posts are in `viewer`'s following timeline.
    pub(crate) async fn total(&self, db: &pam_store::Db, viewer: Uuid) -> Result<i64, DomainError> {
        let followed = self.followed(db, viewer).await?;
        let mut total = 0;
        let mut missing = Vec::new();
        for author in followed.iter() {
            match self.shared.get(author) {
                Some(n) => total += n,
                None => missing.push(*author),
            }
        }
        for chunk in missing.chunks(CHUNK) {
            let mark = self.shared.mark();
            let (placeholders, padded) = id_list(chunk);
            let counts: Vec<(Uuid, i64)> = with_db!(db, |pool| {
                let sql =
                    format!("SELECT author_id, posts FROM social_shared_posts WHERE author_id IN ({placeholders})");
                let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
                for author in &padded {
                    query = query.bind(*author);
                }
                query.fetch_all(pool).await
            })?;
            let counts: HashMap<Uuid, i64> = counts.into_iter().collect();
            // An author without a row has no shared posts.
            for author in chunk {
                let n = counts.get(author).copied().unwrap_or(0);
                self.shared.insert(*author, n, mark);
                total += n;
            }
        }
        Ok(total)
    }

    async fn followed(&self, db: &pam_store::Db, viewer: Uuid) -> Result<Arc<[Uuid]>, DomainError> {
        if let Some(followed) = self.follows.get(&viewer) {
            return Ok(followed);
        }
        let mark = self.follows.mark();
        let followed: Vec<Uuid> = with_db!(db, |pool| {
            sqlx::query_scalar("SELECT followed_id FROM user_follows WHERE user_id = $1")
                .bind(viewer)
                .fetch_all(pool)
                .await
        })?;
        let followed: Arc<[Uuid]> = followed.into();
        self.follows.insert(viewer, followed.clone(), mark);
        Ok(followed)
    }
}

/// Roughly the bytes a follow list holds.
fn weight(followed: &Arc<[Uuid]>) -> u32 {
    u32::try_from(64 + 16 * followed.len()).unwrap_or(u32::MAX)
}
