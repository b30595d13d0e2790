//! What paid engines cost, booked in the same micro-USD ledger as LLM calls so it counts toward the
//! user's spend caps. This crate knows nothing of that ledger: the server hands it a [`UsageLedger`]
//! (kernel-style dependency inversion), and decides with it whether a user may still use paid engines.
//!
//! Units: speech is billed per character (TTS) or per second of audio (STT, rounded up). Prices come
//! from the configuration (defaults: OpenAI `tts-1` US$15 per million characters, `tts-1-hd` $30,
//! ElevenLabs $300 per million characters — its overage rate —, transcription $0.006 a minute).

use std::sync::Arc;

use futures::future::BoxFuture;
use pam_kernel::DomainError;
use uuid::Uuid;

/// One paid engine call.
#[derive(Clone, Debug, PartialEq)]
pub struct SpeechUsage {
    /// `tts:openai:tts-1`, `tts:elevenlabs:eleven_multilingual_v2`, `stt:openai:whisper-1`.
    pub model: String,
    /// Characters spoken, or whole seconds transcribed.
    pub units: u64,
    pub cost_micro_usd: u64,
    pub latency_ms: u64,
}

impl SpeechUsage {
    /// TTS: `chars` characters at `usd_per_million` per million characters.
    pub fn characters(model: String, chars: u64, usd_per_million: f64, latency_ms: u64) -> SpeechUsage {
        // US$ per million units is micro-USD per unit.
        let cost = (chars as f64 * usd_per_million.max(0.0)).round() as u64;
        SpeechUsage { model, units: chars, cost_micro_usd: cost, latency_ms }
    }

    /// STT: `seconds` of audio (rounded up to whole seconds) at `usd_per_minute`.
    pub fn seconds(model: String, seconds: f64, usd_per_minute: f64, latency_ms: u64) -> SpeechUsage {
        let whole = if seconds.is_finite() { seconds.max(0.0).ceil() as u64 } else { 0 };
        let cost = (whole as f64 * usd_per_minute.max(0.0) * 1_000_000.0 / 60.0).round() as u64;
        SpeechUsage { model, units: whole, cost_micro_usd: cost, latency_ms }
    }
}

/// The server's side: the ledger and the caps.
pub trait UsageLedger: Send + Sync {
    /// Whether the user may still use engines that cost money (false past a spend cap).
    fn paid_allowed(&self, user_id: Uuid) -> BoxFuture<'_, Result<bool, DomainError>>;
    /// Books one paid call to the user (and the conversation it served, if any).
    fn book<'a>(
        &'a self,
        user_id: Uuid,
        conversation_id: Option<Uuid>,
        usage: &'a SpeechUsage,
    ) -> BoxFuture<'a, Result<(), DomainError>>;
}

/// The ledger as the routes hold it.
#[derive(Clone)]
pub struct Ledger(pub Arc<dyn UsageLedger>);

impl Ledger {
    /// A ledger that books nothing and caps nobody (benchmarks, tools without a database).
    pub fn unbooked() -> Ledger {
        Ledger(Arc::new(Unbooked))
    }

    /// Whether paid engines may answer for this user. When the ledger cannot be read the answer is
    /// no: the free engine still speaks, and nothing unbooked is spent (never a 500 for this).
    pub async fn paid_allowed(&self, user_id: Uuid) -> bool {
        match self.0.paid_allowed(user_id).await {
            Ok(allowed) => allowed,
            Err(e) => {
                tracing::warn!(user.id = %user_id, error = %e, "could not read the spend allowance; free engines only");
                false
            }
        }
    }

    /// Books the usage if there is any. The audio has been produced by now, so a failure to book is
    /// logged rather than turned into an error the user would see instead of it.
    pub async fn book(&self, user_id: Uuid, conversation_id: Option<Uuid>, usage: Option<&SpeechUsage>) {
        let Some(usage) = usage else { return };
        if let Err(e) = self.0.book(user_id, conversation_id, usage).await {
            tracing::error!(user.id = %user_id, model = %usage.model, error = %e, "could not book speech usage");
        }
    }
}

struct Unbooked;

impl UsageLedger for Unbooked {
    fn paid_allowed(&self, _: Uuid) -> BoxFuture<'_, Result<bool, DomainError>> {
        Box::pin(async { Ok(true) })
    }

    fn book<'a>(&'a self, _: Uuid, _: Option<Uuid>, _: &'a SpeechUsage) -> BoxFuture<'a, Result<(), DomainError>> {
        Box::pin(async { Ok(()) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn costs_are_exact_micro_dollars() {
        let tts = SpeechUsage::characters("tts:openai:tts-1".into(), 1000, 15.0, 5);
        assert_eq!((tts.units, tts.cost_micro_usd), (1000, 15_000), "1000 chars at $15/M = $0.015");
        let stt = SpeechUsage::seconds("stt:openai:whisper-1".into(), 59.2, 0.006, 5);
        assert_eq!((stt.units, stt.cost_micro_usd), (60, 6_000), "a minute (rounded up) at $0.006");
        let odd = SpeechUsage::seconds("stt".into(), f64::NAN, 0.006, 0);
        assert_eq!((odd.units, odd.cost_micro_usd), (0, 0));
    }
}
