//! The speech service's own configuration, built by the server from its environment (read once at
//! startup there): which engines, in what order, and how each is reached.

use std::time::Duration;

pub use crate::engine::elevenlabs::ElevenLabsConfig;
pub use crate::engine::espeak::EspeakConfig;
pub use crate::engine::openai::OpenAiTtsConfig;
pub use crate::stt::SttConfig;

/// A text-to-speech engine, as `TTS_ENGINES` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EngineKind {
    ElevenLabs,
    OpenAi,
    Espeak,
}

impl EngineKind {
    pub fn parse(name: &str) -> Option<EngineKind> {
        match name.trim().to_ascii_lowercase().as_str() {
            "elevenlabs" => Some(EngineKind::ElevenLabs),
            "openai" | "openai-compatible" => Some(EngineKind::OpenAi),
            "espeak" | "espeak-ng" => Some(EngineKind::Espeak),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            EngineKind::ElevenLabs => "elevenlabs",
            EngineKind::OpenAi => "openai",
            EngineKind::Espeak => "espeak-ng",
        }
    }

    /// The order when none is configured: the voices someone pays for first, espeak-ng (always there)
    /// last. ElevenLabs leads because its key is set for speech alone, while an OpenAI key is often
    /// set for chat.
    pub const DEFAULT_ORDER: [EngineKind; 3] = [EngineKind::ElevenLabs, EngineKind::OpenAi, EngineKind::Espeak];
}

#[derive(Clone, Debug)]
pub struct SpeechConfig {
    /// The TTS chain, first choice first; an engine named here without its settings below is left out.
    pub order: Vec<EngineKind>,
    pub espeak: EspeakConfig,
    pub openai: Option<OpenAiTtsConfig>,
    pub elevenlabs: Option<ElevenLabsConfig>,
    /// None: transcription answers 503.
    pub stt: Option<SttConfig>,
    /// Bytes of audio kept for repeats (0 turns the cache off).
    pub cache_bytes: u64,
    /// How long a failed engine is skipped.
    pub cooldown: Duration,
}
