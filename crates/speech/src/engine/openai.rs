//! OpenAI-compatible speech: `POST {base}/v1/audio/speech {model, input, voice, response_format, speed}`
//! with the key as a bearer token when one is set. OpenAI itself, or a local server that speaks the
//! same API (the base URL is `TTS_BASE_URL`).

use std::time::Duration;

use bytes::Bytes;
use futures::future::BoxFuture;
use reqwest::Url;
use serde_json::json;

use super::http::{body_stream, error_for, network_error, read_body, v1_url};
use super::{ApiKey, AudioStream, EngineError, EngineRequest, TtsEngine, Voice};
use crate::format::AudioFormat;
use crate::probe::fix_wav_sizes;

/// OpenAI's voices; a local server may have others, so the configured default is offered too.
pub const OPENAI_VOICES: &[&str] =
    &["alloy", "ash", "ballad", "coral", "echo", "fable", "nova", "onyx", "sage", "shimmer", "verse"];

#[derive(Clone, Debug)]
pub struct OpenAiTtsConfig {
    pub base_url: String,
    pub api_key: Option<ApiKey>,
    pub model: String,
    pub default_voice: String,
    pub timeout: Duration,
    /// What the ledger books per million characters spoken.
    pub usd_per_million_chars: f64,
}

pub struct OpenAiTts {
    http: reqwest::Client,
    config: OpenAiTtsConfig,
    url: Url,
}

impl OpenAiTts {
    pub fn new(http: reqwest::Client, config: OpenAiTtsConfig) -> Result<OpenAiTts, String> {
        let url = v1_url(&config.base_url, "audio/speech")?;
        Ok(OpenAiTts { http, config, url })
    }

    async fn send(&self, request: &EngineRequest) -> Result<reqwest::Response, EngineError> {
        let response_format = match request.format {
            AudioFormat::Mp3 => "mp3",
            // OpenAI's `opus` is Ogg Opus.
            AudioFormat::Ogg => "opus",
            _ => "wav",
        };
        let body = json!({
            "model": self.config.model,
            "input": request.text,
            "voice": request.voice,
            "response_format": response_format,
            "speed": request.speed.clamp(0.25, 4.0),
        });
        let mut call = self.http.post(self.url.clone()).timeout(self.config.timeout).json(&body);
        if let Some(key) = &self.config.api_key {
            call = call.bearer_auth(key.expose());
        }
        let response = call.send().await.map_err(network_error)?;
        if !response.status().is_success() {
            return Err(error_for(response).await);
        }
        Ok(response)
    }

    async fn whole(&self, request: EngineRequest) -> Result<Bytes, EngineError> {
        let mut audio = read_body(self.send(&request).await?).await?;
        // A WAV streamed by the server carries placeholder sizes.
        if request.format == AudioFormat::Wav {
            fix_wav_sizes(&mut audio);
        }
        Ok(Bytes::from(audio))
    }
}

impl TtsEngine for OpenAiTts {
    fn name(&self) -> &'static str {
        "openai"
    }

    fn formats(&self) -> &[AudioFormat] {
        &[AudioFormat::Wav, AudioFormat::Mp3, AudioFormat::Ogg]
    }

    fn billing(&self) -> Option<(String, f64)> {
        Some((format!("tts:openai:{}", self.config.model), self.config.usd_per_million_chars))
    }

    fn voice_for<'a>(&'a self, requested: Option<&'a str>) -> BoxFuture<'a, String> {
        let known = requested
            .map(str::to_ascii_lowercase)
            .filter(|r| OPENAI_VOICES.contains(&r.as_str()) || *r == self.config.default_voice);
        Box::pin(async move { known.unwrap_or_else(|| self.config.default_voice.clone()) })
    }

    fn voices(&self) -> BoxFuture<'_, Vec<Voice>> {
        let mut ids: Vec<&str> = OPENAI_VOICES.to_vec();
        if !ids.contains(&self.config.default_voice.as_str()) {
            ids.push(&self.config.default_voice);
        }
        let voices = ids
            .into_iter()
            .map(|id| Voice {
                id: id.to_string(),
                name: id.to_string(),
                engine: "openai".into(),
                language: None,
                gender: None,
                default: id == self.config.default_voice,
            })
            .collect();
        Box::pin(async move { voices })
    }

    fn synthesize(&self, request: EngineRequest) -> BoxFuture<'_, Result<Bytes, EngineError>> {
        Box::pin(self.whole(request))
    }

    fn stream(&self, request: EngineRequest) -> BoxFuture<'_, Result<AudioStream, EngineError>> {
        Box::pin(async move { Ok(body_stream(self.send(&request).await?)) })
    }
}
