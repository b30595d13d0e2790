//! `Idempotency-Key` on unsafe POSTs (SPEC §2): a repeat with the same key by the same user returns the
//! first response (status and body) and changes nothing. Applied by the edge middleware to every POST,
//! so every domain's routes get it without code of their own.
//!
//! The key is claimed by inserting a row before the handler runs (the primary key makes the claim
//! atomic across instances); the response is stored when it is known. The claim is a lease: the handler
//! runs in a task of its own (a client that disconnects does not cut it short, so its response is still
//! stored), a response that is not final (5xx, 429, a body that could not be read) or a panic releases
//! the claim so the client may retry, and a claim whose worker vanished is taken over after
//! [`CLAIM_LEASE`].

use std::time::Duration;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, SubsecRound, Utc};
use futures::FutureExt;
use pam_store::with_db;
use pam_web::AuthUser;
use pam_web::auth::bearer_token_from_headers;
use pam_web::error::AppError;
use sha2::{Digest, Sha256};
use std::panic::AssertUnwindSafe;
use uuid::Uuid;

use crate::state::AppState;

pub const HEADER: &str = "idempotency-key";
/// Bodies above this are not buffered for replay (uploads); the key is then refused.
const MAX_BODY: usize = 10 * 1024 * 1024;
/// A stored response is replayed for this long.
const KEY_TTL_HOURS: i64 = 24;
/// How long a repeat waits for the first request to finish before answering 409.
const WAIT_FOR_FIRST: Duration = Duration::from_secs(15);
/// How long a claim may stay unfinished before a repeat may take it over.
pub const CLAIM_LEASE: chrono::Duration = chrono::Duration::seconds(60);

/// Hands the request to the router (which never fails: errors are responses).
async fn route(router: Router, req: Request) -> Response {
    use tower::ServiceExt;
    router.oneshot(req).await.unwrap_or_else(|never| match never {})
}

type StoredRow = (String, Option<i32>, Option<String>, Option<String>);

/// Runs a POST that carries an `Idempotency-Key` (called by the edge middleware).
pub async fn handle(state: AppState, req: Request, router: Router) -> Response {
    let key = req.headers().get(HEADER).and_then(|v| v.to_str().ok()).map(str::to_string);
    match run(state, key, req, router).await {
        Ok(response) => response,
        Err(err) => err.into_response(),
    }
}

async fn run(state: AppState, key: Option<String>, req: Request, router: Router) -> Result<Response, AppError> {
    let key = key.filter(|k| !k.is_empty() && k.len() <= 255 && k.chars().all(|c| c.is_ascii_graphic())).ok_or_else(
        || AppError::invalid(&["header", "Idempotency-Key"], "must be 1 to 255 visible ASCII characters"),
    )?;
    // Without a user there is nobody to scope the key to; the route decides whether it needs one.
    let Some(token) = bearer_token_from_headers(req.headers()).map(str::to_string) else {
        return Ok(route(router, req).await);
    };
    let user = state.auth.caller(&token).await?;
    let (mut parts, body) = req.into_parts();
    parts.extensions.insert(AuthUser(user.clone()));
    let bytes =
        to_bytes(body, MAX_BODY).await.map_err(|_| AppError::PayloadTooLarge("Request body is too large".into()))?;
    let mut hasher = Sha256::new();
    hasher.update(parts.method.as_str());
    hasher.update(b" ");
    hasher.update(parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/"));
    hasher.update(b"\n");
    hasher.update(&bytes);
    let request_hash = hex::encode(hasher.finalize());
    let path = parts.uri.path().to_string();

    // A claim released by a failed first request (5xx) may be taken by the repeat.
    let mut attempts = 0;
    let claimed_at = loop {
        if let Some(claimed_at) = claim(&state, user.id, &key, &path, &request_hash).await? {
            break claimed_at;
        }
        if let Some(stored) = replay(&state, user.id, &key, &request_hash).await? {
            return Ok(stored);
        }
        attempts += 1;
        if attempts >= 3 {
            return Err(AppError::Busy {
                message: "This Idempotency-Key is in use; retry".into(),
                retry_after_secs: 1,
            });
        }
    };
    let task_state = state.clone();
    let user_id = user.id;
    let task_key = key.clone();
    let work = pam_web::context::spawn_detached(&state.tasks, async move {
        let routed = route(router, Request::from_parts(parts, Body::from(bytes)));
        // A panic inside the handler is caught here, in the task, so the claim is released even when
        // the client has gone and nobody awaits this task any more.
        let response = match AssertUnwindSafe(routed).catch_unwind().await {
            Ok(response) => response,
            Err(_) => {
                release(&task_state, user_id, &task_key, claimed_at).await?;
                return Err(AppError::Internal(anyhow::anyhow!("the handler of an idempotent request panicked")));
            }
        };
        let (res_parts, res_body) = response.into_parts();
        let Ok(res_bytes) = to_bytes(res_body, MAX_BODY).await else {
            // The body broke while it was read: nothing final can be sent (not its status with an error
            // body), and the key is free for a retry.
            release(&task_state, user_id, &task_key, claimed_at).await?;
            return Err(AppError::Internal(anyhow::anyhow!("the response to an idempotent request could not be read")));
        };
        let status = res_parts.status;
        let final_response = status.as_u16() < 500 && status != StatusCode::TOO_MANY_REQUESTS;
        match std::str::from_utf8(&res_bytes) {
            Ok(text) if final_response => {
                let content_type =
                    res_parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_string);
                store(&task_state, user_id, &task_key, claimed_at, status, text, content_type).await?;
            }
            _ => release(&task_state, user_id, &task_key, claimed_at).await?,
        }
        Ok::<_, AppError>(Response::from_parts(res_parts, Body::from(res_bytes)))
    });
    match work.await {
        Ok(result) => result,
        Err(join) => {
            // The handler panicked: nothing final was sent, so the key is free for a retry.
            release(&state, user.id, &key, claimed_at).await?;
            Err(AppError::Internal(anyhow::anyhow!("an idempotent request did not finish: {join}")))
        }
    }
}

/// Stores the final response, if the claim is still this request's (one taken over meanwhile is not).
async fn store(
    state: &AppState,
    user_id: Uuid,
    key: &str,
    claimed_at: DateTime<Utc>,
    status: StatusCode,
    body: &str,
    content_type: Option<String>,
) -> Result<(), AppError> {
    with_db!(&state.db, |pool| {
        sqlx::query(
            "UPDATE idempotency_keys SET status_code = $3, response_body = $4, content_type = $5 \
             WHERE user_id = $1 AND idem_key = $2 AND claimed_at = $6 AND status_code IS NULL",
        )
        .bind(user_id)
        .bind(key)
        .bind(status.as_u16() as i32)
        .bind(body)
        .bind(content_type)
        .bind(claimed_at)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Claims the key for this request; false when an earlier request holds it.
/// Claims the key for this request; the claim's time (which identifies it) or None when an earlier
/// request holds it.
async fn claim(
    state: &AppState,
    user_id: Uuid,
    key: &str,
    path: &str,
    request_hash: &str,
) -> Result<Option<DateTime<Utc>>, AppError> {
    // Cut to the microsecond both databases keep, so the claim can be matched exactly later.
    let now = Utc::now().trunc_subsecs(6);
    let expired_before = now - chrono::Duration::hours(KEY_TTL_HOURS);
    let inserted = with_db!(&state.db, |pool| {
        let mut tx = pool.begin().await?;
        sqlx::query("DELETE FROM idempotency_keys WHERE user_id = $1 AND idem_key = $2 AND created_at < $3")
            .bind(user_id)
            .bind(key)
            .bind(expired_before)
            .execute(&mut *tx)
            .await?;
        let result = sqlx::query(
            "INSERT INTO idempotency_keys (user_id, idem_key, method, path, request_hash, created_at, claimed_at) \
             VALUES ($1, $2, 'POST', $3, $4, $5, $5) ON CONFLICT (user_id, idem_key) DO NOTHING",
        )
        .bind(user_id)
        .bind(key)
        .bind(path)
        .bind(request_hash)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        // A claim for the same request left unfinished past its lease (its worker died) is taken over.
        let taken = if result.rows_affected() == 1 {
            0
        } else {
            sqlx::query(
                "UPDATE idempotency_keys SET claimed_at = $4 WHERE user_id = $1 AND idem_key = $2 AND request_hash = $3 \
                 AND status_code IS NULL AND (claimed_at IS NULL OR claimed_at < $5)",
            )
            .bind(user_id)
            .bind(key)
            .bind(request_hash)
            .bind(now)
            .bind(now - CLAIM_LEASE)
            .execute(&mut *tx)
            .await?
            .rows_affected()
        };
        tx.commit().await?;
        Ok::<_, sqlx::Error>(result.rows_affected() == 1 || taken == 1)
    })?;
    Ok(inserted.then_some(now))
}

/// Frees the key for a retry, if the claim is still this request's and holds no final response.
async fn release(state: &AppState, user_id: Uuid, key: &str, claimed_at: DateTime<Utc>) -> Result<(), AppError> {
    with_db!(&state.db, |pool| {
        sqlx::query(
            "DELETE FROM idempotency_keys WHERE user_id = $1 AND idem_key = $2 AND claimed_at = $3 AND status_code IS NULL",
        )
        .bind(user_id)
        .bind(key)
        .bind(claimed_at)
        .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Answers a repeat: the stored response, or (while the first is still running) after it finishes.
/// None when the first request released its claim.
async fn replay(state: &AppState, user_id: Uuid, key: &str, request_hash: &str) -> Result<Option<Response>, AppError> {
    let deadline = tokio::time::Instant::now() + WAIT_FOR_FIRST;
    loop {
        let row: Option<StoredRow> = with_db!(&state.db, |pool| {
            sqlx::query_as(
                "SELECT request_hash, status_code, response_body, content_type FROM idempotency_keys \
                 WHERE user_id = $1 AND idem_key = $2",
            )
            .bind(user_id)
            .bind(key)
            .fetch_optional(pool)
            .await
        })?;
        match row {
            Some((hash, _, _, _)) if hash != request_hash => {
                return Err(AppError::Conflict("This Idempotency-Key was already used for a different request".into()));
            }
            Some((_, Some(status), body, content_type)) => {
                let status = StatusCode::from_u16(status as u16).unwrap_or(StatusCode::OK);
                let mut response = (status, body.unwrap_or_default()).into_response();
                if let Some(ct) = content_type.and_then(|ct| HeaderValue::from_str(&ct).ok()) {
                    response.headers_mut().insert(header::CONTENT_TYPE, ct);
                }
                response.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
                return Ok(Some(response));
            }
            None => return Ok(None),
            Some(_) if tokio::time::Instant::now() >= deadline => {
                return Err(AppError::Conflict("A request with this Idempotency-Key is still in progress".into()));
            }
            Some(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
}
