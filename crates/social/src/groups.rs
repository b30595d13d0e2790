//! Groups: open community groups anyone may find, join and leave. The creator is the first member;
//! `member_count` is counted from the memberships, so it is exact under concurrent joins.

use chrono::{DateTime, Utc};
use pam_kernel::{DomainError, FieldError, ListMeta, Page, text};
use pam_store::with_db;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::people::gone_or_internal;
use crate::{SocialState, posts};

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewGroup {
    /// 1–100 characters.
    #[schema(
        example = "Grey nomads of the Kimberley",
        min_length = 1,
        max_length = 100,
        pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub name: String,
    #[schema(max_length = 2000)]
    pub description: Option<String>,
    /// What kind of group ("regional", "interest", "rig"…).
    #[schema(max_length = 50)]
    pub group_type: Option<String>,
    #[schema(max_length = 200)]
    pub location: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
#[schema(as = SocialGroup)]
pub struct Group {
    pub id: Uuid,
    /// Who created it.
    pub user_id: Uuid,
    pub name: String,
    pub description: Option<String>,
    pub group_type: Option<String>,
    pub location: Option<String>,
    pub member_count: i64,
    /// Whether the caller is a member.
    pub is_member: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GroupList {
    pub groups: Vec<Group>,
    #[serde(flatten)]
    pub meta: ListMeta,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GroupQuery {
    /// Words in the name.
    pub q: Option<String>,
    /// Only groups the caller belongs to.
    pub mine: Option<bool>,
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Membership {
    pub group_id: Uuid,
    pub joined_at: DateTime<Utc>,
}

/// `$1` is the viewer.
const COLUMNS: &str = "g.id, g.user_id, g.name, g.description, g.group_type, g.location, g.created_at, \
     (SELECT count(*) FROM group_members m WHERE m.group_id = g.id) AS member_count, \
     EXISTS (SELECT 1 FROM group_members n WHERE n.group_id = g.id AND n.user_id = $1) AS is_member";

struct Checked {
    name: String,
    description: Option<String>,
    group_type: Option<String>,
    location: Option<String>,
}

fn check(input: NewGroup) -> Result<Checked, DomainError> {
    let mut errors = Vec::new();
    let mut note = |field: &str, msg: String| errors.push(FieldError::new(&["body", field], msg, "value_error"));
    let name = match text::optional_text(Some(input.name), 100) {
        Ok(Some(n)) => Some(n),
        Ok(None) => {
            note("name", "must not be blank".into());
            None
        }
        Err(m) => {
            note("name", m);
            None
        }
    };
    let description = text::optional_text(input.description, 2000).map_err(|m| note("description", m)).ok().flatten();
    let group_type = text::optional_text(input.group_type, 50).map_err(|m| note("group_type", m)).ok().flatten();
    let location = text::optional_text(input.location, 200).map_err(|m| note("location", m)).ok().flatten();
    match name {
        Some(name) if errors.is_empty() => Ok(Checked { name, description, group_type, location }),
        _ => Err(DomainError::Invalid(errors)),
    }
}

/// Creates a group with its creator as the first member (both or neither).
pub async fn create(state: &SocialState, user_id: Uuid, input: NewGroup) -> Result<Group, DomainError> {
    let c = check(input)?;
    let id = Uuid::now_v7();
    let now = Utc::now();
    with_db!(&state.db, |pool| {
        let mut tx = pool.begin().await?;
        sqlx::query(
            "INSERT INTO social_groups (id, user_id, name, description, group_type, location, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
        )
        .bind(id)
        .bind(user_id)
        .bind(&c.name)
        .bind(&c.description)
        .bind(&c.group_type)
        .bind(&c.location)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query("INSERT INTO group_members (group_id, user_id, joined_at) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(user_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    })?;
    tracing::info!(user.id = %user_id, group.id = %id, "group created");
    get(state, user_id, id).await
}

pub async fn get(state: &SocialState, viewer: Uuid, id: Uuid) -> Result<Group, DomainError> {
    let group: Option<Group> = with_db!(&state.db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM social_groups g WHERE g.id = $2")))
            .bind(viewer)
            .bind(id)
            .fetch_optional(pool)
            .await
    })?;
    group.ok_or_else(|| DomainError::not_found("Group"))
}

/// Groups by name, or the caller's own, newest first.
pub async fn list(state: &SocialState, viewer: Uuid, q: &GroupQuery, page: Page) -> Result<GroupList, DomainError> {
    let pattern = posts::like_pattern(q.q.as_deref())?;
    let mine = if q.mine == Some(true) {
        " AND EXISTS (SELECT 1 FROM group_members o WHERE o.group_id = g.id AND o.user_id = $1)"
    } else {
        ""
    };
    let filter = format!("($2 IS NULL OR lower(g.name) LIKE $2 ESCAPE '\\'){mine}");
    let (groups, total): (Vec<Group>, i64) = with_db!(&state.db, |pool| {
        let groups = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM social_groups g WHERE {filter} ORDER BY g.created_at DESC, g.id DESC \
             LIMIT $3 OFFSET $4"
        )))
        .bind(viewer)
        .bind(&pattern)
        .bind(page.limit)
        .bind(page.offset)
        .fetch_all(pool)
        .await?;
        // `$1 = $1` keeps the viewer a parameter of the query when `mine` does not use it (Postgres
        // refuses a bound value the statement never names).
        let total = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT count(*) FROM social_groups g WHERE $1 = $1 AND {filter}"
        )))
        .bind(viewer)
        .bind(&pattern)
        .fetch_one(pool)
        .await?;
        Ok::<_, sqlx::Error>((groups, total))
    })?;
    Ok(GroupList { groups, meta: page.meta(total) })
}

/// Joins a group (joining again changes nothing).
pub async fn join(state: &SocialState, user_id: Uuid, id: Uuid) -> Result<Group, DomainError> {
    get(state, user_id, id).await?;
    with_db!(&state.db, |pool| {
        sqlx::query(
            "INSERT INTO group_members (group_id, user_id, joined_at) VALUES ($1, $2, $3) \
             ON CONFLICT (group_id, user_id) DO NOTHING",
        )
        .bind(id)
        .bind(user_id)
        .bind(Utc::now())
        .execute(pool)
        .await
        .map(|_| ())
    })
    .map_err(|e| gone_or_internal(e, "Group"))?;
    get(state, user_id, id).await
}

/// Leaves a group (not being a member is fine); an unknown group is "not found".
pub async fn leave(state: &SocialState, user_id: Uuid, id: Uuid) -> Result<(), DomainError> {
    get(state, user_id, id).await?;
    with_db!(&state.db, |pool| {
        sqlx::query("DELETE FROM group_members WHERE group_id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .execute(pool)
            .await
            .map(|_| ())
    })?;
    Ok(())
}

/// The groups a user created, and every membership they hold (the account export).
pub async fn all_of(state: &SocialState, user_id: Uuid) -> Result<(Vec<Group>, Vec<Membership>), DomainError> {
    Ok(with_db!(&state.db, |pool| {
        let groups = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM social_groups g WHERE g.user_id = $1 ORDER BY g.created_at"
        )))
        .bind(user_id)
        .fetch_all(pool)
        .await?;
        let memberships =
            sqlx::query_as("SELECT group_id, joined_at FROM group_members WHERE user_id = $1 ORDER BY joined_at")
                .bind(user_id)
                .fetch_all(pool)
                .await?;
        Ok::<_, sqlx::Error>((groups, memberships))
    })?)
}
