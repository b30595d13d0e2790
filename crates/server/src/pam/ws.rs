//! `GET /api/v1/pam/ws/{user_id}?token=…` (SPEC §5.2): accept, then verify (a browser cannot read a
//! refused handshake), then chat frames through the same turn pipeline as REST. Unsolicited frames wait
//! while a turn from the socket is in flight, so the client never takes a push for its reply.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::Router;
use axum::extract::ws::{CloseFrame, Message as WsMessage, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use chrono::Utc;
use futures::{SinkExt, StreamExt};
use pam_brain::agent::TurnEvent;
use pam_kernel::Caller;
use pam_platform::rate_limit::Quota;
use serde_json::{Value, json};
use tokio::sync::mpsc;
use uuid::Uuid;

use super::turn::{self, ChatRequest, Refusal};
use crate::state::AppState;

const MAX_FRAME: usize = 1024 * 1024;
const MAX_CHAT_FRAME: usize = 128 * 1024;
const CHAT_RATE: Quota = Quota::per_minute(60);

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/pam/ws/{user_id}", get(upgrade))
}

async fn upgrade(
    State(state): State<AppState>,
    Path(user_id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    ws: WebSocketUpgrade,
) -> Response {
    let token = query.get("token").cloned();
    // Frames up to twice the hard limit reach us so an oversized one gets 4009, not a protocol error.
    // Small starting buffers (they grow for large frames): most sockets sit idle, and the defaults
    // (128 KiB each way) would dominate the memory of an idle connection.
    ws.max_message_size(2 * MAX_FRAME)
        .read_buffer_size(4 * 1024)
        .write_buffer_size(0)
        .on_upgrade(move |socket| session(state, socket, user_id, token))
}

/// One socket's handle in the hub: its outgoing queue and whether a turn from it is in flight.
#[derive(Clone)]
struct Socket {
    id: Uuid,
    tx: mpsc::UnboundedSender<WsMessage>,
    held: Arc<Mutex<Held>>,
}

#[derive(Default)]
struct Held {
    turns_in_flight: usize,
    queued: Vec<Value>,
}

impl Socket {
    fn send(&self, frame: Value) {
        let _ = self.tx.send(WsMessage::Text(Utf8Bytes::from(frame.to_string())));
    }

    /// Sends an unsolicited frame now, or after the in-flight turn's reply.
    fn push(&self, frame: Value) {
        let mut held = self.held.lock().unwrap_or_else(|p| p.into_inner());
        if held.turns_in_flight > 0 {
            held.queued.push(frame);
        } else {
            self.send(frame);
        }
    }

    fn turn_started(&self) {
        self.held.lock().unwrap_or_else(|p| p.into_inner()).turns_in_flight += 1;
    }

    /// Sends the turn's reply, then whatever pushes waited for it.
    fn turn_finished(&self, reply: Value) {
        let mut held = self.held.lock().unwrap_or_else(|p| p.into_inner());
        self.send(reply);
        held.turns_in_flight = held.turns_in_flight.saturating_sub(1);
        if held.turns_in_flight == 0 {
            for frame in held.queued.drain(..) {
                self.send(frame);
            }
        }
    }
}

/// Every open socket by user, so any part of the app can push to a user (timers, budget alerts).
pub struct Hub {
    sockets: Mutex<HashMap<Uuid, Vec<Socket>>>,
    /// Flipped once on shutdown: every session closes with 1001.
    closing: tokio::sync::watch::Sender<bool>,
}

impl Default for Hub {
    fn default() -> Self {
        Hub { sockets: Mutex::default(), closing: tokio::sync::watch::channel(false).0 }
    }
}

impl Hub {
    fn add(&self, user_id: Uuid, socket: Socket) {
        self.sockets.lock().unwrap_or_else(|p| p.into_inner()).entry(user_id).or_default().push(socket);
    }

    fn remove(&self, user_id: Uuid, socket_id: Uuid) {
        let mut sockets = self.sockets.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(list) = sockets.get_mut(&user_id) {
            list.retain(|s| s.id != socket_id);
            if list.is_empty() {
                sockets.remove(&user_id);
            }
        }
    }

    /// Pushes an unsolicited frame to every socket of a user; returns how many sockets got it.
    pub fn push(&self, user_id: Uuid, frame: Value) -> usize {
        let sockets = self.sockets.lock().unwrap_or_else(|p| p.into_inner());
        let list = sockets.get(&user_id).cloned().unwrap_or_default();
        drop(sockets);
        for s in &list {
            s.push(frame.clone());
        }
        list.len()
    }

    /// Asks every session to close with 1001 (server going away) and waits, briefly, until they have.
    pub async fn close_all(&self, wait: std::time::Duration) {
        self.closing.send_replace(true);
        let deadline = tokio::time::Instant::now() + wait;
        while self.connections() > 0 && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    pub fn connections(&self) -> usize {
        self.sockets.lock().map(|s| s.values().map(Vec::len).sum()).unwrap_or(0)
    }
}

impl pam_platform::push::PushSink for Hub {
    fn deliver(&self, user_id: Uuid, frame: &Value) -> usize {
        self.push(user_id, frame.clone())
    }
}

fn error_frame(code: &str, message: &str) -> Value {
    json!({"type": "error", "error_code": code, "message": message, "error": message, "timestamp": Utc::now()})
}

fn close(code: u16, reason: &'static str) -> WsMessage {
    WsMessage::Close(Some(CloseFrame { code, reason: Utf8Bytes::from_static(reason) }))
}

async fn session(state: AppState, socket: WebSocket, path_user: String, token: Option<String>) {
    let (mut sink, mut stream) = socket.split();
    let user = match token {
        Some(t) => state.auth.caller(&t).await.ok(),
        None => None,
    };
    let Some(user) = user.filter(|u| Uuid::parse_str(&path_user).is_ok_and(|p| p == u.id) || u.is_admin) else {
        let _ = sink.send(close(4001, "unauthorized")).await;
        return;
    };
    let (tx, mut rx) = mpsc::unbounded_channel::<WsMessage>();
    let writer = tokio::spawn(async move {
        while let Some(msg) = rx.recv().await {
            let closing = matches!(msg, WsMessage::Close(_));
            if sink.send(msg).await.is_err() || closing {
                break;
            }
        }
    });
    let socket = Socket { id: Uuid::new_v4(), tx: tx.clone(), held: Arc::default() };
    state.pam.hub.add(user.id, socket.clone());
    socket.send(json!({"type": "connection", "status": "connected", "message": "Connected to PAM", "user_id": user.id, "timestamp": Utc::now()}));

    let mut closing = state.pam.hub.closing.subscribe();
    let mut context: Option<Value> = None;
    let mut last_heard = Instant::now();
    let mut ticker = tokio::time::interval(state.config.ws_ping_every);
    ticker.tick().await;
    loop {
        tokio::select! {
            incoming = stream.next() => {
                let Some(Ok(msg)) = incoming else { break };
                last_heard = Instant::now();
                match msg {
                    WsMessage::Text(text) => {
                        if text.len() > MAX_FRAME {
                            let _ = tx.send(close(4009, "message too large"));
                            break;
                        }
                        handle_frame(&state, &user, &socket, &mut context, text.as_str()).await;
                    }
                    WsMessage::Binary(bytes) if bytes.len() > MAX_FRAME => {
                        let _ = tx.send(close(4009, "message too large"));
                        break;
                    }
                    WsMessage::Binary(_) => socket.send(error_frame("FORMAT_ERROR", "Frames must be JSON text")),
                    WsMessage::Close(_) => break,
                    WsMessage::Ping(_) | WsMessage::Pong(_) => {}
                }
            }
            _ = closing.changed() => {
                let _ = tx.send(close(1001, "server shutting down"));
                break;
            }
            _ = ticker.tick() => {
                if last_heard.elapsed() > state.config.ws_silent_limit {
                    let _ = tx.send(close(1001, "no pong"));
                    break;
                }
                let _ = tx.send(WsMessage::Ping(Default::default()));
            }
        }
    }
    state.pam.hub.remove(user.id, socket.id);
    drop(tx);
    drop(socket);
    let _ = writer.await;
}

async fn handle_frame(state: &AppState, user: &Caller, socket: &Socket, context: &mut Option<Value>, text: &str) {
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
        "chat" | "message" => {
            if text.len() > MAX_CHAT_FRAME {
                socket.send(error_frame("MESSAGE_TOO_LARGE", "That message is too large"));
                return;
            }
            let decision = state.limiter.check(&format!("ws-chat:{}", user.id), CHAT_RATE).await;
            if !decision.allowed {
                let mut f =
                    error_frame("RATE_LIMIT_EXCEEDED", "You're sending messages too quickly; please wait a moment.");
                f["retry_after"] = json!(decision.retry_after.as_secs().max(1));
                socket.send(f);
                return;
            }
            let request: ChatRequest = serde_json::from_value(frame).unwrap_or_default();
            let stream = request.stream;
            let local_id = request.message_id.clone().unwrap_or_else(|| format!("pending-{}", Uuid::new_v4()));
            let input = match request.parse(context.as_ref()) {
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
            socket.turn_started();
            let (state, user, socket) = (state.clone(), user.clone(), socket.clone());
            tokio::spawn(async move {
                if stream {
                    socket.send(json!({"type": "chat_response_start", "message_id": local_id}));
                }
                let events = socket.clone();
                let id = local_id.clone();
                let sink = move |event: TurnEvent| {
                    if !stream {
                        return;
                    }
                    match event {
                        TurnEvent::Text(delta) => {
                            events.send(json!({"type": "chunk", "message_id": id, "content": delta}))
                        }
                        TurnEvent::ToolStarted { name, .. } => events
                            .send(json!({"type": "tool_call", "message_id": id, "name": name, "status": "started"})),
                        TurnEvent::ToolFinished { name, status, .. } => events
                            .send(json!({"type": "tool_call", "message_id": id, "name": name,
                            "status": if status == "error" { "failed" } else { "done" }})),
                    }
                };
                let mut reply = match turn::run(&state, &user, input, &sink).await {
                    Ok(reply) => reply,
                    Err(e) => {
                        let message = match &e {
                            pam_web::error::AppError::Internal(_) => {
                                "Something went wrong on our side; please try again.".to_string()
                            }
                            other => other.to_string(),
                        };
                        json!({"message": message, "content": message, "response": message, "ui_actions": [], "tool_calls": [],
                               "message_id": local_id, "source": "none", "model": null, "error": message, "timestamp": Utc::now()})
                    }
                };
                reply["type"] = json!("chat_response");
                socket.turn_finished(reply);
            });
        }
        "confirm" => {
            let Some(id) = frame["confirmation_id"].as_str().and_then(|s| Uuid::parse_str(s).ok()) else {
                socket.send(error_frame("FORMAT_ERROR", "confirm needs a confirmation_id"));
                return;
            };
            socket.turn_started();
            let (state, user, socket) = (state.clone(), user.clone(), socket.clone());
            tokio::spawn(async move {
                let done = super::confirm::carry_out(&state, user.id, id).await;
                let (text, ui_actions) = (done.text, done.ui_actions);
                let error = done.error.map_or(json!(false), |e| json!(e));
                socket.turn_finished(
                    json!({"type": "chat_response", "message": text, "content": text, "ui_actions": ui_actions,
                    "tool_calls": [], "confirmation_id": id, "source": "pam", "error": error, "timestamp": Utc::now()}),
                );
            });
        }
        other => socket.send(error_frame("UNKNOWN_TYPE", &format!("Unknown message type {other:?}"))),
    }
}
