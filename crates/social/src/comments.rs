//! Comments on posts. Anyone who can see a published post may comment on it and read its comments; a
//! comment is edited only by its writer, and removed by its writer or by the post's author (who looks
//! after their own thread). Anyone else gets "not found".

use chrono::{DateTime, Utc};
use pam_kernel::{DomainError, ListMeta, Page, text};
use pam_store::with_db;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::people::gone_or_internal;
use crate::{SocialState, posts};

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewComment {
    /// 1–2000 characters.
    #[schema(
        example = "Thanks for the heads-up!",
        min_length = 1,
        max_length = 2000,
        pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub content: String,
}

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Comment {
    pub id: Uuid,
    pub post_id: Uuid,
    /// Who wrote it.
    pub user_id: Uuid,
    pub content: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CommentList {
    pub comments: Vec<Comment>,
    #[serde(flatten)]
    pub meta: ListMeta,
}

pub(crate) fn check_content(content: &str) -> Result<String, DomainError> {
    match text::optional_text(Some(content.to_string()), 2000) {
        Ok(Some(c)) => Ok(c),
        Ok(None) => Err(DomainError::invalid(&["body", "content"], "must not be blank")),
        Err(m) => Err(DomainError::invalid(&["body", "content"], m)),
    }
}

pub async fn create(
    state: &SocialState,
    user_id: Uuid,
    post_id: Uuid,
    input: NewComment,
) -> Result<Comment, DomainError> {
    let content = check_content(&input.content)?;
    posts::published(state, user_id, post_id).await?;
    let _cached = state.posts.changing(post_id);
    let now = Utc::now();
    // The post's count is updated beside the row (migration 0015): see `retry_lost_transactions`.
    let comment: Comment = pam_store::retry_lost_transactions(|| async {
        with_db!(&state.db, |pool| {
            sqlx::query_as(
                "INSERT INTO post_comments (id, post_id, user_id, content, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $5) RETURNING id, post_id, user_id, content, created_at, updated_at",
            )
            .bind(Uuid::now_v7())
            .bind(post_id)
            .bind(user_id)
            .bind(&content)
            .bind(now)
            .fetch_one(pool)
            .await
        })
    })
    .await
    .map_err(|e| gone_or_internal(e, "Post"))?;
    tracing::info!(user.id = %user_id, post.id = %post_id, comment.id = %comment.id, "comment added");
    Ok(comment)
}

/// The comments of a post the viewer may see, oldest first.
pub async fn list(state: &SocialState, viewer: Uuid, post_id: Uuid, page: Page) -> Result<CommentList, DomainError> {
    posts::get(state, viewer, post_id).await?;
    let (comments, total): (Vec<Comment>, i64) = with_db!(&state.db, |pool| {
        let comments = sqlx::query_as(
            "SELECT id, post_id, user_id, content, created_at, updated_at FROM post_comments WHERE post_id = $1 \
             ORDER BY created_at, id LIMIT $2 OFFSET $3",
        )
        .bind(post_id)
        .bind(page.limit)
        .bind(page.offset)
        .fetch_all(pool)
        .await?;
        let total = sqlx::query_scalar("SELECT count(*) FROM post_comments WHERE post_id = $1")
            .bind(post_id)
            .fetch_one(pool)
            .await?;
        Ok::<_, sqlx::Error>((comments, total))
    })?;
    Ok(CommentList { comments, meta: page.meta(total) })
}

/// Changes the text of one of the caller's own comments.
pub async fn update(state: &SocialState, user_id: Uuid, id: Uuid, input: NewComment) -> Result<Comment, DomainError> {
    let content = check_content(&input.content)?;
    let comment: Option<Comment> = with_db!(&state.db, |pool| {
        sqlx::query_as(
            "UPDATE post_comments SET content = $3, updated_at = $4 WHERE id = $1 AND user_id = $2 \
             RETURNING id, post_id, user_id, content, created_at, updated_at",
        )
        .bind(id)
        .bind(user_id)
        .bind(&content)
        .bind(Utc::now())
        .fetch_optional(pool)
        .await
    })?;
    comment.ok_or_else(|| DomainError::not_found("Comment"))
}

/// Removes a comment the caller wrote, or one on a post the caller wrote.
pub async fn delete(state: &SocialState, user_id: Uuid, id: Uuid) -> Result<(), DomainError> {
    // A comment never moves to another post, so its post read here is the one the removal changes.
    let post_id: Option<Uuid> = with_db!(&state.db, |pool| {
        sqlx::query_scalar("SELECT post_id FROM post_comments WHERE id = $1").bind(id).fetch_optional(pool).await
    })?;
    let Some(post_id) = post_id else { return Err(DomainError::not_found("Comment")) };
    let _cached = state.posts.changing(post_id);
    // The post first, then the comment: the order a deletion of the post takes them in (its cascade
    // removes the comment), so the two cannot deadlock over the count the removal updates.
    let locks = crate::follows::locks_rows(&state.db);
    let n = pam_store::retry_lost_transactions(|| async {
        with_db!(&state.db, |pool| {
            let mut tx = pool.begin().await?;
            if locks {
                sqlx::query(crate::likes::LOCK_POST).bind(post_id).execute(&mut *tx).await?;
            }
            let n = sqlx::query(
                "DELETE FROM post_comments WHERE id = $1 AND (user_id = $2 OR post_id IN \
                 (SELECT p.id FROM social_posts p WHERE p.user_id = $2))",
            )
            .bind(id)
            .bind(user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            tx.commit().await.map(|()| n)
        })
    })
    .await?;
    if n == 0 { Err(DomainError::not_found("Comment")) } else { Ok(()) }
}

/// Every comment a user wrote, oldest first (the account export).
pub async fn all_of(state: &SocialState, user_id: Uuid) -> Result<Vec<Comment>, DomainError> {
    Ok(with_db!(&state.db, |pool| {
        sqlx::query_as(
            "SELECT id, post_id, user_id, content, created_at, updated_at FROM post_comments WHERE user_id = $1 \
             ORDER BY created_at, id",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await
    })?)
}
