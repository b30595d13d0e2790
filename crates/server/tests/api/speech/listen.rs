//! Listening (SPEC §6): transcription against a fake that checks the multipart it got, uploads refused
//! by content and size or for want of a service, and a voice conversation that logs an expense through
//! the same turn as typed chat.

use reqwest::Method;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use super::{speech_ledger, tone_wav, wav_seconds};
use crate::helpers::{Backend, TestApp, TestUser, assert_error, spawn_app, spawn_app_with};
use pam_testkit::on_both_databases;

on_both_databases!(
    transcription_sends_openai_the_multipart_it_expects,
    uploads_are_judged_by_content_and_size_and_need_a_service,
    a_spoken_purchase_is_logged_like_typed_chat_and_the_reply_is_spoken,
);

/// One part of a multipart body.
#[derive(Debug)]
struct FormPart {
    name: String,
    filename: Option<String>,
    content_type: Option<String>,
    bytes: Vec<u8>,
}

/// The parts of a multipart body, split at its boundary.
fn multipart_parts(request: &Request) -> Vec<FormPart> {
    let content_type = request.headers.get("content-type").unwrap().to_str().unwrap().to_string();
    let boundary = content_type.split("boundary=").nth(1).expect("a boundary").trim_matches('"').to_string();
    let delimiter = format!("--{boundary}").into_bytes();
    let body = &request.body;
    let mut starts = Vec::new();
    let mut i = 0;
    while i + delimiter.len() <= body.len() {
        if body[i..].starts_with(&delimiter) {
            starts.push(i);
            i += delimiter.len();
        } else {
            i += 1;
        }
    }
    let mut parts = Vec::new();
    for pair in starts.windows(2) {
        let chunk = &body[pair[0] + delimiter.len() + 2..pair[1] - 2];
        let split = chunk.windows(4).position(|w| w == b"\r\n\r\n").expect("part headers");
        let headers = String::from_utf8_lossy(&chunk[..split]).to_string();
        let value = |key: &str| {
            headers
                .split(';')
                .map(str::trim)
                .find_map(|kv| kv.strip_prefix(key))
                .map(|v| v.trim_matches('"').to_string())
        };
        let content_type = headers
            .lines()
            .find_map(|l| l.strip_prefix("Content-Type:").or(l.strip_prefix("content-type:")))
            .map(|v| v.trim().to_string());
        let name = value("name=").unwrap_or_default();
        let filename = headers
            .split(';')
            .map(str::trim)
            .find_map(|kv| kv.strip_prefix("filename="))
            .map(|v| v.lines().next().unwrap_or_default().trim_matches('"').to_string());
        parts.push(FormPart { name, filename, content_type, bytes: chunk[split + 4..].to_vec() });
    }
    parts
}

async fn stt_fake(text: &str) -> MockServer {
    let fake = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/audio/transcriptions"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"task": "transcribe", "language": "english", "duration": 1.0, "text": text})),
        )
        .mount(&fake)
        .await;
    fake
}

fn recording(field: &str, bytes: Vec<u8>, filename: &str) -> Form {
    Form::new().part(field.to_string(), Part::bytes(bytes).file_name(filename.to_string()))
}

async fn upload(app: &TestApp, route: &str, user: &TestUser, form: Form) -> reqwest::Response {
    app.send(Method::POST, route, Some(&user.token), |r| r.multipart(form)).await
}

async fn transcription_sends_openai_the_multipart_it_expects(backend: Backend) {
    let fake = stt_fake("Where is the nearest dump point").await;
    let app = spawn_app_with(backend, &[("STT_BASE_URL", &fake.uri()), ("STT_USD_PER_MINUTE", "0.006")]).await;
    let user = app.register("listener@example.com").await;
    // Named oddly on purpose: the format is read from the bytes, not the name.
    let form = recording("file", tone_wav(), "voice-note.bin").text("language", "en");
    let res = upload(&app, "/api/v1/voice/transcribe", &user, form).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(
        body,
        json!({"text": "Where is the nearest dump point", "language": "english", "duration": 1.0, "engine": "openai"})
    );

    let requests = fake.received_requests().await.unwrap();
    let parts = multipart_parts(&requests[0]);
    let part =
        |name: &str| parts.iter().find(|p| p.name == name).unwrap_or_else(|| panic!("no {name} part in {parts:?}"));
    assert_eq!(part("model").bytes, b"whisper-1");
    assert_eq!(part("response_format").bytes, b"verbose_json");
    assert_eq!(part("language").bytes, b"en");
    let file = part("file");
    assert_eq!(file.filename.as_deref(), Some("audio.wav"));
    assert_eq!(file.content_type.as_deref(), Some("audio/wav"));
    assert_eq!(file.bytes, tone_wav(), "the recording is passed on unchanged");

    // `audio` is accepted as the field name too; a second of audio at $0.006 a minute is booked.
    let res = upload(&app, "/api/v1/voice/transcribe", &user, recording("audio", tone_wav(), "a.wav")).await;
    assert_eq!(res.status(), 200);
    let ledger = speech_ledger(&app, &user).await;
    assert_eq!(ledger.len(), 2, "{ledger:?}");
    assert_eq!(ledger[0].0, "stt:openai:whisper-1");
    assert_eq!(ledger[0].2, 100, "one second of whisper-1 is US$0.0001");
}

async fn uploads_are_judged_by_content_and_size_and_need_a_service(backend: Backend) {
    let fake = stt_fake("never").await;
    let app = spawn_app_with(backend.clone(), &[("STT_BASE_URL", &fake.uri())]).await;
    let user = app.register("uploader@example.com").await;
    let text_as_wav = recording("file", b"this is a shopping list, not audio\n".to_vec(), "list.wav");
    assert_error(upload(&app, "/api/v1/voice/transcribe", &user, text_as_wav).await, 415, "unsupported_media_type")
        .await;
    let mut huge = tone_wav();
    huge.resize(10 * 1024 * 1024 + 1, 0);
    let res = upload(&app, "/api/v1/voice/transcribe", &user, recording("file", huge, "long.wav")).await;
    assert_eq!(res.status(), 413);
    let no_file = Form::new().text("language", "en");
    assert_error(upload(&app, "/api/v1/voice/transcribe", &user, no_file).await, 422, "validation_error").await;
    let json_body = app.send_json(Method::POST, "/api/v1/voice/transcribe", Some(&user.token), &json!({})).await;
    assert_eq!(json_body.status(), 415);
    assert!(fake.received_requests().await.unwrap().is_empty(), "nothing refused reached the service");
    assert!(speech_ledger(&app, &user).await.is_empty());

    // No transcription service configured: a clear 503 for both routes.
    let bare = spawn_app(backend).await;
    let user = bare.register("unheard@example.com").await;
    for route in ["/api/v1/voice/transcribe", "/api/v1/voice/conversation"] {
        let body =
            assert_error(upload(&bare, route, &user, recording("file", tone_wav(), "a.wav")).await, 503, "unavailable")
                .await;
        assert!(body.to_string().contains("STT_BASE_URL"), "{route}: {body}");
    }
}

async fn a_spoken_purchase_is_logged_like_typed_chat_and_the_reply_is_spoken(backend: Backend) {
    let fake = stt_fake("I spent forty dollars on diesel").await;
    let app = spawn_app_with(backend, &[("STT_BASE_URL", &fake.uri())]).await;
    let user = app.register("driver@example.com").await;
    let form =
        recording("file", tone_wav(), "clip.wav").text("context", json!({"timezone": "Australia/Perth"}).to_string());
    let res = upload(&app, "/api/v1/voice/conversation", &user, form).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["transcript"], "I spent forty dollars on diesel");
    assert!(body["response"].as_str().unwrap().contains("40"), "{body}");
    assert_eq!(body["ui_actions"][0]["type"], "reload_expenses", "{body}");
    assert_eq!(body["audio_format"], "wav");
    let audio =
        base64::Engine::decode(&base64::engine::general_purpose::STANDARD, body["audio_base64"].as_str().unwrap())
            .unwrap();
    assert!(wav_seconds(&audio) > 1.0, "the reply is spoken");

    let list: Value = app.get("/api/v1/expenses", &user.token).await.json().await.unwrap();
    assert_eq!(list["total"], 1, "{list}");
    assert_eq!(list["expenses"][0]["amount"], 40.0);
    assert_eq!(list["expenses"][0]["category"], "fuel");
    // The conversation holds the words as heard, like a typed message.
    let history: Value = app
        .get(&format!("/api/v1/pam/conversations/{}", body["conversation_id"].as_str().unwrap()), &user.token)
        .await
        .json()
        .await
        .unwrap();
    assert!(history.to_string().contains("I spent forty dollars on diesel"), "{history}");
}
