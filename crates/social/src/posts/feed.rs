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
/// alone, for a page past the end. `$1` viewer, `$2` pattern, `$3` limit, `$4` offset.
struct Listing {
    page: String,
    count: String,
}

/// Every fragment of the statements is a constant of this module, or a number of the checked [`Page`].
fn statements(q: &FeedQuery) -> Listing {
    let (from, filter, order) = if q.status == Some(PostStatus::Draft) {
        // Drafts are only ever the caller's own.
        let filter = format!("p.user_id = $1 AND p.status = 'draft' AND {MATCHES_WORDS}");
        ("social_posts p", filter, "p.created_at DESC, p.id DESC")
    } else if q.filter.unwrap_or_default() == FeedFilter::Following {
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
    }
}

/// The following feed: the viewer's timeline rows with their posts.
const FOLLOWING: &str = "feed_entries e JOIN social_posts p ON p.id = e.post_id";

/// The following feed without words to match: the page's timeline rows alone (one index range, newest
/// first), each post's id with whether the viewer likes it; the posts themselves come from the post
/// cache ([`PostCache`](super::PostCache)) and the total from [`TimelineTotals`](super::TimelineTotals).
/// The timeline holds exactly the published, public or followers-only posts of the people the viewer
/// follows (see [`FOLLOWING`]). Returns the statement, and whether it takes limit and offset.
///
/// The first page at the default size, nearly every read of the feed, has its limit written in. With
/// `LIMIT $3` Postgres must guess the limit when it weighs a reusable plan, guesses a tenth of the
/// timeline, and so plans the statement afresh on every call, which cost more than running it; with
/// the number in the text it keeps one plan per connection (see bench/RESULTS.md). Other pages and
/// sizes pass limit and offset as parameters, so a client varying them cannot fill the statement cache
/// with one statement per value.
fn timeline_page(page: Page) -> (String, bool) {
    let (range, paged) = if page.offset == 0 && page.limit == DEFAULT_LIMIT {
        (format!("LIMIT {DEFAULT_LIMIT}"), false)
    } else {
        ("LIMIT $2 OFFSET $3".into(), true)
    };
    let sql = format!(
        "SELECT e.post_id, EXISTS (SELECT 1 FROM post_likes m WHERE m.post_id = e.post_id AND m.user_id = $1) \
         AS liked_by_me FROM feed_entries e WHERE e.viewer_id = $1 \
         ORDER BY e.published_at DESC, e.post_id DESC {range}"
    );
    (sql, paged)
}

/// A post of a listing, with the number of matches across all pages.
#[derive(sqlx::FromRow)]
struct ListedRow {
    #[sqlx(flatten)]
    row: PostRow,
    total_count: i64,
}

/// A row of the following feed's timeline page.
#[derive(sqlx::FromRow)]
struct TimelineRow {
    post_id: Uuid,
    liked_by_me: bool,
}

/// One page and the number of matches, in one round trip. Not a window count over the page (`count(*)
/// OVER ()`): that makes the database find every match before it can return the newest page, where the
/// page alone walks the feed index newest first and stops at the page's end.
pub async fn list(state: &SocialState, viewer: Uuid, q: &FeedQuery, page: Page) -> Result<PostList, DomainError> {
    let pattern = like_pattern(q.q.as_deref())?;
    let following = q.status != Some(PostStatus::Draft) && q.filter.unwrap_or_default() == FeedFilter::Following;
    if following && pattern.is_none() {
        return timeline(state, viewer, page).await;
    }
    let listing = statements(q);
    let rows: Vec<ListedRow> = with_db!(&state.db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(listing.page.clone()))
            .bind(viewer)
            .bind(&pattern)
            .bind(page.limit)
            .bind(page.offset)
            .fetch_all(pool)
            .await
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

/// The following feed without words: the timeline page, then its posts from the post cache. A post
/// gone between the two reads (deleted, or made private) has left the timeline too, so the page is
/// read once more, and a client paging until a short page does not stop early; one still gone after
/// that (changed again meanwhile) is left out.
async fn timeline(state: &SocialState, viewer: Uuid, page: Page) -> Result<PostList, DomainError> {
    let (sql, paged) = timeline_page(page);
    let mut attempts = 0;
    let (rows, stored) = loop {
        attempts += 1;
        let rows: Vec<TimelineRow> = with_db!(&state.db, |pool| {
            let query = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(viewer);
            if paged { query.bind(page.limit).bind(page.offset) } else { query }.fetch_all(pool).await
        })?;
        let ids: Vec<Uuid> = rows.iter().map(|r| r.post_id).collect();
        let stored = state.posts.shared_posts(&state.db, &ids).await?;
        if attempts == 2 || rows.iter().all(|r| stored.contains_key(&r.post_id)) {
            break (rows, stored);
        }
    };
    let posts =
        rows.iter().filter_map(|r| stored.get(&r.post_id).map(|p| p.as_ref().clone().show(r.liked_by_me))).collect();
    let total = state.totals.total(&state.db, viewer).await?;
    Ok(PostList { posts, meta: page.meta(total) })
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
