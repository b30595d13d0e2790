//! Published posts kept in this process, for the following feed: its page is then the viewer's
//! timeline ids with their likes (one index range) and, from here, the posts themselves, where reading
//! fifty posts scattered over the table cost the database more than everything else on the page (see
//! bench/RESULTS.md).
//!
//! An entry is dropped here and on every other instance by each write that changes what it holds: an
//! edit, publishing, deleting, a like or its removal, a comment or its removal (`changing`), and an
//! account deletion, whose cascade takes its likes and comments off other people's posts
//! (`account_deleting`). A value read while such a write was being announced is not stored (the
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
    pub(crate) fn changing(&self, id: Uuid) -> InvalidateOnDrop<Arc<StoredPost>> {
        self.0.invalidate_when_done(id)
    }

    /// Made before an account deletion: the posts it liked or commented on lose a like or a comment by
    /// cascade, and which they were is not known, so every entry goes.
    pub(crate) fn account_deleting(&self) -> InvalidateOnDrop<Arc<StoredPost>> {
        self.0.invalidate_all_when_done()
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
        let (placeholders, padded) = id_list(&missing);
        let rows: Vec<StoredPost> = with_db!(db, |pool| {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(shared_posts_statement(&placeholders)));
            for id in &padded {
                query = query.bind(*id);
            }
            query.fetch_all(pool).await
        })?;
        for row in rows.into_iter().filter(StoredPost::is_shared) {
            let post = Arc::new(row);
            self.0.insert(post.id, post.clone(), mark);
            found.insert(post.id, post);
        }
        Ok(found)
    }
}

/// Posts by id: `ids` as [`id_list`] gives them. Whether each is still published and shared is checked
/// on the rows ([`StoredPost::is_shared`]): with those conditions in the statement SQLite walks the
/// index of published posts instead of looking the ids up (a quarter of a second per page on the
/// bench's 100,000 posts).
fn shared_posts_statement(placeholders: &str) -> String {
    format!("SELECT {STORED_COLUMNS} FROM social_posts p WHERE p.id IN ({placeholders})")
}

/// `$1, $2, … $k` and the ids to bind to them one by one (the same SQL on both databases), padded to a
/// power of two by repeating the last id: each count is its own prepared statement, and one per count
/// would push the feed's own statements out of the connection's statement cache (100 entries).
pub(crate) fn id_list(ids: &[Uuid]) -> (String, Vec<Uuid>) {
    let k = ids.len().next_power_of_two();
    let mut padded = ids.to_vec();
    if let Some(last) = ids.last() {
        padded.resize(k, *last);
    }
    let mut list = String::with_capacity(padded.len() * 6);
    for i in 1..=padded.len() {
        if i > 1 {
            list.push_str(", ");
        }
        list.push('$');
        list.push_str(&i.to_string());
    }
    (list, padded)
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
    fn an_id_list_is_padded_to_a_power_of_two_with_its_last_id() {
        let ids: Vec<Uuid> = (0..3).map(|_| Uuid::now_v7()).collect();
        let (list, padded) = id_list(&ids);
        assert_eq!(list, "$1, $2, $3, $4");
        assert_eq!(padded, [ids[0], ids[1], ids[2], ids[2]]);
        assert_eq!(id_list(&ids[..1]), ("$1".to_string(), vec![ids[0]]));
        let fifty: Vec<Uuid> = (0..50).map(|_| Uuid::now_v7()).collect();
        let (list, padded) = id_list(&fifty);
        assert_eq!((padded.len(), list.matches('$').count()), (64, 64));
        assert!(list.ends_with("$63, $64"));
    }
}
