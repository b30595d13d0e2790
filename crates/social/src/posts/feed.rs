//! Reading many posts: the feed (everything the viewer may see, or only the people they follow), newest
//! first; the viewer's own drafts; a word search over the same visible set; every post of a user for the
//! account export.

use pam_kernel::{DomainError, Page};
use pam_store::with_db;
use uuid::Uuid;

use super::{COLUMNS, FeedFilter, FeedQuery, Post, PostList, PostRow, PostStatus, VISIBLE};
use crate::SocialState;

/// Matches the lower-cased pattern `$2` in the title or text, or everything when `$2` is null.
const MATCHES_WORDS: &str = "($2 IS NULL OR lower(p.content) LIKE $2 ESCAPE '\\' \
     OR lower(coalesce(p.title, '')) LIKE $2 ESCAPE '\\')";

/// `%words%`, lower-cased, with LIKE's own wildcards taken literally; blank is no search.
pub(crate) fn like_pattern(q: Option<&str>) -> Result<Option<String>, DomainError> {
    if q.is_some_and(|q| q.chars().count() > 200) {
        return Err(DomainError::invalid(&["query", "q"], "must be at most 200 characters"));
    }
    let Some(q) = q.map(str::trim).filter(|q| !q.is_empty()) else { return Ok(None) };
    let mut pattern = String::with_capacity(q.len() + 2);
    pattern.push('%');
    for ch in q.to_lowercase().chars() {
        if matches!(ch, '\\' | '%' | '_') {
            pattern.push('\\');
        }
        pattern.push(ch);
    }
    pattern.push('%');
    Ok(Some(pattern))
}

/// The page and count statements of a query (`$1` viewer, `$2` pattern, `$3` limit, `$4` offset); every
/// fragment is a constant of this module.
fn statements(q: &FeedQuery, has_words: bool) -> (String, String) {
    let (from, filter, order) = if q.status == Some(PostStatus::Draft) {
        // Drafts are only ever the caller's own.
        let filter = format!("p.user_id = $1 AND p.status = 'draft' AND {MATCHES_WORDS}");
        ("social_posts p", filter, "p.created_at DESC, p.id DESC")
    } else if q.filter.unwrap_or_default() == FeedFilter::Following {
        if !has_words {
            return (format!("SELECT {COLUMNS} {FOLLOWING_PAGE}"), FOLLOWING_TOTAL.to_string());
        }
        // The viewer's timeline (`feed_entries`, kept by the database's triggers: see migration 0013)
        // holds exactly the published, public or followers-only posts of the people they follow; nobody
        // follows across a block, and never themselves.
        (FOLLOWING, format!("e.viewer_id = $1 AND {MATCHES_WORDS}"), "e.published_at DESC, e.post_id DESC")
    } else {
        (
            "social_posts p",
            format!("p.status = 'published' AND {VISIBLE} AND {MATCHES_WORDS}"),
            "p.published_at DESC, p.id DESC",
        )
    };
    (
        format!("SELECT {COLUMNS} FROM {from} WHERE {filter} ORDER BY {order} LIMIT $3 OFFSET $4"),
        format!("SELECT count(*) FROM {from} WHERE {filter}"),
    )
}

/// The following feed: the viewer's timeline rows with their posts.
const FOLLOWING: &str = "feed_entries e JOIN social_posts p ON p.id = e.post_id";

/// The following feed's page without words to match: the page's post ids from the timeline alone (one
/// index range, newest first), then those posts. The same rows as the join in [`FOLLOWING`] (a timeline
/// row carries its post's `published_at`), but Postgres plans a join afresh on every call, which cost
/// more than running it (see bench/RESULTS.md). (`$2`, the absent pattern, is named so every statement
/// takes the same parameters.)
const FOLLOWING_PAGE: &str = "FROM social_posts p WHERE $2 IS NULL AND p.id IN (SELECT e.post_id FROM feed_entries e \
     WHERE e.viewer_id = $1 ORDER BY e.published_at DESC, e.post_id DESC LIMIT $3 OFFSET $4) \
     ORDER BY p.published_at DESC, p.id DESC";

/// Its total: the timeline's size is the sum of the followed authors' shared posts (kept by migration
/// 0014's triggers), so the count reads fifty rows, not every row of the timeline.
const FOLLOWING_TOTAL: &str = "SELECT CAST(coalesce(sum(s.posts), 0) AS BIGINT) FROM user_follows f \
     JOIN social_shared_posts s ON s.author_id = f.followed_id WHERE f.user_id = $1 AND $2 IS NULL";

/// One page and the number of matches, as two queries: a window count over the page query (`count(*)
/// OVER ()`) makes the database find every match before it can return the newest page, where alone
/// the page query walks the feed index newest first and stops at the page's end.
pub async fn list(state: &SocialState, viewer: Uuid, q: &FeedQuery, page: Page) -> Result<PostList, DomainError> {
    let pattern = like_pattern(q.q.as_deref())?;
    let (rows_sql, count_sql) = statements(q, pattern.is_some());
    let rows: Vec<PostRow> = with_db!(&state.db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(rows_sql.clone()))
            .bind(viewer)
            .bind(&pattern)
            .bind(page.limit)
            .bind(page.offset)
            .fetch_all(pool)
            .await
    })?;
    let total: i64 = with_db!(&state.db, |pool| {
        sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql.clone())).bind(viewer).bind(&pattern).fetch_one(pool).await
    })?;
    Ok(PostList { posts: rows.into_iter().map(PostRow::show).collect(), meta: page.meta(total) })
}

/// Every post of a user, drafts included, oldest first (the account export).
pub async fn all_of(state: &SocialState, user_id: Uuid) -> Result<Vec<Post>, DomainError> {
    let rows: Vec<PostRow> = with_db!(&state.db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM social_posts p WHERE p.user_id = $1 ORDER BY p.created_at, p.id"
        )))
        .bind(user_id)
        .fetch_all(pool)
        .await
    })?;
    Ok(rows.into_iter().map(PostRow::show).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_words_are_taken_literally() {
        assert_eq!(like_pattern(Some("  ")).unwrap(), None);
        assert_eq!(like_pattern(Some("Free Camp")).unwrap().as_deref(), Some("%free camp%"));
        assert_eq!(like_pattern(Some("50%_off\\")).unwrap().as_deref(), Some("%50\\%\\_off\\\\%"));
        assert!(like_pattern(Some(&"x".repeat(201))).is_err());
    }
}
