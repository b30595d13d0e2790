//! Reading many posts: the feed (everything the viewer may see, or only the people they follow), newest
//! first; the viewer's own drafts; a word search over the same visible set; every post of a user for the
//! account export.

use pam_kernel::page::DEFAULT_LIMIT;
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

/// A listing's two statements: its page, whose rows each carry the number of matches (`total_count`,
/// an uncorrelated subquery the database runs once, so a page costs one round trip), and that number
/// alone, for a page past the end. `$1` viewer, `$2` pattern, and `$3` limit, `$4` offset when `paged`.
struct Listing {
    page: String,
    count: String,
    paged: bool,
}

/// Every fragment of the statements is a constant of this module, or a number of the checked [`Page`].
fn statements(q: &FeedQuery, has_words: bool, page: Page) -> Listing {
    let (from, filter, order) = if q.status == Some(PostStatus::Draft) {
        // Drafts are only ever the caller's own.
        let filter = format!("p.user_id = $1 AND p.status = 'draft' AND {MATCHES_WORDS}");
        ("social_posts p", filter, "p.created_at DESC, p.id DESC")
    } else if q.filter.unwrap_or_default() == FeedFilter::Following {
        if !has_words {
            return following_page(page);
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
    let count = format!("SELECT count(*) FROM {from} WHERE {filter}");
    Listing {
        page: format!(
            "SELECT {COLUMNS}, ({count}) AS total_count FROM {from} WHERE {filter} ORDER BY {order} LIMIT $3 OFFSET $4"
        ),
        count,
        paged: true,
    }
}

/// The following feed: the viewer's timeline rows with their posts.
const FOLLOWING: &str = "feed_entries e JOIN social_posts p ON p.id = e.post_id";

/// The following feed without words to match: the page's post ids from the timeline alone (one index
/// range, newest first), then those posts. The same rows as the join in [`FOLLOWING`] (a timeline row
/// carries its post's `published_at`), in a shape Postgres plans cheaply.
///
/// The first page at the default size, nearly every read of the feed, has its limit written in. With
/// `LIMIT $3` Postgres must guess the limit when it weighs a reusable plan, guesses a tenth of the
/// timeline, and so plans the statement afresh on every call, which cost more than running it; with
/// the number in the text it keeps one plan per connection (see bench/RESULTS.md). Other pages and
/// sizes pass limit and offset as parameters, so a client varying them cannot fill the statement cache
/// with one statement per value.
fn following_page(page: Page) -> Listing {
    let (range, paged) = if page.offset == 0 && page.limit == DEFAULT_LIMIT {
        (format!("LIMIT {DEFAULT_LIMIT}"), false)
    } else {
        ("LIMIT $3 OFFSET $4".into(), true)
    };
    Listing {
        page: format!(
            "SELECT {COLUMNS}, ({FOLLOWING_TOTAL}) AS total_count FROM social_posts p WHERE $2 IS NULL AND p.id IN \
             (SELECT e.post_id FROM feed_entries e WHERE e.viewer_id = $1 \
             ORDER BY e.published_at DESC, e.post_id DESC {range}) ORDER BY p.published_at DESC, p.id DESC"
        ),
        count: FOLLOWING_TOTAL.to_string(),
        paged,
    }
}

/// Its total: the timeline's size is the sum of the followed authors' shared posts (kept by migration
/// 0014's triggers), so the count reads fifty rows, not every row of the timeline. (`$2`, the absent
/// pattern, is named so every statement takes the same first parameters.)
const FOLLOWING_TOTAL: &str = "SELECT CAST(coalesce(sum(s.posts), 0) AS BIGINT) FROM user_follows f \
     JOIN social_shared_posts s ON s.author_id = f.followed_id WHERE f.user_id = $1 AND $2 IS NULL";

/// A post of a listing, with the number of matches across all pages.
#[derive(sqlx::FromRow)]
struct ListedRow {
    #[sqlx(flatten)]
    row: PostRow,
    total_count: i64,
}

/// One page and the number of matches, in one round trip. Not a window count over the page (`count(*)
/// OVER ()`): that makes the database find every match before it can return the newest page, where the
/// page alone walks the feed index newest first and stops at the page's end.
pub async fn list(state: &SocialState, viewer: Uuid, q: &FeedQuery, page: Page) -> Result<PostList, DomainError> {
    let pattern = like_pattern(q.q.as_deref())?;
    let listing = statements(q, pattern.is_some(), page);
    let rows: Vec<ListedRow> = with_db!(&state.db, |pool| {
        let query = sqlx::query_as(sqlx::AssertSqlSafe(listing.page.clone())).bind(viewer).bind(&pattern);
        if listing.paged { query.bind(page.limit).bind(page.offset) } else { query }.fetch_all(pool).await
    })?;
    let total = match rows.first() {
        Some(first) => first.total_count,
        // An empty page (no matches, or an offset past the end) still reports the total.
        None => with_db!(&state.db, |pool| {
            sqlx::query_scalar(sqlx::AssertSqlSafe(listing.count.clone()))
                .bind(viewer)
                .bind(&pattern)
                .fetch_one(pool)
                .await
        })?,
    };
    Ok(PostList { posts: rows.into_iter().map(|r| r.row.show()).collect(), meta: page.meta(total) })
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
