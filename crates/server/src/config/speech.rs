//! Speech settings (SPEC §6): the TTS chain and how each engine is reached, speech-to-text, the audio
//! cache, cool-downs, deadlines and the prices paid engines are booked at.

use std::time::Duration;

use pam_speech::EngineKind;

use super::vars::{Vars, get, parse_num, positive};
use super::{ConfigError, ExternalUrls, bad};

/// Where OpenAI's speech and transcription live when no base URL is given but a key is.
pub const OPENAI_API: &str = "https://api.openai.com";

#[derive(Clone, Debug)]
pub struct SpeechSettings {
    /// The TTS chain as it will run: configured engines only, first choice first.
    pub engines: Vec<EngineKind>,
    /// OpenAI-compatible speech: `TTS_BASE_URL`, else OpenAI's API when `OPENAI_API_KEY` is set.
    pub tts_base_url: Option<String>,
    pub tts_model: String,
    pub tts_voice: String,
    /// OpenAI-compatible transcription: `STT_BASE_URL`, else OpenAI's API when `OPENAI_API_KEY` is set.
    pub stt_base_url: Option<String>,
    pub stt_model: String,
    pub elevenlabs_model: String,
    pub elevenlabs_voice_id: String,
    pub espeak_program: String,
    pub espeak_voice: String,
    pub espeak_max_processes: usize,
    pub cache_bytes: u64,
    pub cooldown: Duration,
    pub tts_timeout: Duration,
    pub stt_timeout: Duration,
    /// What the usage ledger books, per million characters spoken or per minute transcribed.
    pub tts_usd_per_million_chars: f64,
    pub elevenlabs_usd_per_million_chars: f64,
    pub stt_usd_per_minute: f64,
}

fn price(vars: &Vars, name: &'static str, default: f64) -> Result<f64, ConfigError> {
    match get(vars, name) {
        None => Ok(default),
        Some(v) => match v.parse::<f64>() {
            Ok(p) if p.is_finite() && p >= 0.0 => Ok(p),
            _ => Err(bad(name, format!("expected a price in US dollars, got {v:?}"))),
        },
    }
}

fn voice(vars: &Vars, name: &'static str, default: &str) -> Result<String, ConfigError> {
    let v = get(vars, name).unwrap_or(default);
    if pam_speech::engine::plausible_voice_id(v) {
        Ok(v.to_string())
    } else {
        Err(bad(name, format!("{v:?} is not a voice id (letters, digits, - _ + .)")))
    }
}

impl SpeechSettings {
    pub(super) fn from_vars(
        vars: &Vars,
        urls: &ExternalUrls,
        openai_key: bool,
        elevenlabs_key: bool,
    ) -> Result<SpeechSettings, ConfigError> {
        let tts_base_url = urls.tts.clone().or_else(|| openai_key.then(|| OPENAI_API.to_string()));
        let stt_base_url = urls.stt.clone().or_else(|| openai_key.then(|| OPENAI_API.to_string()));
        let configured = |kind: EngineKind| match kind {
            EngineKind::Espeak => Ok(()),
            EngineKind::OpenAi if tts_base_url.is_some() => Ok(()),
            EngineKind::OpenAi => Err("openai needs OPENAI_API_KEY or TTS_BASE_URL"),
            EngineKind::ElevenLabs if elevenlabs_key => Ok(()),
            EngineKind::ElevenLabs => Err("elevenlabs needs ELEVENLABS_API_KEY"),
        };
        let engines = match get(vars, "TTS_ENGINES") {
            None => EngineKind::DEFAULT_ORDER.into_iter().filter(|k| configured(*k).is_ok()).collect(),
            Some(list) => {
                let mut engines = Vec::new();
                for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                    let kind = EngineKind::parse(name).ok_or_else(|| {
                        bad("TTS_ENGINES", format!("unknown engine {name:?} (expected elevenlabs, openai, espeak)"))
                    })?;
                    configured(kind).map_err(|why| bad("TTS_ENGINES", why))?;
                    if !engines.contains(&kind) {
                        engines.push(kind);
                    }
                }
                if engines.is_empty() {
                    return Err(bad("TTS_ENGINES", "names no engine"));
                }
                engines
            }
        };
        let tts_model = get(vars, "TTS_MODEL").unwrap_or("tts-1").to_string();
        let elevenlabs_voice_id = get(vars, "ELEVENLABS_VOICE_ID").unwrap_or("21m00Tcm4TlvDq8EAAWM").to_string();
        if !elevenlabs_voice_id.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(bad("ELEVENLABS_VOICE_ID", "expected an ElevenLabs voice id (letters and digits)"));
        }
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Ok(SpeechSettings {
            engines,
            tts_base_url,
            // OpenAI's list prices: tts-1 US$15 and tts-1-hd $30 per million characters.
            tts_usd_per_million_chars: price(
                vars,
                "TTS_USD_PER_MILLION_CHARS",
                if tts_model == "tts-1-hd" { 30.0 } else { 15.0 },
            )?,
            tts_model,
            tts_voice: voice(vars, "TTS_VOICE", "alloy")?,
            stt_base_url,
            stt_model: get(vars, "STT_MODEL").unwrap_or("whisper-1").to_string(),
            elevenlabs_model: get(vars, "ELEVENLABS_MODEL").unwrap_or("eleven_multilingual_v2").to_string(),
            elevenlabs_voice_id,
            espeak_program: get(vars, "ESPEAK_NG_PATH").unwrap_or("espeak-ng").to_string(),
            espeak_voice: voice(vars, "ESPEAK_VOICE", "en-gb")?,
            espeak_max_processes: positive(vars, "ESPEAK_MAX_PROCESSES", (2 * cores) as u32)? as usize,
            cache_bytes: parse_num(vars, "SPEECH_CACHE_MB", 64u64)?.saturating_mul(1024 * 1024),
            cooldown: Duration::from_secs(positive(vars, "SPEECH_COOLDOWN_SECONDS", 60)? as u64),
            tts_timeout: Duration::from_secs(positive(vars, "TTS_TIMEOUT_SECONDS", 30)? as u64),
            stt_timeout: Duration::from_secs(positive(vars, "STT_TIMEOUT_SECONDS", 60)? as u64),
            // ElevenLabs' overage rate (US$0.30 per thousand characters); plans differ.
            elevenlabs_usd_per_million_chars: price(vars, "ELEVENLABS_USD_PER_MILLION_CHARS", 300.0)?,
            // OpenAI's whisper-1 and gpt-4o-transcribe: US$0.006 a minute.
            stt_usd_per_minute: price(vars, "STT_USD_PER_MINUTE", 0.006)?,
        })
    }

    /// The startup log's line.
    pub fn describe(&self) -> String {
        let tts: Vec<String> = self
            .engines
            .iter()
            .map(|kind| match kind {
                EngineKind::ElevenLabs => format!("elevenlabs ({})", self.elevenlabs_model),
                EngineKind::OpenAi => format!(
                    "openai-compatible ({}, {})",
                    self.tts_base_url.as_deref().unwrap_or_default(),
                    self.tts_model
                ),
                EngineKind::Espeak => format!("espeak-ng ({}, voice {})", self.espeak_program, self.espeak_voice),
            })
            .collect();
        let stt = match &self.stt_base_url {
            Some(url) => format!("openai-compatible ({url}, {})", self.stt_model),
            None => "none (transcription answers 503; set OPENAI_API_KEY or STT_BASE_URL)".to_string(),
        };
        format!(
            "speech engines: tts {}; stt {stt}; cache {} MB, cool-down {} s",
            tts.join(" -> "),
            self.cache_bytes / (1024 * 1024),
            self.cooldown.as_secs()
        )
    }
}
