//! What a socket's frames do: ping, context updates, chat turns (plain or streamed) and confirmations.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use chrono::Utc;
use pam_brain::agent::TurnEvent;
use pam_kernel::Caller;
use serde_json::{Value, json};
use uuid::Uuid;

use super::protocol::{
    CLIENT_FRAME_TYPES, ChatReply, Chunk, ClientFrame, ConfirmFrame, ReplyError, ServerFrame, Stamp, StreamStart,
    ToolCallFrame, ToolCallStatus,
};
use super::socket::Socket;
use super::{error_frame, rate_limited_frame};
use crate::pam::turn::{self, ChatRequest, Refusal};
use crate::state::AppState;

const MAX_CHAT_FRAME: usize = 128 * 1024;

/// Reads one text frame: a client frame, or the error frame that answers it (not JSON, an unknown type,
/// or a known type with the wrong shape). Pure, so the property tests drive it with anything.
pub(crate) fn decode(text: &str) -> Result<ClientFrame, ServerFrame> {
    let Ok(raw) = serde_json::from_str::<Value>(text) else {
        return Err(error_frame("FORMAT_ERROR", "That wasn't valid JSON"));
    };
    let kind = raw["type"].as_str().unwrap_or_default().to_string();
    if !CLIENT_FRAME_TYPES.contains(&kind.as_str()) {
        let shown: String = kind.chars().take(40).collect();
        return Err(error_frame("UNKNOWN_TYPE", &format!("Unknown message type {shown:?}")));
    }
    serde_json::from_value::<ClientFrame>(raw)
        .map_err(|e| error_frame("FORMAT_ERROR", &format!("That {kind} frame is not valid: {e}")))
}

pub(super) async fn handle(state: &AppState, user: &Caller, socket: &Socket, context: &mut Option<Value>, text: &str) {
    let frame = match decode(text) {
        Ok(frame) => frame,
        Err(refusal) => {
            socket.send(refusal);
            return;
        }
    };
    match frame {
        ClientFrame::Ping => socket.send(ServerFrame::Pong(Stamp { timestamp: Utc::now() })),
        ClientFrame::Pong => {}
        ClientFrame::ContextUpdate(frame) | ClientFrame::Init(frame) => {
            *context = frame.context.filter(Value::is_object);
            socket.send(ServerFrame::ContextUpdated(Stamp { timestamp: Utc::now() }));
        }
        ClientFrame::Chat(request) | ClientFrame::Message(request) => {
            chat(state, user, socket, context.as_ref(), request, text.len()).await
        }
        ClientFrame::Confirm(frame) => confirm(state, user, socket, frame),
    }
}

/// A reply body (the REST shape) as a `chat_response` frame: read into the documented type, so the socket
/// sends nothing the document does not describe. `message_id` names the reply when the body does not.
pub(super) fn reply_frame(reply: Value, message_id: &str) -> ServerFrame {
    let mut reply = match reply {
        Value::Object(map) => map,
        _ => serde_json::Map::new(),
    };
    reply.entry("timestamp").or_insert_with(|| json!(Utc::now()));
    match serde_json::from_value::<ChatReply>(Value::Object(reply.clone())) {
        Ok(reply) => ServerFrame::ChatResponse(Box::new(reply)),
        Err(e) => {
            // A turn built a reply its type does not describe (a bug the API tests would show). The client
            // is told something went wrong, under the reply's id and in its conversation, so it is not left
            // waiting and its next message continues the same conversation.
            tracing::error!(error = %e, "a reply does not have the documented shape");
            let id = reply.get("message_id").and_then(Value::as_str).unwrap_or(message_id).to_string();
            let mut failure = ChatReply::failure(id, "Something went wrong on our side; please try again.");
            let conversation = reply.get("conversation_id").and_then(Value::as_str).and_then(|c| c.parse().ok());
            failure.conversation_id = conversation;
            failure.session_id = conversation;
            ServerFrame::ChatResponse(Box::new(failure))
        }
    }
}

fn tool_call(message_id: &str, name: String, status: ToolCallStatus) -> ServerFrame {
    ServerFrame::ToolCall(ToolCallFrame { message_id: message_id.to_string(), name, status })
}

async fn chat(
    state: &AppState,
    user: &Caller,
    socket: &Socket,
    context: Option<&Value>,
    request: ChatRequest,
    size: usize,
) {
    if size > MAX_CHAT_FRAME {
        socket.send(error_frame("MESSAGE_TOO_LARGE", "That message is too large"));
        return;
    }
    let decision = state.limiter.check(&format!("ws-chat:{}", user.id), state.config.limits.ws_chat).await;
    if !decision.allowed {
        crate::metrics::rate_limited("chat");
        let message = "You're sending messages too quickly; please wait a moment.";
        socket.send(rate_limited_frame("RATE_LIMIT_EXCEEDED", message, Some(decision.retry_after.as_secs().max(1))));
        return;
    }
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
            socket.send(ServerFrame::ChatResponseStart(StreamStart { message_id: local_id.clone() }));
        }
        // Tool calls announced as started, so each gets its `done` or `failed` even if the turn stops.
        let open_calls: Arc<Mutex<BTreeMap<String, String>>> = Arc::default();
        let (events, id, calls) = (socket.clone(), local_id.clone(), open_calls.clone());
        let sink: turn::TurnSink = if stream {
            Arc::new(move |event: TurnEvent| match event {
                TurnEvent::Text(delta) => {
                    events.send(ServerFrame::Chunk(Chunk { message_id: id.clone(), content: delta }))
                }
                TurnEvent::ToolStarted { id: call, name } => {
                    calls.lock().unwrap_or_else(|p| p.into_inner()).insert(call, name.clone());
                    events.send(tool_call(&id, name, ToolCallStatus::Started))
                }
                TurnEvent::ToolFinished { id: call, name, status } => {
                    calls.lock().unwrap_or_else(|p| p.into_inner()).remove(&call);
                    let status = if status == "error" { ToolCallStatus::Failed } else { ToolCallStatus::Done };
                    events.send(tool_call(&id, name, status))
                }
            })
        } else {
            turn::no_events()
        };
        let reply = match turn::run(&state, &user, input, sink).await {
            Ok(reply) => reply_frame(reply, &local_id),
            Err(e) => {
                let message = match &e {
                    pam_web::AppError::Internal(_) => "Something went wrong on our side; please try again.".to_string(),
                    other => other.to_string(),
                };
                ServerFrame::ChatResponse(Box::new(ChatReply::failure(local_id.clone(), &message)))
            }
        };
        let unfinished = std::mem::take(&mut *open_calls.lock().unwrap_or_else(|p| p.into_inner()));
        for name in unfinished.into_values() {
            socket.send(tool_call(&local_id, name, ToolCallStatus::Failed));
        }
        in_flight.finish(reply);
    });
}

fn confirm(state: &AppState, user: &Caller, socket: &Socket, frame: ConfirmFrame) {
    let id = frame.confirmation_id;
    let message_id =
        frame.message_id.map(|m| m.chars().take(128).collect::<String>()).unwrap_or_else(|| format!("confirm-{id}"));
    let in_flight = socket.turn_started(&message_id);
    let (state, user) = (state.clone(), user.clone());
    tokio::spawn(async move {
        let done = crate::pam::confirm::carry_out(&state, user.id, id).await;
        let reply = ChatReply {
            message: done.text.clone(),
            content: done.text,
            response: None,
            ui_actions: done.ui_actions.iter().filter_map(|a| serde_json::to_value(a).ok()).collect(),
            actions: None,
            tool_calls: Vec::new(),
            map_action: None,
            conversation_id: done.conversation_id,
            session_id: done.conversation_id,
            message_id,
            source: "pam".into(),
            model: None,
            error: done.error.map_or(ReplyError::None(false), ReplyError::Message),
            retryable: None,
            notice: None,
            usage: None,
            confirmation_id: Some(id),
            processing_time_ms: None,
            timestamp: Utc::now(),
        };
        in_flight.finish(ServerFrame::ChatResponse(Box::new(reply)));
    });
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::pam::context::tests::any_json;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Any text a client sends becomes a frame or the error frame that refuses it, never a panic; a
        /// chat frame's request then goes through the same parsing a turn uses.
        #[test]
        fn any_text_frame_is_decoded_or_refused(
            body in any_json(),
            kind in prop::sample::select(CLIENT_FRAME_TYPES.to_vec()),
            noise in "\\PC{0,300}",
        ) {
            let mut typed = body.clone();
            if let Value::Object(map) = &mut typed {
                map.insert("type".into(), json!(kind));
            }
            for text in [typed.to_string(), body.to_string(), noise.clone()] {
                match decode(&text) {
                    Ok(ClientFrame::Chat(request) | ClientFrame::Message(request)) => {
                        let _ = request.parse(body.get("context"));
                    }
                    Ok(_) => {}
                    Err(refusal) => prop_assert!(matches!(refusal, ServerFrame::Error(_)), "{:?}", refusal),
                }
            }
        }
    }

    #[test]
    fn refusals_say_why() {
        let code = |text: &str| match decode(text) {
            Err(ServerFrame::Error(e)) => e.error_code,
            other => panic!("{text} was not refused: {other:?}"),
        };
        assert_eq!(code("{"), "FORMAT_ERROR");
        assert_eq!(code(r#"{"type":"shout"}"#), "UNKNOWN_TYPE");
        assert_eq!(code(r#"{"type":"confirm"}"#), "FORMAT_ERROR");
        assert!(matches!(decode(r#"{"type":"ping"}"#), Ok(ClientFrame::Ping)));
    }
}
