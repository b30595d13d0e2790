//! Transcription through the STT engines, with the same cool-down as speech; and what the service
//! reports about itself (`/tts/voices`, `/tts/status`).

use std::time::Instant;

use pam_kernel::DomainError;
use serde::Serialize;
use utoipa::ToSchema;

use crate::cache::CacheStats;
use crate::chain::{Speech, costs};
use crate::engine::{EngineError, Voice};
use crate::format::AudioFormat;
use crate::probe::duration_seconds;
use crate::stt::Audio;
use crate::usage::SpeechUsage;

/// The 503 a server without speech-to-text answers, saying how to get it.
pub const STT_NOT_CONFIGURED: &str = "Speech-to-text is not configured on this server: set OPENAI_API_KEY to use \
OpenAI's transcription, or STT_BASE_URL to an OpenAI-compatible transcription server (such as a local whisper server).";

/// When neither the service nor the file says how long a recording is (WebM from a browser's
/// recorder), its length is taken as its size at 128 kb/s, the recorders' usual rate: a recording
/// at a lower rate is billed as shorter than it is, never longer.
const ASSUMED_BYTES_PER_SECOND: f64 = 16_000.0;

/// The most bytes a second of audio takes in a format: 48 kHz stereo 24-bit PCM, FLAC of the same,
/// and 320 kb/s for the compressed ones.
fn max_bytes_per_second(format: AudioFormat) -> f64 {
    match format {
        AudioFormat::Wav => 288_000.0,
        AudioFormat::Flac => 288_000.0,
        _ => 40_000.0,
    }
}

/// What was heard.
#[derive(Clone, Debug)]
pub struct Transcript {
    pub text: String,
    pub language: Option<String>,
    /// Seconds of audio.
    pub duration: Option<f64>,
    pub engine: &'static str,
    pub usage: Option<SpeechUsage>,
}

/// One engine, as `/tts/status` shows it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct EngineStatus {
    pub name: String,
    /// `tts` or `stt`.
    pub kind: String,
    /// False while it cools down after a failure.
    pub available: bool,
    pub cooling_down_seconds: f64,
    pub formats: Vec<AudioFormat>,
    /// The usage-ledger label of a billed engine (`tts:openai:tts-1`).
    pub billed_as: Option<String>,
    /// Voices it offers (0 for espeak-ng means the program is missing).
    pub voices: Option<usize>,
    pub failures: u64,
    pub last_error: Option<String>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct SpeechStatus {
    /// `ok` when a speech engine is available, else `degraded`.
    pub status: String,
    /// The TTS chain, first choice first.
    pub tts: Vec<EngineStatus>,
    pub stt: Vec<EngineStatus>,
    pub stt_configured: bool,
    /// What `/tts/synthesize` can produce here.
    pub formats: Vec<AudioFormat>,
    pub default_format: AudioFormat,
    pub cache: CacheStats,
}

fn invalid(field: &str, message: impl Into<String>) -> DomainError {
    DomainError::invalid(&["body", field], message)
}

impl Speech {
    /// Text from a recording. 503 without an STT engine (saying what to configure) or when none
    /// answers; 422 when the service could not read the recording; 429 past the user's spend cap.
    pub async fn transcribe(
        &self,
        audio: &Audio,
        language: Option<&str>,
        paid: bool,
    ) -> Result<Transcript, DomainError> {
        if self.0.stt.is_empty() {
            return Err(DomainError::Unavailable(STT_NOT_CONFIGURED.into()));
        }
        let language = language.map(str::trim).filter(|l| !l.is_empty());
        if let Some(l) = language
            && !(2..=3).contains(&l.len())
        {
            return Err(invalid("language", "must be an ISO 639-1 code such as en"));
        }
        if language.is_some_and(|l| !l.chars().all(|c| c.is_ascii_lowercase())) {
            return Err(invalid("language", "must be an ISO 639-1 code such as en"));
        }
        let allowed: Vec<_> = self.0.stt.iter().filter(|s| paid || !costs(&s.engine.billing())).collect();
        if allowed.is_empty() {
            return Err(DomainError::Busy {
                message:
                    "You've reached your PAM usage limit, so voice input is paused until it resets; typing still works."
                        .into(),
                retry_after_secs: 3600,
            });
        }
        let mut refused = false;
        for slot in allowed {
            if slot.cooldown.is_cooling() {
                continue;
            }
            let started = Instant::now();
            match slot.engine.transcribe(audio, language).await {
                Ok(heard) => {
                    slot.cooldown.succeeded();
                    let duration = heard.duration.or_else(|| duration_seconds(&audio.bytes, audio.format));
                    // The provider's own figure when it gives one; otherwise the recording's headers. The
                    // uploader wrote those, so they are never believed below the length the file's size
                    // makes it at the highest bit rate its format has.
                    let size = audio.bytes.len() as f64;
                    let billed_seconds = match (heard.duration, duration) {
                        (Some(said), _) => said,
                        (None, Some(probed)) => probed.max(size / max_bytes_per_second(audio.format)),
                        (None, None) => size / ASSUMED_BYTES_PER_SECOND,
                    };
                    let latency = started.elapsed().as_millis() as u64;
                    let usage = slot
                        .engine
                        .billing()
                        .map(|(model, price)| SpeechUsage::seconds(model, billed_seconds, price, latency));
                    let language = heard.language.or_else(|| language.map(str::to_string));
                    return Ok(Transcript { text: heard.text, language, duration, engine: slot.engine.name(), usage });
                }
                Err(e) => {
                    tracing::warn!(engine = slot.engine.name(), error = %e, "transcription failed");
                    match e {
                        EngineError::Down { reason, retry_after } => slot.cooldown.failed(&reason, retry_after),
                        EngineError::Refused(_) => refused = true,
                    }
                }
            }
        }
        if refused {
            return Err(invalid("file", "The transcription service could not read this recording"));
        }
        Err(DomainError::Unavailable(
            "The transcription service is not answering right now; please try again shortly".into(),
        ))
    }

    /// Every voice of every engine in the chain.
    pub async fn voices(&self) -> Vec<Voice> {
        let mut all = Vec::new();
        for slot in &self.0.tts {
            all.extend(slot.engine.voices().await);
        }
        all
    }

    /// Each TTS engine, first choice first, and whether it is answering now (not cooling down); no
    /// engine is called (for `/health/ready`).
    pub fn tts_availability(&self) -> Vec<(&'static str, bool)> {
        self.0.tts.iter().map(|s| (s.engine.name(), !s.cooldown.is_cooling())).collect()
    }

    pub async fn status(&self) -> SpeechStatus {
        let mut tts = Vec::new();
        let mut formats: Vec<AudioFormat> = Vec::new();
        for slot in &self.0.tts {
            let health = slot.cooldown.health();
            for f in slot.engine.formats() {
                if !formats.contains(f) {
                    formats.push(*f);
                }
            }
            tts.push(EngineStatus {
                name: slot.engine.name().into(),
                kind: "tts".into(),
                available: health.cooling_for == 0.0,
                cooling_down_seconds: health.cooling_for,
                formats: slot.engine.formats().to_vec(),
                billed_as: slot.engine.billing().map(|(model, _)| model),
                voices: Some(slot.engine.voices().await.len()),
                failures: health.failures,
                last_error: health.last_error,
            });
        }
        let stt = self
            .0
            .stt
            .iter()
            .map(|slot| {
                let health = slot.cooldown.health();
                EngineStatus {
                    name: slot.engine.name().into(),
                    kind: "stt".into(),
                    available: health.cooling_for == 0.0,
                    cooling_down_seconds: health.cooling_for,
                    formats: vec![
                        AudioFormat::Wav,
                        AudioFormat::Mp3,
                        AudioFormat::Ogg,
                        AudioFormat::Webm,
                        AudioFormat::Flac,
                    ],
                    billed_as: slot.engine.billing().map(|(model, _)| model),
                    voices: None,
                    failures: health.failures,
                    last_error: health.last_error,
                }
            })
            .collect();
        let up = tts.iter().any(|e| e.available && e.voices != Some(0));
        SpeechStatus {
            status: if up { "ok" } else { "degraded" }.into(),
            tts,
            stt,
            stt_configured: self.has_stt(),
            formats,
            default_format: AudioFormat::Wav,
            cache: self.0.cache.stats(),
        }
    }
}
