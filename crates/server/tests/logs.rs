//! What the server logs, at every level, in the production format. A test binary of its own: it installs
//! the production JSON subscriber process-wide at TRACE with span open/close lines (every event and span
//! field, every target, `log` records too, from every thread), which the shared API test binary must not
//! have. One test writes medical data carrying a unique marker through every medical route and tool; one
//! runs sign-up, sign-in (right and wrong password), refresh, a chat through a keyed model provider and
//! sign-out; both fail if what they sent is found in the log. And each request's lines carry its request
//! id and, once known, its user id.

#[path = "api/helpers.rs"]
#[allow(dead_code)]
mod helpers;

/// The helpers hold every response to the OpenAPI document here too.
#[path = "api/conformance.rs"]
#[allow(dead_code)]
mod conformance;

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use helpers::{Backend, TestApp, TestUser, spawn_app, spawn_app_with};
use pam_testkit::on_both_databases;
use reqwest::Method;
use serde_json::{Value, json};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::util::SubscriberInitExt;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

on_both_databases!(no_medical_text_is_logged_at_any_level, no_secret_token_or_password_is_logged_at_any_level);

/// Everything the subscriber wrote.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())).into_owned()
    }
}

/// Installs the capturing subscriber once, before any app is spawned (the helpers' own logging only
/// starts when `TEST_LOG` is set, and then finds this one in place).
fn capture() -> Captured {
    static LOG: OnceLock<Captured> = OnceLock::new();
    LOG.get_or_init(|| {
        let captured = Captured::default();
        let subscriber =
            pam_server::telemetry::json_subscriber(EnvFilter::new("trace"), captured.clone(), FmtSpan::FULL);
        // `try_init` also routes `log` records (from dependencies that use `log`) into it.
        subscriber.try_init().expect("no other subscriber is installed in this binary");
        captured
    })
    .clone()
}

/// Fails with the line that holds `secret`, if any does.
fn assert_absent(text: &str, secret: &str, what: &str) {
    if let Some(at) = text.find(secret) {
        let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        panic!("{what} reached the log:\n{}", &text[start..end]);
    }
}

async fn send(app: &TestApp, user: &TestUser, method: Method, path: &str, body: Option<Value>) -> Value {
    let res = app
        .send(method.clone(), path, Some(&user.token), |request| match &body {
            Some(body) => request.json(body),
            None => request,
        })
        .await;
    let status = res.status();
    let body: Value = res.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "{method} {path}: {status} {body}");
    body
}

async fn no_medical_text_is_logged_at_any_level(backend: Backend) {
    let log = capture();
    let app = spawn_app(backend).await;
    let user = app.register(&format!("logs-{}@example.com", uuid::Uuid::now_v7().simple())).await;
    let marker = format!("MedMarker{}", uuid::Uuid::now_v7().simple());
    let me = format!("/api/v1/users/{}", user.id);
    send(&app, &user, Method::PATCH, &format!("{me}/privacy"), Some(json!({"share_medical_with_pam": true}))).await;

    // Every medical route, with the marker in every text field.
    let record = json!({"title": marker, "summary": format!("{marker} INR 2.4"), "doctor_name": marker,
                        "facility": marker, "tags": [marker]});
    let created = send(&app, &user, Method::POST, "/api/v1/medical/records", Some(record)).await;
    let path = format!("/api/v1/medical/records/{}", created["id"].as_str().unwrap());
    assert_eq!(send(&app, &user, Method::GET, &path, None).await["title"], marker.as_str());
    send(&app, &user, Method::GET, &format!("/api/v1/medical/records?q={marker}"), None).await;
    send(&app, &user, Method::PATCH, &path, Some(json!({"summary": format!("{marker} again")}))).await;
    let medication = json!({"name": marker, "dosage": marker, "notes": marker});
    send(&app, &user, Method::POST, "/api/v1/medical/medications", Some(medication)).await;
    send(&app, &user, Method::GET, "/api/v1/medical/medications", None).await;
    let card = json!({"allergies": [marker], "notes": marker,
                      "emergency_contacts": [{"name": marker, "phone": marker}]});
    send(&app, &user, Method::PUT, "/api/v1/medical/emergency-info", Some(card)).await;
    send(&app, &user, Method::GET, "/api/v1/medical/emergency-info", None).await;
    // A refused value (422) and a refused search are not logged either.
    let res = app
        .send_json(
            Method::POST,
            "/api/v1/medical/records",
            Some(&user.token),
            &json!({"title": marker, "record_type": marker}),
        )
        .await;
    assert_eq!(res.status(), 422);
    // The tools, whose answers go to the model.
    for (tool, args) in [
        ("get_medical_records", json!({})),
        ("search_medical_records", json!({"query": marker})),
        ("get_medications", json!({})),
        ("get_emergency_info", json!({})),
    ] {
        let body = send(&app, &user, Method::POST, &format!("/api/v1/pam/tools/execute/{tool}"), Some(args)).await;
        assert_eq!(body["success"], true, "{tool}: {body}");
        assert!(body.to_string().contains(&marker), "{tool} answers with the user's data");
    }
    let export = send(&app, &user, Method::GET, &format!("{me}/export"), None).await;
    assert!(export.to_string().contains(&marker));
    send(&app, &user, Method::DELETE, &path, None).await;

    let text = log.text();
    assert!(text.contains("/api/v1/medical/records"), "the capture saw the requests (their paths are logged)");
    assert!(text.contains("\"level\":\"TRACE\""), "the capture runs at every level");
    assert_absent(&text, &marker, "medical text");
}

async fn no_secret_token_or_password_is_logged_at_any_level(backend: Backend) {
    let log = capture();
    let unique = uuid::Uuid::now_v7().simple().to_string();
    let api_key = format!("sk-ant-LogKey{unique}");
    let supabase_secret = format!("SupabaseSecret{unique}0123456789abcdef");
    let claude = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(move |_: &wiremock::Request| {
            let sse = [
                json!({"type": "message_start", "message": {"usage": {"input_tokens": 3}}}),
                json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
                json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hi."}}),
                json!({"type": "content_block_stop", "index": 0}),
                json!({"type": "message_delta", "delta": {"stop_reason": "end_turn"}, "usage": {"output_tokens": 2}}),
                json!({"type": "message_stop"}),
            ]
            .iter()
            .map(|d| format!("event: {}\ndata: {d}\n\n", d["type"].as_str().unwrap()))
            .collect::<String>();
            ResponseTemplate::new(200).insert_header("content-type", "text/event-stream").set_body_string(sse)
        })
        .mount(&claude)
        .await;
    let claude_url = claude.uri();
    let app = spawn_app_with(
        backend,
        &[
            ("ENVIRONMENT", "development"),
            ("ANTHROPIC_API_KEY", &api_key),
            ("ANTHROPIC_BASE_URL", &claude_url),
            ("SUPABASE_JWT_SECRET", &supabase_secret),
        ],
    )
    .await;
    let email = format!("secret-{unique}@example.com");
    let password = format!("Pass{unique}word");
    let res =
        app.send_json(Method::POST, "/api/auth/register", None, &json!({"email": email, "password": password})).await;
    assert_eq!(res.status(), 201);
    let registered: Value = res.json().await.unwrap();
    let wrong = format!("Wrong{unique}pass");
    let refused =
        app.send_json(Method::POST, "/api/auth/login", None, &json!({"email": email, "password": wrong})).await;
    assert_eq!(refused.status(), 401);
    let login =
        app.send_json(Method::POST, "/api/auth/login", None, &json!({"email": email, "password": password})).await;
    assert_eq!(login.status(), 200);
    let login: Value = login.json().await.unwrap();
    let refresh = login["refresh_token"].as_str().unwrap().to_string();
    let refreshed: Value = app
        .send_json(Method::POST, "/api/auth/refresh", None, &json!({"refresh_token": refresh}))
        .await
        .json()
        .await
        .unwrap();
    let token = refreshed["access_token"].as_str().unwrap().to_string();
    let user_id = registered["user"]["id"].as_str().unwrap().to_string();
    let request_id = format!("req-{unique}");
    let chat = app
        .send(Method::POST, "/api/v1/pam/chat", Some(&token), |r| {
            r.header("x-request-id", &request_id).json(&json!({"message": "hello there"}))
        })
        .await;
    assert_eq!(chat.status(), 200);
    // A bad token is refused without being logged.
    let forged = format!("{token}x");
    assert_eq!(app.get("/api/auth/me", &forged).await.status(), 401);
    let out = app.send_json(Method::POST, "/api/auth/logout", Some(&token), &json!({"all": true})).await;
    assert!(out.status().is_success());
    assert!(!claude.received_requests().await.unwrap().is_empty(), "the keyed provider was called");

    let text = log.text();
    let secrets = [
        (password.as_str(), "a password"),
        (wrong.as_str(), "a wrong password"),
        (registered["access_token"].as_str().unwrap(), "an access token"),
        (registered["refresh_token"].as_str().unwrap(), "a refresh token"),
        (login["access_token"].as_str().unwrap(), "an access token"),
        (refresh.as_str(), "a refresh token"),
        (token.as_str(), "an access token"),
        (refreshed["refresh_token"].as_str().unwrap(), "a refresh token"),
        (api_key.as_str(), "the model provider's key"),
        (supabase_secret.as_str(), "the Supabase secret"),
        (helpers::TEST_SECRET, "the signing key"),
    ];
    for (secret, what) in secrets {
        assert_absent(&text, secret, what);
    }
    // JSON lines, and the chat request's lines carry its request id and the user's id.
    let lines: Vec<Value> = text.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    assert!(lines.len() > 10 && lines.len() == text.lines().count(), "every line is JSON");
    let ours = lines.iter().filter(|l| l.to_string().contains(&request_id)).collect::<Vec<_>>();
    assert!(!ours.is_empty(), "the request id is logged");
    assert!(
        ours.iter().any(|l| {
            l["spans"]
                .as_array()
                .into_iter()
                .flatten()
                .chain(std::iter::once(&l["span"]))
                .any(|span| span["request_id"] == request_id.as_str() && span["user.id"] == user_id.as_str())
        }),
        "a line of the chat request names both the request id and the user id"
    );
}
