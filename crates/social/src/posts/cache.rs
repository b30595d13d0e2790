//! Published posts kept in this process, for the following feed: its page is then the viewer's
//! timeline ids with their likes (one index range) and, from here, the posts themselves, where reading
//! fifty posts scattered over the table cost the database more than everything else on the page (see
//! bench/RESULTS.md).
//!
//! An entry is dropped here and on every other instance by each write that changes what it holds: an
//! edit, publishing, deleting, a like or its removal, a comment or its removal (`changing`), and an
//! account deletion, whose cascade takes its likes and comments off other people's posts
//! (`account_deleted`). A value read while such a write was being announced is not stored (the
//! platform cache's mark), and entries expire after [`POST_TTL`], the bound on staleness should an
//! announcement be lost.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use pam_kernel::DomainError;
use pam_platform::cache::{Cache, InvalidateOnDrop, Invalidations};
use pam_store::with_db;
use uuid::Uuid;

use super::{STORED_COLUMNS, StoredPost};

/// As long as the identity and profile caches trust theirs.
pub const POST_TTL: Duration = Duration::from_secs(30);

/// Bytes of post text held at most (a post is up to 5,000 characters; most are a few hundred).
const CAPACITY_BYTES: u64 = 32 * 1024 * 1024;

/// The cache's name on the invalidation bus.
const NAME: &str = "post";

#[derive(Clone)]
pub struct PostCache(Cache<Arc<StoredPost>>);

impl PostCache {
    pub fn new(bus: Arc<dyn Invalidations>) -> PostCache {
        PostCache(Cache::weighed(NAME, CAPACITY_BYTES, weight, POST_TTL, bus))
    }

    /// Made before a write to post `id`: drops its entry however the write ends (see
    /// [`Cache::invalidate_when_done`]).
    pub(crate) fn changing(&self, id: Uuid) -> InvalidateOnDrop<'_, Arc<StoredPost>> {
        self.0.invalidate_when_done(id)
    }

    /// After an account's rows are gone: the posts it liked or commented on lost a like or a comment
    /// by cascade, and which they were is no longer known.
    pub fn account_deleted(&self) {
        self.0.invalidate_all();
    }

    /// How many posts this instance holds now.
    pub fn entry_count(&self) -> u64 {
        self.0.entry_count()
    }

    /// The published, shared posts among `ids`, from here or else from the database in one statement
    /// (then kept). A post deleted, unpublished or made private meanwhile is simply absent.
    pub(crate) async fn shared_posts(
        &self,
        db: &pam_store::Db,
        ids: &[Uuid],
    ) -> Result<HashMap<Uuid, Arc<StoredPost>>, DomainError> {
        let mut found = HashMap::with_capacity(ids.len());
        let mut missing = Vec::new();
        for id in ids {
            match self.0.get(id) {
                Some(post) => {
                    found.insert(*id, post);
                }
                None => missing.push(*id),
            }
        }
        if missing.is_empty() {
            return Ok(found);
        }
        let mark = self.0.mark();
        let rows: Vec<StoredPost> = with_db!(db, |pool| {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(shared_posts_statement(missing.len())));
            for id in &missing {
                query = query.bind(*id);
            }
            query.fetch_all(pool).await
        })?;
        for row in rows {
            let post = Arc::new(row);
            self.0.insert(post.id, post.clone(), mark);
            found.insert(post.id, post);
        }
        Ok(found)
    }
}

/// `n` posts by id, if still published and shared (at most a page, so at most 1,000).
fn shared_posts_statement(n: usize) -> String {
    format!(
        "SELECT {STORED_COLUMNS} FROM social_posts p WHERE p.id IN ({}) \
         AND p.status = 'published' AND p.visibility IN ('public', 'followers')",
        placeholders(n)
    )
}

/// `$1, $2, … $n`: a list of ids to bind one by one, the same SQL on both databases.
pub(crate) fn placeholders(n: usize) -> String {
    let mut list = String::with_capacity(n * 6);
    for i in 1..=n {
        if i > 1 {
            list.push_str(", ");
        }
        list.push('$');
        list.push_str(&i.to_string());
    }
    list
}

/// Roughly the bytes an entry holds.
fn weight(post: &Arc<StoredPost>) -> u32 {
    let text = post.content.len()
        + post.title.as_ref().map_or(0, String::len)
        + post.image_url.as_ref().map_or(0, String::len)
        + post.location.as_ref().map_or(0, String::len)
        + post.tags.0.iter().map(String::len).sum::<usize>();
    u32::try_from(256 + text).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_statement_numbers_one_placeholder_per_id() {
        let sql = shared_posts_statement(3);
        assert!(sql.contains("p.id IN ($1, $2, $3) AND"), "{sql}");
        assert!(shared_posts_statement(1).contains("IN ($1) AND"));
    }
}
