//! The chain with fake engines: fallback, cool-down, cache, formats, spend caps, streaming.

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use bytes::Bytes;
use futures::StreamExt;
use futures::future::BoxFuture;
use pam_kernel::DomainError;

use crate::engine::{AudioStream, EngineError, EngineRequest, TtsEngine, Voice};
use crate::format::{AudioFormat, OutputFormat};
use crate::probe::wav_from_pcm16;
use crate::stt::{Audio, Heard, Transcriber};
use crate::{SpeakRequest, Speech};

/// An engine that answers a tenth of a second of silence, or fails as told.
struct Fake {
    name: &'static str,
    formats: Vec<AudioFormat>,
    price: Option<f64>,
    failure: Mutex<Option<EngineError>>,
    /// Bytes to answer instead of a WAV (an engine that lies about its format).
    answer: Option<Bytes>,
    calls: AtomicUsize,
}

impl Fake {
    fn new(name: &'static str) -> Fake {
        Fake {
            name,
            formats: vec![AudioFormat::Wav],
            price: None,
            failure: Mutex::new(None),
            answer: None,
            calls: AtomicUsize::new(0),
        }
    }
    fn failing(self, e: EngineError) -> Fake {
        *self.failure.lock().unwrap() = Some(e);
        self
    }
    fn heal(&self) {
        *self.failure.lock().unwrap() = None;
    }
    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
    fn answer(&self) -> Result<Bytes, EngineError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        if let Some(e) = self.failure.lock().unwrap().clone() {
            return Err(e);
        }
        Ok(self.answer.clone().unwrap_or_else(|| Bytes::from(wav_from_pcm16(&[0u8; 1600], 8000, 1))))
    }
}

impl TtsEngine for Fake {
    fn name(&self) -> &'static str {
        self.name
    }
    fn formats(&self) -> &[AudioFormat] {
        &self.formats
    }
    fn billing(&self) -> Option<(String, f64)> {
        self.price.map(|p| (format!("tts:{}:fake", self.name), p))
    }
    fn voice_for<'a>(&'a self, requested: Option<&'a str>) -> BoxFuture<'a, String> {
        Box::pin(async move { requested.unwrap_or("default").to_string() })
    }
    fn voices(&self) -> BoxFuture<'_, Vec<Voice>> {
        Box::pin(async { Vec::new() })
    }
    fn synthesize(&self, _: EngineRequest) -> BoxFuture<'_, Result<Bytes, EngineError>> {
        Box::pin(async move { self.answer() })
    }
    fn stream(&self, _: EngineRequest) -> BoxFuture<'_, Result<AudioStream, EngineError>> {
        Box::pin(async move {
            let audio = self.answer()?;
            // In small pieces, as a real stream arrives.
            let chunks: Vec<Result<Bytes, std::io::Error>> =
                audio.chunks(7).map(|c| Ok(Bytes::copy_from_slice(c))).collect();
            Ok(futures::stream::iter(chunks).boxed())
        })
    }
}

fn speech(engines: &[&Arc<Fake>]) -> Speech {
    let tts = engines.iter().map(|e| (*e).clone() as Arc<dyn TtsEngine>).collect();
    Speech::from_engines(tts, Vec::new(), 1 << 20, Duration::from_secs(60))
}

fn say(text: &str) -> SpeakRequest {
    SpeakRequest { text: text.into(), voice: None, format: OutputFormat::Wav, speed: None }
}

fn down() -> EngineError {
    EngineError::down("HTTP 500: boom")
}

#[tokio::test(start_paused = true)]
async fn a_failing_engine_is_skipped_for_its_cool_down_and_the_next_answers() {
    let first = Arc::new(Fake::new("openai").failing(down()));
    let second = Arc::new(Fake::new("espeak-ng"));
    let s = speech(&[&first, &second]);

    let spoken = s.synthesize(&say("one"), true).await.unwrap();
    assert_eq!((spoken.engine, spoken.fallback_used, spoken.cached), ("espeak-ng", true, false));
    assert_eq!(first.calls(), 1);

    // Within the cool-down the failed engine is not asked at all.
    first.heal();
    s.synthesize(&say("two"), true).await.unwrap();
    assert_eq!(first.calls(), 1, "skipped while cooling down");
    let status = s.status().await;
    assert!(!status.tts[0].available && status.tts[1].available, "{status:?}");
    assert_eq!(status.tts[0].last_error.as_deref(), Some("HTTP 500: boom"));

    // After it, the first choice is tried again and answers.
    tokio::time::advance(Duration::from_secs(61)).await;
    let spoken = s.synthesize(&say("three"), true).await.unwrap();
    assert_eq!((spoken.engine, spoken.fallback_used), ("openai", false));
    assert_eq!(first.calls(), 2);
}

#[tokio::test]
async fn a_refusal_moves_on_without_a_cool_down() {
    let first = Arc::new(Fake::new("openai").failing(EngineError::Refused("HTTP 400: bad voice".into())));
    let second = Arc::new(Fake::new("espeak-ng"));
    let s = speech(&[&first, &second]);
    assert_eq!(s.synthesize(&say("one"), true).await.unwrap().engine, "espeak-ng");
    s.synthesize(&say("two"), true).await.unwrap();
    assert_eq!(first.calls(), 2, "asked again for the next request");
}

#[tokio::test]
async fn an_identical_request_is_a_cache_hit_and_any_difference_is_not() {
    let engine = Arc::new(Fake::new("espeak-ng"));
    let s = speech(&[&engine]);
    let first = s.synthesize(&say("hello there"), true).await.unwrap();
    let again = s.synthesize(&say("hello there"), true).await.unwrap();
    assert!(!first.cached && again.cached);
    assert_eq!(first.audio, again.audio);
    assert_eq!(again.duration, Some(0.1));
    assert_eq!(engine.calls(), 1);
    let faster = SpeakRequest { speed: Some(1.5), ..say("hello there") };
    assert!(!s.synthesize(&faster, true).await.unwrap().cached);
    let other_voice = SpeakRequest { voice: Some("en-us".into()), ..say("hello there") };
    assert!(!s.synthesize(&other_voice, true).await.unwrap().cached);
    assert_eq!(engine.calls(), 3);
}

#[tokio::test]
async fn an_answer_in_the_wrong_format_counts_as_a_failure() {
    let liar = Arc::new(Fake { answer: Some(Bytes::from_static(b"{\"error\":\"oops\"}")), ..Fake::new("openai") });
    let honest = Arc::new(Fake::new("espeak-ng"));
    let s = speech(&[&liar, &honest]);
    let spoken = s.synthesize(&say("hi"), true).await.unwrap();
    assert_eq!(spoken.engine, "espeak-ng");
    assert_eq!(AudioFormat::sniff(&spoken.audio), Some(AudioFormat::Wav));
    assert!(!s.status().await.tts[0].available, "the liar cools down");
}

#[tokio::test]
async fn a_format_no_engine_writes_is_a_422_naming_those_they_do() {
    let s = speech(&[&Arc::new(Fake::new("espeak-ng"))]);
    let mp3 = SpeakRequest { format: OutputFormat::Mp3, ..say("hi") };
    match s.synthesize(&mp3, true).await {
        Err(DomainError::Invalid(errors)) => {
            assert_eq!(errors[0].loc, ["body", "format"]);
            assert!(errors[0].msg.contains("mp3") && errors[0].msg.contains("use wav"), "{}", errors[0].msg);
        }
        other => panic!("{:?}", other.map(|s| s.engine)),
    }
}

#[tokio::test]
async fn bad_requests_are_refused_before_any_engine() {
    let engine = Arc::new(Fake::new("espeak-ng"));
    let s = speech(&[&engine]);
    let cases = [
        (say(""), "text"),
        (say(&"a".repeat(5001)), "text"),
        (say("🙂🙂"), "text"),
        (SpeakRequest { speed: Some(9.0), ..say("hi") }, "speed"),
        (SpeakRequest { speed: Some(4.000_000_000_1), ..say("hi") }, "speed"),
        (SpeakRequest { voice: Some("--help".into()), ..say("hi") }, "voice_id"),
    ];
    for (request, field) in cases {
        match s.synthesize(&request, true).await {
            Err(DomainError::Invalid(errors)) => assert_eq!(errors[0].loc[1], field),
            other => panic!("{field}: {:?}", other.map(|s| s.engine)),
        }
    }
    assert_eq!(engine.calls(), 0);
    assert!(s.synthesize(&say(&"a".repeat(5000)), true).await.is_ok(), "5000 is allowed");
}

#[tokio::test]
async fn past_a_spend_cap_only_free_engines_answer() {
    let paid = Arc::new(Fake { price: Some(15.0), ..Fake::new("openai") });
    let free = Arc::new(Fake::new("espeak-ng"));
    let s = speech(&[&paid, &free]);
    let spoken = s.synthesize(&say("hi"), false).await.unwrap();
    assert_eq!((spoken.engine, spoken.usage.is_none()), ("espeak-ng", true));
    assert_eq!(paid.calls(), 0);
    let spoken = s.synthesize(&say("hello"), true).await.unwrap();
    let usage = spoken.usage.unwrap();
    assert_eq!((usage.model.as_str(), usage.units, usage.cost_micro_usd), ("tts:openai:fake", 6, 90), "{usage:?}");
}

#[tokio::test]
async fn every_engine_down_is_a_503() {
    let a = Arc::new(Fake::new("openai").failing(down()));
    let b = Arc::new(Fake::new("espeak-ng").failing(down()));
    let s = speech(&[&a, &b]);
    assert!(matches!(s.synthesize(&say("hi"), true).await, Err(DomainError::Unavailable(_))));
    assert!(matches!(s.synthesize(&say("hi again"), true).await, Err(DomainError::Unavailable(_))));
    assert_eq!((a.calls(), b.calls()), (1, 1), "both cooling: nobody is asked the second time");
}

#[tokio::test]
async fn a_stream_falls_back_before_its_first_byte_and_is_cached_when_complete() {
    let first = Arc::new(Fake::new("openai").failing(down()));
    let second = Arc::new(Fake::new("espeak-ng"));
    let s = speech(&[&first, &second]);
    let spoken = s.stream(&say("streamed"), true).await.unwrap();
    assert_eq!((spoken.engine, spoken.cached), ("espeak-ng", false));
    let bytes: Vec<u8> = spoken.body.map(|c| c.unwrap().to_vec()).concat().await;
    assert_eq!(AudioFormat::sniff(&bytes), Some(AudioFormat::Wav));
    let whole = s.synthesize(&say("streamed"), true).await.unwrap();
    assert!(whole.cached, "the streamed clip was kept");
    assert_eq!(whole.audio, bytes);
    assert_eq!(second.calls(), 1);
}

struct FakeStt {
    heard: Result<Heard, EngineError>,
}

impl Transcriber for FakeStt {
    fn name(&self) -> &'static str {
        "openai"
    }
    fn billing(&self) -> Option<(String, f64)> {
        Some(("stt:openai:whisper-1".into(), 0.006))
    }
    fn transcribe<'a>(&'a self, _: &'a Audio, _: Option<&'a str>) -> BoxFuture<'a, Result<Heard, EngineError>> {
        Box::pin(async move { self.heard.clone() })
    }
}

fn recording() -> Audio {
    Audio { bytes: Bytes::from(wav_from_pcm16(&vec![0u8; 16_000 * 3], 8000, 1)), format: AudioFormat::Wav }
}

#[tokio::test]
async fn transcription_needs_an_engine_and_bills_the_seconds_heard() {
    let none = speech(&[]);
    match none.transcribe(&recording(), None, true).await {
        Err(DomainError::Unavailable(m)) => assert!(m.contains("STT_BASE_URL") && m.contains("OPENAI_API_KEY"), "{m}"),
        other => panic!("{:?}", other.map(|t| t.text)),
    }
    let heard = Heard { text: "hello".into(), language: None, duration: None };
    let stt: Arc<dyn Transcriber> = Arc::new(FakeStt { heard: Ok(heard) });
    let s = Speech::from_engines(Vec::new(), vec![stt], 0, Duration::from_secs(60));
    let t = s.transcribe(&recording(), Some("en"), true).await.unwrap();
    assert_eq!((t.text.as_str(), t.language.as_deref(), t.duration), ("hello", Some("en"), Some(3.0)));
    let usage = t.usage.unwrap();
    assert_eq!((usage.units, usage.cost_micro_usd), (3, 300), "3 s at $0.006/min");
    assert!(matches!(s.transcribe(&recording(), None, false).await, Err(DomainError::Busy { .. })));
    assert!(matches!(s.transcribe(&recording(), Some("english"), true).await, Err(DomainError::Invalid(_))));
}

#[tokio::test]
async fn a_transcriber_that_is_down_cools_and_one_that_refuses_is_a_422() {
    let down: Arc<dyn Transcriber> = Arc::new(FakeStt { heard: Err(down()) });
    let s = Speech::from_engines(Vec::new(), vec![down], 0, Duration::from_secs(60));
    assert!(matches!(s.transcribe(&recording(), None, true).await, Err(DomainError::Unavailable(_))));
    assert!(!s.status().await.stt[0].available);
    let refusing: Arc<dyn Transcriber> =
        Arc::new(FakeStt { heard: Err(EngineError::Refused("HTTP 400: invalid file".into())) });
    let s = Speech::from_engines(Vec::new(), vec![refusing], 0, Duration::from_secs(60));
    match s.transcribe(&recording(), None, true).await {
        Err(DomainError::Invalid(e)) => assert_eq!(e[0].loc, ["body", "file"]),
        other => panic!("{:?}", other.map(|t| t.text)),
    }
}
