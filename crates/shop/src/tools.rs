//! The shop's PAM tools: search the catalogue, one product's details, and recommendations for the user's
//! vehicle and trips. Thin calls into the same services as the routes; none changes data.

use pam_kernel::{DomainError, Tool, ToolContext, ToolOutput};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::ShopState;
use crate::products::{self, ProductQuery};
use crate::recommend::{self, RecommendInput};

#[derive(Debug, Deserialize, ToSchema)]
pub struct ProductSearchInput {
    /// Words to find in names, descriptions and tags.
    pub query: Option<String>,
    pub category: Option<String>,
    /// At most this many (1–20, default 10).
    pub limit: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ProductIdInput {
    pub product_id: Uuid,
}

pub fn tools(state: &ShopState) -> Vec<Tool> {
    vec![
        Tool::with_state(
            state.clone(),
            "search_products",
            "Search the Wheels & Wins shop: products whose name, description or tags contain the query, \
            optionally in one category.",
            false,
            |state: ShopState, _ctx: ToolContext, input: ProductSearchInput| async move {
                let limit = input.limit.unwrap_or(10);
                if !(1..=20).contains(&limit) {
                    return Err(DomainError::invalid(&["body", "limit"], "must be between 1 and 20"));
                }
                let query = ProductQuery { q: input.query, category: input.category, limit: Some(limit), offset: None };
                ToolOutput::data(products::search(&state, &query).await?)
            },
        ),
        Tool::with_state(
            state.clone(),
            "get_product_details",
            "Everything about one product in the shop: price, description, what vehicles and fuels it suits, \
            where to buy it.",
            false,
            |state: ShopState, _ctx: ToolContext, input: ProductIdInput| async move {
                ToolOutput::data(products::get(&state, input.product_id).await?)
            },
        ),
        Tool::with_state(
            state.clone(),
            "recommend_products",
            "Recommend products from the shop for the user's primary vehicle (type and fuel) and coming trips, \
            each with the reasons it was picked; optionally in one category or for a need in the user's words.",
            false,
            |state: ShopState, ctx: ToolContext, input: RecommendInput| async move {
                ToolOutput::data(recommend::recommend(&state, ctx.user_id, input).await?)
            },
        ),
    ]
}
