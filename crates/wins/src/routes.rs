//! `/api/v1/expenses`, `/api/v1/budgets`, `/api/v1/income`: thin routes over the services.

use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use pam_kernel::{Page, PageQuery};
use pam_web::{AppError, AuthUser, Authn, ErrorBody, ValidationErrorBody};
use pam_web::{Json, Path, Query};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::WinsState;
use crate::budgets::{self, Budget, BudgetList, BudgetUpdate, NewBudget};
use crate::expenses::{self, Expense, ExpenseFilter, ExpenseList, ExpenseUpdate, Filter, NewExpense};
use crate::income::{self, Income, IncomeFilter, IncomeList, IncomeUpdate, NewIncome};

pub fn router<S>() -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
    WinsState: FromRef<S>,
    Authn: FromRef<S>,
{
    OpenApiRouter::new()
        .routes(routes!(create_expense, list_expenses))
        .routes(routes!(get_expense, patch_expense, delete_expense))
        .routes(routes!(create_budget, list_budgets))
        .routes(routes!(get_budget, patch_budget, delete_budget))
        .routes(routes!(create_income, list_income))
        .routes(routes!(get_income, patch_income, delete_income))
}

/// Record an expense.
#[utoipa::path(post, path = "/api/v1/expenses", tag = "wins", security(("bearer" = [])), request_body = NewExpense,
    responses((status = 201, body = Expense), (status = 401, body = ErrorBody),
        (status = 422, body = ValidationErrorBody),
        pam_web::doc::BodyRefused))]
async fn create_expense(
    State(state): State<WinsState>,
    user: AuthUser,
    Json(body): Json<NewExpense>,
) -> Result<(StatusCode, Json<Expense>), AppError> {
    Ok((StatusCode::CREATED, Json(expenses::create(&state, user.id, body).await?)))
}

/// The user's expenses, newest first.
#[utoipa::path(get, path = "/api/v1/expenses", tag = "wins", security(("bearer" = [])), params(ExpenseFilter),
    responses((status = 200, body = ExpenseList), (status = 401, body = ErrorBody), (status = 422, body = ValidationErrorBody)))]
async fn list_expenses(
    State(state): State<WinsState>,
    user: AuthUser,
    Query(q): Query<ExpenseFilter>,
) -> Result<Json<ExpenseList>, AppError> {
    let page = Page::parse(q.limit, q.offset)?;
    let filter = Filter::parse(q.category.as_deref(), q.start_date, q.end_date)?;
    Ok(Json(expenses::list(&state, user.id, &filter, page).await?))
}

#[utoipa::path(get, path = "/api/v1/expenses/{id}", tag = "wins", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = Expense), (status = 404, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn get_expense(
    State(state): State<WinsState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<Json<Expense>, AppError> {
    Ok(Json(expenses::get(&state, user.id, id).await?))
}

#[utoipa::path(patch, path = "/api/v1/expenses/{id}", tag = "wins", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = ExpenseUpdate,
    responses((status = 200, body = Expense), (status = 404, body = ErrorBody),
        (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::BodyRefused))]
async fn patch_expense(
    State(state): State<WinsState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Json(body): Json<ExpenseUpdate>,
) -> Result<Json<Expense>, AppError> {
    Ok(Json(expenses::update(&state, user.id, id, body).await?))
}

#[utoipa::path(delete, path = "/api/v1/expenses/{id}", tag = "wins", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 204, description = "Deleted"), (status = 404, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn delete_expense(
    State(state): State<WinsState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    expenses::delete(&state, user.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Set a monthly budget for a category (one per category: a second is 409).
#[utoipa::path(post, path = "/api/v1/budgets", tag = "wins", security(("bearer" = [])), request_body = NewBudget,
    responses((status = 201, body = Budget), (status = 409, body = ErrorBody),
        (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::BodyRefused))]
async fn create_budget(
    State(state): State<WinsState>,
    user: AuthUser,
    Json(body): Json<NewBudget>,
) -> Result<(StatusCode, Json<Budget>), AppError> {
    Ok((StatusCode::CREATED, Json(budgets::create(&state, user.id, body).await?)))
}

#[utoipa::path(get, path = "/api/v1/budgets", tag = "wins", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, body = BudgetList), (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized))]
async fn list_budgets(
    State(state): State<WinsState>,
    user: AuthUser,
    Query(q): Query<PageQuery>,
) -> Result<Json<BudgetList>, AppError> {
    Ok(Json(budgets::list(&state, user.id, q.page()?).await?))
}

#[utoipa::path(get, path = "/api/v1/budgets/{id}", tag = "wins", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = Budget), (status = 404, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn get_budget(
    State(state): State<WinsState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<Json<Budget>, AppError> {
    Ok(Json(budgets::get(&state, user.id, id).await?))
}

#[utoipa::path(patch, path = "/api/v1/budgets/{id}", tag = "wins", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = BudgetUpdate,
    responses((status = 200, body = Budget), (status = 404, body = ErrorBody),
        (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::BodyRefused))]
async fn patch_budget(
    State(state): State<WinsState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Json(body): Json<BudgetUpdate>,
) -> Result<Json<Budget>, AppError> {
    Ok(Json(budgets::update(&state, user.id, id, body).await?))
}

#[utoipa::path(delete, path = "/api/v1/budgets/{id}", tag = "wins", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 204, description = "Deleted"), (status = 404, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn delete_budget(
    State(state): State<WinsState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    budgets::delete(&state, user.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Record income.
#[utoipa::path(post, path = "/api/v1/income", tag = "wins", security(("bearer" = [])), request_body = NewIncome,
    responses((status = 201, body = Income), (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::BodyRefused))]
async fn create_income(
    State(state): State<WinsState>,
    user: AuthUser,
    Json(body): Json<NewIncome>,
) -> Result<(StatusCode, Json<Income>), AppError> {
    Ok((StatusCode::CREATED, Json(income::create(&state, user.id, body).await?)))
}

#[utoipa::path(get, path = "/api/v1/income", tag = "wins", security(("bearer" = [])), params(IncomeFilter),
    responses((status = 200, body = IncomeList), (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized))]
async fn list_income(
    State(state): State<WinsState>,
    user: AuthUser,
    Query(q): Query<IncomeFilter>,
) -> Result<Json<IncomeList>, AppError> {
    let page = Page::parse(q.limit, q.offset)?;
    Ok(Json(income::list(&state, user.id, &q, page).await?))
}

#[utoipa::path(get, path = "/api/v1/income/{id}", tag = "wins", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = Income), (status = 404, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn get_income(
    State(state): State<WinsState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<Json<Income>, AppError> {
    Ok(Json(income::get(&state, user.id, id).await?))
}

#[utoipa::path(patch, path = "/api/v1/income/{id}", tag = "wins", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = IncomeUpdate,
    responses((status = 200, body = Income), (status = 404, body = ErrorBody),
        (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::BodyRefused))]
async fn patch_income(
    State(state): State<WinsState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Json(body): Json<IncomeUpdate>,
) -> Result<Json<Income>, AppError> {
    Ok(Json(income::update(&state, user.id, id, body).await?))
}

#[utoipa::path(delete, path = "/api/v1/income/{id}", tag = "wins", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 204, description = "Deleted"), (status = 404, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn delete_income(
    State(state): State<WinsState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    income::delete(&state, user.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
