//! The speech service built from the configuration, and the ledger its paid engines book in: the LLM
//! usage ledger (`llm_usage`), so spoken and transcribed words count toward the same per-user spend
//! caps as the brain, and past a cap only the free engines (espeak-ng) answer.

use futures::future::BoxFuture;
use pam_kernel::DomainError;
use pam_speech::config::{ElevenLabsConfig, EspeakConfig, OpenAiTtsConfig, SttConfig};
use pam_speech::engine::ApiKey;
use pam_speech::{Ledger, Speech, SpeechConfig, SpeechState, SpeechUsage, UsageLedger};
use pam_store::Db;
use uuid::Uuid;

use crate::config::{Config, Secret};
use crate::pam::spend::{Allowance, allowance_within};

fn key(secret: &Option<Secret>) -> Option<ApiKey> {
    secret.as_ref().map(|s| ApiKey::new(s.expose()))
}

/// The speech engines the configuration names (checked when it was read), and the ledger.
pub fn build(config: &Config, http: &reqwest::Client, db: Db) -> anyhow::Result<SpeechState> {
    let s = &config.speech;
    let openai = s.tts.as_ref().map(|endpoint| OpenAiTtsConfig {
        base_url: endpoint.base_url.clone(),
        api_key: key(&endpoint.api_key),
        model: s.tts_model.clone(),
        default_voice: s.tts_voice.clone(),
        timeout: s.tts_timeout,
        usd_per_million_chars: s.tts_usd_per_million_chars,
    });
    let elevenlabs = key(&config.elevenlabs_api_key).map(|api_key| ElevenLabsConfig {
        base_url: config.urls.elevenlabs.clone(),
        api_key,
        model: s.elevenlabs_model.clone(),
        default_voice: s.elevenlabs_voice_id.clone(),
        timeout: s.tts_timeout,
        usd_per_million_chars: s.elevenlabs_usd_per_million_chars,
    });
    let stt = s.stt.as_ref().map(|endpoint| SttConfig {
        base_url: endpoint.base_url.clone(),
        api_key: key(&endpoint.api_key),
        model: s.stt_model.clone(),
        timeout: s.stt_timeout,
        usd_per_minute: s.stt_usd_per_minute,
    });
    let speech_config = SpeechConfig {
        order: s.engines.clone(),
        espeak: EspeakConfig {
            program: s.espeak_program.clone(),
            default_voice: s.espeak_voice.clone(),
            timeout: s.tts_timeout,
            max_processes: s.espeak_max_processes,
        },
        openai,
        elevenlabs,
        stt,
        cache_bytes: s.cache_bytes,
        cooldown: s.cooldown,
    };
    let speech = Speech::new(speech_config, http.clone()).map_err(|e| anyhow::anyhow!("speech engines: {e}"))?;
    let caps = (config.daily_spend_cap_micro_usd, config.monthly_spend_cap_micro_usd);
    Ok(SpeechState { speech, ledger: Ledger(std::sync::Arc::new(SpeechLedger { db, caps })) })
}

/// The LLM ledger and caps, as the speech service sees them.
struct SpeechLedger {
    db: Db,
    caps: (u64, u64),
}

fn internal(e: pam_web::AppError) -> DomainError {
    DomainError::Internal(anyhow::Error::new(e).context("speech usage ledger"))
}

impl UsageLedger for SpeechLedger {
    fn paid_allowed(&self, user_id: Uuid) -> BoxFuture<'_, Result<bool, DomainError>> {
        Box::pin(async move {
            let allowance = allowance_within(&self.db, self.caps, user_id).await.map_err(internal)?;
            Ok(!matches!(allowance, Allowance::Capped(_)))
        })
    }

    fn book<'a>(
        &'a self,
        user_id: Uuid,
        conversation_id: Option<Uuid>,
        usage: &'a SpeechUsage,
    ) -> BoxFuture<'a, Result<(), DomainError>> {
        Box::pin(async move {
            crate::pam::store::record_speech_usage(&self.db, user_id, conversation_id, usage).await.map_err(internal)
        })
    }
}
