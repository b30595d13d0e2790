//! The PAM WebSocket's frames as types (SPEC §5.2): what a client sends ([`ClientFrame`]) and what the
//! server sends ([`ServerFrame`]). The session parses and serialises these, and the AsyncAPI document
//! (`crate::asyncapi`) is generated from them, so the document cannot drift from the socket.

use chrono::{DateTime, Utc};
use pam_platform::push_frames::{ProactiveAlert, PushFrame, TimerExpired};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::pam::turn::ChatRequest;

/// A frame from the client, told apart by `type`. Unknown fields are ignored.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientFrame {
    /// Answered with `pong`.
    Ping,
    /// Marks the client alive (an answer to the server's WebSocket pings needs nothing).
    Pong,
    /// Context kept for the connection's later chat messages; answered with `context_updated`.
    ContextUpdate(ContextFrame),
    /// The same as `context_update`.
    Init(ContextFrame),
    /// A chat message; answered with `chat_response` (streamed first when `stream` is true).
    Chat(ChatRequest),
    /// The same as `chat`.
    Message(ChatRequest),
    /// Carries out a proposed action; answered with `chat_response`.
    Confirm(ConfirmFrame),
}

/// The frame types a client may send.
pub const CLIENT_FRAME_TYPES: &[&str] = &["ping", "pong", "context_update", "init", "chat", "message", "confirm"];

#[derive(Debug, Deserialize, ToSchema)]
pub struct ContextFrame {
    /// Location, time zone, page… (SPEC §5.2 "Context fields"); anything but an object clears it.
    #[schema(value_type = Option<Object>)]
    pub context: Option<Value>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ConfirmFrame {
    pub confirmation_id: Uuid,
    /// Names the reply; at most 128 characters are kept.
    pub message_id: Option<String>,
}

/// A frame from the server, told apart by `type`.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerFrame {
    /// The first frame of every accepted socket.
    Connection(Connected),
    Pong(Stamp),
    ContextUpdated(Stamp),
    /// Opens a streamed reply (`"stream": true`).
    ChatResponseStart(StreamStart),
    /// A piece of a streamed reply's text.
    Chunk(Chunk),
    /// A tool call of a streamed reply started or ended.
    ToolCall(ToolCallFrame),
    /// The reply to a `chat` or `confirm` (after any streamed frames).
    ChatResponse(Box<ChatReply>),
    /// A frame that could not be handled; the socket stays open.
    Error(ErrorFrame),
    /// Pushed: a timer, alarm or reminder went off (never while a turn from this socket is in flight).
    TimerExpired(Box<TimerExpired>),
    /// Pushed: something PAM noticed (never while a turn from this socket is in flight).
    ProactiveAlert(Box<ProactiveAlert>),
}

/// The frame types the server may send.
pub const SERVER_FRAME_TYPES: &[&str] = &[
    "connection",
    "pong",
    "context_updated",
    "chat_response_start",
    "chunk",
    "tool_call",
    "chat_response",
    "error",
    "timer_expired",
    "proactive_alert",
];

impl ServerFrame {
    /// The frame's text, as it goes over the socket (`None` only if serialising failed, which these plain
    /// structs with string keys cannot).
    pub fn to_json(&self) -> Option<String> {
        serde_json::to_string(self).map_err(|e| tracing::error!(error = %e, "a frame could not be written")).ok()
    }
}

impl From<PushFrame> for ServerFrame {
    fn from(push: PushFrame) -> ServerFrame {
        match push {
            PushFrame::TimerExpired(t) => ServerFrame::TimerExpired(Box::new(t)),
            PushFrame::ProactiveAlert(a) => ServerFrame::ProactiveAlert(Box::new(a)),
        }
    }
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Connected {
    /// Always `connected`.
    pub status: String,
    pub message: String,
    pub user_id: Uuid,
    pub timestamp: DateTime<Utc>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Stamp {
    pub timestamp: DateTime<Utc>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct StreamStart {
    pub message_id: String,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Chunk {
    pub message_id: String,
    pub content: String,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ToolCallFrame {
    pub message_id: String,
    pub name: String,
    pub status: ToolCallStatus,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ToolCallStatus {
    Started,
    Done,
    Failed,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ErrorFrame {
    /// `FORMAT_ERROR`, `UNKNOWN_TYPE`, `MESSAGE_TOO_LARGE`, `RATE_LIMIT_EXCEEDED`.
    pub error_code: String,
    pub message: String,
    /// The same as `message` (the front end shows `error`).
    pub error: String,
    /// Seconds to wait, with `RATE_LIMIT_EXCEEDED`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
    pub timestamp: DateTime<Utc>,
}

/// PAM's reply: the REST chat response's fields (the socket adds `type`).
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct ChatReply {
    /// The reply's text (`message`, `content` and `response` are the same).
    pub message: String,
    pub content: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<String>,
    /// What the front end should do (open a page, reload a list, show a map).
    #[schema(value_type = Vec<Object>)]
    pub ui_actions: Vec<Value>,
    /// The same list as `ui_actions`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<Object>>)]
    pub actions: Option<Vec<Value>>,
    pub tool_calls: Vec<ToolCallSummary>,
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub map_action: Option<Value>,
    #[serde(default)]
    pub conversation_id: Option<Uuid>,
    #[serde(default)]
    pub session_id: Option<Uuid>,
    pub message_id: String,
    /// What answered: a model's provider, `offline`, `pam` (a confirmation), `none` (a failure).
    pub source: String,
    #[serde(default)]
    pub model: Option<String>,
    /// `false`, or the human message of what went wrong.
    pub error: ReplyError,
    /// Whether re-sending the message may succeed (a provider failure before any tool ran).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retryable: Option<bool>,
    /// A note put before the text (a spend cap reached).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<Usage>,
    /// With a `confirm` frame: the confirmation carried out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmation_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub processing_time_ms: Option<u64>,
    pub timestamp: DateTime<Utc>,
}

impl ChatReply {
    /// The reply to a turn that failed: the message is shown, nothing was done.
    pub fn failure(message_id: String, message: &str) -> ChatReply {
        ChatReply {
            message: message.to_string(),
            content: message.to_string(),
            response: Some(message.to_string()),
            ui_actions: Vec::new(),
            actions: None,
            tool_calls: Vec::new(),
            map_action: None,
            conversation_id: None,
            session_id: None,
            message_id,
            source: "none".into(),
            model: None,
            error: ReplyError::Message(message.to_string()),
            retryable: None,
            notice: None,
            usage: None,
            confirmation_id: None,
            processing_time_ms: None,
            timestamp: Utc::now(),
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct ToolCallSummary {
    pub id: String,
    pub name: String,
    /// `ok`, `error` or `confirmation_required`.
    pub status: String,
    /// With `confirmation_required`: what to send in `confirm`, and the sentence to show.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmation_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
}

/// `false` on success, else the message to show.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum ReplyError {
    None(bool),
    Message(String),
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Usage {
    pub input_tokens: u64,
    pub output_tokens: u64,
}

/// Why the server closes a socket: the one list the socket closes with and the AsyncAPI document
/// describes, so neither can name a code the other does not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CloseCode {
    /// 1001: shutting down (after the replies of running turns), or no pong heard.
    GoingAway,
    /// 1008: far too many frames in a minute.
    TooManyFrames,
    /// 4001: no valid token for this path's user.
    Unauthorized,
    /// 4009: a frame over 1 MB.
    TooLarge,
}

impl CloseCode {
    pub const ALL: [CloseCode; 4] =
        [CloseCode::GoingAway, CloseCode::TooManyFrames, CloseCode::Unauthorized, CloseCode::TooLarge];

    pub fn code(self) -> u16 {
        match self {
            CloseCode::GoingAway => 1001,
            CloseCode::TooManyFrames => 1008,
            CloseCode::Unauthorized => 4001,
            CloseCode::TooLarge => 4009,
        }
    }

    /// What it means for a client, as the AsyncAPI document says it.
    pub fn meaning(self) -> &'static str {
        match self {
            CloseCode::GoingAway => {
                "The server is going away (shutting down, after the replies of running turns) or heard no pong for \
                 60 s: reconnect, possibly to another instance."
            }
            CloseCode::TooManyFrames => {
                "Far too many frames in a minute (past twice the frame budget): slow down before reconnecting."
            }
            CloseCode::Unauthorized => {
                "Missing or invalid token, or the token's user is not the one in the path (non-admin): sign in again."
            }
            CloseCode::TooLarge => "A frame over 1 MB.",
        }
    }
}
