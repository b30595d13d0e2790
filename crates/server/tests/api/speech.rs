//! Speech (SPEC §6) through the real app (transcription and the voice turn in `speech/listen.rs`): espeak-ng speaking offline, the engine chain falling back from
//! a failing OpenAI-compatible fake and caching, ElevenLabs' wire format, paid engines booked in the LLM
//! ledger and stopped at the spend cap, transcription against a fake that checks the multipart it got,
//! uploads refused by content and size, the front end's `/pam/voice` shape, and a voice conversation
//! that logs an expense through the same turn as typed chat.

use std::io::Cursor;

use reqwest::Method;
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::{Backend, TestApp, TestUser, assert_error, spawn_app, spawn_app_with};
use pam_store::with_db;
use pam_testkit::on_both_databases;

on_both_databases!(
    hello_is_a_wav_from_espeak_and_the_same_request_again_is_a_cache_hit,
    a_failing_openai_engine_hands_over_to_espeak_and_cools_down,
    openai_speech_is_booked_in_the_ledger_and_stops_at_the_spend_cap,
    elevenlabs_speaks_pcm_wrapped_as_wav,
    pam_voice_answers_the_front_ends_byte_array_with_or_without_a_token,
);

mod listen;

/// Seconds of audio in a WAV, read back by hound.
pub(super) fn wav_seconds(bytes: &[u8]) -> f64 {
    let reader = hound::WavReader::new(Cursor::new(bytes)).expect("a WAV hound can read");
    let spec = reader.spec();
    reader.duration() as f64 / spec.sample_rate as f64
}

/// One second of a 440 Hz tone, 16 kHz mono: a recording to upload.
pub(super) fn tone_wav() -> Vec<u8> {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 16_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut out = Cursor::new(Vec::new());
    let mut writer = hound::WavWriter::new(&mut out, spec).unwrap();
    for i in 0..16_000 {
        let t = i as f32 / 16_000.0;
        writer.write_sample(((t * 440.0 * std::f32::consts::TAU).sin() * 8_000.0) as i16).unwrap();
    }
    writer.finalize().unwrap();
    out.into_inner()
}

/// Ten MPEG-1 layer III frames (128 kbit/s, 44.1 kHz): what an OpenAI-compatible server sends for mp3.
fn mp3_frames() -> Vec<u8> {
    let mut frame = vec![0xFF, 0xFB, 0x90, 0x64];
    frame.resize(417, 0);
    frame.repeat(10)
}

async fn speak(app: &TestApp, user: Option<&TestUser>, body: Value) -> reqwest::Response {
    app.send_json(Method::POST, "/api/v1/tts/synthesize", user.map(|u| u.token.as_str()), &body).await
}

fn head<'a>(res: &'a reqwest::Response, name: &str) -> &'a str {
    res.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
}

/// `(model, input_tokens, cost_micro_usd)` of every speech row in the ledger for a user.
pub(super) async fn speech_ledger(app: &TestApp, user: &TestUser) -> Vec<(String, i64, i64)> {
    with_db!(app.db(), |pool| {
        sqlx::query_as(
            "SELECT model, input_tokens, cost_micro_usd FROM llm_usage WHERE user_id = $1 AND \
             (model LIKE 'tts:%' OR model LIKE 'stt:%') ORDER BY created_at",
        )
        .bind(user.id)
        .fetch_all(pool)
        .await
    })
    .unwrap()
}

async fn hello_is_a_wav_from_espeak_and_the_same_request_again_is_a_cache_hit(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("speaker@example.com").await;
    let first = speak(&app, Some(&user), json!({"text": "hello"})).await;
    assert_eq!(first.status(), 200);
    assert_eq!(head(&first, "content-type"), "audio/wav");
    assert_eq!(head(&first, "x-engine"), "espeak-ng");
    assert_eq!(head(&first, "x-cache-hit"), "false");
    let said: f64 = head(&first, "x-duration").parse().unwrap();
    let audio = first.bytes().await.unwrap();
    assert_eq!(&audio[..4], b"RIFF");
    assert_eq!(&audio[8..12], b"WAVE");
    let seconds = wav_seconds(&audio);
    assert!((0.2..3.0).contains(&seconds), "'hello' lasts {seconds} s");
    assert!((said - seconds).abs() < 0.01, "X-Duration {said} against {seconds} read back");

    let again = speak(&app, Some(&user), json!({"text": "hello"})).await;
    assert_eq!(head(&again, "x-cache-hit"), "true");
    assert_eq!(again.bytes().await.unwrap(), audio, "the cached clip is the same audio");
    let faster = speak(&app, Some(&user), json!({"text": "hello", "speed": 1.5})).await;
    assert_eq!(head(&faster, "x-cache-hit"), "false", "a different speed is a different clip");
    assert!(wav_seconds(&faster.bytes().await.unwrap()) < seconds);

    // espeak-ng writes WAV only: MP3 is refused naming what can be made.
    let mp3 = speak(&app, Some(&user), json!({"text": "hello", "format": "mp3"})).await;
    let body = assert_error(mp3, 422, "validation_error").await;
    assert!(body.to_string().contains("wav"), "{body}");
    assert_error(speak(&app, Some(&user), json!({"text": ""})).await, 422, "validation_error").await;
    assert_error(speak(&app, Some(&user), json!({"text": "x".repeat(5001)})).await, 422, "validation_error").await;
    assert_error(speak(&app, None, json!({"text": "hello"})).await, 401, "unauthorized").await;
    assert!(speech_ledger(&app, &user).await.is_empty(), "espeak-ng costs nothing and books nothing");

    let voices: Value = app.get_anonymous("/api/v1/tts/voices").await.json().await.unwrap();
    let espeak: Vec<&Value> =
        voices["voices"].as_array().unwrap().iter().filter(|v| v["engine"] == "espeak-ng").collect();
    assert!(espeak.len() > 10, "espeak-ng's own list: {voices}");
    assert_eq!(voices["total"], voices["voices"].as_array().unwrap().len());
    let status: Value = app.get_anonymous("/api/v1/tts/status").await.json().await.unwrap();
    assert!(status.to_string().contains("espeak-ng"), "{status}");

    // The stream route sends the same kind of audio, chunked.
    let stream = app
        .send_json(Method::POST, "/api/v1/tts/synthesize/stream", Some(&user.token), &json!({"text": "good morning"}))
        .await;
    assert_eq!(stream.status(), 200);
    assert_eq!(head(&stream, "content-type"), "audio/wav");
    let streamed = stream.bytes().await.unwrap();
    assert_eq!(&streamed[..4], b"RIFF");
    assert!(streamed.len() > 1000);
}

async fn a_failing_openai_engine_hands_over_to_espeak_and_cools_down(backend: Backend) {
    let fake = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/audio/speech"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "30")
                .set_body_json(json!({"error": {"message": "Rate limit reached", "type": "rate_limit_error"}})),
        )
        .mount(&fake)
        .await;
    // OpenAI's key is for OpenAI (or OPENAI_BASE_URL): another speech server is never sent it.
    let app = spawn_app_with(backend, &[("TTS_BASE_URL", &fake.uri()), ("OPENAI_API_KEY", "sk-not-for-them")]).await;
    let user = app.register("fallback@example.com").await;
    let first = speak(&app, Some(&user), json!({"text": "Fuel is cheaper in Dubbo"})).await;
    assert_eq!(first.status(), 200);
    assert_eq!(head(&first, "x-engine"), "espeak-ng", "the next engine answered");
    assert_eq!(head(&first, "x-cache-hit"), "false");
    let audio = first.bytes().await.unwrap();
    assert_eq!(&audio[..4], b"RIFF");
    let again = speak(&app, Some(&user), json!({"text": "Fuel is cheaper in Dubbo"})).await;
    assert_eq!(head(&again, "x-cache-hit"), "true");
    assert_eq!(head(&again, "x-engine"), "espeak-ng");
    // Another text: the failing engine is cooling down, so it is not asked again.
    let other = speak(&app, Some(&user), json!({"text": "Rain tomorrow"})).await;
    assert_eq!(head(&other, "x-engine"), "espeak-ng");
    let calls = fake.received_requests().await.unwrap();
    assert_eq!(calls.len(), 1, "one call, then the cool-down");
    assert!(calls[0].headers.get("authorization").is_none(), "{:?}", calls[0].headers);
    // Readiness tells what is answering without calling anything.
    let ready: Value = app.get_anonymous("/health/ready").await.json().await.unwrap();
    let speech = ready["dependencies"].as_array().unwrap().iter().find(|d| d["name"] == "speech").unwrap().clone();
    assert_eq!(speech["kind"], "openai -> espeak-ng");
    assert_eq!(speech["status"], "ok");
    assert!(speech["detail"].as_str().unwrap().starts_with("1 of 2"), "{speech}");
    assert!(speech_ledger(&app, &user).await.is_empty(), "a failed call is not booked");
}

async fn openai_speech_is_booked_in_the_ledger_and_stops_at_the_spend_cap(backend: Backend) {
    let fake = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/audio/speech"))
        .and(header("authorization", "Bearer sk-test-speech"))
        .respond_with(
            ResponseTemplate::new(200).insert_header("content-type", "audio/mpeg").set_body_bytes(mp3_frames()),
        )
        .mount(&fake)
        .await;
    let app = spawn_app_with(
        backend,
        &[
            ("TTS_BASE_URL", &fake.uri()),
            ("TTS_API_KEY", "sk-test-speech"),
            ("TTS_USD_PER_MILLION_CHARS", "15"),
            ("PAM_DAILY_SPEND_CAP_USD", "0.01"),
        ],
    )
    .await;
    let user = app.register("payer@example.com").await;
    let text = "Your diesel cost $42.50 at Tamworth";
    let res = speak(&app, Some(&user), json!({"text": text, "format": "mp3", "voice_id": "nova"})).await;
    assert_eq!(res.status(), 200);
    assert_eq!(head(&res, "content-type"), "audio/mpeg");
    assert_eq!(head(&res, "x-engine"), "openai");
    assert_eq!(res.bytes().await.unwrap().to_vec(), mp3_frames());
    let sent: Value = fake.received_requests().await.unwrap()[0].body_json().unwrap();
    assert_eq!(sent["model"], "tts-1");
    assert_eq!(sent["voice"], "nova");
    assert_eq!(sent["response_format"], "mp3");
    let spoken = sent["input"].as_str().unwrap();
    assert!(spoken.contains("42 dollars 50") && !spoken.contains('$'), "read naturally: {spoken}");

    let ledger = speech_ledger(&app, &user).await;
    assert_eq!(ledger.len(), 1, "{ledger:?}");
    let (model, chars, cost) = &ledger[0];
    assert_eq!(model, "tts:openai:tts-1");
    assert_eq!(*chars, spoken.chars().count() as i64, "the characters sent are what is billed");
    assert_eq!(*cost, chars * 15, "US$15 per million characters, in micro-USD");

    // Past the day's cap (spent by the brain or by speech alike) only the free engine speaks.
    with_db!(app.db(), |pool| {
        sqlx::query(
            "INSERT INTO llm_usage (id, user_id, model, input_tokens, output_tokens, cache_write_tokens, \
             cache_read_tokens, cost_micro_usd, latency_ms, outcome, created_at) VALUES ($1, $2, 'claude', 1, 1, 0, 0, 20000, 5, 'ok', $3)",
        )
        .bind(uuid::Uuid::now_v7())
        .bind(user.id)
        .bind(chrono::Utc::now())
        .execute(pool)
        .await
        .map(|_| ())
    })
    .unwrap();
    let capped = speak(&app, Some(&user), json!({"text": "Another sentence to say"})).await;
    assert_eq!(capped.status(), 200);
    assert_eq!(head(&capped, "x-engine"), "espeak-ng");
    // MP3 only the paid engine writes: the cap is named (429), not the format or the service.
    let mp3 = speak(&app, Some(&user), json!({"text": "Another sentence to say", "format": "mp3"})).await;
    let body = assert_error(mp3, 429, "rate_limited").await;
    assert!(body["detail"].as_str().unwrap().contains("usage limit"), "{body}");
    assert_eq!(fake.received_requests().await.unwrap().len(), 1, "the paid engine was not called past the cap");
    assert_eq!(speech_ledger(&app, &user).await.len(), 1);
}

async fn elevenlabs_speaks_pcm_wrapped_as_wav(backend: Backend) {
    let fake = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/text-to-speech/21m00Tcm4TlvDq8EAAWM"))
        .and(header("xi-api-key", "el-test-key"))
        .and(query_param("output_format", "pcm_22050"))
        // Half a second of 16-bit mono silence at 22.05 kHz.
        .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![0u8; 22_050]))
        .mount(&fake)
        .await;
    let app =
        spawn_app_with(backend, &[("ELEVENLABS_API_KEY", "el-test-key"), ("ELEVENLABS_BASE_URL", &fake.uri())]).await;
    let user = app.register("eleven@example.com").await;
    let res = speak(&app, Some(&user), json!({"text": "G'day"})).await;
    assert_eq!(res.status(), 200, "{:?}", res.headers());
    assert_eq!(head(&res, "x-engine"), "elevenlabs");
    assert_eq!(head(&res, "content-type"), "audio/wav");
    let seconds = wav_seconds(&res.bytes().await.unwrap());
    assert!((seconds - 0.5).abs() < 0.01, "{seconds}");
    let sent: Value = fake.received_requests().await.unwrap()[0].body_json().unwrap();
    assert_eq!(sent["text"], "G'day.", "the speakable text: a final stop added");
    let ledger = speech_ledger(&app, &user).await;
    assert_eq!(ledger.len(), 1);
    assert!(ledger[0].0.starts_with("tts:elevenlabs:"), "{ledger:?}");
    assert_eq!(ledger[0].2, ledger[0].1 * 300, "US$300 per million characters");
}

async fn pam_voice_answers_the_front_ends_byte_array_with_or_without_a_token(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("frontend@example.com").await;
    for token in [None, Some(user.token.as_str())] {
        let res = app.send_json(Method::POST, "/api/v1/pam/voice", token, &json!({"text": "Drive safely"})).await;
        assert_eq!(res.status(), 200, "token {}", token.is_some());
        let body: Value = res.json().await.unwrap();
        let audio: Vec<u8> =
            body["audio"].as_array().unwrap().iter().map(|b| u8::try_from(b.as_u64().unwrap()).unwrap()).collect();
        assert_eq!(&audio[..4], b"RIFF");
        let seconds = wav_seconds(&audio);
        assert!((body["duration"].as_f64().unwrap() - seconds).abs() < 0.01, "{}", body["duration"]);
        assert_eq!(body["engine"], "espeak-ng");
        assert_eq!(body["fallback_used"], false);
        assert_eq!(body["cached"], token.is_some(), "the second call is the first's clip");
    }
    let bad = app.send_json(Method::POST, "/api/v1/pam/voice", None, &json!({"text": "   "})).await;
    assert_eq!(bad.status(), 422);
}
