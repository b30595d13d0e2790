//! Text-to-speech engines behind one trait, so the chain can try them in order and tests can put a
//! fake in their place. An engine says which formats it writes, which voices it has, whether it
//! bills, and how it failed: down (skip it for a cool-down) or refused (this request only).

pub mod elevenlabs;
pub mod espeak;
pub mod http;
pub mod openai;

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use futures::future::BoxFuture;
use futures::stream::BoxStream;
use serde::Serialize;
use utoipa::ToSchema;

use crate::format::AudioFormat;

/// Audio as it is produced, chunk by chunk.
pub type AudioStream = BoxStream<'static, Result<Bytes, std::io::Error>>;

/// What one engine is asked to say: the text is already speakable, the voice one of the engine's own.
#[derive(Clone, Debug)]
pub struct EngineRequest {
    pub text: String,
    pub voice: String,
    pub format: AudioFormat,
    /// 0.25–4.0, 1.0 normal; each engine maps it to its own scale.
    pub speed: f32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum EngineError {
    /// The engine is not answering, overloaded (429), misconfigured (401) or broken: skip it for a
    /// cool-down (at least `retry_after` when it said so).
    Down { reason: String, retry_after: Option<Duration> },
    /// It would not do this request (its text, its voice): try the next engine, but keep this one.
    Refused(String),
}

impl EngineError {
    pub fn down(reason: impl Into<String>) -> EngineError {
        EngineError::Down { reason: reason.into(), retry_after: None }
    }
}

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EngineError::Down { reason, .. } => write!(f, "down: {reason}"),
            EngineError::Refused(reason) => write!(f, "refused: {reason}"),
        }
    }
}

/// A voice an engine offers.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct Voice {
    /// What to send as `voice_id`.
    pub id: String,
    pub name: String,
    /// `espeak-ng`, `openai` or `elevenlabs`.
    pub engine: String,
    pub language: Option<String>,
    /// `male` / `female` where the engine says.
    pub gender: Option<String>,
    /// The engine's default voice.
    pub default: bool,
}

/// An API key: sent to its service, printed as `[redacted]`.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    pub fn new(key: impl Into<String>) -> ApiKey {
        ApiKey(key.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

pub trait TtsEngine: Send + Sync {
    /// `espeak-ng`, `openai`, `elevenlabs` (the `X-Engine` header).
    fn name(&self) -> &'static str;
    /// The formats it writes, as sent to clients.
    fn formats(&self) -> &[AudioFormat];
    /// The usage-ledger label (`tts:openai:tts-1`) and price per million characters, for engines that
    /// bill; `None` for engines that cost nothing to run (espeak-ng).
    fn billing(&self) -> Option<(String, f64)>;
    /// The voice it will use for a requested id: that voice when it has it, else its default.
    fn voice_for<'a>(&'a self, requested: Option<&'a str>) -> BoxFuture<'a, String>;
    fn voices(&self) -> BoxFuture<'_, Vec<Voice>>;
    /// The whole audio.
    fn synthesize(&self, request: EngineRequest) -> BoxFuture<'_, Result<Bytes, EngineError>>;
    /// Audio as it is produced. Failures before the first byte are errors here, so the chain can still
    /// try the next engine; a failure later ends the stream with an error item.
    fn stream(&self, request: EngineRequest) -> BoxFuture<'_, Result<AudioStream, EngineError>>;
}

/// A voice id as a client may send it: short, and only characters every engine's ids are made of, so
/// it can go into a URL path or a program's argument without being read as anything else.
pub fn plausible_voice_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 100
        && !id.starts_with('-')
        && id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+' | '.'))
}
