//! The seed design document's own routes, kept for its clients: thin doors into the same services.
//! A `{user_id}` in the path or body must be the caller's (403 otherwise, unless admin).

use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use pam_kernel::Money;
use pam_kernel::Page;
use pam_kernel::money::Amount;
use pam_web::{AppError, AuthUser, Authn, ErrorBody, ValidationErrorBody};
use pam_web::{Json, Path, Query};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::WinsState;
use crate::budgets::{self, Budget, NewBudget};
use crate::expenses::{self, Expense, ExpenseFilter, Filter, NewExpense};
use crate::income::{self, Income, NewIncome};
use crate::reports::{self, Summary, SummaryRequest};

pub fn router<S>() -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
    WinsState: FromRef<S>,
    Authn: FromRef<S>,
{
    OpenApiRouter::new()
        .routes(routes!(post_expense))
        .routes(routes!(user_expenses))
        .routes(routes!(wins_user_expenses))
        .routes(routes!(post_budget))
        .routes(routes!(user_budgets))
        .routes(routes!(post_income))
        .routes(routes!(financial_summary))
}

/// A body that may name its user (the seed's clients send `user_id`).
#[derive(Deserialize, ToSchema)]
pub struct ForUser<T> {
    pub user_id: Option<Uuid>,
    #[serde(flatten)]
    pub body: T,
}

fn target(user: &AuthUser, named: Option<Uuid>) -> Result<Uuid, AppError> {
    let id = named.unwrap_or(user.id);
    user.ensure_may_act_for(id)?;
    Ok(id)
}

#[utoipa::path(post, path = "/api/expenses", tag = "wins (seed-compatible)", security(("bearer" = [])),
    request_body = NewExpense,
    responses((status = 201, body = Expense), (status = 403, body = ErrorBody),
        (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::BodyRefused))]
async fn post_expense(
    State(state): State<WinsState>,
    user: AuthUser,
    Json(req): Json<ForUser<NewExpense>>,
) -> Result<(StatusCode, Json<Expense>), AppError> {
    let id = target(&user, req.user_id)?;
    Ok((StatusCode::CREATED, Json(expenses::create(&state, id, req.body).await?)))
}

#[derive(Serialize, ToSchema)]
pub struct UserExpenses {
    pub user_id: Uuid,
    pub expenses: Vec<Expense>,
    pub total_expenses: i64,
    #[schema(value_type = Amount)]
    pub total_amount: Money,
    #[schema(value_type = Object)]
    pub filters: Value,
}

async fn user_expense_list(
    state: &WinsState,
    user: &AuthUser,
    user_id: Uuid,
    q: ExpenseFilter,
) -> Result<UserExpenses, AppError> {
    user.ensure_may_act_for(user_id)?;
    let page = Page::parse(q.limit, q.offset)?;
    let filter = Filter::parse(q.category.as_deref(), q.start_date, q.end_date)?;
    let list = expenses::list(state, user_id, &filter, page).await?;
    Ok(UserExpenses {
        user_id,
        total_expenses: list.meta.total,
        total_amount: list.total_amount,
        expenses: list.expenses,
        filters: json!({"category": filter.category, "start_date": q.start_date, "end_date": q.end_date,
                        "limit": page.limit, "offset": page.offset}),
    })
}

#[utoipa::path(get, path = "/api/expenses/{user_id}", tag = "wins (seed-compatible)", security(("bearer" = [])),
    params(("user_id" = Uuid, Path), ExpenseFilter),
    responses((status = 200, body = UserExpenses), (status = 403, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn user_expenses(
    State(state): State<WinsState>,
    user: AuthUser,
    Path(user_id): Path<Uuid>,
    Query(q): Query<ExpenseFilter>,
) -> Result<Json<UserExpenses>, AppError> {
    Ok(Json(user_expense_list(&state, &user, user_id, q).await?))
}

#[utoipa::path(get, path = "/api/v1/wins/expenses/{user_id}", tag = "wins (seed-compatible)", security(("bearer" = [])),
    params(("user_id" = Uuid, Path), ExpenseFilter),
    responses((status = 200, body = UserExpenses), (status = 403, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn wins_user_expenses(
    State(state): State<WinsState>,
    user: AuthUser,
    Path(user_id): Path<Uuid>,
    Query(q): Query<ExpenseFilter>,
) -> Result<Json<UserExpenses>, AppError> {
    Ok(Json(user_expense_list(&state, &user, user_id, q).await?))
}

#[utoipa::path(post, path = "/api/budgets", tag = "wins (seed-compatible)", security(("bearer" = [])),
    request_body = NewBudget,
    responses((status = 201, body = Budget), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::BodyRefused))]
async fn post_budget(
    State(state): State<WinsState>,
    user: AuthUser,
    Json(req): Json<ForUser<NewBudget>>,
) -> Result<(StatusCode, Json<Budget>), AppError> {
    let id = target(&user, req.user_id)?;
    Ok((StatusCode::CREATED, Json(budgets::create(&state, id, req.body).await?)))
}

#[derive(Serialize, ToSchema)]
pub struct UserBudgets {
    pub user_id: Uuid,
    pub budgets: Vec<Budget>,
    pub total: i64,
}

#[utoipa::path(get, path = "/api/budgets/{user_id}", tag = "wins (seed-compatible)", security(("bearer" = [])),
    params(("user_id" = Uuid, Path)), responses((status = 200, body = UserBudgets), (status = 403, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn user_budgets(
    State(state): State<WinsState>,
    user: AuthUser,
    Path(user_id): Path<Uuid>,
) -> Result<Json<UserBudgets>, AppError> {
    user.ensure_may_act_for(user_id)?;
    let list = budgets::list(&state, user_id, Page { limit: 1000, offset: 0 }).await?;
    Ok(Json(UserBudgets { user_id, total: list.meta.total, budgets: list.budgets }))
}

#[utoipa::path(post, path = "/api/income", tag = "wins (seed-compatible)", security(("bearer" = [])),
    request_body = NewIncome,
    responses((status = 201, body = Income), (status = 403, body = ErrorBody),
        (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::BodyRefused))]
async fn post_income(
    State(state): State<WinsState>,
    user: AuthUser,
    Json(req): Json<ForUser<NewIncome>>,
) -> Result<(StatusCode, Json<Income>), AppError> {
    let id = target(&user, req.user_id)?;
    Ok((StatusCode::CREATED, Json(income::create(&state, id, req.body).await?)))
}

#[derive(Serialize, ToSchema)]
pub struct FinancialSummary {
    pub user_id: Uuid,
    #[serde(flatten)]
    pub summary: Summary,
}

#[utoipa::path(get, path = "/api/financial-summary/{user_id}", tag = "wins (seed-compatible)", security(("bearer" = [])),
    params(("user_id" = Uuid, Path), SummaryRequest),
    responses((status = 200, body = FinancialSummary), (status = 403, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn financial_summary(
    State(state): State<WinsState>,
    user: AuthUser,
    Path(user_id): Path<Uuid>,
    Query(q): Query<SummaryRequest>,
) -> Result<Json<FinancialSummary>, AppError> {
    user.ensure_may_act_for(user_id)?;
    let summary = reports::summary(&state, user_id, &q).await?;
    Ok(Json(FinancialSummary { user_id, summary }))
}
