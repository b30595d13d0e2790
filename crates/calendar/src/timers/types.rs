//! Timers and alarms as clients send them, as stored, and as shown.

use chrono::{DateTime, NaiveDate, Utc};
use pam_kernel::ListMeta;
use pam_kernel::schema_rules::{BodyRules, Rules, absent, all, given, given_as};
use pam_kernel::text::{Day, Id};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::time::{AlarmText, CLOCK_PATTERN};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TimerKind {
    Timer,
    Alarm,
}

impl TimerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TimerKind::Timer => "timer",
            TimerKind::Alarm => "alarm",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TimerStatus {
    /// Waiting to ring.
    Scheduled,
    /// Delivered to one of the user's sockets.
    Fired,
    /// Stopped by the user (it will not ring, or has rung and was acknowledged).
    Dismissed,
    /// Deleted before it rang.
    Cancelled,
    /// Not delivered within an hour of its time (no socket was open).
    Missed,
}

impl TimerStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TimerStatus::Scheduled => "scheduled",
            TimerStatus::Fired => "fired",
            TimerStatus::Dismissed => "dismissed",
            TimerStatus::Cancelled => "cancelled",
            TimerStatus::Missed => "missed",
        }
    }

    pub fn from_stored(s: &str) -> TimerStatus {
        match s {
            "fired" => TimerStatus::Fired,
            "dismissed" => TimerStatus::Dismissed,
            "cancelled" => TimerStatus::Cancelled,
            "missed" => TimerStatus::Missed,
            _ => TimerStatus::Scheduled,
        }
    }
}

/// A timer (`duration_seconds`, 1 s – 7 days) or an alarm (`alarm_at`: "HH:MM" in the user's zone — the
/// next time it comes round, or on `date` — or an RFC 3339 time). PAM's `time` is `alarm_at`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct NewTimer {
    /// 1 s – 7 days; not with `alarm_at`.
    #[schema(example = 600, minimum = 1, maximum = 604800)]
    pub duration_seconds: Option<i64>,
    /// "HH:MM" (24-hour) or an RFC 3339 time, in the coming year; not with `duration_seconds`.
    #[serde(alias = "time")]
    #[schema(value_type = Option<AlarmText>)]
    pub alarm_at: Option<String>,
    /// The day of an "HH:MM" alarm, `YYYY-MM-DD` (default: the next time it comes round).
    #[schema(value_type = Option<Day>)]
    pub date: Option<NaiveDate>,
    /// At most 200 characters.
    #[schema(max_length = 200)]
    pub label: Option<String>,
}

/// What [`plan`](super::plan) asks beyond each field: `duration_seconds` (a timer) or `alarm_at` (an
/// alarm), not both; and a `date` only with an `HH:MM` alarm. (`null` is read as left out.) Stated as
/// one `anyOf` — a timer, an alarm without a date, an `HH:MM` alarm on a date — rather than with
/// `if`/`then`, which test generators cover far less well.
impl BodyRules for NewTimer {
    fn rules() -> Rules {
        let clock = given_as("alarm_at", json!({"type": "string", "pattern": CLOCK_PATTERN}));
        Rules::new()
            .any_of([
                all([given("duration_seconds"), absent("date")]),
                all([given("alarm_at"), absent("date")]),
                all([clock, given("date")]),
            ])
            .at_most_one([given("duration_seconds"), given("alarm_at")])
    }
}

/// A timer as shown; `fires_at` in the user's zone with the offset.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Timer {
    pub id: Uuid,
    pub kind: TimerKind,
    pub label: Option<String>,
    pub duration_seconds: Option<i64>,
    pub alarm_at: Option<String>,
    pub fires_at: String,
    pub status: TimerStatus,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TimerList {
    pub timers: Vec<Timer>,
    #[serde(flatten)]
    pub meta: ListMeta,
}

/// The front end's dismiss call: `{timer_id}` in the body or `?timer_id=`.
#[derive(Debug, Default, Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DismissRequest {
    #[schema(value_type = Option<Id>)]
    pub timer_id: Option<Uuid>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Dismissed {
    pub success: bool,
    pub timer_id: Uuid,
    pub status: TimerStatus,
    pub message: String,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub(crate) struct TimerRow {
    pub id: Uuid,
    pub kind: String,
    pub label: Option<String>,
    pub duration_seconds: Option<i64>,
    pub alarm_at: Option<String>,
    pub fires_at: DateTime<Utc>,
    pub status: String,
}
