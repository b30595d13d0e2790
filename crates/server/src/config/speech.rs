//! Speech settings (SPEC §6): the TTS chain and how each engine is reached, speech-to-text, the audio
//! cache, cool-downs, deadlines and the prices paid engines are booked at.

use std::time::Duration;

use pam_speech::EngineKind;

use super::vars::{Vars, get, parse_num, positive, secret};
use super::{ConfigError, ExternalUrls, Secret, bad};

/// Where OpenAI's speech and transcription live when no base URL is given but a key is.
pub const OPENAI_API: &str = "https://api.openai.com";

/// An OpenAI-compatible speech or transcription service: where it is, the key it is sent (never a key
/// meant for another server), and whether it is OpenAI's own API (whose list prices are the default).
#[derive(Clone, Debug)]
pub struct Endpoint {
    pub base_url: String,
    pub api_key: Option<Secret>,
    pub is_openai: bool,
}

impl Endpoint {
    /// `own_url` (`TTS_BASE_URL`) with `own_key` (`TTS_API_KEY`); else `OPENAI_BASE_URL`, else OpenAI's
    /// API when `OPENAI_API_KEY` is set, each with `OPENAI_API_KEY`.
    fn resolve(vars: &Vars, own_url: Option<&String>, own_key: &str, urls: &ExternalUrls) -> Option<Endpoint> {
        let openai_key = secret(vars, "OPENAI_API_KEY");
        if let Some(url) = own_url {
            let is_openai = url.trim_end_matches('/').trim_end_matches("/v1") == OPENAI_API;
            let api_key = secret(vars, own_key).or(if is_openai { openai_key } else { None });
            return Some(Endpoint { base_url: url.clone(), api_key, is_openai });
        }
        if let Some(url) = &urls.openai {
            let is_openai = url.trim_end_matches('/').trim_end_matches("/v1") == OPENAI_API;
            return Some(Endpoint { base_url: url.clone(), api_key: openai_key, is_openai });
        }
        openai_key.map(|key| Endpoint { base_url: OPENAI_API.into(), api_key: Some(key), is_openai: true })
    }
}

#[derive(Clone, Debug)]
pub struct SpeechSettings {
    /// The TTS chain as it will run: configured engines only, first choice first.
    pub engines: Vec<EngineKind>,
    /// OpenAI-compatible speech: `TTS_BASE_URL`, else `OPENAI_BASE_URL`, else OpenAI's API when
    /// `OPENAI_API_KEY` is set.
    pub tts: Option<Endpoint>,
    pub tts_model: String,
    pub tts_voice: String,
    /// OpenAI-compatible transcription, found as speech is (`STT_BASE_URL`, `STT_API_KEY`).
    pub stt: Option<Endpoint>,
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
        elevenlabs_key: bool,
    ) -> Result<SpeechSettings, ConfigError> {
        let tts = Endpoint::resolve(vars, urls.tts.as_ref(), "TTS_API_KEY", urls);
        let stt = Endpoint::resolve(vars, urls.stt.as_ref(), "STT_API_KEY", urls);
        let configured = |kind: EngineKind| match kind {
            EngineKind::Espeak => Ok(()),
            EngineKind::OpenAi if tts.is_some() => Ok(()),
            EngineKind::OpenAi => Err("openai needs OPENAI_API_KEY, OPENAI_BASE_URL or TTS_BASE_URL"),
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
        // OpenAI's list prices (tts-1 US$15 and tts-1-hd $30 per million characters; transcription
        // $0.006 a minute) for OpenAI's own API; another server (a local one, most often) books nothing
        // unless its price is set.
        let on_openai = |e: &Option<Endpoint>| e.as_ref().is_some_and(|e| e.is_openai);
        let tts_list_price = match (on_openai(&tts), tts_model.as_str()) {
            (false, _) => 0.0,
            (true, "tts-1-hd") => 30.0,
            (true, _) => 15.0,
        };
        let stt_list_price = if on_openai(&stt) { 0.006 } else { 0.0 };
        Ok(SpeechSettings {
            engines,
            tts,
            tts_usd_per_million_chars: price(vars, "TTS_USD_PER_MILLION_CHARS", tts_list_price)?,
            tts_model,
            tts_voice: voice(vars, "TTS_VOICE", "alloy")?,
            stt,
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
            stt_usd_per_minute: price(vars, "STT_USD_PER_MINUTE", stt_list_price)?,
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
                    self.tts.as_ref().map(|e| e.base_url.as_str()).unwrap_or_default(),
                    self.tts_model
                ),
                EngineKind::Espeak => format!("espeak-ng ({}, voice {})", self.espeak_program, self.espeak_voice),
            })
            .collect();
        let stt = match &self.stt {
            Some(e) => format!("openai-compatible ({}, {})", e.base_url, self.stt_model),
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
