//! The agent loop against scripted providers and toolboxes: what it returns and what it sent.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::future::BoxFuture;
use pam_brain::agent::{ToolCallResult, Toolbox, TurnOptions, run_turn};
use pam_brain::offline::OfflineBrain;
use pam_brain::provider::{
    FallbackChain, LlmProvider, ModelRequest, ModelResponse, ProviderError, StopReason, ToolChoice, ToolSpec,
};
use pam_brain::registry::Registry;
use pam_brain::transcript::{Block, Message, Role};
use pam_brain::usage::Usage;
use serde_json::{Value, json};

/// Answers from a script and records every request it got.
struct Scripted {
    model: String,
    script: Mutex<Vec<Result<ModelResponse, ProviderError>>>,
    seen: Arc<Mutex<Vec<ModelRequest>>>,
}

impl Scripted {
    fn new(
        model: &str,
        script: Vec<Result<ModelResponse, ProviderError>>,
    ) -> (Scripted, Arc<Mutex<Vec<ModelRequest>>>) {
        let seen = Arc::new(Mutex::new(Vec::new()));
        (
            Scripted {
                model: model.into(),
                script: Mutex::new(script.into_iter().rev().collect()),
                seen: seen.clone(),
            },
            seen,
        )
    }
}

impl LlmProvider for Scripted {
    fn model(&self) -> &str {
        &self.model
    }
    fn complete<'a>(&'a self, request: &'a ModelRequest) -> BoxFuture<'a, Result<ModelResponse, ProviderError>> {
        self.seen.lock().unwrap().push(request.clone());
        let next = self.script.lock().unwrap().pop().unwrap_or_else(|| Ok(text("(script ended)")));
        Box::pin(async move { next })
    }
}

fn text(t: &str) -> ModelResponse {
    ModelResponse {
        message: Message::assistant_text(t),
        stop: StopReason::EndTurn,
        usage: Usage { input_tokens: 100, output_tokens: 10, ..Default::default() },
    }
}

fn calls(list: &[(&str, &str, Value)]) -> ModelResponse {
    ModelResponse {
        message: Message {
            role: Role::Assistant,
            blocks: list
                .iter()
                .map(|(id, name, input)| Block::ToolUse {
                    id: id.to_string(),
                    name: name.to_string(),
                    input: input.clone(),
                    signature: None,
                })
                .collect(),
        },
        stop: StopReason::ToolUse,
        usage: Usage { input_tokens: 100, output_tokens: 20, ..Default::default() },
    }
}

/// Records executions; `slow` tools take longer, to show results keep the model's order.
#[derive(Default)]
struct Recorder {
    executed: Mutex<Vec<(String, Value)>>,
}

impl Toolbox for Recorder {
    fn definitions(&self) -> Vec<ToolSpec> {
        ["create_expense", "get_spending_summary", "slow", "fast"]
            .iter()
            .map(|n| ToolSpec {
                name: n.to_string(),
                description: String::new(),
                parameters: json!({"type": "object"}),
            })
            .collect()
    }
    fn execute<'a>(&'a self, _id: &'a str, name: &'a str, input: Value) -> BoxFuture<'a, ToolCallResult> {
        Box::pin(async move {
            if name == "slow" {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            self.executed.lock().unwrap().push((name.to_string(), input.clone()));
            if input.get("amount").and_then(Value::as_f64).is_some_and(|a| a <= 0.0) {
                return ToolCallResult {
                    content: "amount: must be greater than 0".into(),
                    is_error: true,
                    ui_actions: vec![],
                    status: "error".into(),
                    detail: None,
                };
            }
            let content = match name {
                "create_expense" => {
                    json!({"amount": input["amount"], "category": input["category"], "currency": "AUD", "date": input.get("date").cloned().unwrap_or(json!("2026-11-25"))})
                }
                "get_spending_summary" if input["month"] == "2026-06" => {
                    // As Wins answers a calendar month: its dates and the month asked for.
                    json!({"days": 30, "period": null, "month": "2026-06", "start_date": "2026-06-01",
                        "end_date": "2026-06-30", "expenses": 80.0, "currency": "AUD", "categories": []})
                }
                "get_spending_summary" => {
                    // As Wins answers a named period: its dates and the period asked for.
                    json!({"days": 25, "period": input["period"], "start_date": "2026-11-01", "end_date": "2026-11-25",
                        "expenses": 123.45, "currency": "AUD", "categories": [{"category": "fuel", "amount": 100.0}]})
                }
                other => json!({"tool": other}),
            };
            ToolCallResult {
                content: content.to_string(),
                is_error: false,
                ui_actions: vec![json!({"type": "reload_expenses"})],
                status: "ok".into(),
                detail: None,
            }
        })
    }
}

fn chain(providers: Vec<Box<dyn LlmProvider>>) -> FallbackChain {
    FallbackChain::new(providers, Duration::from_secs(30))
}

async fn turn(
    chain: &FallbackChain,
    tools: &Recorder,
    said: &str,
    options: TurnOptions,
) -> pam_brain::agent::TurnOutcome {
    run_turn(chain, &Registry::default(), tools, "You are PAM.", &[], Message::user_text(said), &options).await.unwrap()
}

#[tokio::test]
async fn plain_text_ends_the_turn() {
    let (p, seen) = Scripted::new("claude-sonnet-4-5-20250929", vec![Ok(text("Hello!"))]);
    let tools = Recorder::default();
    let out = turn(&chain(vec![Box::new(p)]), &tools, "hi", TurnOptions::default()).await;
    assert_eq!(out.text, "Hello!");
    assert_eq!(seen.lock().unwrap().len(), 1);
    assert_eq!(out.usage[0].cost_micro_usd, 100 * 3 + 10 * 15);
    assert_eq!(out.new_messages.len(), 2);
}

#[tokio::test]
async fn a_tool_runs_once_and_its_result_goes_back() {
    let (p, seen) = Scripted::new(
        "claude-sonnet-4-5-20250929",
        vec![
            Ok(calls(&[("t1", "create_expense", json!({"amount": 42.5, "category": "fuel"}))])),
            Ok(text("Logged it.")),
        ],
    );
    let tools = Recorder::default();
    let out = turn(&chain(vec![Box::new(p)]), &tools, "I spent $42.50 on diesel", TurnOptions::default()).await;
    assert_eq!(out.text, "Logged it.");
    assert_eq!(tools.executed.lock().unwrap().len(), 1);
    assert_eq!(out.ui_actions, vec![json!({"type": "reload_expenses"})]);
    let requests = seen.lock().unwrap();
    let second = requests[1].messages.last().unwrap();
    assert_eq!(second.role, Role::User);
    assert!(matches!(&second.blocks[0], Block::ToolResult { tool_use_id, is_error: false, .. } if tool_use_id == "t1"));
}

#[tokio::test]
async fn parallel_calls_return_in_one_message_in_the_models_order() {
    let (p, seen) = Scripted::new(
        "claude-sonnet-4-5-20250929",
        vec![Ok(calls(&[("a", "slow", json!({})), ("b", "fast", json!({}))])), Ok(text("Both done."))],
    );
    let tools = Recorder::default();
    let out = turn(&chain(vec![Box::new(p)]), &tools, "do both", TurnOptions::default()).await;
    assert_eq!(tools.executed.lock().unwrap()[0].0, "fast", "they ran concurrently: fast finished first");
    let requests = seen.lock().unwrap();
    let results = &requests[1].messages.last().unwrap().blocks;
    assert_eq!(results.len(), 2, "both results in one message");
    let ids: Vec<&str> = results
        .iter()
        .map(|b| match b {
            Block::ToolResult { tool_use_id, .. } => tool_use_id.as_str(),
            _ => "",
        })
        .collect();
    assert_eq!(ids, ["a", "b"]);
    assert_eq!(out.tool_calls.len(), 2);
}

#[tokio::test]
async fn the_last_step_forbids_tools_so_the_turn_ends_in_text() {
    let looping: Vec<_> = (0..3).map(|i| Ok(calls(&[(&*format!("t{i}"), "fast", json!({}))]))).collect();
    let (p, seen) = Scripted::new("claude-sonnet-4-5-20250929", looping);
    let tools = Recorder::default();
    let out = turn(&chain(vec![Box::new(p)]), &tools, "loop", TurnOptions { max_steps: 3, ..Default::default() }).await;
    let requests = seen.lock().unwrap();
    assert_eq!(requests.len(), 3);
    assert_eq!(requests[0].tool_choice, ToolChoice::Auto);
    assert_eq!(requests[2].tool_choice, ToolChoice::None);
    assert!(!requests[2].tools.is_empty(), "tools stay defined on the last step");
    assert!(!out.text.is_empty(), "never a blank reply");
}

#[tokio::test]
async fn an_overloaded_model_falls_back_to_the_next() {
    let (claude, _) = Scripted::new(
        "claude-sonnet-4-5-20250929",
        vec![Err(ProviderError::Retryable { message: "529 overloaded".into(), retry_after: None })],
    );
    let (gemini, gemini_seen) = Scripted::new("gemini-3.0-flash", vec![Ok(text("Gemini here."))]);
    let tools = Recorder::default();
    let out = turn(&chain(vec![Box::new(claude), Box::new(gemini)]), &tools, "hi", TurnOptions::default()).await;
    assert_eq!(out.text, "Gemini here.");
    assert_eq!(out.model, "gemini-3.0-flash");
    assert_eq!(gemini_seen.lock().unwrap().len(), 1);
    assert!(out.usage.iter().any(|u| u.model == "claude-sonnet-4-5-20250929" && u.outcome.starts_with("fallback")));
}

#[tokio::test]
async fn a_failing_model_is_skipped_after_repeated_failures() {
    let fail = || Err(ProviderError::Retryable { message: "503".into(), retry_after: None });
    let (claude, claude_seen) = Scripted::new("claude-sonnet-4-5-20250929", vec![fail(), fail(), fail(), fail()]);
    let (offline_like, _) = Scripted::new("gemini-3.0-flash", (0..4).map(|_| Ok(text("ok"))).collect());
    let chain = chain(vec![Box::new(claude), Box::new(offline_like)]);
    let tools = Recorder::default();
    for _ in 0..4 {
        turn(&chain, &tools, "hi", TurnOptions::default()).await;
    }
    assert_eq!(claude_seen.lock().unwrap().len(), 3, "the breaker opened after three failures");
    assert!(!chain.is_healthy("claude-sonnet-4-5-20250929"));
}

#[tokio::test]
async fn a_refused_request_moves_on_to_the_next_model_without_tripping_the_shared_breaker() {
    // A bad key (401) is this deployment's problem with that provider, not the provider being down:
    // the next model (finally the offline brain) answers, and the breaker all users share stays closed.
    let refused = || Err(ProviderError::Fatal("401 invalid x-api-key".into()));
    let (claude, claude_seen) = Scripted::new("claude-sonnet-4-5-20250929", (0..5).map(|_| refused()).collect());
    let (backup, _) = Scripted::new("gemini-3.0-flash", (0..5).map(|_| Ok(text("Backup here."))).collect());
    let chain = chain(vec![Box::new(claude), Box::new(backup)]);
    let tools = Recorder::default();
    for _ in 0..5 {
        let out = turn(&chain, &tools, "hi", TurnOptions::default()).await;
        assert_eq!(out.text, "Backup here.");
    }
    assert_eq!(claude_seen.lock().unwrap().len(), 5, "still tried each turn: a refusal does not open the breaker");
    assert!(chain.is_healthy("claude-sonnet-4-5-20250929"));
}

#[tokio::test]
async fn the_offline_brain_logs_an_expense_through_the_loop() {
    let tools = Recorder::default();
    let chain = chain(vec![Box::new(OfflineBrain)]);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25);
    let out =
        turn(&chain, &tools, "I spent $42.50 on diesel yesterday", TurnOptions { today, ..Default::default() }).await;
    let executed = tools.executed.lock().unwrap().clone();
    assert_eq!(executed.len(), 1);
    assert_eq!(executed[0].0, "create_expense");
    assert_eq!(executed[0].1["amount"], 42.5);
    assert_eq!(executed[0].1["category"], "fuel");
    assert_eq!(executed[0].1["date"], "2026-11-24");
    assert_eq!(out.text, "Logged $42.50 for fuel, dated yesterday.");
    assert_eq!(out.model, "pam-offline");

    let out =
        turn(&chain, &tools, "How much have I spent this month?", TurnOptions { today, ..Default::default() }).await;
    assert_eq!(tools.executed.lock().unwrap()[1].1["period"], "this_month");
    assert!(out.text.starts_with("You've spent $123.45 this month (1–25 November)"), "{}", out.text);

    // A month of its own is asked for as that month, and the reply names it.
    let out = turn(&chain, &tools, "how much did we spend in June?", TurnOptions { today, ..Default::default() }).await;
    assert_eq!(tools.executed.lock().unwrap()[2].1["month"], "2026-06");
    assert_eq!(out.text, "You've spent $80.00 in June 2026 (1–30 June).");

    let out = turn(&chain, &tools, "spent -$5 on fuel", TurnOptions { today, ..Default::default() }).await;
    assert!(!out.text.is_empty());
}

#[tokio::test]
async fn a_bad_tool_result_goes_back_as_an_error_and_the_reply_is_not_empty() {
    let (p, seen) = Scripted::new(
        "claude-sonnet-4-5-20250929",
        vec![
            Ok(calls(&[("t1", "create_expense", json!({"amount": -5, "category": "fuel"}))])),
            Ok(text("That amount looks wrong — how much was it?")),
        ],
    );
    let tools = Recorder::default();
    let out = turn(&chain(vec![Box::new(p)]), &tools, "log -5 fuel", TurnOptions::default()).await;
    let requests = seen.lock().unwrap();
    assert!(
        matches!(&requests[1].messages.last().unwrap().blocks[0], Block::ToolResult { is_error: true, content, .. } if content.contains("greater than 0"))
    );
    assert!(!out.text.is_empty());
    assert_eq!(out.tool_calls[0].status, "error");
}
