//! Benchmark: the agent loop's own cost per model step with a zero-latency fake provider and instant
//! tools, and memory per concurrent turn. Run: `cargo run --release -p pam-brain --example loop_overhead`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures::future::BoxFuture;
use pam_brain::agent::{ToolCallResult, Toolbox, TurnOptions, run_turn};
use pam_brain::provider::{
    FallbackChain, LlmProvider, ModelRequest, ModelResponse, ProviderError, StopReason, ToolSpec,
};
use pam_brain::registry::Registry;
use pam_brain::transcript::{Block, Message, Role};
use pam_brain::usage::Usage;
use serde_json::{Value, json};

/// Calls a tool until the conversation holds `steps - 1` results, then answers; optionally waits first.
struct Fake {
    steps: usize,
    wait: Option<Duration>,
}

impl LlmProvider for Fake {
    fn model(&self) -> &str {
        "claude-sonnet-4-5-20250929"
    }
    fn complete<'a>(&'a self, request: &'a ModelRequest) -> BoxFuture<'a, Result<ModelResponse, ProviderError>> {
        Box::pin(async move {
            if let Some(w) = self.wait {
                tokio::time::sleep(w).await;
            }
            let done = request.messages.iter().filter(|m| m.role == Role::User).count() - 1;
            let message = if done + 1 < self.steps {
                Message {
                    role: Role::Assistant,
                    blocks: vec![Block::ToolUse {
                        id: format!("t{done}"),
                        name: "noop".into(),
                        input: json!({"n": done}),
                        signature: None,
                    }],
                }
            } else {
                Message::assistant_text("done")
            };
            let stop = if done + 1 < self.steps { StopReason::ToolUse } else { StopReason::EndTurn };
            Ok(ModelResponse {
                message,
                stop,
                usage: Usage { input_tokens: 100, output_tokens: 10, ..Default::default() },
            })
        })
    }
}

struct Noop;

impl Toolbox for Noop {
    fn definitions(&self) -> Vec<ToolSpec> {
        vec![ToolSpec {
            name: "noop".into(),
            description: "does nothing".into(),
            parameters: json!({"type": "object"}),
        }]
    }
    fn execute<'a>(&'a self, _: &'a str, _: &'a str, input: Value) -> BoxFuture<'a, ToolCallResult> {
        Box::pin(async move {
            ToolCallResult {
                content: input.to_string(),
                is_error: false,
                ui_actions: vec![],
                status: "ok".into(),
                detail: None,
            }
        })
    }
}

fn rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmRSS")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

#[tokio::main]
async fn main() {
    let registry = Registry::default();
    let steps = 8;
    let chain = FallbackChain::new(vec![Box::new(Fake { steps, wait: None })], Duration::from_secs(30));
    let turns = 20_000;
    // Warm up, then measure.
    for _ in 0..1000 {
        run_turn(&chain, &registry, &Noop, "system", &[], Message::user_text("go"), &TurnOptions::default())
            .await
            .unwrap();
    }
    let started = Instant::now();
    for _ in 0..turns {
        let out = run_turn(&chain, &registry, &Noop, "system", &[], Message::user_text("go"), &TurnOptions::default())
            .await
            .unwrap();
        assert_eq!(out.text, "done");
    }
    let per_step = started.elapsed() / (turns * steps as u32);
    println!(
        "loop overhead: {:.1} µs per model step ({turns} turns × {steps} steps, zero-latency provider and tools)",
        per_step.as_secs_f64() * 1e6
    );

    // Memory per concurrent turn: 1,000 turns held open inside a slow provider call.
    let concurrent = 1000;
    let slow: Arc<FallbackChain> = Arc::new(FallbackChain::new(
        vec![Box::new(Fake { steps: 2, wait: Some(Duration::from_millis(1500)) })],
        Duration::from_secs(30),
    ));
    let before = rss_kb();
    let started_turns = Arc::new(AtomicUsize::new(0));
    let mut handles = Vec::new();
    for _ in 0..concurrent {
        let chain = slow.clone();
        let counter = started_turns.clone();
        handles.push(tokio::spawn(async move {
            counter.fetch_add(1, Ordering::Relaxed);
            let registry = Registry::default();
            run_turn(&chain, &registry, &Noop, "system", &[], Message::user_text("go"), &TurnOptions::default())
                .await
                .unwrap()
        }));
    }
    tokio::time::sleep(Duration::from_millis(700)).await;
    let during = rss_kb();
    for h in handles {
        h.await.unwrap();
    }
    println!(
        "memory per concurrent turn: {:.1} KB ({} turns in flight, RSS {} → {} KB)",
        during.saturating_sub(before) as f64 / concurrent as f64,
        started_turns.load(Ordering::Relaxed),
        before,
        during
    );
}
