//! Graceful shutdown (SPEC §7): the real binary, sent SIGTERM while a WebSocket turn and a REST turn
//! are waiting on the model, stops accepting connections, still answers both turns, closes the socket
//! with 1001 (so the client reconnects elsewhere) and exits cleanly; another instance on the same
//! database then replays the stored replies by `message_id` and finds nothing half-written.

use std::process::Stdio;
use std::time::Duration;

use pam_store::with_db;
use reqwest::Method;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

use crate::asyncapi::{self, Incoming};
use crate::fakes::fuel_logger;
use crate::helpers::{Backend, TEST_SECRET, TestApp, TestUser, spawn_app_with, try_send_to};
use pam_testkit::on_both_databases;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer};

on_both_databases!(a_sigterm_mid_turn_answers_the_turn_closes_sockets_with_1001_and_writes_everything_once);

/// A port nothing listens on now.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

/// `pam-backend serve` as a separate process on `database_url`, talking to `claude`; returns once it
/// answers `/health`.
async fn start_instance(database_url: &str, claude: &str, dir: &std::path::Path) -> (tokio::process::Child, String) {
    let port = free_port().to_string();
    let child = tokio::process::Command::new(env!("CARGO_BIN_EXE_pam-backend"))
        .arg("serve")
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .envs([
            ("HOST", "127.0.0.1"),
            ("PORT", port.as_str()),
            ("DATA_DIR", &dir.display().to_string()),
            ("DATABASE_URL", database_url),
            ("SECRET_KEY", TEST_SECRET),
            ("ANTHROPIC_API_KEY", "k"),
            ("ANTHROPIC_BASE_URL", claude),
            ("PAM_FALLBACK_MODELS", ""),
            ("RUST_LOG", "warn"),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .expect("start pam-backend");
    let address = format!("127.0.0.1:{port}");
    let (client, base) = (reqwest::Client::new(), format!("http://{address}"));
    for _ in 0..300 {
        let health = try_send_to(&client, &base, Method::GET, "/health", None, |r| r).await;
        if health.is_ok_and(|r| r.status() == 200) {
            return (child, address);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("pam-backend did not start within 15 s");
}

async fn count_rows(app: &TestApp, sql: &'static str, user: &TestUser) -> i64 {
    with_db!(app.db(), |pool| { sqlx::query_scalar(sql).bind(user.id).fetch_one(pool).await }).unwrap()
}

async fn a_sigterm_mid_turn_answers_the_turn_closes_sockets_with_1001_and_writes_everything_once(backend: Backend) {
    let claude = MockServer::start().await;
    let script = fuel_logger().slow(Duration::from_millis(1500));
    let calls = script.calls.clone();
    Mock::given(method("POST")).respond_with(script).mount(&claude).await;
    let claude_url = claude.uri();
    // The surviving instance: it registers the user, and afterwards looks at what the stopped one left.
    let survivor = spawn_app_with(
        backend,
        &[("ANTHROPIC_API_KEY", "k"), ("ANTHROPIC_BASE_URL", claude_url.as_str()), ("PAM_FALLBACK_MODELS", "")],
    )
    .await;
    let user = survivor.register("sigterm@example.com").await;
    let database_url = survivor.state.config.database_url.expose().to_string();
    let dir = tempfile::tempdir().unwrap();
    let (mut child, address) = start_instance(&database_url, &claude_url, dir.path()).await;

    let mut ws = asyncapi::connect(&address, &user.id.to_string(), &user.token).await;
    let chat = json!({"type": "chat", "message": "I spent 42.50 on fuel", "message_id": "ws-turn"});
    asyncapi::send(&mut ws, &chat).await.unwrap();
    let base = format!("http://{address}");
    let rest = {
        let (base, token) = (base.clone(), user.token.clone());
        tokio::spawn(async move {
            let body = json!({"message": "I spent 42.50 on fuel at Dubbo", "message_id": "rest-turn"});
            try_send_to(&reqwest::Client::new(), &base, Method::POST, "/api/v1/pam/chat", Some(&token), |r| {
                r.json(&body)
            })
            .await
        })
    };
    // Both turns are waiting on the model when the signal comes.
    for _ in 0..200 {
        if calls.load(std::sync::atomic::Ordering::SeqCst) >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 2, "both turns are mid-way");
    let pid = child.id().expect("running").to_string();
    let killed = tokio::process::Command::new("kill").args(["-TERM", &pid]).status().await.unwrap();
    assert!(killed.success());

    tokio::time::sleep(Duration::from_millis(300)).await;
    let refused = try_send_to(&reqwest::Client::new(), &base, Method::GET, "/health", None, |r| r).await;
    assert!(refused.is_err(), "a stopping instance accepts no new connection: {refused:?}");

    let mut reply = None;
    let mut close_code = None;
    while let Ok(Some(frame)) = tokio::time::timeout(Duration::from_secs(20), asyncapi::receive(&mut ws)).await {
        match frame {
            Ok(Incoming::Frame(frame)) => {
                if frame["type"] == "chat_response" {
                    reply = Some(frame);
                }
            }
            Ok(Incoming::Close(code)) => {
                close_code = code;
                break;
            }
            Ok(_) => {}
            Err(e) => panic!("the socket broke instead of closing: {e}"),
        }
    }
    let reply = reply.expect("the WebSocket turn's reply arrived before the close");
    assert_eq!(
        (reply["message_id"].as_str(), reply["message"].as_str()),
        (Some("ws-turn"), Some("Logged $42.50 of fuel."))
    );
    assert_eq!(close_code, Some(u16::from(CloseCode::Away)), "closed with 1001, so the client reconnects elsewhere");

    let rest = rest.await.unwrap().expect("the REST turn's response arrived");
    assert_eq!(rest.status(), 200);
    let rest: Value = rest.json().await.unwrap();
    assert_eq!(rest["response"], "Logged $42.50 of fuel.", "{rest}");

    let exit = tokio::time::timeout(Duration::from_secs(30), child.wait()).await.expect("exits").unwrap();
    assert!(exit.success(), "a clean exit: {exit:?}");

    // Nothing half-written, and everything once: two expenses, two finished turns, and re-sending either
    // message to the surviving instance replays its stored reply without running anything again.
    assert_eq!(count_rows(&survivor, "SELECT COUNT(*) FROM expenses WHERE user_id = $1", &user).await, 2);
    let unfinished: &'static str = "SELECT COUNT(*) FROM pam_turns WHERE user_id = $1 AND status <> 'done'";
    assert_eq!(count_rows(&survivor, unfinished, &user).await, 0);
    for (message_id, text) in [("ws-turn", "I spent 42.50 on fuel"), ("rest-turn", "I spent 42.50 on fuel at Dubbo")] {
        let body = json!({"message": text, "message_id": message_id});
        let res = survivor.send_json(Method::POST, "/api/v1/pam/chat", Some(&user.token), &body).await;
        assert_eq!(res.status(), 200);
        let replayed: Value = res.json().await.unwrap();
        assert_eq!(replayed["response"], "Logged $42.50 of fuel.", "{message_id}: {replayed}");
    }
    assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 4, "the model was asked twice per turn, never again");
    assert_eq!(count_rows(&survivor, "SELECT COUNT(*) FROM expenses WHERE user_id = $1", &user).await, 2);
}
