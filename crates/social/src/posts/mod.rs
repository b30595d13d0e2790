//! Posts: the service the REST routes and PAM's tools both call. A post starts as a draft only its
//! author sees, and is published by an explicit step. Who else sees it is decided in one SQL predicate
//! ([`VISIBLE`]), used by every read, so the single post, the feed and search cannot disagree.

use chrono::Utc;
use pam_kernel::{DomainError, FieldError, Patch, text};
use pam_store::with_db;
use sqlx::types::Json as SqlJson;
use uuid::Uuid;

use crate::SocialState;
use crate::blocks::not_blocked_sql;

mod cache;
mod feed;
mod totals;
mod types;

pub use cache::{POST_TTL, PostCache};
pub(crate) use feed::like_pattern;
pub use feed::{all_of, list};
pub use totals::TimelineTotals;
pub use types::{FeedFilter, FeedQuery, NewPost, Post, PostList, PostStatus, PostUpdate, Visibility};
pub(crate) use types::{PostRow, StoredPost};

/// The columns of a post as stored, the same for every viewer, with its counts as the database keeps
/// them beside the likes and comments (migration 0015).
macro_rules! stored_columns {
    () => {
        "p.id, p.user_id, p.title, p.content, p.image_url, p.location, p.tags, p.visibility, p.status, \
         p.created_at, p.updated_at, p.published_at, p.likes_count, p.comments_count"
    };
}
pub(crate) const STORED_COLUMNS: &str = stored_columns!();

/// The columns of a shown post: as stored, and whether the viewer (`$1`, always) likes it.
pub(crate) const COLUMNS: &str = concat!(
    stored_columns!(),
    ", EXISTS (SELECT 1 FROM post_likes m WHERE m.post_id = p.id AND m.user_id = $1) AS liked_by_me"
);

/// Whether viewer `$1` may see post `p`: their own in any state; another's only once published, when
/// neither has blocked the other, and then when public, or for followers when the viewer follows the
/// author. Everything else is "not found".
pub(crate) const VISIBLE: &str = concat!(
    "(p.user_id = $1 OR (p.status = 'published' AND ",
    not_blocked_sql!("$1", "p.user_id"),
    " AND (p.visibility = 'public' OR (p.visibility = 'followers' AND EXISTS (SELECT 1 FROM user_follows f \
     WHERE f.user_id = $1 AND f.followed_id = p.user_id)))))"
);

const MAX_CONTENT: usize = 5000;

/// The checked fields of a post, ready to store.
struct Checked {
    title: Option<String>,
    content: String,
    image_url: Option<String>,
    location: Option<String>,
    tags: Vec<String>,
}

fn check(
    title: Option<String>,
    content: Option<String>,
    image_url: Option<String>,
    location: Option<String>,
    tags: Vec<String>,
) -> Result<Checked, DomainError> {
    let mut errors = Vec::new();
    let mut note = |field: &str, msg: String| errors.push(FieldError::new(&["body", field], msg, "value_error"));
    let title = text::optional_text(title, 200).map_err(|m| note("title", m)).ok().flatten();
    let content = match text::optional_text(content, MAX_CONTENT) {
        Ok(Some(c)) => Some(c),
        Ok(None) => {
            note("content", "must not be blank".into());
            None
        }
        Err(m) => {
            note("content", m);
            None
        }
    };
    let image_url = text::url(image_url).map_err(|m| note("image_url", m)).ok().flatten();
    let location = text::optional_text(location, 200).map_err(|m| note("location", m)).ok().flatten();
    let tags = text::tags(tags).map_err(|m| note("tags", m)).ok();
    match (content, tags) {
        (Some(content), Some(tags)) if errors.is_empty() => Ok(Checked { title, content, image_url, location, tags }),
        _ => Err(DomainError::Invalid(errors)),
    }
}

fn publish_elsewhere() -> DomainError {
    DomainError::invalid(
        &["body", "status"],
        "posts start as drafts; publish with POST /api/v1/social/posts/{id}/publish",
    )
}

/// Creates a draft (the offline brain's "draft a post saying …" lands here too).
pub async fn create(state: &SocialState, user_id: Uuid, input: NewPost) -> Result<Post, DomainError> {
    if input.status == Some(PostStatus::Published) {
        return Err(publish_elsewhere());
    }
    let c = check(input.title, Some(input.content), input.image_url, input.location, input.tags)?;
    let id = Uuid::now_v7();
    let now = Utc::now();
    with_db!(&state.db, |pool| {
        sqlx::query(
            "INSERT INTO social_posts (id, user_id, title, content, image_url, location, tags, visibility, status, \
             created_at, updated_at, published_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'draft', $9, $9, NULL)",
        )
        .bind(id)
        .bind(user_id)
        .bind(&c.title)
        .bind(&c.content)
        .bind(&c.image_url)
        .bind(&c.location)
        .bind(SqlJson(&c.tags))
        .bind(input.visibility.unwrap_or_default().as_str())
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    tracing::info!(user.id = %user_id, post.id = %id, "post drafted");
    own(state, user_id, id).await
}

/// A post the viewer may see; anything else (another's draft or private post, a followers-only post of
/// someone they do not follow, no such post) is "not found".
pub async fn get(state: &SocialState, viewer: Uuid, id: Uuid) -> Result<Post, DomainError> {
    let row: Option<PostRow> = with_db!(&state.db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM social_posts p WHERE p.id = $2 AND {VISIBLE}"
        )))
        .bind(viewer)
        .bind(id)
        .fetch_optional(pool)
        .await
    })?;
    row.map(PostRow::show).ok_or_else(|| DomainError::not_found("Post"))
}

/// One of the caller's own posts; another's is "not found" whatever its visibility.
pub async fn own(state: &SocialState, user_id: Uuid, id: Uuid) -> Result<Post, DomainError> {
    let row: Option<PostRow> = with_db!(&state.db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM social_posts p WHERE p.id = $2 AND p.user_id = $1"
        )))
        .bind(user_id)
        .bind(id)
        .fetch_optional(pool)
        .await
    })?;
    row.map(PostRow::show).ok_or_else(|| DomainError::not_found("Post"))
}

/// A published post the viewer may see: what can be liked or commented on. The author's own draft is a
/// conflict (publish it first); anyone else's is "not found".
pub async fn published(state: &SocialState, viewer: Uuid, id: Uuid) -> Result<Post, DomainError> {
    let post = get(state, viewer, id).await?;
    if post.status == PostStatus::Draft {
        return Err(DomainError::Conflict("Publish the post first".into()));
    }
    Ok(post)
}

pub async fn update(state: &SocialState, user_id: Uuid, id: Uuid, u: PostUpdate) -> Result<Post, DomainError> {
    let current = own(state, user_id, id).await?;
    if !matches!(u.status, Patch::Absent) {
        return Err(publish_elsewhere());
    }
    let content = match u.content {
        Patch::Value(c) => Some(c),
        Patch::Null => None,
        Patch::Absent => Some(current.content),
    };
    let c = check(
        u.title.apply(current.title),
        content,
        u.image_url.apply(current.image_url),
        u.location.apply(current.location),
        u.tags.apply(Some(current.tags)).unwrap_or_default(),
    )?;
    let visibility = match u.visibility {
        Patch::Value(v) => v,
        Patch::Null => Visibility::default(),
        Patch::Absent => current.visibility,
    };
    let _cached = state.posts.changing(id);
    let _total = state.totals.author_changing(user_id);
    let n = with_db!(&state.db, |pool| {
        sqlx::query(
            "UPDATE social_posts SET title = $3, content = $4, image_url = $5, location = $6, tags = $7, \
             visibility = $8, updated_at = $9 WHERE id = $1 AND user_id = $2",
        )
        .bind(id)
        .bind(user_id)
        .bind(&c.title)
        .bind(&c.content)
        .bind(&c.image_url)
        .bind(&c.location)
        .bind(SqlJson(&c.tags))
        .bind(visibility.as_str())
        .bind(Utc::now())
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    if n == 0 {
        return Err(DomainError::not_found("Post"));
    }
    own(state, user_id, id).await
}

/// Publishes one of the caller's drafts. With `shown`, only if the draft still says exactly that: a
/// confirmation the user gave for one text never publishes another. Publishing twice is a no-op.
pub async fn publish(state: &SocialState, user_id: Uuid, id: Uuid, shown: Option<&str>) -> Result<Post, DomainError> {
    let current = own(state, user_id, id).await?;
    if shown.is_some_and(|text| text.trim() != current.content) {
        return Err(DomainError::Conflict(
            "The post's text has changed since you were asked; ask to publish it again".into(),
        ));
    }
    if current.status == PostStatus::Published {
        return Ok(current);
    }
    // The text is part of the condition, so an edit landing between the read above and this write
    // leaves the post a draft instead of publishing words nobody confirmed.
    let _cached = state.posts.changing(id);
    let _total = state.totals.author_changing(user_id);
    let n = with_db!(&state.db, |pool| {
        sqlx::query(
            "UPDATE social_posts SET status = 'published', published_at = $4, updated_at = $4 \
             WHERE id = $1 AND user_id = $2 AND status = 'draft' AND content = $3",
        )
        .bind(id)
        .bind(user_id)
        .bind(&current.content)
        .bind(Utc::now())
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    let post = own(state, user_id, id).await?;
    if n == 0 && (post.status != PostStatus::Published || shown.is_some_and(|t| t.trim() != post.content)) {
        return Err(DomainError::Conflict("The post changed while it was being published; try again".into()));
    }
    tracing::info!(user.id = %user_id, post.id = %id, "post published");
    Ok(post)
}

/// Deletes one of the caller's posts with its comments and likes.
pub async fn delete(state: &SocialState, user_id: Uuid, id: Uuid) -> Result<(), DomainError> {
    let _cached = state.posts.changing(id);
    let _total = state.totals.author_changing(user_id);
    pam_kernel::owned::delete(&state.db, "social_posts", id, user_id, "Post").await?;
    tracing::info!(user.id = %user_id, post.id = %id, "post deleted");
    Ok(())
}
