//! The AsyncAPI 3.0 document of the PAM WebSocket (SPEC §5.2), served at `/asyncapi.json` and printed
//! by `pam-backend asyncapi`. Its messages and schemas are generated from the types the socket parses
//! and serialises (`pam::ws::protocol`): one message per variant of [`ClientFrame`] and [`ServerFrame`],
//! each with the variant's JSON Schema as its payload, so a frame type added in code is in the document.

use serde_json::{Map, Value, json};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::Schema;
use utoipa::{PartialSchema, ToSchema};

use crate::pam::ws::protocol::{ClientFrame, CloseCode, ServerFrame};

/// The document, as JSON.
pub fn document() -> Value {
    let mut schemas = Map::new();
    let mut dependencies: Vec<(String, RefOr<Schema>)> = Vec::new();
    <ClientFrame as ToSchema>::schemas(&mut dependencies);
    <ServerFrame as ToSchema>::schemas(&mut dependencies);
    for (name, schema) in dependencies {
        schemas.insert(name, to_json(&schema));
    }
    let mut messages = Map::new();
    let mut channel_messages = Map::new();
    let client = frames(&to_json(&ClientFrame::schema()));
    let server = frames(&to_json(&ServerFrame::schema()));
    for (direction, list) in [("client", &client), ("server", &server)] {
        for (name, payload, description) in list {
            let id = format!("{direction}.{name}");
            let mut message = json!({
                "name": name,
                "title": name,
                "summary": format!("{} → {}: `{name}`", if direction == "client" { "client" } else { "server" },
                    if direction == "client" { "server" } else { "client" }),
                "contentType": "application/json",
                "payload": payload,
            });
            if let Some(description) = description {
                message["description"] = json!(description);
            }
            if names_message_id(payload, &schemas) {
                message["correlationId"] =
                    json!({"description": "The chat this frame belongs to.", "location": MESSAGE_ID});
            }
            messages.insert(id.clone(), message);
            channel_messages.insert(id.clone(), json!({"$ref": format!("#/components/messages/{id}")}));
        }
    }
    let refs = |direction: &str, list: &[(String, Value, Option<String>)]| -> Vec<Value> {
        list.iter().map(|(name, _, _)| json!({"$ref": format!("#/channels/pam/messages/{direction}.{name}")})).collect()
    };
    let close_codes: Vec<String> =
        CloseCode::ALL.iter().map(|c| format!("- **{}**: {}", c.code(), c.meaning())).collect();
    json!({
        "asyncapi": "3.0.0",
        "info": {
            "title": "PAM WebSocket",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "PAM's chat socket (the REST API is described by /openapi.json). Every frame is a JSON text \
                message with a `type`. After the handshake the server sends `connection`. A `chat` is answered with one \
                `chat_response`; with `\"stream\": true` that reply is preceded by `chat_response_start`, then `chunk` \
                deltas and `tool_call` frames (`started`, then `done` or `failed`). Pushes (`timer_expired`, \
                `proactive_alert`) are never sent while a turn from the socket is in flight: they follow its reply. \
                Frames the server cannot handle get an `error` frame and the socket stays open. The server pings \
                every 20 s. Chat messages are limited per user (60 a minute by default; `error` with \
                `RATE_LIMIT_EXCEEDED` and `retry_after`).",
        },
        "defaultContentType": "application/json",
        "channels": {
            "pam": {
                "address": "/api/v1/pam/ws/{user_id}",
                "title": "PAM chat",
                "description": format!("Close codes:\n{}", close_codes.join("\n")),
                "parameters": {"user_id": {"description": "The signed-in user's id (the token's subject)."}},
                "messages": channel_messages,
                "bindings": {"ws": {
                    "method": "GET",
                    "query": {"type": "object", "required": ["token"], "properties": {
                        "token": {"type": "string", "description": "The access token (a browser cannot set headers on a WebSocket)."}
                    }},
                    "bindingVersion": "0.1.0",
                }},
            },
        },
        "operations": {
            // The exchanges, each a client frame and what answers it (the streaming sequence among them);
            // `message_id` ties a reply and its stream to the chat that asked.
            "chat": exchange(
                "A chat message and its reply: with `\"stream\": true`, `chat_response_start`, then `chunk` \
                 and `tool_call` frames, then `chat_response`; without, `chat_response` alone. A refused message \
                 is answered with `error`.",
                &["chat", "message"],
                &["chat_response_start", "chunk", "tool_call", "chat_response", "error"],
            ),
            "confirm": exchange(
                "Carrying out a proposed action: answered with `chat_response`.",
                &["confirm"],
                &["chat_response", "error"],
            ),
            "ping": exchange("Answered with `pong`.", &["ping"], &["pong"]),
            "context": exchange(
                "Context for later chat messages: answered with `context_updated`.",
                &["context_update", "init"],
                &["context_updated", "error"],
            ),
            "receiveFromClient": {
                "action": "receive",
                "channel": {"$ref": "#/channels/pam"},
                "summary": "Frames a client sends.",
                "messages": refs("client", &client),
            },
            "sendToClient": {
                "action": "send",
                "channel": {"$ref": "#/channels/pam"},
                "summary": "Frames the server sends: replies, stream pieces, errors and pushes.",
                "messages": refs("server", &server),
            },
        },
        "components": {"schemas": schemas, "messages": messages},
    })
}

/// An operation that receives the `asked` client frames and replies with the `answers` server frames.
fn exchange(description: &str, asked: &[&str], answers: &[&str]) -> Value {
    let refs = |direction: &str, names: &[&str]| -> Vec<Value> {
        names.iter().map(|n| json!({"$ref": format!("#/channels/pam/messages/{direction}.{n}")})).collect()
    };
    json!({
        "action": "receive",
        "channel": {"$ref": "#/channels/pam"},
        "description": description,
        "messages": refs("client", asked),
        "reply": {"channel": {"$ref": "#/channels/pam"}, "messages": refs("server", answers)},
    })
}

/// Where a frame names the chat it belongs to.
const MESSAGE_ID: &str = "$message.payload#/message_id";

/// Whether a payload schema has a `message_id` property (itself, in an `allOf` part, or in a schema a
/// part refers to).
fn names_message_id(schema: &Value, schemas: &Map<String, Value>) -> bool {
    if schema["properties"].get("message_id").is_some() {
        return true;
    }
    if let Some(name) = schema["$ref"].as_str().and_then(|r| r.strip_prefix("#/components/schemas/")) {
        return schemas.get(name).is_some_and(|s| names_message_id(s, schemas));
    }
    schema["allOf"].as_array().is_some_and(|parts| parts.iter().any(|p| names_message_id(p, schemas)))
}

fn to_json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// The frames of a tagged enum's schema: (the `type` value, its payload schema, its doc comment).
fn frames(tagged: &Value) -> Vec<(String, Value, Option<String>)> {
    let variants = tagged["oneOf"].as_array().cloned().unwrap_or_default();
    variants
        .into_iter()
        .filter_map(|mut variant| {
            let name = type_of(&variant)?;
            let description = variant
                .as_object_mut()
                .and_then(|v| v.remove("description"))
                .and_then(|d| d.as_str().map(String::from));
            Some((name, variant, description))
        })
        .collect()
}

/// The `type` value a variant's schema requires (utoipa writes it as a one-value enum, either on the
/// variant itself or on one of its `allOf` parts).
fn type_of(schema: &Value) -> Option<String> {
    if let Some(value) = schema["properties"]["type"]["enum"].as_array().and_then(|e| e.first()) {
        return value.as_str().map(String::from);
    }
    schema["allOf"].as_array()?.iter().find_map(type_of)
}
