//! Knowledge articles: the checks a write must pass, and the reads and admin writes both the routes and
//! the tools call. Every write is recorded in the audit log.

use chrono::Utc;
use pam_kernel::{Caller, DomainError, FieldError, Page, Patch, audit, text};
use pam_store::with_db;
use serde_json::json;
use sqlx::types::Json as SqlJson;
use uuid::Uuid;

use crate::{KnowledgeState, near};

mod types;

pub use types::{Article, ArticleFilter, ArticleList, ArticleUpdate, KnowledgeType, NewArticle};
pub(crate) use types::{ArticleRow, COLUMNS};

/// An article's fields before their checks.
struct Fields {
    title: String,
    content: String,
    knowledge_type: KnowledgeType,
    category: Option<String>,
    location_context: Option<String>,
    latitude: Option<f64>,
    longitude: Option<f64>,
    tags: Vec<String>,
    priority: Option<i64>,
}

/// The checked fields, ready to store.
struct Checked {
    title: String,
    content: String,
    knowledge_type: KnowledgeType,
    category: String,
    location_context: Option<String>,
    position: Option<(f64, f64)>,
    tags: Vec<String>,
    priority: i32,
}

fn required(raw: String, max: usize) -> Result<String, String> {
    text::optional_text(Some(raw), max)?.ok_or_else(|| "must not be blank".to_string())
}

/// Checks every field, reporting each problem at its own field.
fn check(f: Fields) -> Result<Checked, DomainError> {
    let mut errors = Vec::new();
    let mut note = |field: &str, msg: String| errors.push(FieldError::new(&["body", field], msg, "value_error"));
    let title = required(f.title, 200).map_err(|m| note("title", m)).ok();
    let content = required(f.content, 20_000).map_err(|m| note("content", m)).ok();
    let category = match f.category {
        None => Some("general".to_string()),
        Some(c) => required(c, 50).map(|c| c.to_lowercase()).map_err(|m| note("category", m)).ok(),
    };
    let location_context = text::optional_text(f.location_context, 200).map_err(|m| note("location_context", m)).ok();
    let tags = text::tags(f.tags).map_err(|m| note("tags", m)).ok();
    let priority = match f.priority.unwrap_or(5) {
        p @ 1..=10 => i32::try_from(p).ok(),
        _ => {
            note("priority", "must be between 1 and 10".into());
            None
        }
    };
    let position = match near::given_position(f.latitude, f.longitude) {
        Ok(p) => Some(p),
        Err((field, msg)) => {
            note(field, msg);
            None
        }
    };
    match (title, content, category, location_context, tags, priority, position) {
        (
            Some(title),
            Some(content),
            Some(category),
            Some(location_context),
            Some(tags),
            Some(priority),
            Some(given),
        ) if errors.is_empty() => {
            // Coordinates given win; else the place the context names, when the gazetteer knows it.
            let position = given.or_else(|| location_context.as_deref().and_then(near::position_of_place));
            Ok(Checked {
                title,
                content,
                knowledge_type: f.knowledge_type,
                category,
                location_context,
                position,
                tags,
                priority,
            })
        }
        _ => Err(DomainError::Invalid(errors)),
    }
}

fn ensure_admin(caller: &Caller) -> Result<(), DomainError> {
    if caller.is_admin {
        Ok(())
    } else {
        Err(DomainError::Forbidden("Only admins can change the knowledge base".into()))
    }
}

/// Whether an account's role is admin: for tools, whose context names the user but not their role. (A
/// Supabase token's own admin claim is seen by the REST routes only.)
pub async fn is_admin_account(state: &KnowledgeState, user_id: Uuid) -> Result<bool, DomainError> {
    let role: Option<String> = with_db!(&state.db, |pool| {
        sqlx::query_scalar("SELECT role FROM profiles WHERE id = $1").bind(user_id).fetch_optional(pool).await
    })?;
    Ok(role.as_deref() == Some("admin"))
}

pub async fn create(state: &KnowledgeState, caller: &Caller, input: NewArticle) -> Result<Article, DomainError> {
    ensure_admin(caller)?;
    let c = check(Fields {
        title: input.title,
        content: input.content,
        knowledge_type: input.knowledge_type,
        category: input.category,
        location_context: input.location_context,
        latitude: input.latitude,
        longitude: input.longitude,
        tags: input.tags,
        priority: input.priority,
    })?;
    let now = Utc::now();
    let row: ArticleRow = with_db!(&state.db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "INSERT INTO knowledge_articles (id, title, content, knowledge_type, category, location_context, latitude, \
             longitude, tags, priority, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING {COLUMNS}"
        )))
        .bind(Uuid::now_v7())
        .bind(&c.title)
        .bind(&c.content)
        .bind(c.knowledge_type.as_str())
        .bind(&c.category)
        .bind(&c.location_context)
        .bind(c.position.map(|p| p.0))
        .bind(c.position.map(|p| p.1))
        .bind(SqlJson(&c.tags))
        .bind(c.priority)
        .bind(caller.id)
        .bind(now)
        .fetch_one(pool)
        .await
    })?;
    audit::record(
        &state.db,
        Some(caller.id),
        "knowledge.create",
        Some(("knowledge_article", row.id.to_string())),
        json!({"title": row.title}),
    )
    .await?;
    Ok(row.into())
}

pub async fn get(state: &KnowledgeState, id: Uuid) -> Result<Article, DomainError> {
    let row: Option<ArticleRow> = with_db!(&state.db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM knowledge_articles WHERE id = $1")))
            .bind(id)
            .fetch_optional(pool)
            .await
    })?;
    row.map(Article::from).ok_or_else(|| DomainError::not_found("Article"))
}

/// The shelf, highest priority and most recently changed first.
pub async fn list(state: &KnowledgeState, filter: &ArticleFilter) -> Result<ArticleList, DomainError> {
    let page = Page::parse(filter.limit, filter.offset)?;
    let kind = filter.knowledge_type.map(KnowledgeType::as_str);
    let category = filter.category.as_deref().map(|c| c.trim().to_lowercase());
    let (rows, total): (Vec<ArticleRow>, i64) = with_db!(&state.db, |pool| {
        let rows = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM knowledge_articles WHERE ($1 IS NULL OR knowledge_type = $1) \
             AND ($2 IS NULL OR category = $2) ORDER BY priority DESC, updated_at DESC, id LIMIT $3 OFFSET $4"
        )))
        .bind(kind)
        .bind(&category)
        .bind(page.limit)
        .bind(page.offset)
        .fetch_all(pool)
        .await?;
        let total = sqlx::query_scalar(
            "SELECT count(*) FROM knowledge_articles WHERE ($1 IS NULL OR knowledge_type = $1) \
             AND ($2 IS NULL OR category = $2)",
        )
        .bind(kind)
        .bind(&category)
        .fetch_one(pool)
        .await?;
        Ok::<_, sqlx::Error>((rows, total))
    })?;
    Ok(ArticleList { articles: rows.into_iter().map(Article::from).collect(), meta: page.meta(total) })
}

pub async fn update(
    state: &KnowledgeState,
    caller: &Caller,
    id: Uuid,
    u: ArticleUpdate,
) -> Result<Article, DomainError> {
    ensure_admin(caller)?;
    let current = get(state, id).await?;
    let location_touched =
        !matches!((&u.location_context, &u.latitude, &u.longitude), (Patch::Absent, Patch::Absent, Patch::Absent));
    // A changed place without coordinates is resolved again; untouched, the stored position stays.
    let (latitude, longitude) = if location_touched {
        (u.latitude.apply(None), u.longitude.apply(None))
    } else {
        (current.latitude, current.longitude)
    };
    let c = check(Fields {
        title: u.title.unwrap_or(current.title),
        content: u.content.unwrap_or(current.content),
        knowledge_type: u.knowledge_type.unwrap_or(current.knowledge_type),
        category: Some(u.category.unwrap_or(current.category)),
        location_context: u.location_context.apply(current.location_context),
        latitude,
        longitude,
        tags: u.tags.unwrap_or(current.tags),
        priority: Some(u.priority.unwrap_or(current.priority)),
    })?;
    let row: Option<ArticleRow> = with_db!(&state.db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "UPDATE knowledge_articles SET title = $2, content = $3, knowledge_type = $4, category = $5, \
             location_context = $6, latitude = $7, longitude = $8, tags = $9, priority = $10, updated_at = $11 \
             WHERE id = $1 RETURNING {COLUMNS}"
        )))
        .bind(id)
        .bind(&c.title)
        .bind(&c.content)
        .bind(c.knowledge_type.as_str())
        .bind(&c.category)
        .bind(&c.location_context)
        .bind(c.position.map(|p| p.0))
        .bind(c.position.map(|p| p.1))
        .bind(SqlJson(&c.tags))
        .bind(c.priority)
        .bind(Utc::now())
        .fetch_optional(pool)
        .await
    })?;
    let row = row.ok_or_else(|| DomainError::not_found("Article"))?;
    audit::record(
        &state.db,
        Some(caller.id),
        "knowledge.update",
        Some(("knowledge_article", id.to_string())),
        json!({"title": row.title}),
    )
    .await?;
    Ok(row.into())
}

pub async fn delete(state: &KnowledgeState, caller: &Caller, id: Uuid) -> Result<(), DomainError> {
    ensure_admin(caller)?;
    let n = with_db!(&state.db, |pool| {
        sqlx::query("DELETE FROM knowledge_articles WHERE id = $1")
            .bind(id)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })?;
    if n == 0 {
        return Err(DomainError::not_found("Article"));
    }
    audit::record(
        &state.db,
        Some(caller.id),
        "knowledge.delete",
        Some(("knowledge_article", id.to_string())),
        json!({}),
    )
    .await
}

/// The articles with these ids (ids with no article are left out), in no particular order.
pub(crate) async fn by_ids(state: &KnowledgeState, ids: &[Uuid]) -> Result<Vec<Article>, DomainError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!("SELECT {COLUMNS} FROM knowledge_articles WHERE id IN ({})", placeholders.join(", "));
    let rows: Vec<ArticleRow> = with_db!(&state.db, |pool| {
        let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()));
        for id in ids {
            query = query.bind(*id);
        }
        query.fetch_all(pool).await
    })?;
    Ok(rows.into_iter().map(Article::from).collect())
}
