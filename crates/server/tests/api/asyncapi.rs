//! The AsyncAPI document of the PAM WebSocket held to the code: it is valid AsyncAPI 3.0 (checked against
//! the specification's own JSON Schema, vendored in `schemas/`), it is what `/asyncapi.json` serves and
//! `/docs` links, its messages are exactly the frame types the socket handles, and every frame the
//! WebSocket tests send or receive validates against it, `format` included.
//!
//! The tests talk to the socket only through this file's pair, [`send`] and [`receive`] (and
//! [`next_frame`] on top of it): [`send`] holds a client frame to the document before sending it, and
//! [`receive`] holds every text frame the server sends to it (a text frame that is not JSON, or a binary
//! frame, fails). The one way around is [`send_malformed`], for the tests of what a frame the document
//! does not allow gets. [`the_websocket_tests_use_the_validating_pair`] keeps it that way.

use std::sync::OnceLock;
use std::time::Duration;

use futures::{Sink, SinkExt, Stream, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::{Error as WsError, Message};

use crate::helpers::{Backend, spawn_app};
use pam_server::pam::ws::protocol::{CLIENT_FRAME_TYPES, SERVER_FRAME_TYPES};

pub type Ws = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// One validator per direction: any of that direction's message payloads, with the document's
/// components beside them so their `$ref`s resolve; formats asserted.
fn validator(direction: &str) -> jsonschema::Validator {
    let document = pam_server::asyncapi::document();
    let payloads: Vec<Value> = document["components"]["messages"]
        .as_object()
        .expect("messages")
        .iter()
        .filter(|(id, _)| id.starts_with(&format!("{direction}.")))
        .map(|(_, message)| message["payload"].clone())
        .collect();
    let schema = json!({"oneOf": payloads, "components": document["components"]});
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|e| panic!("the {direction} payload schemas do not compile: {e}"))
}

fn check(validator: &jsonschema::Validator, frame: &Value, direction: &str) {
    let errors: Vec<String> =
        validator.iter_errors(frame).take(8).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(
        errors.is_empty(),
        "a {direction} frame the AsyncAPI document does not describe: {}\n{}",
        frame.to_string().chars().take(600).collect::<String>(),
        errors.join("\n")
    );
}

/// Asserts a frame the server sent is one the document describes.
pub fn server_frame(frame: &Value) {
    static SERVER: OnceLock<jsonschema::Validator> = OnceLock::new();
    check(SERVER.get_or_init(|| validator("server")), frame, "server");
}

/// Asserts a frame a test sends is one the document describes.
pub fn client_frame(frame: &Value) {
    static CLIENT: OnceLock<jsonschema::Validator> = OnceLock::new();
    check(CLIENT.get_or_init(|| validator("client")), frame, "client");
}

/// Opens the PAM socket of `path_user` on the server at `address` (`http://…` or `host:port`) with `token`.
pub async fn connect(address: &str, path_user: &str, token: &str) -> Ws {
    let host = address.trim_start_matches("http://");
    let url = format!("ws://{host}/api/v1/pam/ws/{path_user}?token={token}");
    tokio_tungstenite::connect_async(url).await.expect("websocket handshake").0
}

/// A socket's two halves, for a test that writes and reads from different places.
pub fn split(ws: Ws) -> (futures::stream::SplitSink<Ws, Message>, futures::stream::SplitStream<Ws>) {
    ws.split()
}

/// Sends a frame, after asserting the document describes it.
pub async fn send<S>(ws: &mut S, frame: &Value) -> Result<(), WsError>
where
    S: Sink<Message, Error = WsError> + Unpin,
{
    client_frame(frame);
    ws.send(Message::Text(frame.to_string().into())).await
}

/// Sends text as it is: only for the tests of what a frame the document does not allow gets (not JSON,
/// an unknown type, a field past its limit, over a megabyte).
pub async fn send_malformed<S>(ws: &mut S, text: impl Into<String>) -> Result<(), WsError>
where
    S: Sink<Message, Error = WsError> + Unpin,
{
    ws.send(Message::Text(text.into().into())).await
}

/// What the server sent: a text frame (parsed, and held to the document), a close (its code), or a
/// ping or pong.
#[derive(Debug)]
pub enum Incoming {
    Frame(Value),
    Close(Option<u16>),
    Ping,
    Pong,
}

/// The next thing the server sends (`None` once the socket has ended). A text frame is parsed and held
/// to the document; a text frame that is not JSON, or a binary frame, fails the test.
pub async fn receive<S>(ws: &mut S) -> Option<Result<Incoming, WsError>>
where
    S: Stream<Item = Result<Message, WsError>> + Unpin,
{
    let message = match ws.next().await? {
        Ok(message) => message,
        Err(e) => return Some(Err(e)),
    };
    Some(Ok(match message {
        Message::Text(text) => {
            let frame: Value = serde_json::from_str(&text).unwrap_or_else(|e| {
                panic!(
                    "the server sent a text frame that is not JSON ({e}): {}",
                    text.chars().take(300).collect::<String>()
                )
            });
            server_frame(&frame);
            Incoming::Frame(frame)
        }
        Message::Close(frame) => Incoming::Close(frame.map(|f| u16::from(f.code))),
        Message::Ping(_) => Incoming::Ping,
        Message::Pong(_) => Incoming::Pong,
        Message::Binary(_) | Message::Frame(_) => {
            panic!("the server sent a binary frame; the document describes JSON text frames only")
        }
    }))
}

/// The next frame within `secs` (pings and pongs skipped), held to the document; a close is
/// `{"closed": code}`. `None` at the deadline or when the socket ends or breaks.
pub async fn next_frame<S>(ws: &mut S, secs: u64) -> Option<Value>
where
    S: Stream<Item = Result<Message, WsError>> + Unpin,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        match tokio::time::timeout_at(deadline, receive(ws)).await {
            Ok(Some(Ok(Incoming::Frame(frame)))) => return Some(frame),
            Ok(Some(Ok(Incoming::Close(code)))) => return Some(json!({"closed": code})),
            Ok(Some(Ok(Incoming::Ping | Incoming::Pong))) => continue,
            _ => return None,
        }
    }
}

fn message_types(document: &Value, direction: &str) -> Vec<String> {
    let mut types: Vec<String> = document["components"]["messages"]
        .as_object()
        .unwrap()
        .keys()
        .filter_map(|id| id.strip_prefix(&format!("{direction}.")).map(String::from))
        .collect();
    types.sort();
    types
}

#[tokio::test]
async fn the_served_document_is_valid_asyncapi_3_and_linked_from_the_docs() {
    let app = spawn_app(Backend::Sqlite).await;
    let res = app.get_anonymous("/asyncapi.json").await;
    assert_eq!(res.status(), 200);
    let served: Value = res.json().await.unwrap();
    assert_eq!(served, pam_server::asyncapi::document(), "the route serves the generated document");
    let spec: Value = serde_json::from_str(include_str!("schemas/asyncapi-3.0.0.json")).unwrap();
    let meta = jsonschema::validator_for(&spec).expect("the AsyncAPI 3.0.0 schema compiles");
    let errors: Vec<String> = meta.iter_errors(&served).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "not valid AsyncAPI 3.0.0:\n{}", errors.join("\n"));
    // The check can fail: a document without its info object is refused.
    let mut broken = served.clone();
    broken.as_object_mut().unwrap().remove("info");
    assert!(!meta.is_valid(&broken));

    let docs = app.get_anonymous("/docs").await.text().await.unwrap();
    assert!(docs.contains("href=\"/asyncapi.json\""), "the docs page links the WebSocket's document");
    let channel = &served["channels"]["pam"];
    assert_eq!(channel["address"], "/api/v1/pam/ws/{user_id}");
    for code in ["1001", "1008", "4001", "4009"] {
        assert!(channel["description"].as_str().unwrap().contains(code), "close code {code} documented");
    }
}

#[test]
fn the_document_names_exactly_the_frame_types_the_socket_handles() {
    let document = pam_server::asyncapi::document();
    let mut client: Vec<String> = CLIENT_FRAME_TYPES.iter().map(|t| t.to_string()).collect();
    let mut server: Vec<String> = SERVER_FRAME_TYPES.iter().map(|t| t.to_string()).collect();
    client.sort();
    server.sort();
    assert_eq!(message_types(&document, "client"), client, "client frames: the dispatcher's list and the document");
    assert_eq!(message_types(&document, "server"), server, "server frames");
    // Every message is in the channel and in an operation.
    for id in document["components"]["messages"].as_object().unwrap().keys() {
        assert!(document["channels"]["pam"]["messages"].get(id).is_some(), "{id} in the channel");
    }
    // The streaming sequence is machine-readable: what answers a chat, in order, each frame tied to the
    // chat by its `message_id`.
    let answers: Vec<&str> = document["operations"]["chat"]["reply"]["messages"]
        .as_array()
        .expect("a chat's reply frames")
        .iter()
        .filter_map(|m| m["$ref"].as_str()?.rsplit('.').next())
        .collect();
    assert_eq!(answers, ["chat_response_start", "chunk", "tool_call", "chat_response", "error"]);
    for id in ["client.chat", "server.chat_response_start", "server.chunk", "server.tool_call", "server.chat_response"]
    {
        let location = &document["components"]["messages"][id]["correlationId"]["location"];
        assert_eq!(location, "$message.payload#/message_id", "{id} names its chat");
    }
    // Every code the socket closes with (one enum for both) is explained, and nothing else.
    let described = document.to_string();
    let codes: Vec<u16> = pam_server::pam::ws::protocol::CloseCode::ALL.iter().map(|c| c.code()).collect();
    assert_eq!(codes, [1001, 1008, 4001, 4009]);
    for code in codes {
        assert!(described.contains(&format!("**{code}**")), "close code {code} is described");
    }
}

#[test]
fn frames_outside_the_document_are_caught() {
    server_frame(&json!({"type": "pong", "timestamp": "2026-12-01T10:00:00Z"}));
    let undocumented = json!({"type": "celebration", "message": "hi"});
    let missing_field = json!({"type": "chunk", "message_id": "m-1"});
    let malformed_time = json!({"type": "pong", "timestamp": "yesterday"});
    for frame in [undocumented, missing_field, malformed_time] {
        let caught = std::panic::catch_unwind(|| server_frame(&frame));
        assert!(caught.is_err(), "{frame} would have passed");
    }
    client_frame(&json!({"type": "chat", "message": "I spent $20 on gas", "message_id": "m-1", "stream": true}));
    assert!(std::panic::catch_unwind(|| client_frame(&json!({"type": "shout"}))).is_err());
}

/// No test file but this one touches the socket's frames directly: without `SinkExt`/`StreamExt` and
/// `Message` a test can only send through [`send`] (or, named as such, [`send_malformed`]) and read
/// through [`receive`].
#[test]
fn the_websocket_tests_use_the_validating_pair() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/api");
    let mut stack = vec![root.clone()];
    let mut wrong = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let name = path.strip_prefix(&root).unwrap().to_string_lossy().into_owned();
            if path.extension().is_none_or(|e| e != "rs") || name == "asyncapi.rs" {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for word in ["SinkExt", "StreamExt", "tungstenite::Message", "Message::Text"] {
                if text.contains(word) {
                    wrong.push(format!("{name}: {word}"));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "WebSocket frames handled around asyncapi::send/receive:\n{}", wrong.join("\n"));
}
