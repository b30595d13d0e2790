//! The calendar event as clients send it, as it is stored, and as it is shown.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use pam_kernel::schema_rules::{BodyRules, Rules, absent, all, given, given_as};
use pam_kernel::text::TimeZoneName;
use pam_kernel::{ListMeta, Patch};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::types::Json as SqlJson;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::time::{self, DATE_ONLY_PATTERN, MomentText};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = CalendarEventType)]
pub enum EventType {
    #[default]
    Personal,
    Reminder,
    Trip,
    Booking,
    Maintenance,
    Inspection,
}

impl EventType {
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Personal => "personal",
            EventType::Reminder => "reminder",
            EventType::Trip => "trip",
            EventType::Booking => "booking",
            EventType::Maintenance => "maintenance",
            EventType::Inspection => "inspection",
        }
    }

    /// As stored; a value this code did not write reads as `personal` rather than failing a whole list.
    pub fn from_stored(s: &str) -> EventType {
        serde_json::from_value(serde_json::Value::from(s)).unwrap_or_default()
    }
}

/// A new event. Times: a local time ("2026-01-10T09:00", read in `timezone`, else the user's zone), an
/// RFC 3339 time with an offset (taken as given), or a date ("2026-01-10") for an all-day event.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[schema(as = NewCalendarEvent)]
pub struct NewEvent {
    /// 1–200 characters.
    #[schema(
        example = "Dentist",
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub title: String,
    #[schema(max_length = 2000)]
    pub description: Option<String>,
    /// A local time, an RFC 3339 time or a date, 1970–2100; this or `time` is needed.
    #[schema(value_type = Option<MomentText>)]
    pub start: Option<String>,
    /// Default: an hour after a timed start; the same day for an all-day event. Not before `start`.
    #[schema(value_type = Option<MomentText>)]
    pub end: Option<String>,
    /// "HH:MM" when no day was said: the next time it comes round in the user's zone (with a date
    /// `start`, that day at this time).
    #[schema(
        example = "10:00",
        pattern = r"^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*([01]?[0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub time: Option<String>,
    /// Default: true when `start` is a bare date.
    pub all_day: Option<bool>,
    /// Default `personal`.
    pub event_type: Option<EventType>,
    #[schema(max_length = 200)]
    pub location_name: Option<String>,
    /// Minutes before the start to push a reminder, each 0–40320 (four weeks); at most 10.
    #[serde(default)]
    #[schema(value_type = Vec<ReminderMinutes>, max_items = 10)]
    pub reminder_minutes: Vec<i64>,
    /// The IANA zone local times are given in; default the user's.
    #[schema(value_type = Option<TimeZoneName>)]
    pub timezone: Option<String>,
}

/// What [`create`](super::create) asks beyond each field: a `start` or a `time` (`null` is read as left
/// out); a timed event (`all_day: false`, or left out with a start that has a time of day, or with a
/// `time`) needs a time to start at and an `end` that has one too, not a bare date.
impl BodyRules for NewEvent {
    fn rules() -> Rules {
        // (Typed: `pattern` alone would hold of `null` too, which is read as left out.)
        let date_only = |field: &str| given_as(field, json!({"type": "string", "pattern": DATE_ONLY_PATTERN}));
        let not_all_day = given_as("all_day", json!({"const": false}));
        let timed = json!({"anyOf": [
            not_all_day.clone(),
            all([absent("all_day"), given_as("start", json!({"type": "string", "not": {"pattern": DATE_ONLY_PATTERN}}))]),
            all([absent("all_day"), given("time")]),
        ]});
        Rules::new()
            .any_of([given("start"), given("time")])
            .at_most_one([all([not_all_day, date_only("start")]), absent("time")])
            .at_most_one([date_only("end"), timed])
    }
}

/// The schema of one reminder lead time: 0–40320 minutes (four weeks) before the start.
pub struct ReminderMinutes;

impl utoipa::PartialSchema for ReminderMinutes {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
            .minimum(Some(0))
            .maximum(Some(crate::reminders::MAX_MINUTES))
            .into()
    }
}

impl ToSchema for ReminderMinutes {}

/// Partial update: fields present replace, `null` clears an optional one (`end: null` goes back to the
/// default length). A new `start` without an `end` keeps the event's length.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[schema(as = CalendarEventUpdate)]
pub struct EventUpdate {
    /// Not nullable.
    #[serde(default)]
    #[schema(value_type = String, min_length = 1, max_length = 200, pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")]
    pub title: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>, max_length = 2000)]
    pub description: Patch<String>,
    /// Not nullable.
    #[serde(default)]
    #[schema(value_type = MomentText)]
    pub start: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<MomentText>)]
    pub end: Patch<String>,
    /// Not nullable.
    #[serde(default)]
    #[schema(value_type = bool)]
    pub all_day: Patch<bool>,
    #[serde(default)]
    #[schema(value_type = Option<EventType>)]
    pub event_type: Patch<EventType>,
    #[serde(default)]
    #[schema(value_type = Option<String>, max_length = 200)]
    pub location_name: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<Vec<ReminderMinutes>>, max_items = 10)]
    pub reminder_minutes: Patch<Vec<i64>>,
    #[serde(default)]
    #[schema(value_type = Option<TimeZoneName>)]
    pub timezone: Patch<String>,
}

/// An event as shown: timed events in the user's zone with the offset ("2026-01-10T09:00:00+11:00"),
/// all-day events as dates (`end` is the last day, inclusive).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = CalendarEvent)]
pub struct Event {
    pub id: Uuid,
    pub title: String,
    pub description: Option<String>,
    pub start: String,
    pub end: String,
    pub all_day: bool,
    pub event_type: EventType,
    pub location_name: Option<String>,
    pub reminder_minutes: Vec<i64>,
    pub timezone: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = CalendarEventList)]
pub struct EventList {
    pub events: Vec<Event>,
    #[serde(flatten)]
    pub meta: ListMeta,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventFilter {
    /// Events on or after this day (in the user's zone).
    pub start_date: Option<NaiveDate>,
    /// Events on or before this day (in the user's zone).
    pub end_date: Option<NaiveDate>,
    pub event_type: Option<EventType>,
    /// Include events that ended before now (default false).
    pub include_past: Option<bool>,
    /// 1–1000, default 50.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub(crate) struct EventRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub title: String,
    pub description: Option<String>,
    pub all_day: bool,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub event_type: String,
    pub location_name: Option<String>,
    pub reminder_minutes: SqlJson<Vec<i64>>,
    pub timezone: String,
}

impl EventRow {
    /// The zone its times were given in (UTC if the stored name is no longer known).
    pub fn zone(&self) -> Tz {
        self.timezone.parse().unwrap_or(chrono_tz::UTC)
    }

    /// The dates of an all-day event; a timed event's days in its own zone.
    pub fn days(&self) -> (NaiveDate, NaiveDate) {
        let tz = self.zone();
        let first = self.start_date.unwrap_or_else(|| self.starts_at.with_timezone(&tz).date_naive());
        let last = self.end_date.unwrap_or_else(|| self.ends_at.with_timezone(&tz).date_naive());
        (first, last)
    }

    /// Shown in the viewer's zone.
    pub fn show(&self, tz: Tz) -> Event {
        let (start, end) = if self.all_day {
            let (first, last) = self.days();
            (first.to_string(), last.to_string())
        } else {
            (time::show(self.starts_at, tz), time::show(self.ends_at, tz))
        };
        Event {
            id: self.id,
            title: self.title.clone(),
            description: self.description.clone(),
            start,
            end,
            all_day: self.all_day,
            event_type: EventType::from_stored(&self.event_type),
            location_name: self.location_name.clone(),
            reminder_minutes: self.reminder_minutes.0.clone(),
            timezone: self.timezone.clone(),
        }
    }
}
