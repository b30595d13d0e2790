//! The unsolicited frames of the PAM WebSocket (SPEC §5.2), in the front end's exact shapes, as types:
//! the domains build them, the outbox stores them as JSON, and the AsyncAPI document is generated from
//! these same types.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

/// `timer_expired`: a timer, an alarm or an event reminder went off.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct TimerExpired {
    pub timer_id: Uuid,
    pub label: String,
    pub timer_type: TimerKind,
    pub message: String,
    /// When it was due (RFC 3339, seconds).
    pub timestamp: DateTime<Utc>,
    pub action: NotificationAction,
    pub notification: Notification,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TimerKind {
    Timer,
    Alarm,
    Reminder,
}

/// What the front end does with a `timer_expired`: always a notification.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NotificationAction {
    ShowNotification,
}

/// The browser notification to show.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Notification {
    pub title: String,
    pub body: String,
    /// Always true: the notification stays until the user acts on it.
    #[serde(rename = "requireInteraction")]
    pub require_interaction: bool,
    /// Lets the browser replace a repeat of the same notification instead of stacking it.
    pub tag: String,
}

/// `proactive_alert`: something PAM noticed (a budget passed, maintenance due).
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct ProactiveAlert {
    pub id: Uuid,
    pub timestamp: DateTime<Utc>,
    pub content: AlertContent,
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct AlertContent {
    /// Always `proactive_suggestion`.
    #[serde(rename = "type")]
    pub kind: AlertContentKind,
    /// `budget`, `maintenance`, …
    pub category: String,
    pub message: String,
    pub priority: AlertPriority,
    pub actions: Vec<AlertAction>,
    /// `budget_warning`, `budget_exceeded`, `maintenance_due`, `maintenance_overdue`, …
    pub alert_type: String,
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AlertContentKind {
    ProactiveSuggestion,
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AlertPriority {
    Low,
    Medium,
    High,
}

/// A button under the alert: `open_*` opens a page; `ask_pam` sends `message` to PAM.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct AlertAction {
    pub label: String,
    pub action: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// A push as it goes over the socket: the frame with its `type`.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PushFrame {
    TimerExpired(TimerExpired),
    ProactiveAlert(ProactiveAlert),
}

impl PushFrame {
    /// The JSON the outbox stores and the socket sends.
    pub fn to_value(&self) -> Value {
        // Serializing these plain structs cannot fail (no maps with non-string keys, no custom impls).
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}
