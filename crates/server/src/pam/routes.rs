//! REST doors into PAM: chat (and the front end's pam-simple fallback), conversations, history, feedback,
//! the tool catalogue and direct tool execution, and PAM's health.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use pam_kernel::schema_rules::{self, BodyRules, Rules};
use pam_kernel::tool::ToolError;
use pam_kernel::{ListMeta, PageQuery};
use pam_web::AuthUser;
use pam_web::error::{AppError, ErrorBody, ValidationErrorBody};
use pam_web::extract::{Json, Path, Query};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::store::{self, Conversation, ConversationSummary};
use super::turn::{self, ChatRequest};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    let mut router = OpenApiRouter::new()
        .routes(routes!(chat))
        .routes(routes!(simple_chat))
        .routes(routes!(list_conversations))
        .routes(routes!(get_conversation, delete_conversation))
        .routes(routes!(get_history, delete_history))
        .routes(routes!(feedback))
        .routes(routes!(list_tools))
        .routes(routes!(execute_tool))
        .routes(routes!(confirm_tool))
        .routes(routes!(pam_health))
        .merge(super::voice::router());
    schema_rules::state::<ChatRequest>(router.get_openapi_mut());
    schema_rules::state::<Feedback>(router.get_openapi_mut());
    router
}

async fn chat_turn(state: &AppState, user: &AuthUser, body: ChatRequest) -> Result<Json<Value>, AppError> {
    let input = body.parse(None).map_err(|r| r.into_app_error())?;
    Ok(Json(turn::run(state, user, input, turn::no_events()).await?))
}

/// Talk to PAM. A repeated `message_id` (or the same text re-sent within 45 s) returns the first reply.
#[utoipa::path(post, path = "/api/v1/pam/chat", tag = "pam", security(("bearer" = [])), request_body = ChatRequest,
    responses((status = 200, description = "PAM's reply", body = Object), (status = 404, body = ErrorBody),
        (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::BodyRefused))]
async fn chat(
    State(state): State<AppState>,
    user: AuthUser,
    Json(body): Json<ChatRequest>,
) -> Result<Json<Value>, AppError> {
    chat_turn(&state, &user, body).await
}

/// The front end's second fallback: the same turn.
#[utoipa::path(post, path = "/api/v1/pam-simple/chat", tag = "pam", security(("bearer" = [])), request_body = ChatRequest,
    responses((status = 200, description = "PAM's reply", body = Object),
        (status = 404, description = "No such conversation of the user's", body = ErrorBody),
        (status = 422, body = ValidationErrorBody), pam_web::doc::Unauthorized, pam_web::doc::BodyRefused))]
async fn simple_chat(
    State(state): State<AppState>,
    user: AuthUser,
    Json(body): Json<ChatRequest>,
) -> Result<Json<Value>, AppError> {
    chat_turn(&state, &user, body).await
}

#[derive(Serialize, ToSchema)]
struct ConversationList {
    conversations: Vec<ConversationSummary>,
    #[serde(flatten)]
    meta: ListMeta,
}

#[utoipa::path(get, path = "/api/v1/pam/conversations", tag = "pam", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, body = ConversationList), pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn list_conversations(
    State(state): State<AppState>,
    user: AuthUser,
    Query(q): Query<PageQuery>,
) -> Result<Json<ConversationList>, AppError> {
    let page = q.page()?;
    let (conversations, total) = store::list_conversations(&state.db, user.id, page.limit, page.offset).await?;
    Ok(Json(ConversationList { conversations, meta: page.meta(total) }))
}

#[utoipa::path(get, path = "/api/v1/pam/conversations/{id}", tag = "pam", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = Conversation), (status = 404, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn get_conversation(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<Json<Conversation>, AppError> {
    Ok(Json(store::conversation(&state.db, user.id, id).await?))
}

#[utoipa::path(delete, path = "/api/v1/pam/conversations/{id}", tag = "pam", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 204, description = "Deleted"), (status = 404, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn delete_conversation(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    store::delete_conversation(&state.db, user.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The latest conversation.
#[utoipa::path(get, path = "/api/v1/pam/history", tag = "pam", security(("bearer" = [])),
    responses((status = 200, body = Object), pam_web::doc::Unauthorized))]
async fn get_history(State(state): State<AppState>, user: AuthUser) -> Result<Json<Value>, AppError> {
    match store::latest_conversation(&state.db, user.id).await? {
        Some(id) => Ok(Json(
            serde_json::to_value(store::conversation(&state.db, user.id, id).await?)
                .map_err(|e| AppError::Internal(e.into()))?,
        )),
        None => Ok(Json(json!({"id": null, "title": null, "messages": []}))),
    }
}

/// Forget every conversation.
#[utoipa::path(delete, path = "/api/v1/pam/history", tag = "pam", security(("bearer" = [])),
    responses((status = 204, description = "Deleted"), pam_web::doc::Unauthorized))]
async fn delete_history(State(state): State<AppState>, user: AuthUser) -> Result<StatusCode, AppError> {
    store::delete_all_conversations(&state.db, user.id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
struct Feedback {
    #[schema(min_length = 1, pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")]
    message_id: String,
    /// 1–5; this or `thumbs_up` is needed.
    #[schema(minimum = 1, maximum = 5)]
    rating: Option<i32>,
    thumbs_up: Option<bool>,
    #[schema(max_length = 2000)]
    feedback_text: Option<String>,
}

/// What [`feedback`] asks beyond each field: a rating or a thumbs-up (`null` is read as left out).
impl BodyRules for Feedback {
    fn rules() -> Rules {
        Rules::new().any_of([schema_rules::given("rating"), schema_rules::given("thumbs_up")])
    }
}

#[utoipa::path(post, path = "/api/v1/pam/feedback", tag = "pam", security(("bearer" = [])), request_body = Feedback,
    responses((status = 201, body = Object), (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::BodyRefused))]
async fn feedback(
    State(state): State<AppState>,
    user: AuthUser,
    Json(body): Json<Feedback>,
) -> Result<(StatusCode, Json<Value>), AppError> {
    if body.rating.is_none() && body.thumbs_up.is_none() {
        return Err(AppError::invalid(&["body", "rating"], "give a rating (1–5) or thumbs_up"));
    }
    if let Some(r) = body.rating
        && !(1..=5).contains(&r)
    {
        return Err(AppError::invalid(&["body", "rating"], "must be between 1 and 5"));
    }
    let text = pam_kernel::text::optional_text(body.feedback_text, 2000)
        .map_err(|m| AppError::invalid(&["body", "feedback_text"], m))?;
    let message_id = body.message_id.trim().chars().take(128).collect::<String>();
    if message_id.is_empty() {
        return Err(AppError::invalid(&["body", "message_id"], "must not be empty"));
    }
    let id = Uuid::now_v7();
    pam_store::with_db!(&state.db, |pool| {
        sqlx::query("INSERT INTO pam_feedback (id, user_id, message_id, rating, thumbs_up, feedback_text, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(id)
            .bind(user.id)
            .bind(&message_id)
            .bind(body.rating)
            .bind(body.thumbs_up)
            .bind(&text)
            .bind(Utc::now())
            .execute(pool)
            .await
            .map(|_| ())
    })?;
    Ok((StatusCode::CREATED, Json(json!({"success": true, "id": id}))))
}

/// Every tool PAM can use, with its JSON Schema.
#[utoipa::path(get, path = "/api/v1/pam/tools/list", tag = "pam", security(("bearer" = [])),
    responses((status = 200, body = Object), pam_web::doc::Unauthorized))]
async fn list_tools(State(state): State<AppState>, _user: AuthUser) -> Json<Value> {
    let tools: Vec<Value> = state
        .pam
        .tools
        .all()
        .map(|t| {
            json!({"name": t.name, "description": t.description, "parameters": t.parameters,
                        "changes_data": t.changes_data, "needs_confirmation": t.needs_confirmation})
        })
        .collect();
    Json(json!({"success": true, "total_tools": tools.len(), "tools": tools}))
}

/// Run one tool as the signed-in user.
#[utoipa::path(post, path = "/api/v1/pam/tools/execute/{tool_name}", tag = "pam", security(("bearer" = [])),
    params(("tool_name" = String, Path)), request_body(content = Object, description = "The tool's arguments"),
    responses((status = 200, body = Object), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "The tool could not act on the data as it is now (`code: conflict`), e.g. a post already published"),
        (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::BodyRefused))]
async fn execute_tool(
    State(state): State<AppState>,
    user: AuthUser,
    Path(tool_name): Path<String>,
    Json(arguments): Json<serde_json::Map<String, Value>>,
) -> Result<Json<Value>, AppError> {
    // An object, as every tool's input schema says; `null` or a list is refused rather than read as `{}`.
    let arguments = Value::Object(arguments);
    let tool =
        state.pam.tools.get(&tool_name).ok_or_else(|| AppError::NotFound(format!("No tool called {tool_name}")))?;
    if tool.needs_confirmation {
        tool.check(&arguments).map_err(|e| match e {
            ToolError::InvalidArguments(fields) => AppError::Validation(fields),
            ToolError::Failed(m) => AppError::invalid(&["body"], m),
        })?;
        let ctx = super::registry::tool_context(&state, user.id, None, None, None).await?;
        let proposal = super::confirm::propose(&state, &ctx, None, tool, &arguments).await?;
        return Ok(Json(
            json!({"success": false, "confirmation_required": true, "confirmation_id": proposal["confirmation_id"],
            "summary": proposal["summary"], "tool_name": tool_name}),
        ));
    }
    let execution = super::registry::Execution {
        conversation_id: None,
        turn_id: Uuid::now_v7(),
        tool_use_id: "rest",
        name: tool.name,
        input: &arguments,
    };
    let ctx = super::registry::tool_context(&state, user.id, Some(execution.turn_id), None, None).await?;
    let (_, _, outcome) = super::registry::run_recorded(&state, &ctx, tool, &execution).await;
    match outcome {
        Ok(out) => {
            Ok(Json(json!({"success": true, "data": out.data, "tool_name": tool_name, "ui_actions": out.ui_actions})))
        }
        Err(ToolError::InvalidArguments(fields)) => Err(AppError::Validation(fields)),
        Err(ToolError::Failed(m)) => {
            Ok(Json(json!({"success": false, "error": m, "tool_name": tool_name, "ui_actions": []})))
        }
    }
}

/// Which models PAM can use right now.
#[utoipa::path(get, path = "/api/v1/pam/health", tag = "pam", responses((status = 200, body = Object)))]
async fn pam_health(State(state): State<AppState>) -> Json<Value> {
    let providers: Vec<Value> = state
        .pam
        .chain
        .models()
        .into_iter()
        .map(|m| {
            let provider = state
                .pam
                .models
                .get(&m)
                .map(|i| serde_json::to_value(i.provider).unwrap_or_default())
                .unwrap_or_default();
            json!({"model": m, "provider": provider, "healthy": state.pam.chain.is_healthy(&m)})
        })
        .collect();
    let healthy = providers.iter().filter(|p| p["healthy"] == true).count();
    let status = if healthy == providers.len() {
        "healthy"
    } else if healthy > 0 {
        "degraded"
    } else {
        "unhealthy"
    };
    Json(json!({"status": status, "service": "PAM", "providers": providers, "timestamp": Utc::now()}))
}

/// Carry out an action PAM proposed (with exactly the arguments it showed).
#[utoipa::path(post, path = "/api/v1/pam/tools/confirm/{confirmation_id}", tag = "pam", security(("bearer" = [])),
    params(("confirmation_id" = Uuid, Path)),
    responses((status = 200, body = Object), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn confirm_tool(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<Json<Value>, AppError> {
    let ran = super::confirm::confirm(&state, user.id, id).await?;
    Ok(Json(
        json!({"success": true, "data": ran.output.data, "tool_name": ran.tool_name, "ui_actions": ran.output.ui_actions}),
    ))
}
