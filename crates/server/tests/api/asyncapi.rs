//! The AsyncAPI document of the PAM WebSocket held to the code: it is valid AsyncAPI 3.0 (checked against
//! the specification's own JSON Schema, vendored in `schemas/`), it is what `/asyncapi.json` serves and
//! `/docs` links, its messages are exactly the frame types the socket handles, and every frame the
//! WebSocket tests send or receive validates against it ([`server_frame`], [`client_frame`]).

use std::sync::OnceLock;

use serde_json::{Value, json};

use crate::helpers::{Backend, spawn_app};
use pam_server::pam::ws::protocol::{CLIENT_FRAME_TYPES, SERVER_FRAME_TYPES};

/// One validator per direction: any of that direction's message payloads, with the document's
/// components beside them so their `$ref`s resolve.
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
    jsonschema::validator_for(&schema).expect("the payload schemas compile")
}

fn check(validator: &jsonschema::Validator, frame: &Value, direction: &str) {
    let errors: Vec<String> = validator.iter_errors(frame).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(
        errors.is_empty(),
        "a {direction} frame the AsyncAPI document does not describe: {frame}\n{}",
        errors.join("\n")
    );
}

/// Asserts a frame the server sent is one the document describes.
pub fn server_frame(frame: &Value) {
    static SERVER: OnceLock<jsonschema::Validator> = OnceLock::new();
    check(SERVER.get_or_init(|| validator("server")), frame, "server");
}

/// Asserts a frame a test sends is one the document describes (tests of malformed frames skip this).
pub fn client_frame(frame: &Value) {
    static CLIENT: OnceLock<jsonschema::Validator> = OnceLock::new();
    check(CLIENT.get_or_init(|| validator("client")), frame, "client");
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
    let res = app.client.get(app.url("/asyncapi.json")).send().await.unwrap();
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

    let docs = app.client.get(app.url("/docs")).send().await.unwrap().text().await.unwrap();
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
}

#[test]
fn frames_outside_the_document_are_caught() {
    server_frame(&json!({"type": "pong", "timestamp": "2026-12-01T10:00:00Z"}));
    let undocumented = json!({"type": "celebration", "message": "hi"});
    let missing_field = json!({"type": "chunk", "message_id": "m-1"});
    for frame in [undocumented, missing_field] {
        let caught = std::panic::catch_unwind(|| server_frame(&frame));
        assert!(caught.is_err(), "{frame} would have passed");
    }
    client_frame(&json!({"type": "chat", "message": "I spent $20 on gas", "message_id": "m-1", "stream": true}));
    assert!(std::panic::catch_unwind(|| client_frame(&json!({"type": "shout"}))).is_err());
}
