//! Wins — money (SPEC §4): expenses, budgets, income, reports, savings, and their PAM tools.

pub mod alerts;
pub mod budgets;
pub mod category;
pub mod chart;
pub mod expenses;
pub mod income;
pub mod money;
pub mod reports;
pub mod routes;
pub mod routes_reports;
pub mod routes_savings;
pub mod routes_seed;
pub mod savings;
pub mod text;
pub mod tools;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(routes::router())
        .merge(routes_reports::router())
        .merge(routes_savings::router())
        .merge(routes_seed::router())
}
