//! Speech (SPEC §6): text-to-speech and speech-to-text.
//!
//! - [`engine`]: the TTS engines — espeak-ng run as a subprocess (always there, offline, WAV), an
//!   OpenAI-compatible speech API, ElevenLabs — behind one trait.
//! - [`stt`]: transcription through an OpenAI-compatible endpoint (OpenAI, or a local whisper server).
//! - [`chain`]: the service — the engines in a fallback chain with cool-downs, the byte-bounded
//!   [`cache`], and the request checks; [`listen`]: transcription, voices and status.
//! - [`speakable`]: replies made fit to be heard (markdown, URLs, emoji, money).
//! - [`format`] and [`probe`]: audio recognised by its bytes, its length read from its headers.
//! - [`routes`]: `/api/v1/tts/*` and `/api/v1/voice/transcribe`, generic over the application state.
//!   The routes that need PAM's turn pipeline (`/api/v1/pam/voice`, `/api/v1/voice/conversation`)
//!   live in the server and use this crate's service, uploads and headers.
//!
//! Needs from elsewhere: the usage ledger and spend caps, through [`usage::UsageLedger`], which the
//! server implements over its LLM ledger (paid engines' usage counts toward the same caps).

// Outside data never reaches an unwrap: failures are errors, not panics (tests may unwrap).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod cache;
pub mod chain;
pub mod config;
pub mod cooldown;
pub mod engine;
pub mod format;
pub mod listen;
pub mod probe;
pub mod routes;
pub mod speakable;
pub mod stt;
pub mod upload;
pub mod usage;

pub use chain::{SpeakRequest, Speech, Spoken, SpokenStream};
pub use config::{EngineKind, SpeechConfig};
pub use format::{AudioFormat, OutputFormat};
pub use listen::{SpeechStatus, Transcript};
pub use routes::router;
pub use usage::{Ledger, SpeechUsage, UsageLedger};

/// What the speech routes need: the service and the ledger its paid calls are booked in.
#[derive(Clone)]
pub struct SpeechState {
    pub speech: Speech,
    pub ledger: Ledger,
}

#[cfg(test)]
mod tests;
