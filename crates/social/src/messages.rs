//! Direct messages between two users. Sending obeys the recipient's `allow_messages` (everyone, friends
//! — people who follow each other — or nobody) and any block between the two; a refusal is 403 with the
//! reason. Each user reads only the messages they sent or received (a block keeps those already sent).

use chrono::{DateTime, Utc};
use pam_kernel::{DomainError, ListMeta, Page, text};
use pam_store::with_db;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::SocialState;
use crate::blocks::{ensure_not_blocked, not_blocked_sql};
use crate::people::{AllowMessages, are_friends, gone_or_internal};

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewMessage {
    pub recipient_id: Uuid,
    /// 1–2000 characters.
    #[schema(
        example = "See you at Bourke on Friday?",
        min_length = 1,
        max_length = 2000,
        pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub message: String,
}

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct DirectMessage {
    pub id: Uuid,
    pub sender_id: Uuid,
    pub recipient_id: Uuid,
    pub message: String,
    /// Whether the recipient has marked it read.
    pub read: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MessageList {
    pub messages: Vec<DirectMessage>,
    #[serde(flatten)]
    pub meta: ListMeta,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MessageQuery {
    /// Only the conversation with this user.
    pub with: Option<Uuid>,
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

/// The sender `user_id` is shown as `sender_id`.
const COLUMNS: &str = "id, user_id AS sender_id, recipient_id, message, read, created_at";

pub(crate) fn check_text(message: &str) -> Result<String, DomainError> {
    match text::optional_text(Some(message.to_string()), 2000) {
        Ok(Some(m)) => Ok(m),
        Ok(None) => Err(DomainError::invalid(&["body", "message"], "must not be blank")),
        Err(m) => Err(DomainError::invalid(&["body", "message"], m)),
    }
}

/// Whether `sender` may message `recipient`: 422 for oneself, 404 for nobody, 403 when either has
/// blocked the other or the recipient's settings say no.
pub async fn may_message(state: &SocialState, sender: Uuid, recipient: Uuid) -> Result<(), DomainError> {
    if sender == recipient {
        return Err(DomainError::invalid(&["body", "recipient_id"], "you cannot message yourself"));
    }
    let privacy = state.people.privacy(recipient).await?;
    // Before the settings, so a blocked sender hears the same thing whatever the recipient allows.
    ensure_not_blocked(state, sender, recipient, "message").await?;
    match privacy.allow_messages {
        AllowMessages::Everyone => Ok(()),
        AllowMessages::Friends if are_friends(state, sender, recipient).await? => Ok(()),
        AllowMessages::Friends => Err(DomainError::Forbidden(
            "This user only accepts messages from friends (people who follow each other)".into(),
        )),
        AllowMessages::Nobody => Err(DomainError::Forbidden("This user does not accept direct messages".into())),
    }
}

pub async fn send(state: &SocialState, sender: Uuid, input: NewMessage) -> Result<DirectMessage, DomainError> {
    let message = check_text(&input.message)?;
    may_message(state, sender, input.recipient_id).await?;
    // The insert tests for a block again, so one made since the check above stops the message too.
    let sent: Option<DirectMessage> = with_db!(&state.db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "INSERT INTO direct_messages (id, user_id, recipient_id, message, read, created_at) \
             SELECT $1, $2, $3, $4, false, $5 WHERE {} RETURNING {COLUMNS}",
            not_blocked_sql!("$2", "$3")
        )))
        .bind(Uuid::now_v7())
        .bind(sender)
        .bind(input.recipient_id)
        .bind(&message)
        .bind(Utc::now())
        .fetch_optional(pool)
        .await
    })
    .map_err(|e| gone_or_internal(e, "User"))?;
    let Some(sent) = sent else {
        ensure_not_blocked(state, sender, input.recipient_id, "message").await?;
        // The block was lifted again between the two reads: still not sent, so say so plainly.
        return Err(DomainError::Conflict("The message was not sent; try again".into()));
    };
    tracing::info!(user.id = %sender, message.id = %sent.id, "direct message sent");
    Ok(sent)
}

/// The messages the caller sent or received (with one person, when `with` is given), newest first.
pub async fn list(
    state: &SocialState,
    user_id: Uuid,
    with: Option<Uuid>,
    page: Page,
) -> Result<MessageList, DomainError> {
    const MINE: &str = "(user_id = $1 OR recipient_id = $1) AND ($2 IS NULL OR user_id = $2 OR recipient_id = $2)";
    let (messages, total): (Vec<DirectMessage>, i64) = with_db!(&state.db, |pool| {
        let messages = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM direct_messages WHERE {MINE} ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4"
        )))
        .bind(user_id)
        .bind(with)
        .bind(page.limit)
        .bind(page.offset)
        .fetch_all(pool)
        .await?;
        let total =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM direct_messages WHERE {MINE}")))
                .bind(user_id)
                .bind(with)
                .fetch_one(pool)
                .await?;
        Ok::<_, sqlx::Error>((messages, total))
    })?;
    Ok(MessageList { messages, meta: page.meta(total) })
}

/// Marks a message the caller received as read; any other message is "not found".
pub async fn mark_read(state: &SocialState, user_id: Uuid, id: Uuid) -> Result<DirectMessage, DomainError> {
    let message: Option<DirectMessage> = with_db!(&state.db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "UPDATE direct_messages SET read = true WHERE id = $1 AND recipient_id = $2 RETURNING {COLUMNS}"
        )))
        .bind(id)
        .bind(user_id)
        .fetch_optional(pool)
        .await
    })?;
    message.ok_or_else(|| DomainError::not_found("Message"))
}

/// Every message a user sent or received (the account export).
pub async fn all_of(state: &SocialState, user_id: Uuid) -> Result<Vec<DirectMessage>, DomainError> {
    Ok(with_db!(&state.db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM direct_messages WHERE user_id = $1 OR recipient_id = $1 ORDER BY created_at, id"
        )))
        .bind(user_id)
        .fetch_all(pool)
        .await
    })?)
}
