//! The speech service: engines in a fallback chain with cool-downs, the audio cache, and the checks
//! every request goes through (text made speakable, limits, formats the engines can write).
//!
//! Per request the chain goes through the engines in order. For each: a cached clip of this engine
//! answers at once (even while the engine cools down); an engine cooling down is skipped; otherwise it
//! is asked, and its answer is checked to be the format asked for. The first success is cached and
//! returned; a failure puts the engine in cool-down (unless it only refused this request) and the
//! next engine answers. Only engines that write the requested format take part, and past a spend cap
//! only those that cost nothing.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use futures::StreamExt;
use pam_kernel::DomainError;

use crate::cache::{AudioCache, Entry, Key};
use crate::config::{EngineKind, SpeechConfig};
use crate::cooldown::Cooldown;
use crate::engine::elevenlabs::ElevenLabs;
use crate::engine::espeak::Espeak;
use crate::engine::openai::OpenAiTts;
use crate::engine::{AudioStream, EngineError, EngineRequest, TtsEngine, plausible_voice_id};
use crate::format::{AudioFormat, OutputFormat};
use crate::probe::{duration_seconds, fix_wav_sizes};
use crate::speakable::{clip_at_sentence, speakable};
use crate::stt::{OpenAiStt, Transcriber};
use crate::usage::SpeechUsage;

/// SPEC §6: `text 1–5000`.
pub const MAX_TEXT_CHARS: usize = 5000;
/// A streamed clip longer than this is sent but not cached.
const MAX_CACHED_CLIP: usize = 16 * 1024 * 1024;

/// What to say and how.
#[derive(Clone, Debug)]
pub struct SpeakRequest {
    pub text: String,
    pub voice: Option<String>,
    pub format: OutputFormat,
    /// 0.25–4.0; `None` is 1.0.
    pub speed: Option<f64>,
}

/// Speech produced (or found in the cache).
#[derive(Clone, Debug)]
pub struct Spoken {
    pub audio: Bytes,
    pub format: AudioFormat,
    pub engine: &'static str,
    pub voice: String,
    pub cached: bool,
    /// An engine other than the first choice answered.
    pub fallback_used: bool,
    /// Seconds of audio.
    pub duration: Option<f64>,
    /// The paid call made for it (none for a cache hit or a free engine).
    pub usage: Option<SpeechUsage>,
}

/// Speech as it is produced.
pub struct SpokenStream {
    pub body: AudioStream,
    pub format: AudioFormat,
    pub engine: &'static str,
    pub voice: String,
    pub cached: bool,
    pub fallback_used: bool,
    /// Known only for a cached clip.
    pub duration: Option<f64>,
    pub usage: Option<SpeechUsage>,
}

pub(crate) struct Slot<E: ?Sized> {
    pub engine: Arc<E>,
    pub cooldown: Cooldown,
}

pub(crate) struct Inner {
    pub tts: Vec<Slot<dyn TtsEngine>>,
    pub stt: Vec<Slot<dyn Transcriber>>,
    pub cache: AudioCache,
}

/// The speech service; cheap to clone.
#[derive(Clone)]
pub struct Speech(pub(crate) Arc<Inner>);

/// Whether an engine costs money per call (a zero price — a local server — does not).
pub(crate) fn costs(billing: &Option<(String, f64)>) -> bool {
    billing.as_ref().is_some_and(|(_, price)| *price > 0.0)
}

fn invalid(field: &str, message: impl Into<String>) -> DomainError {
    DomainError::invalid(&["body", field], message)
}

impl Speech {
    /// Builds the engines the configuration names, in its order.
    pub fn new(config: SpeechConfig, http: reqwest::Client) -> Result<Speech, String> {
        let mut tts: Vec<Arc<dyn TtsEngine>> = Vec::new();
        for kind in &config.order {
            match kind {
                EngineKind::Espeak => tts.push(Arc::new(Espeak::new(config.espeak.clone()))),
                EngineKind::OpenAi => {
                    if let Some(c) = &config.openai {
                        tts.push(Arc::new(OpenAiTts::new(http.clone(), c.clone())?));
                    }
                }
                EngineKind::ElevenLabs => {
                    if let Some(c) = &config.elevenlabs {
                        tts.push(Arc::new(ElevenLabs::new(http.clone(), c.clone())?));
                    }
                }
            }
        }
        let mut stt: Vec<Arc<dyn Transcriber>> = Vec::new();
        if let Some(c) = &config.stt {
            stt.push(Arc::new(OpenAiStt::new(http, c.clone())?));
        }
        Ok(Speech::from_engines(tts, stt, config.cache_bytes, config.cooldown))
    }

    /// A service over the given engines (tests put fakes here).
    pub fn from_engines(
        tts: Vec<Arc<dyn TtsEngine>>,
        stt: Vec<Arc<dyn Transcriber>>,
        cache_bytes: u64,
        cooldown: Duration,
    ) -> Speech {
        let slot = |engine| Slot { engine, cooldown: Cooldown::new(cooldown) };
        Speech(Arc::new(Inner {
            tts: tts.into_iter().map(slot).collect(),
            stt: stt.into_iter().map(|engine| Slot { engine, cooldown: Cooldown::new(cooldown) }).collect(),
            cache: AudioCache::new(cache_bytes),
        }))
    }

    /// The TTS chain's engine names, first choice first.
    pub fn tts_engines(&self) -> Vec<&'static str> {
        self.0.tts.iter().map(|s| s.engine.name()).collect()
    }

    pub fn has_stt(&self) -> bool {
        !self.0.stt.is_empty()
    }

    /// Checks the request and returns the text to speak, the format and the speed.
    fn prepare(&self, request: &SpeakRequest) -> Result<(String, AudioFormat, f32), DomainError> {
        let chars = request.text.chars().count();
        if request.text.trim().is_empty() {
            return Err(invalid("text", "must not be empty"));
        }
        if chars > MAX_TEXT_CHARS {
            return Err(invalid("text", format!("must be at most {MAX_TEXT_CHARS} characters")));
        }
        // Checked as sent (an f64 just past 4.0 would round to 4.0 as an f32), then narrowed.
        let speed = request.speed.unwrap_or(1.0);
        if !(0.25..=4.0).contains(&speed) {
            return Err(invalid("speed", "must be between 0.25 and 4.0"));
        }
        let speed = speed as f32;
        if let Some(voice) = &request.voice
            && !plausible_voice_id(voice)
        {
            return Err(invalid("voice_id", "may hold only letters, digits and - _ + . (see GET /api/v1/tts/voices)"));
        }
        // Reading symbols out ("%" → "percent") lengthens a text; what is sent to an engine (and billed)
        // stays within twice the limit, cut at a sentence end.
        let text = clip_at_sentence(&speakable(&request.text), 2 * MAX_TEXT_CHARS);
        if text.is_empty() {
            return Err(invalid("text", "has nothing that can be spoken"));
        }
        Ok((text, request.format.into(), speed))
    }

    /// The engines that may answer: they write the format, and cost nothing unless `paid` is allowed.
    /// When only the spend cap stands between the caller and an engine that would answer, that is said
    /// (429), not blamed on the service or the format.
    fn eligible(&self, format: AudioFormat, paid: bool) -> Result<Vec<&Slot<dyn TtsEngine>>, DomainError> {
        let writes = |s: &&Slot<dyn TtsEngine>| s.engine.formats().contains(&format);
        let writing: Vec<&Slot<dyn TtsEngine>> =
            self.0.tts.iter().filter(writes).filter(|s| paid || !costs(&s.engine.billing())).collect();
        if !writing.is_empty() {
            return Ok(writing);
        }
        if !paid && self.0.tts.iter().any(|s| writes(&s)) {
            let free = format_names(self.0.tts.iter().filter(|s| !costs(&s.engine.billing())));
            let still = if free.is_empty() { String::new() } else { format!("; {} still works", free.join(" and ")) };
            return Err(DomainError::Busy {
                message: format!(
                    "You've reached your PAM usage limit, so {} speech is paused until it resets{still}.",
                    format.as_str()
                ),
                retry_after_secs: 3600,
            });
        }
        if self.0.tts.is_empty() {
            return Err(DomainError::Unavailable("No speech engine is available right now".into()));
        }
        let can = format_names(self.0.tts.iter());
        Err(invalid(
            "format",
            format!("{} is not available from the speech engines here; use {}", format.as_str(), can.join(" or ")),
        ))
    }

    fn usage(slot: &Slot<dyn TtsEngine>, text: &str, started: Instant) -> Option<SpeechUsage> {
        let (model, price) = slot.engine.billing()?;
        let latency = started.elapsed().as_millis() as u64;
        Some(SpeechUsage::characters(model, text.chars().count() as u64, price, latency))
    }

    fn failed(slot: &Slot<dyn TtsEngine>, error: &EngineError) {
        tracing::warn!(engine = slot.engine.name(), error = %error, "speech engine failed; trying the next");
        metrics::counter!("pam_speech_engine_failures_total", "engine" => slot.engine.name()).increment(1);
        if let EngineError::Down { reason, retry_after } = error {
            slot.cooldown.failed(reason, *retry_after);
        }
    }

    fn answered(engine: &'static str, cached: bool) {
        let cached = if cached { "true" } else { "false" };
        metrics::counter!("pam_speech_syntheses_total", "engine" => engine, "cached" => cached).increment(1);
    }

    fn all_failed(format: AudioFormat) -> DomainError {
        DomainError::Unavailable(format!(
            "No speech engine could produce {} audio right now; please try again shortly",
            format.as_str()
        ))
    }

    /// The whole clip.
    pub async fn synthesize(&self, request: &SpeakRequest, paid: bool) -> Result<Spoken, DomainError> {
        let (text, format, speed) = self.prepare(request)?;
        let slots = self.eligible(format, paid)?;
        for (i, slot) in slots.iter().enumerate() {
            let engine = slot.engine.name();
            let voice = slot.engine.voice_for(request.voice.as_deref()).await;
            let key = Key::new(engine, &voice, format, speed, &text);
            let fallback_used = i > 0;
            if let Some(hit) = self.0.cache.get(&key) {
                Self::answered(engine, true);
                let (audio, duration) = (hit.audio, hit.duration);
                return Ok(Spoken { audio, format, engine, voice, cached: true, fallback_used, duration, usage: None });
            }
            if slot.cooldown.is_cooling() {
                continue;
            }
            let started = Instant::now();
            let asked = EngineRequest { text: text.clone(), voice: voice.clone(), format, speed };
            let result = match slot.engine.synthesize(asked).await {
                Ok(audio) if AudioFormat::sniff(&audio) == Some(format) => Ok(audio),
                Ok(_) => Err(EngineError::down(format!("its answer was not {} audio", format.as_str()))),
                Err(e) => Err(e),
            };
            match result {
                Ok(audio) => {
                    slot.cooldown.succeeded();
                    Self::answered(engine, false);
                    let duration = duration_seconds(&audio, format);
                    self.0.cache.insert(key, Entry { audio: audio.clone(), duration });
                    let usage = Self::usage(slot, &text, started);
                    return Ok(Spoken { audio, format, engine, voice, cached: false, fallback_used, duration, usage });
                }
                Err(e) => Self::failed(slot, &e),
            }
        }
        Err(Self::all_failed(format))
    }

    /// The clip as it is produced. An engine is committed to once its first bytes are in hand and are
    /// the format asked for; until then the next one may still answer.
    pub async fn stream(&self, request: &SpeakRequest, paid: bool) -> Result<SpokenStream, DomainError> {
        let (text, format, speed) = self.prepare(request)?;
        let slots = self.eligible(format, paid)?;
        for (i, slot) in slots.iter().enumerate() {
            let engine = slot.engine.name();
            let voice = slot.engine.voice_for(request.voice.as_deref()).await;
            let key = Key::new(engine, &voice, format, speed, &text);
            let fallback_used = i > 0;
            if let Some(hit) = self.0.cache.get(&key) {
                Self::answered(engine, true);
                let body = futures::stream::once(async move { Ok(hit.audio) }).boxed();
                let duration = hit.duration;
                return Ok(SpokenStream {
                    body,
                    format,
                    engine,
                    voice,
                    cached: true,
                    fallback_used,
                    duration,
                    usage: None,
                });
            }
            if slot.cooldown.is_cooling() {
                continue;
            }
            let started = Instant::now();
            let asked = EngineRequest { text: text.clone(), voice: voice.clone(), format, speed };
            match open(slot.engine.as_ref(), asked).await {
                Ok(body) => {
                    slot.cooldown.succeeded();
                    Self::answered(engine, false);
                    let usage = Self::usage(slot, &text, started);
                    let body = keep_when_done(body, key, self.0.clone());
                    return Ok(SpokenStream {
                        body,
                        format,
                        engine,
                        voice,
                        cached: false,
                        fallback_used,
                        duration: None,
                        usage,
                    });
                }
                Err(e) => Self::failed(slot, &e),
            }
        }
        Err(Self::all_failed(format))
    }
}

/// Starts an engine's stream and reads until its format can be recognised.
async fn open(engine: &dyn TtsEngine, request: EngineRequest) -> Result<AudioStream, EngineError> {
    let format = request.format;
    let mut body = engine.stream(request).await?;
    let mut head = BytesMut::new();
    while head.len() < 16 {
        match body.next().await {
            Some(Ok(chunk)) => head.extend_from_slice(&chunk),
            // Nothing has been sent yet: this engine fails, the next may answer.
            Some(Err(e)) => return Err(EngineError::Refused(format!("its stream failed: {e}"))),
            None => break,
        }
    }
    if AudioFormat::sniff(&head) != Some(format) {
        return Err(EngineError::down(format!("its answer was not {} audio", format.as_str())));
    }
    let head: Bytes = head.freeze();
    Ok(futures::stream::once(async move { Ok(head) }).chain(body).boxed())
}

/// Passes the stream through and, when it ends cleanly, caches the whole clip.
fn keep_when_done(body: AudioStream, key: Key, inner: Arc<Inner>) -> AudioStream {
    struct Tee {
        body: AudioStream,
        kept: Option<Vec<u8>>,
        key: Key,
        inner: Arc<Inner>,
    }
    let tee = Tee { body, kept: Some(Vec::new()), key, inner };
    futures::stream::unfold(Some(tee), |state| async move {
        let mut t = state?;
        match t.body.next().await {
            Some(Ok(chunk)) => {
                if let Some(kept) = t.kept.as_mut() {
                    if kept.len() + chunk.len() <= MAX_CACHED_CLIP {
                        kept.extend_from_slice(&chunk);
                    } else {
                        t.kept = None;
                    }
                }
                Some((Ok(chunk), Some(t)))
            }
            // A clip cut short is not one to replay.
            Some(Err(e)) => Some((Err(e), None)),
            None => {
                if let Some(mut audio) = t.kept.take() {
                    if t.key.format == AudioFormat::Wav {
                        fix_wav_sizes(&mut audio);
                    }
                    let duration = duration_seconds(&audio, t.key.format);
                    t.inner.cache.insert(t.key, Entry { audio: Bytes::from(audio), duration });
                }
                None
            }
        }
    })
    .boxed()
}

/// The formats the engines write, each named once, in the chain's order.
fn format_names<'a>(slots: impl Iterator<Item = &'a Slot<dyn TtsEngine>>) -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Vec::new();
    for slot in slots {
        for f in slot.engine.formats() {
            if !names.contains(&f.as_str()) {
                names.push(f.as_str());
            }
        }
    }
    names
}
