//! What a socket's frames do: ping, context updates, chat turns (plain or streamed) and confirmations.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use chrono::Utc;
use pam_brain::agent::TurnEvent;
use pam_kernel::Caller;
use serde_json::{Value, json};
use uuid::Uuid;

use super::error_frame;
use super::socket::Socket;
use crate::pam::turn::{self, ChatRequest, Refusal};
use crate::state::AppState;

const MAX_CHAT_FRAME: usize = 128 * 1024;

pub(super) async fn handle(state: &AppState, user: &Caller, socket: &Socket, context: &mut Option<Value>, text: &str) {
    let Ok(frame) = serde_json::from_str::<Value>(text) else {
        socket.send(error_frame("FORMAT_ERROR", "That wasn't valid JSON"));
        return;
    };
    match frame["type"].as_str().unwrap_or_default() {
        "ping" => socket.send(json!({"type": "pong", "timestamp": Utc::now()})),
        "pong" => {}
        "context_update" | "init" => {
            *context = frame.get("context").cloned().filter(Value::is_object);
            socket.send(json!({"type": "context_updated", "timestamp": Utc::now()}));
        }
        "chat" | "message" => chat(state, user, socket, context.as_ref(), frame, text.len()).await,
        "confirm" => confirm(state, user, socket, &frame),
        other => {
            let shown: String = other.chars().take(40).collect();
            socket.send(error_frame("UNKNOWN_TYPE", &format!("Unknown message type {shown:?}")))
        }
    }
}

async fn chat(state: &AppState, user: &Caller, socket: &Socket, context: Option<&Value>, frame: Value, size: usize) {
    if size > MAX_CHAT_FRAME {
        socket.send(error_frame("MESSAGE_TOO_LARGE", "That message is too large"));
        return;
    }
    let decision = state.limiter.check(&format!("ws-chat:{}", user.id), state.config.limits.ws_chat).await;
    if !decision.allowed {
        crate::metrics::rate_limited("chat");
        let mut f = error_frame("RATE_LIMIT_EXCEEDED", "You're sending messages too quickly; please wait a moment.");
        f["retry_after"] = json!(decision.retry_after.as_secs().max(1));
        socket.send(f);
        return;
    }
    let request: ChatRequest = serde_json::from_value(frame).unwrap_or_default();
    let stream = request.stream;
    let local_id = request.message_id.clone().unwrap_or_else(|| format!("pending-{}", Uuid::new_v4()));
    let input = match request.parse(context) {
        Ok(input) => input,
        Err(Refusal::TooLong) => {
            socket.send(error_frame("MESSAGE_TOO_LARGE", "Messages are limited to 2000 characters"));
            return;
        }
        Err(Refusal::Empty) => {
            socket.send(error_frame("FORMAT_ERROR", "The message is empty"));
            return;
        }
    };
    let in_flight = socket.turn_started(&local_id);
    let (state, user, socket) = (state.clone(), user.clone(), socket.clone());
    tokio::spawn(async move {
        if stream {
            socket.send(json!({"type": "chat_response_start", "message_id": local_id}));
        }
        // Tool calls announced as started, so each gets its `done` or `failed` even if the turn stops.
        let open_calls: Arc<Mutex<BTreeMap<String, String>>> = Arc::default();
        let (events, id, calls) = (socket.clone(), local_id.clone(), open_calls.clone());
        let sink: turn::TurnSink = if stream {
            Arc::new(move |event: TurnEvent| match event {
                TurnEvent::Text(delta) => events.send(json!({"type": "chunk", "message_id": id, "content": delta})),
                TurnEvent::ToolStarted { id: call, name } => {
                    calls.lock().unwrap_or_else(|p| p.into_inner()).insert(call, name.clone());
                    events.send(json!({"type": "tool_call", "message_id": id, "name": name, "status": "started"}))
                }
                TurnEvent::ToolFinished { id: call, name, status } => {
                    calls.lock().unwrap_or_else(|p| p.into_inner()).remove(&call);
                    events.send(json!({"type": "tool_call", "message_id": id, "name": name,
                        "status": if status == "error" { "failed" } else { "done" }}))
                }
            })
        } else {
            turn::no_events()
        };
        let mut reply = match turn::run(&state, &user, input, sink).await {
            Ok(reply) => reply,
            Err(e) => {
                let message = match &e {
                    pam_web::AppError::Internal(_) => "Something went wrong on our side; please try again.".to_string(),
                    other => other.to_string(),
                };
                json!({"message": message, "content": message, "response": message, "ui_actions": [], "tool_calls": [],
                       "message_id": local_id, "source": "none", "model": null, "error": message, "timestamp": Utc::now()})
            }
        };
        let unfinished = std::mem::take(&mut *open_calls.lock().unwrap_or_else(|p| p.into_inner()));
        for name in unfinished.into_values() {
            socket.send(json!({"type": "tool_call", "message_id": local_id, "name": name, "status": "failed"}));
        }
        reply["type"] = json!("chat_response");
        in_flight.finish(reply);
    });
}

fn confirm(state: &AppState, user: &Caller, socket: &Socket, frame: &Value) {
    let Some(id) = frame["confirmation_id"].as_str().and_then(|s| Uuid::parse_str(s).ok()) else {
        socket.send(error_frame("FORMAT_ERROR", "confirm needs a confirmation_id"));
        return;
    };
    let message_id = frame["message_id"]
        .as_str()
        .map(|m| m.chars().take(128).collect::<String>())
        .unwrap_or_else(|| format!("confirm-{id}"));
    let in_flight = socket.turn_started(&message_id);
    let (state, user) = (state.clone(), user.clone());
    tokio::spawn(async move {
        let done = crate::pam::confirm::carry_out(&state, user.id, id).await;
        let error = done.error.map_or(json!(false), |e| json!(e));
        in_flight.finish(json!({"type": "chat_response", "message": done.text, "content": done.text,
            "ui_actions": done.ui_actions, "tool_calls": [], "confirmation_id": id, "conversation_id": done.conversation_id,
            "session_id": done.conversation_id, "message_id": message_id, "source": "pam", "error": error,
            "timestamp": Utc::now()}));
    });
}
