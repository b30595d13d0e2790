//! A knowledge article as admins send it, as it is stored, and as it is shown.

use chrono::{DateTime, Utc};
use pam_kernel::schema_rules::{BodyRules, Rules};
use pam_kernel::text::Tag;
use pam_kernel::{ListMeta, Patch};
use serde::{Deserialize, Serialize};
use sqlx::types::Json as SqlJson;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum KnowledgeType {
    /// A practical tip ("free dump point behind the showground").
    Tip,
    /// A rule or regulation ("no generators after 8 pm in national parks").
    Rule,
    /// Advice that depends on the season ("the Gulf roads close in the wet").
    Seasonal,
    /// Safety advice.
    Safety,
    #[default]
    General,
}

impl KnowledgeType {
    pub fn as_str(self) -> &'static str {
        match self {
            KnowledgeType::Tip => "tip",
            KnowledgeType::Rule => "rule",
            KnowledgeType::Seasonal => "seasonal",
            KnowledgeType::Safety => "safety",
            KnowledgeType::General => "general",
        }
    }

    /// As stored; a value this code did not write reads as `general` rather than failing a whole search.
    pub fn from_stored(s: &str) -> KnowledgeType {
        serde_json::from_value(serde_json::Value::from(s)).unwrap_or_default()
    }
}

/// A new article (admins only).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[schema(as = NewKnowledgeArticle)]
pub struct NewArticle {
    /// 1–200 characters.
    #[schema(
        example = "Dump points in the Central West",
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub title: String,
    /// 1–20,000 characters.
    #[schema(
        min_length = 1,
        max_length = 20000,
        pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub content: String,
    /// Default `general`.
    #[serde(default)]
    pub knowledge_type: KnowledgeType,
    /// Default `general`; stored in lower case; 1–50 characters.
    #[schema(
        min_length = 1,
        max_length = 50,
        pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub category: Option<String>,
    /// The place the advice is about ("Dubbo"); resolved to a position with the bundled gazetteer unless
    /// `latitude` and `longitude` are given. Searches near it rank the article higher.
    #[schema(max_length = 200)]
    pub location_context: Option<String>,
    /// Given with `longitude`, or not at all.
    #[schema(minimum = -90, maximum = 90)]
    pub latitude: Option<f64>,
    /// Given with `latitude`, or not at all.
    #[schema(minimum = -180, maximum = 180)]
    pub longitude: Option<f64>,
    #[serde(default)]
    #[schema(value_type = Vec<Tag>, max_items = 20)]
    pub tags: Vec<String>,
    /// 1–10, default 5: among equally relevant articles the higher comes first.
    #[schema(minimum = 1, maximum = 10)]
    pub priority: Option<i64>,
}

/// What the checks ask beyond each field: `latitude` and `longitude` together or not at all.
impl BodyRules for NewArticle {
    fn rules() -> Rules {
        Rules::new().together(&["latitude", "longitude"])
    }
}

/// The same as a new article's: `latitude` and `longitude` together or not at all (`null` for either
/// is read as left out: a changed place is resolved again).
impl BodyRules for ArticleUpdate {
    fn rules() -> Rules {
        Rules::new().together(&["latitude", "longitude"])
    }
}

/// Partial update: fields present replace, `null` clears an optional one. A new `location_context`
/// without coordinates is resolved again.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[schema(as = KnowledgeArticleUpdate)]
pub struct ArticleUpdate {
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub title: Option<String>,
    #[schema(
        min_length = 1,
        max_length = 20000,
        pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub content: Option<String>,
    pub knowledge_type: Option<KnowledgeType>,
    #[schema(
        min_length = 1,
        max_length = 50,
        pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub category: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>, max_length = 200)]
    pub location_context: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<f64>, minimum = -90, maximum = 90)]
    pub latitude: Patch<f64>,
    #[serde(default)]
    #[schema(value_type = Option<f64>, minimum = -180, maximum = 180)]
    pub longitude: Patch<f64>,
    #[schema(value_type = Option<Vec<Tag>>, max_items = 20)]
    pub tags: Option<Vec<String>>,
    #[schema(minimum = 1, maximum = 10)]
    pub priority: Option<i64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = KnowledgeArticle)]
pub struct Article {
    pub id: Uuid,
    pub title: String,
    pub content: String,
    pub knowledge_type: KnowledgeType,
    pub category: String,
    pub location_context: Option<String>,
    /// Where `location_context` is (null when it names no place the gazetteer knows: no nearby boost).
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub tags: Vec<String>,
    pub priority: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = KnowledgeArticleList)]
pub struct ArticleList {
    pub articles: Vec<Article>,
    #[serde(flatten)]
    pub meta: ListMeta,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ArticleFilter {
    pub knowledge_type: Option<KnowledgeType>,
    pub category: Option<String>,
    /// 1–1000, default 50.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct ArticleRow {
    pub(crate) id: Uuid,
    pub(crate) title: String,
    content: String,
    knowledge_type: String,
    category: String,
    location_context: Option<String>,
    latitude: Option<f64>,
    longitude: Option<f64>,
    tags: SqlJson<Vec<String>>,
    priority: i32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<ArticleRow> for Article {
    fn from(r: ArticleRow) -> Article {
        Article {
            id: r.id,
            title: r.title,
            content: r.content,
            knowledge_type: KnowledgeType::from_stored(&r.knowledge_type),
            category: r.category,
            location_context: r.location_context,
            latitude: r.latitude,
            longitude: r.longitude,
            tags: r.tags.0,
            priority: i64::from(r.priority),
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

pub(crate) const COLUMNS: &str = "id, title, content, knowledge_type, category, location_context, latitude, \
     longitude, tags, priority, created_at, updated_at";
