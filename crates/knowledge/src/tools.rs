//! The knowledge tools: search (any user; ranked for where they are when the chat context says) and
//! add (admins only). Thin calls into the same services as the routes.

use pam_kernel::{Caller, DomainError, Page, Tool, ToolContext, ToolOutput};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::KnowledgeState;
use crate::articles::{self, KnowledgeType, NewArticle};
use crate::near::{self, Near, NearFields};
use crate::query::Terms;
use crate::search::{self, Search};

#[derive(Debug, Deserialize, ToSchema)]
pub struct KnowledgeSearchInput {
    /// What to look for ("dump point", "generator rules national parks").
    pub query: String,
    /// A place to favour advice about ("Broome"); default: where the user is, when known.
    pub near: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub knowledge_type: Option<KnowledgeType>,
    pub category: Option<String>,
    /// At most this many (1–20, default 5).
    pub limit: Option<i64>,
}

impl KnowledgeSearchInput {
    fn checked(self, ctx: &ToolContext) -> Result<Search, DomainError> {
        let terms = Terms::parse(&self.query, &["body", "query"])?;
        let fields = NearFields { root: "body", name: "near", lat: "latitude", lng: "longitude" };
        let asked = near::resolve(&fields, self.near.as_deref(), self.latitude, self.longitude)?;
        let here = || {
            let (lat, lng) = ctx.position?;
            let point = pam_geo::Coordinates::new(lat, lng).ok()?;
            Some(Near { label: "your location".into(), point })
        };
        let limit = self.limit.unwrap_or(5);
        if !(1..=20).contains(&limit) {
            return Err(DomainError::invalid(&["body", "limit"], "must be between 1 and 20"));
        }
        Ok(Search {
            terms,
            near: asked.or_else(here),
            knowledge_type: self.knowledge_type,
            category: self.category.map(|c| c.trim().to_lowercase()).filter(|c| !c.is_empty()),
            page: Page { limit, offset: 0 },
        })
    }
}

pub fn tools(state: &KnowledgeState) -> Vec<Tool> {
    vec![
        Tool::with_state(
            state.clone(),
            "search_knowledge",
            "Search the curated travel knowledge (tips, rules, seasonal advice) by words; results near `near` \
            (a place) or the user's position rank higher. Quote phrases; `or` between alternatives.",
            false,
            |state: KnowledgeState, ctx: ToolContext, input: KnowledgeSearchInput| async move {
                let search = input.checked(&ctx)?;
                ToolOutput::data(search::search(&state, &search).await?)
            },
        ),
        Tool::with_state(
            state.clone(),
            "add_knowledge",
            "Add an article to the travel knowledge (admins only): title, content, knowledge_type (tip, rule, \
            seasonal, safety, general), category, location_context (a place), tags, priority 1-10.",
            true,
            |state: KnowledgeState, ctx: ToolContext, input: NewArticle| async move {
                let is_admin = articles::is_admin_account(&state, ctx.user_id).await?;
                let caller = Caller { id: ctx.user_id, email: None, is_admin };
                ToolOutput::data(articles::create(&state, &caller, input).await?)
            },
        ),
    ]
}
