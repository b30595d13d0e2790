//! The one tool registry, and the `Toolbox` it gives the brain for one user and one turn: executions
//! are recorded and keyed by (turn, tool_use_id), so a replayed turn returns results instead of acting twice.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::time::Instant;

use chrono::Utc;
use futures::future::BoxFuture;
use pam_brain::agent::{ToolCallResult, Toolbox};
use pam_brain::provider::ToolSpec;
use pam_kernel::tool::{Tool, ToolContext, ToolError, ToolOutput};
use pam_kernel::{Clock, Locale};
use pam_store::with_db;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use sqlx::types::Json as SqlJson;
use uuid::Uuid;

use crate::domains::{DOMAINS, DomainStates};
use crate::state::AppState;

pub struct ToolRegistry {
    tools: BTreeMap<&'static str, Tool>,
}

impl ToolRegistry {
    /// Every domain's tools, and the server's own, gathered once at startup. Two tools with one name
    /// would make one of them unreachable: that stops startup.
    pub fn new(domains: &DomainStates) -> anyhow::Result<ToolRegistry> {
        let mut tools = BTreeMap::new();
        let all = DOMAINS.iter().flat_map(|d| (d.tools)(domains)).chain(crate::account::tools(domains));
        for tool in all {
            if let Some(earlier) = tools.insert(tool.name, tool) {
                anyhow::bail!("two tools are called {}", earlier.name);
            }
        }
        Ok(ToolRegistry { tools })
    }

    pub fn get(&self, name: &str) -> Option<&Tool> {
        self.tools.get(name)
    }

    pub fn all(&self) -> impl Iterator<Item = &Tool> {
        self.tools.values()
    }

    pub fn specs(&self) -> Vec<ToolSpec> {
        self.tools
            .values()
            .map(|t| ToolSpec {
                name: t.name.to_string(),
                description: t.description.to_string(),
                parameters: t.parameters.clone(),
            })
            .collect()
    }
}

/// Which call an execution record belongs to.
pub struct Execution<'a> {
    pub conversation_id: Option<Uuid>,
    pub turn_id: Uuid,
    pub tool_use_id: &'a str,
    pub name: &'a str,
    pub input: &'a Value,
}

/// Writes one `tool_executions` row (a repeat of the same turn and call id is ignored).
pub async fn record_execution(
    state: &AppState,
    user_id: Uuid,
    e: &Execution<'_>,
    outcome: &str,
    result: &Value,
    ms: u64,
) {
    let saved = with_db!(&state.db, |pool| {
        sqlx::query(
            "INSERT INTO tool_executions (id, user_id, conversation_id, turn_id, tool_use_id, tool_name, arguments_hash, \
             outcome, result, duration_ms, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
             ON CONFLICT (turn_id, tool_use_id) DO NOTHING",
        )
        .bind(Uuid::now_v7())
        .bind(user_id)
        .bind(e.conversation_id)
        .bind(e.turn_id)
        .bind(e.tool_use_id)
        .bind(e.name)
        .bind(hash_arguments(e.input))
        .bind(outcome)
        .bind(SqlJson(result))
        .bind(ms as i64)
        .bind(Utc::now())
        .execute(pool)
        .await
        .map(|_| ())
    });
    if let Err(err) = saved {
        tracing::warn!(error = %err, tool.name = e.name, "could not record a tool execution");
    }
}

/// The context a tool runs in for this user: the turn's zone when a turn has one (the chat context's,
/// else the profile's), with the profile's currency and units.
pub async fn tool_context(
    state: &AppState,
    user_id: Uuid,
    turn_id: Option<Uuid>,
    zone: Option<chrono_tz::Tz>,
    position: Option<(f64, f64)>,
) -> Result<ToolContext, pam_kernel::DomainError> {
    let mut locale: Locale = pam_profiles::service::locale(&state.domains.profiles, user_id).await?;
    if let Some(tz) = zone {
        locale.tz = tz;
    }
    Ok(ToolContext { db: state.db.clone(), user_id, turn_id, locale, clock: Clock::system(), position })
}

/// Runs a tool as the user and records the execution (the turn path and the REST route alike). Returns
/// the outcome label, what was stored, and the outcome itself.
pub async fn run_recorded(
    state: &AppState,
    ctx: &ToolContext,
    tool: &Tool,
    execution: &Execution<'_>,
) -> (&'static str, Value, Result<pam_kernel::tool::ToolOutput, ToolError>) {
    let started = Instant::now();
    let user_id = ctx.user_id;
    let span = tracing::info_span!("tool", tool.name = execution.name, user.id = %user_id);
    let outcome = tracing::Instrument::instrument(tool.run(ctx.clone(), execution.input.clone()), span).await;
    let (label, stored) = match &outcome {
        Ok(out) => ("ok", json!({"data": out.data, "ui_actions": out.ui_actions})),
        Err(e) => ("error", json!({"error": e.to_string()})),
    };
    crate::metrics::tool_call(execution.name, label, started.elapsed());
    record_execution(state, user_id, execution, label, &stored, started.elapsed().as_millis() as u64).await;
    (label, stored, outcome)
}

/// What an execution recorded under `(turn_id, tool_use_id)` stored, if one was.
pub async fn recorded_execution(
    db: &pam_store::Db,
    turn_id: Uuid,
    tool_use_id: &str,
) -> Result<Option<(String, Value)>, pam_kernel::DomainError> {
    let row: Option<(String, SqlJson<Value>)> = with_db!(db, |pool| {
        sqlx::query_as("SELECT outcome, result FROM tool_executions WHERE turn_id = $1 AND tool_use_id = $2")
            .bind(turn_id)
            .bind(tool_use_id)
            .fetch_optional(pool)
            .await
    })?;
    Ok(row.map(|(o, r)| (o, r.0)))
}

/// A recorded execution as the outcome it was.
pub fn outcome_of(label: &str, stored: &Value) -> Result<ToolOutput, ToolError> {
    if label == "ok" {
        Ok(ToolOutput {
            data: stored["data"].clone(),
            ui_actions: serde_json::from_value(stored["ui_actions"].clone()).unwrap_or_default(),
        })
    } else {
        Err(ToolError::Failed(stored["error"].as_str().unwrap_or("it failed").to_string()))
    }
}

/// The tools of one turn, acting as one user.
///
/// Every execution is recorded against the turn. A turn that is run again (a re-send taking over a turn
/// whose first run died) finds what its tools already did by tool, arguments and how many times this
/// run has called them — not by the model's call ids, which a new run of the model does not repeat — and
/// gets those results back instead of acting twice.
pub struct TurnToolbox {
    state: AppState,
    ctx: ToolContext,
    user_id: Uuid,
    conversation_id: Option<Uuid>,
    turn_id: Uuid,
    /// How many times this run has called each tool that changes data.
    calls: Mutex<HashMap<String, i64>>,
}

pub fn hash_arguments(input: &Value) -> String {
    hex::encode(Sha256::digest(input.to_string().as_bytes()))
}

impl TurnToolbox {
    pub fn new(state: AppState, ctx: ToolContext, conversation_id: Option<Uuid>, turn_id: Uuid) -> TurnToolbox {
        let user_id = ctx.user_id;
        TurnToolbox { state, ctx, user_id, conversation_id, turn_id, calls: Mutex::default() }
    }

    /// This run's n-th call of the tool (0 for the first).
    fn occurrence(&self, name: &str) -> i64 {
        let mut calls = self.calls.lock().unwrap_or_else(|p| p.into_inner());
        let n = calls.entry(name.to_string()).or_insert(0);
        *n += 1;
        *n - 1
    }

    /// What an earlier run of this turn recorded for the n-th call of this tool, if it made one. Matched
    /// by position, not by arguments: a model asked again words its arguments anew ("Dubbo" or "dubbo",
    /// another description), and the first run's action must still not happen twice.
    async fn recorded(&self, name: &str, occurrence: i64) -> Result<Option<(String, Value)>, sqlx::Error> {
        let row: Option<(String, SqlJson<Value>)> = with_db!(&self.state.db, |pool| {
            sqlx::query_as(
                "SELECT outcome, result FROM tool_executions WHERE turn_id = $1 AND tool_name = $2 \
                 ORDER BY created_at, id LIMIT 1 OFFSET $3",
            )
            .bind(self.turn_id)
            .bind(name)
            .bind(occurrence)
            .fetch_optional(pool)
            .await
        })?;
        Ok(row.map(|(o, r)| (o, r.0)))
    }

    async fn record(&self, tool_use_id: &str, name: &str, input: &Value, outcome: &str, result: &Value, ms: u64) {
        let execution =
            Execution { conversation_id: self.conversation_id, turn_id: self.turn_id, tool_use_id, name, input };
        record_execution(&self.state, self.user_id, &execution, outcome, result, ms).await;
    }

    fn to_result(outcome: &str, result: &Value) -> ToolCallResult {
        let ui_actions = result["ui_actions"].as_array().cloned().unwrap_or_default();
        let content = match outcome {
            "ok" | "confirmation_required" => result["data"].to_string(),
            _ => result["error"].as_str().unwrap_or("failed").to_string(),
        };
        let detail = (outcome == "confirmation_required").then(|| result["data"].clone());
        ToolCallResult { content, is_error: outcome == "error", ui_actions, status: outcome.to_string(), detail }
    }
}

impl Toolbox for TurnToolbox {
    fn definitions(&self) -> Vec<ToolSpec> {
        self.state.pam.tools.specs()
    }

    fn execute<'a>(&'a self, id: &'a str, name: &'a str, input: Value) -> BoxFuture<'a, ToolCallResult> {
        Box::pin(async move {
            let Some(tool) = self.state.pam.tools.get(name) else {
                return ToolCallResult {
                    content: format!("There is no tool called {name}"),
                    is_error: true,
                    ui_actions: vec![],
                    status: "error".into(),
                    detail: None,
                };
            };
            // Only what changes data is replayed; reading again is harmless and gives fresher answers.
            if tool.changes_data || tool.needs_confirmation {
                match self.recorded(name, self.occurrence(name)).await {
                    Ok(Some((outcome, result))) => return Self::to_result(&outcome, &result),
                    Ok(None) => {}
                    // Not knowing whether it already ran, it must not run.
                    Err(e) => {
                        tracing::warn!(error = %e, tool.name = name, "could not check a tool's earlier runs");
                        let error = json!({"error": "I couldn't check my records just now; please try again"});
                        return Self::to_result("error", &error);
                    }
                }
            }
            if tool.needs_confirmation {
                // Proposed, not run: the user's yes runs it later with exactly these arguments.
                let proposed = match tool.check(&input) {
                    Ok(()) => super::confirm::propose(&self.state, &self.ctx, self.conversation_id, tool, &input).await,
                    Err(e) => Err(pam_kernel::DomainError::invalid(&["arguments"], e.to_string())),
                };
                let (label, result) = match proposed {
                    Ok(proposal) => ("confirmation_required", json!({"data": proposal, "ui_actions": []})),
                    Err(e) => ("error", json!({"error": ToolError::from(e).to_string()})),
                };
                self.record(id, name, &input, label, &result, 0).await;
                return Self::to_result(label, &result);
            }
            let execution = Execution {
                conversation_id: self.conversation_id,
                turn_id: self.turn_id,
                tool_use_id: id,
                name,
                input: &input,
            };
            let (label, result, _) = run_recorded(&self.state, &self.ctx, tool, &execution).await;
            Self::to_result(label, &result)
        })
    }
}
