//! ElevenLabs: `POST {base}/v1/text-to-speech/{voice_id}?output_format=…` with the key in `xi-api-key`.
//! MP3 comes as MP3; WAV is asked for as raw 16-bit PCM (`pcm_22050`, on every plan) and given a header
//! here. Its voices are listed by `GET {base}/v1/voices`, kept for ten minutes.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures::StreamExt;
use futures::future::BoxFuture;
use reqwest::Url;
use serde::Deserialize;
use serde_json::json;

use super::http::{body_stream, error_for, network_error, read_body, read_json, v1_url};
use super::{ApiKey, AudioStream, EngineError, EngineRequest, TtsEngine, Voice};
use crate::format::AudioFormat;
use crate::probe::wav_from_pcm16;

const PCM_RATE: u32 = 22_050;
const VOICES_TTL: Duration = Duration::from_secs(600);

#[derive(Clone, Debug)]
pub struct ElevenLabsConfig {
    pub base_url: String,
    pub api_key: ApiKey,
    /// e.g. `eleven_multilingual_v2`.
    pub model: String,
    pub default_voice: String,
    pub timeout: Duration,
    pub usd_per_million_chars: f64,
}

pub struct ElevenLabs {
    http: reqwest::Client,
    config: ElevenLabsConfig,
    base: Url,
    voices: Mutex<Option<(Instant, Vec<Voice>)>>,
}

/// ElevenLabs' voice ids are 20 letters and digits; anything else is not sent into the URL.
fn is_voice_id(id: &str) -> bool {
    (10..=64).contains(&id.len()) && id.chars().all(|c| c.is_ascii_alphanumeric())
}

#[derive(Deserialize)]
struct VoiceList {
    voices: Vec<ListedVoice>,
}

#[derive(Deserialize)]
struct ListedVoice {
    voice_id: String,
    name: String,
    #[serde(default)]
    labels: std::collections::HashMap<String, String>,
}

impl ElevenLabs {
    pub fn new(http: reqwest::Client, config: ElevenLabsConfig) -> Result<ElevenLabs, String> {
        let base = v1_url(&config.base_url, "")?;
        if !is_voice_id(&config.default_voice) {
            return Err(format!("{:?} is not an ElevenLabs voice id", config.default_voice));
        }
        Ok(ElevenLabs { http, config, base, voices: Mutex::new(None) })
    }

    fn url(&self, voice: &str, streamed: bool, format: AudioFormat) -> Result<Url, EngineError> {
        let mut url = self.base.clone();
        {
            let mut path = url.path_segments_mut().map_err(|_| EngineError::down("bad base URL"))?;
            path.pop_if_empty().push("text-to-speech").push(voice);
            if streamed {
                path.push("stream");
            }
        }
        let output = if format == AudioFormat::Wav { format!("pcm_{PCM_RATE}") } else { "mp3_44100_128".into() };
        url.query_pairs_mut().append_pair("output_format", &output);
        Ok(url)
    }

    async fn send(&self, request: &EngineRequest, streamed: bool) -> Result<reqwest::Response, EngineError> {
        if !is_voice_id(&request.voice) {
            return Err(EngineError::Refused(format!("not an ElevenLabs voice id: {:?}", request.voice)));
        }
        let mut body = json!({"text": request.text, "model_id": self.config.model});
        if (request.speed - 1.0).abs() > f32::EPSILON {
            // ElevenLabs' own range for speed.
            body["voice_settings"] = json!({"speed": request.speed.clamp(0.7, 1.2)});
        }
        let response = self
            .http
            .post(self.url(&request.voice, streamed, request.format)?)
            .timeout(self.config.timeout)
            .header("xi-api-key", self.config.api_key.expose())
            .json(&body)
            .send()
            .await
            .map_err(network_error)?;
        if !response.status().is_success() {
            return Err(error_for(response).await);
        }
        Ok(response)
    }

    async fn whole(&self, request: EngineRequest) -> Result<Bytes, EngineError> {
        let audio = read_body(self.send(&request, false).await?).await?;
        Ok(Bytes::from(if request.format == AudioFormat::Wav { wav_from_pcm16(&audio, PCM_RATE, 1) } else { audio }))
    }

    async fn streamed(&self, request: EngineRequest) -> Result<AudioStream, EngineError> {
        let body = body_stream(self.send(&request, true).await?);
        if request.format != AudioFormat::Wav {
            return Ok(body);
        }
        // A WAV header whose sizes say "unknown" (as any streamed WAV), then the PCM as it comes.
        let mut header = wav_from_pcm16(&[], PCM_RATE, 1);
        header[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
        header[40..44].copy_from_slice(&u32::MAX.to_le_bytes());
        Ok(futures::stream::once(async move { Ok(Bytes::from(header)) }).chain(body).boxed())
    }

    async fn listed(&self) -> Vec<Voice> {
        if let Ok(guard) = self.voices.lock()
            && let Some((at, voices)) = guard.as_ref()
            && at.elapsed() < VOICES_TTL
        {
            return voices.clone();
        }
        let url = self.base.join("voices").ok();
        let fetched = match url {
            Some(url) => self
                .http
                .get(url)
                .timeout(self.config.timeout)
                .header("xi-api-key", self.config.api_key.expose())
                .send()
                .await
                .ok()
                .filter(|r| r.status().is_success()),
            None => None,
        };
        let list = match fetched {
            Some(response) => read_json::<VoiceList>(response).await.ok(),
            None => None,
        };
        let Some(list) = list else {
            return vec![self.voice(self.config.default_voice.clone(), "default".into(), None, None)];
        };
        let voices: Vec<Voice> = list
            .voices
            .into_iter()
            .filter(|v| is_voice_id(&v.voice_id))
            .map(|v| {
                let language = v.labels.get("language").or_else(|| v.labels.get("accent")).cloned();
                self.voice(v.voice_id, v.name, language, v.labels.get("gender").cloned())
            })
            .collect();
        if let Ok(mut guard) = self.voices.lock() {
            *guard = Some((Instant::now(), voices.clone()));
        }
        voices
    }

    fn voice(&self, id: String, name: String, language: Option<String>, gender: Option<String>) -> Voice {
        let default = id == self.config.default_voice;
        Voice { id, name, engine: "elevenlabs".into(), language, gender, default }
    }
}

impl TtsEngine for ElevenLabs {
    fn name(&self) -> &'static str {
        "elevenlabs"
    }

    fn formats(&self) -> &[AudioFormat] {
        &[AudioFormat::Wav, AudioFormat::Mp3]
    }

    fn billing(&self) -> Option<(String, f64)> {
        Some((format!("tts:elevenlabs:{}", self.config.model), self.config.usd_per_million_chars))
    }

    fn voice_for<'a>(&'a self, requested: Option<&'a str>) -> BoxFuture<'a, String> {
        let voice = requested.filter(|r| is_voice_id(r)).unwrap_or(&self.config.default_voice).to_string();
        Box::pin(async move { voice })
    }

    fn voices(&self) -> BoxFuture<'_, Vec<Voice>> {
        Box::pin(self.listed())
    }

    fn synthesize(&self, request: EngineRequest) -> BoxFuture<'_, Result<Bytes, EngineError>> {
        Box::pin(self.whole(request))
    }

    fn stream(&self, request: EngineRequest) -> BoxFuture<'_, Result<AudioStream, EngineError>> {
        Box::pin(self.streamed(request))
    }
}
