//! Speech-to-text through an OpenAI-compatible transcription endpoint: `POST {base}/v1/audio/transcriptions`
//! as multipart with `model` and `file` — OpenAI itself, or a server the operator runs (a local whisper
//! server), at `STT_BASE_URL`. There is no offline transcriber in the process: without one configured,
//! transcription answers 503 saying what to set.

use std::time::Duration;

use bytes::Bytes;
use futures::future::BoxFuture;
use reqwest::Url;
use reqwest::multipart::{Form, Part};
use serde::Deserialize;

use crate::engine::http::{error_for, network_error, read_json, v1_url};
use crate::engine::{ApiKey, EngineError};
use crate::format::AudioFormat;

/// A recording, its format known from its bytes.
#[derive(Clone, Debug)]
pub struct Audio {
    pub bytes: Bytes,
    pub format: AudioFormat,
}

/// What a transcriber heard.
#[derive(Clone, Debug, PartialEq)]
pub struct Heard {
    pub text: String,
    pub language: Option<String>,
    /// Seconds of audio, when the service says.
    pub duration: Option<f64>,
}

pub trait Transcriber: Send + Sync {
    /// `openai` (the `engine` of a transcript).
    fn name(&self) -> &'static str;
    /// The ledger label (`stt:openai:whisper-1`) and price per minute of audio.
    fn billing(&self) -> Option<(String, f64)>;
    fn transcribe<'a>(
        &'a self,
        audio: &'a Audio,
        language: Option<&'a str>,
    ) -> BoxFuture<'a, Result<Heard, EngineError>>;
}

#[derive(Clone, Debug)]
pub struct SttConfig {
    pub base_url: String,
    pub api_key: Option<ApiKey>,
    /// `whisper-1`, `gpt-4o-transcribe`, or whatever model the local server serves.
    pub model: String,
    pub timeout: Duration,
    pub usd_per_minute: f64,
}

pub struct OpenAiStt {
    http: reqwest::Client,
    config: SttConfig,
    url: Url,
}

#[derive(Deserialize)]
struct Answer {
    text: String,
    language: Option<String>,
    duration: Option<f64>,
}

impl OpenAiStt {
    pub fn new(http: reqwest::Client, config: SttConfig) -> Result<OpenAiStt, String> {
        let url = v1_url(&config.base_url, "audio/transcriptions")?;
        Ok(OpenAiStt { http, config, url })
    }

    async fn call(&self, audio: &Audio, language: Option<&str>) -> Result<Heard, EngineError> {
        let file = Part::bytes(audio.bytes.to_vec())
            .file_name(format!("audio.{}", audio.format.as_str()))
            .mime_str(audio.format.content_type())
            .map_err(|e| EngineError::Refused(e.to_string()))?;
        // Whisper models report the language and duration in `verbose_json`; the newer transcribe
        // models (and some local servers) know only `json`.
        let verbose = self.config.model.starts_with("whisper");
        let mut form = Form::new()
            .text("model", self.config.model.clone())
            .text("response_format", if verbose { "verbose_json" } else { "json" })
            .part("file", file);
        if let Some(language) = language {
            form = form.text("language", language.to_string());
        }
        let mut call = self.http.post(self.url.clone()).timeout(self.config.timeout).multipart(form);
        if let Some(key) = &self.config.api_key {
            call = call.bearer_auth(key.expose());
        }
        let response = call.send().await.map_err(network_error)?;
        if !response.status().is_success() {
            return Err(error_for(response).await);
        }
        let answer: Answer = read_json(response).await?;
        Ok(Heard {
            text: answer.text.trim().to_string(),
            language: answer.language.filter(|l| !l.trim().is_empty()),
            duration: answer.duration.filter(|d| d.is_finite() && *d >= 0.0),
        })
    }
}

impl Transcriber for OpenAiStt {
    fn name(&self) -> &'static str {
        "openai"
    }

    fn billing(&self) -> Option<(String, f64)> {
        Some((format!("stt:openai:{}", self.config.model), self.config.usd_per_minute))
    }

    fn transcribe<'a>(
        &'a self,
        audio: &'a Audio,
        language: Option<&'a str>,
    ) -> BoxFuture<'a, Result<Heard, EngineError>> {
        Box::pin(self.call(audio, language))
    }
}
