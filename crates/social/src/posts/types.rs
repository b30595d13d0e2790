//! A post as clients send it, as it is stored, and as it is shown.

use chrono::{DateTime, Utc};
use pam_kernel::text::{Link, Tag};
use pam_kernel::{ListMeta, Patch, timestamp};
use serde::{Deserialize, Serialize};
use sqlx::types::Json as SqlJson;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// Who sees a published post besides its author.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(as = PostVisibility)]
pub enum Visibility {
    /// Everyone.
    #[default]
    Public,
    /// People who follow the author.
    Followers,
    /// Only the author.
    Private,
}

impl Visibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Followers => "followers",
            Visibility::Private => "private",
        }
    }

    /// As stored; a value this code did not write reads as `private`, the reading that reveals nothing.
    pub fn from_stored(s: &str) -> Visibility {
        match s {
            "public" => Visibility::Public,
            "followers" => Visibility::Followers,
            _ => Visibility::Private,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum PostStatus {
    Draft,
    Published,
}

impl PostStatus {
    pub fn from_stored(s: &str) -> PostStatus {
        if s == "published" { PostStatus::Published } else { PostStatus::Draft }
    }
}

/// A new post. It is always created as a draft: publishing is a separate, explicit step
/// (`POST /api/v1/social/posts/{id}/publish`).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewPost {
    #[schema(max_length = 200)]
    pub title: Option<String>,
    /// 1–5000 characters.
    #[schema(
        example = "The Bourke free camp is flooded, head to Louth instead",
        min_length = 1,
        max_length = 5000,
        pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub content: String,
    #[schema(value_type = Option<Link>)]
    pub image_url: Option<String>,
    /// A place name ("Bourke, NSW").
    #[schema(max_length = 200)]
    pub location: Option<String>,
    #[serde(default)]
    #[schema(value_type = Vec<Tag>, max_items = 20)]
    pub tags: Vec<String>,
    /// Default `public`.
    pub visibility: Option<Visibility>,
    /// Only `draft` is accepted (the default).
    #[schema(value_type = Option<DraftOnly>)]
    pub status: Option<PostStatus>,
}

/// The schema of a new post's `status`: only `draft` (publishing is its own route).
pub struct DraftOnly;

impl utoipa::PartialSchema for DraftOnly {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .enum_values(Some(["draft"]))
            .into()
    }
}

impl ToSchema for DraftOnly {}

/// Partial update of one's own post: fields present replace, `null` clears an optional one. The status
/// does not change here (publish is its own route).
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct PostUpdate {
    #[serde(default)]
    #[schema(value_type = Option<String>, max_length = 200)]
    pub title: Patch<String>,
    /// 1–5000 characters; not nullable.
    #[serde(default)]
    #[schema(value_type = String, min_length = 1, max_length = 5000, pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")]
    pub content: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<Link>)]
    pub image_url: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>, max_length = 200)]
    pub location: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<Vec<Tag>>, max_items = 20)]
    pub tags: Patch<Vec<String>>,
    #[serde(default)]
    #[schema(value_type = Option<Visibility>)]
    pub visibility: Patch<Visibility>,
    /// Not accepted here (422): publish with its own route. Left out of the schema.
    #[serde(default)]
    #[schema(ignore)]
    pub status: Patch<PostStatus>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Post {
    pub id: Uuid,
    /// The author.
    pub user_id: Uuid,
    pub title: Option<String>,
    pub content: String,
    pub image_url: Option<String>,
    pub location: Option<String>,
    pub tags: Vec<String>,
    pub visibility: Visibility,
    pub status: PostStatus,
    pub likes_count: i64,
    pub comments_count: i64,
    /// Whether the caller likes it.
    pub liked_by_me: bool,
    #[serde(serialize_with = "timestamp::rfc3339")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "timestamp::rfc3339")]
    pub updated_at: DateTime<Utc>,
    #[serde(serialize_with = "timestamp::rfc3339_opt")]
    pub published_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PostList {
    pub posts: Vec<Post>,
    #[serde(flatten)]
    pub meta: ListMeta,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum FeedFilter {
    /// Every post the caller may see.
    #[default]
    All,
    /// Posts of the people the caller follows.
    Following,
}

/// The feed (published posts newest first), one's own drafts (`status=draft`), or a search (`q`).
#[derive(Debug, Default, Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
pub struct FeedQuery {
    /// `all` (default) or `following`.
    #[param(inline)]
    pub filter: Option<FeedFilter>,
    /// `published` (default: the feed) or `draft` (the caller's own drafts).
    pub status: Option<PostStatus>,
    /// Words to look for in the title or text; at most 200 characters.
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// 1–1000, default 50.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

/// A post as stored, the same for every viewer: what the post cache holds.
#[derive(Clone, Debug, sqlx::FromRow)]
pub(crate) struct StoredPost {
    pub id: Uuid,
    pub user_id: Uuid,
    pub title: Option<String>,
    pub content: String,
    pub image_url: Option<String>,
    pub location: Option<String>,
    pub tags: SqlJson<Vec<String>>,
    pub visibility: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub likes_count: i64,
    pub comments_count: i64,
}

/// A post with whether the viewer likes it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub(crate) struct PostRow {
    #[sqlx(flatten)]
    pub stored: StoredPost,
    pub liked_by_me: bool,
}

impl PostRow {
    pub fn show(self) -> Post {
        self.stored.show(self.liked_by_me)
    }
}

impl StoredPost {
    /// Published, and for everyone or for followers: what a following timeline holds.
    pub fn is_shared(&self) -> bool {
        PostStatus::from_stored(&self.status) == PostStatus::Published
            && matches!(Visibility::from_stored(&self.visibility), Visibility::Public | Visibility::Followers)
    }

    pub fn show(self, liked_by_me: bool) -> Post {
        Post {
            id: self.id,
            user_id: self.user_id,
            title: self.title,
            content: self.content,
            image_url: self.image_url,
            location: self.location,
            tags: self.tags.0,
            visibility: Visibility::from_stored(&self.visibility),
            status: PostStatus::from_stored(&self.status),
            likes_count: self.likes_count,
            comments_count: self.comments_count,
            liked_by_me,
            created_at: self.created_at,
            updated_at: self.updated_at,
            published_at: self.published_at,
        }
    }
}
