//! The provider trait every model backend implements, and the fallback chain over them.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use futures::future::BoxFuture;
use serde_json::Value;

use futures::StreamExt;

use crate::stream::{Deadlines, EventStream, StreamEvent};
use crate::transcript::{Block, Message};
use crate::usage::Usage;

#[derive(Clone, Debug, PartialEq)]
pub struct ToolSpec {
    pub name: String,
    pub description: String,
    /// JSON Schema of the arguments.
    pub parameters: Value,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ToolChoice {
    Auto,
    /// Tools stay defined (Anthropic requires it once history holds tool blocks) but may not be called.
    None,
}

#[derive(Clone, Debug)]
pub struct ModelRequest {
    pub system: String,
    pub messages: Vec<Message>,
    pub tools: Vec<ToolSpec>,
    pub tool_choice: ToolChoice,
    pub max_tokens: u32,
    /// Today in the user's zone (the offline brain resolves "yesterday" with it).
    pub today: Option<NaiveDate>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StopReason {
    EndTurn,
    ToolUse,
    MaxTokens,
    Refusal,
    Other(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct ModelResponse {
    pub message: Message,
    pub stop: StopReason,
    pub usage: Usage,
}

#[derive(Clone, Debug, thiserror::Error, PartialEq)]
pub enum ProviderError {
    /// Connect errors, 429, 5xx, 529, timeouts before the first token: another model may answer.
    #[error("{message}")]
    Retryable { message: String, retry_after: Option<Duration> },
    /// The request itself is wrong (400, 401…): another try changes nothing.
    #[error("{0}")]
    Fatal(String),
}

pub trait LlmProvider: Send + Sync {
    fn model(&self) -> &str;
    fn complete<'a>(&'a self, request: &'a ModelRequest) -> BoxFuture<'a, Result<ModelResponse, ProviderError>>;

    /// A streamed call. Providers without a streaming wire format answer whole and replay it as events.
    fn stream<'a>(
        &'a self,
        request: &'a ModelRequest,
        deadlines: Deadlines,
    ) -> BoxFuture<'a, Result<EventStream<'a>, ProviderError>> {
        Box::pin(async move {
            let response = match tokio::time::timeout(deadlines.first_token, self.complete(request)).await {
                Ok(r) => r?,
                Err(_) => {
                    return Err(ProviderError::Retryable {
                        message: "no answer before the first-token deadline".into(),
                        retry_after: None,
                    });
                }
            };
            Ok(futures::stream::iter(events_of(response)).boxed())
        })
    }
}

/// The events a whole response would have streamed.
pub fn events_of(response: ModelResponse) -> Vec<StreamEvent> {
    let mut events = Vec::new();
    for block in &response.message.blocks {
        match block {
            Block::Text { text } => events.push(StreamEvent::TextDelta(text.clone())),
            Block::ToolUse { id, name, input, .. } => {
                events.push(StreamEvent::ToolCallStarted { id: id.clone(), name: name.clone() });
                events.push(StreamEvent::ToolCallFinished { id: id.clone(), name: name.clone(), input: input.clone() });
            }
            _ => {}
        }
    }
    events.push(StreamEvent::Usage(response.usage));
    events.push(StreamEvent::Done(response));
    events
}

/// A provider that failed this many times in a row is skipped for the cool-down.
const BREAKER_THRESHOLD: u32 = 3;

struct Breaker {
    failures: u32,
    open_until: Option<Instant>,
    last_success: Option<chrono::DateTime<chrono::Utc>>,
    last_failure: Option<(chrono::DateTime<chrono::Utc>, String)>,
}

impl Breaker {
    fn new() -> Mutex<Breaker> {
        Mutex::new(Breaker { failures: 0, open_until: None, last_success: None, last_failure: None })
    }
}

/// How a model's provider has been doing (for operators).
#[derive(Clone, Debug, serde::Serialize)]
pub struct ModelHealth {
    pub model: String,
    /// Tried on the next turn (its breaker is closed).
    pub healthy: bool,
    /// Seconds until an open breaker lets the model be tried again.
    pub open_for_secs: Option<u64>,
    pub consecutive_failures: u32,
    pub last_success: Option<chrono::DateTime<chrono::Utc>>,
    pub last_failure: Option<chrono::DateTime<chrono::Utc>>,
    pub last_error: Option<String>,
    /// In the configured chain (else a spare, used only when chosen as the primary).
    pub in_chain: bool,
}

/// Models in order of preference. Any failure before the first token moves to the next model; a model
/// whose provider keeps failing (connect errors, timeouts, 429, 5xx) is skipped for a cool-down (circuit
/// breaker).
pub struct FallbackChain {
    providers: Vec<(Box<dyn LlmProvider>, Mutex<Breaker>)>,
    /// Models that are configured but not in the chain: used only when an operator makes one the
    /// primary.
    spares: Vec<(Box<dyn LlmProvider>, Mutex<Breaker>)>,
    /// The model tried first, when an operator chose one (else the chain's own first).
    preferred: std::sync::RwLock<Option<String>>,
    cool_down: Duration,
    /// A 429/529 asking to retry within this long is retried on the same model (once) before moving on.
    pub max_retry_wait: Duration,
}

/// A model that began answering, with the models that failed before it.
pub struct OpenStream<'a> {
    pub events: EventStream<'a>,
    pub model: String,
    pub started: Instant,
    pub failed: Vec<(String, ProviderError)>,
}

impl FallbackChain {
    pub fn new(providers: Vec<Box<dyn LlmProvider>>, cool_down: Duration) -> FallbackChain {
        FallbackChain {
            providers: providers.into_iter().map(|p| (p, Breaker::new())).collect(),
            spares: Vec::new(),
            preferred: std::sync::RwLock::new(None),
            cool_down,
            max_retry_wait: Duration::from_secs(3),
        }
    }

    /// Adds configured models that are not in the chain, for an operator to choose as the primary.
    pub fn with_spares(mut self, spares: Vec<Box<dyn LlmProvider>>) -> FallbackChain {
        let known = self.models();
        self.spares =
            spares.into_iter().filter(|p| !known.iter().any(|m| m == p.model())).map(|p| (p, Breaker::new())).collect();
        self
    }

    pub fn models(&self) -> Vec<String> {
        self.providers.iter().map(|(p, _)| p.model().to_string()).collect()
    }

    /// Every model this chain can call: the chain's, then the spares.
    pub fn available(&self) -> Vec<String> {
        self.providers.iter().chain(&self.spares).map(|(p, _)| p.model().to_string()).collect()
    }

    /// Makes `model` the first tried (None: the chain's own order). Returns whether it can be called.
    pub fn prefer(&self, model: Option<&str>) -> bool {
        let known = model.is_none_or(|m| self.available().iter().any(|a| a == m));
        if known && let Ok(mut p) = self.preferred.write() {
            *p = model.map(str::to_string);
        }
        known
    }

    /// The model tried first now.
    pub fn primary(&self) -> Option<String> {
        self.preferred.read().ok().and_then(|p| p.clone()).or_else(|| self.models().first().cloned())
    }

    /// Each model's breaker and last outcomes.
    pub fn health(&self) -> Vec<ModelHealth> {
        let now = Instant::now();
        let view = |(p, b): &(Box<dyn LlmProvider>, Mutex<Breaker>), in_chain: bool| {
            let b = b.lock().unwrap_or_else(|e| e.into_inner());
            let open = b.open_until.filter(|t| *t > now);
            ModelHealth {
                model: p.model().to_string(),
                healthy: open.is_none(),
                open_for_secs: open.map(|t| (t - now).as_secs().max(1)),
                consecutive_failures: b.failures,
                last_success: b.last_success,
                last_failure: b.last_failure.as_ref().map(|f| f.0),
                last_error: b.last_failure.as_ref().map(|f| f.1.clone()),
                in_chain,
            }
        };
        self.providers.iter().map(|p| view(p, true)).chain(self.spares.iter().map(|p| view(p, false))).collect()
    }

    /// The order to try the models in for this turn: the preferred one first.
    fn order(&self) -> Vec<&(Box<dyn LlmProvider>, Mutex<Breaker>)> {
        let preferred = self.preferred.read().ok().and_then(|p| p.clone());
        let mut order: Vec<&(Box<dyn LlmProvider>, Mutex<Breaker>)> = Vec::with_capacity(self.providers.len() + 1);
        if let Some(m) = &preferred
            && let Some(first) = self.providers.iter().chain(&self.spares).find(|(p, _)| p.model() == m)
        {
            order.push(first);
        }
        order.extend(self.providers.iter().filter(|(p, _)| preferred.as_deref() != Some(p.model())));
        order
    }

    /// Whether a model's breaker is closed (it is tried).
    pub fn is_healthy(&self, model: &str) -> bool {
        self.providers
            .iter()
            .find(|(p, _)| p.model() == model)
            .is_some_and(|(_, b)| b.lock().map(|b| b.open_until.is_none_or(|t| Instant::now() >= t)).unwrap_or(true))
    }

    /// Opens a stream on the first model that starts answering. Failures before the first event move to
    /// the next model; once a stream is open, its errors are the caller's (no silent second answer).
    pub async fn stream<'a>(
        &'a self,
        request: &'a ModelRequest,
        deadlines: Deadlines,
    ) -> Result<OpenStream<'a>, Vec<(String, ProviderError)>> {
        let mut failed = Vec::new();
        let order = self.order();
        let last = order.len().saturating_sub(1);
        for (i, (provider, breaker)) in order.into_iter().enumerate() {
            let open = breaker.lock().map(|b| b.open_until.is_some_and(|t| Instant::now() < t)).unwrap_or(false);
            if open && i != last {
                continue;
            }
            let started = Instant::now();
            let mut result = provider.stream(request, deadlines).await;
            if let Err(ProviderError::Retryable { retry_after: Some(wait), .. }) = &result
                && *wait <= self.max_retry_wait
            {
                let jitter = Duration::from_millis(rand::random_range(0..250));
                tokio::time::sleep(*wait + jitter).await;
                result = provider.stream(request, deadlines).await;
            }
            match result {
                Ok(events) => {
                    if let Ok(mut b) = breaker.lock() {
                        b.failures = 0;
                        b.open_until = None;
                        b.last_success = Some(chrono::Utc::now());
                    }
                    return Ok(OpenStream { events, model: provider.model().to_string(), started, failed });
                }
                Err(err) => {
                    tracing::warn!(model = provider.model(), error = %err, "model call failed");
                    if let Ok(mut b) = breaker.lock() {
                        b.last_failure = Some((chrono::Utc::now(), err.to_string().chars().take(300).collect()));
                    }
                    // Only the provider's own trouble (connect errors, timeouts, 429, 5xx) counts toward
                    // the breaker all users share. A refusal of this request (400, a bad key) does not,
                    // and the next model (finally the offline brain) still gets to answer.
                    if matches!(err, ProviderError::Retryable { .. })
                        && let Ok(mut b) = breaker.lock()
                    {
                        b.failures += 1;
                        if b.failures >= BREAKER_THRESHOLD {
                            b.open_until = Some(Instant::now() + self.cool_down);
                        }
                    }
                    failed.push((provider.model().to_string(), err));
                }
            }
        }
        Err(failed)
    }
}
