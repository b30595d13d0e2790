//! The calendar's PAM tools: each a typed input and a thin call into the same services the REST routes
//! use, in the turn's zone (the chat context's, else the profile's).

use pam_kernel::{Tool, ToolContext, ToolOutput, UiAction};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::CalendarState;
use crate::events::{self, Agenda, EventList, EventUpdate, NewEvent};
use crate::time::{self, UserClock};
use crate::timers::{self, NewTimer};

#[derive(Debug, Deserialize, ToSchema)]
pub struct EventIdInput {
    pub event_id: Uuid,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateEventInput {
    pub event_id: Uuid,
    #[serde(flatten)]
    pub changes: EventUpdate,
}

/// The agenda with the days it covers, so the reply can say them.
#[derive(Debug, Serialize)]
struct AgendaOutput {
    #[serde(flatten)]
    list: EventList,
    start_date: Option<chrono::NaiveDate>,
    end_date: Option<chrono::NaiveDate>,
    timezone: &'static str,
}

fn clock(ctx: &ToolContext) -> UserClock {
    UserClock::new(&ctx.locale, &ctx.clock)
}

fn reload(kind: &str, id: Uuid, title: impl Into<String>) -> UiAction {
    UiAction::new("reload_calendar").about(kind, id, title)
}

pub fn tools(state: &CalendarState) -> Vec<Tool> {
    vec![
        Tool::with_state(
            state.clone(),
            "create_calendar_event",
            "Add an event to the user's calendar. start: a local time \"YYYY-MM-DDTHH:MM:SS\" in the user's zone, \
            or \"YYYY-MM-DD\" with all_day: true; or time \"HH:MM\" alone for the next time it comes round. \
            event_type: personal, reminder, trip, booking, maintenance or inspection. reminder_minutes: minutes \
            before the start to remind the user.",
            true,
            |state, ctx, input: NewEvent| async move {
                let e = events::create_in(&state, ctx.user_id, clock(&ctx), input).await?;
                let action = reload("calendar_event", e.id, e.title.clone());
                ToolOutput::changed(e, action)
            },
        ),
        Tool::with_state(
            state.clone(),
            "get_calendar_events",
            "The user's calendar: a period (today, tomorrow, this_week, next_week, this_month) or one date; \
            with neither, everything still to come. Times are in the user's zone.",
            false,
            |state, ctx, input: Agenda| async move {
                let clock = clock(&ctx);
                let (range, page) = input.range(clock.today())?;
                let list = events::list(&state, ctx.user_id, clock, &range, page).await?;
                ToolOutput::data(AgendaOutput {
                    list,
                    start_date: range.start_date,
                    end_date: range.end_date,
                    timezone: clock.tz.name(),
                })
            },
        ),
        Tool::with_state(
            state.clone(),
            "update_calendar_event",
            "Change one of the user's events (title, start, end, all_day, event_type, location_name, \
            reminder_minutes); a new start without an end keeps the event's length.",
            true,
            |state, ctx, input: UpdateEventInput| async move {
                let e = events::update_in(&state, ctx.user_id, clock(&ctx), input.event_id, input.changes).await?;
                let action = reload("calendar_event", e.id, e.title.clone());
                ToolOutput::changed(e, action)
            },
        ),
        Tool::with_state(
            state.clone(),
            "delete_calendar_event",
            "Delete one of the user's events and its reminders (the user confirms first).",
            true,
            |state, ctx, input: EventIdInput| async move {
                events::delete(&state, ctx.user_id, input.event_id).await?;
                let action = reload("calendar_event", input.event_id, "deleted event");
                ToolOutput::changed(json!({"deleted": input.event_id}), action)
            },
        )
        .confirmed_with(
            state.clone(),
            |state: CalendarState, ctx: ToolContext, input: EventIdInput| async move {
                let clock = clock(&ctx);
                let e = events::row(&state, ctx.user_id, input.event_id).await?;
                let today = clock.today();
                let when = if e.all_day {
                    format!("on {}", time::day_words(e.days().0, today))
                } else {
                    let day = e.starts_at.with_timezone(&clock.tz).date_naive();
                    format!("at {} on {}", time::clock_time(e.starts_at, clock.tz), time::day_words(day, today))
                };
                Ok(format!("Delete \"{}\" {when}?", e.title))
            },
        ),
        Tool::with_state(
            state.clone(),
            "set_timer_or_alarm",
            "Set a timer (duration_seconds, up to 7 days) or an alarm (alarm_at, or time, \"HH:MM\" in the user's zone: the \
            next time it comes round, or on date \"YYYY-MM-DD\"), with an optional label. The user is notified \
            when it is due.",
            true,
            |state, ctx, input: NewTimer| async move {
                let t = timers::create_in(&state, ctx.user_id, clock(&ctx), input).await?;
                let title = t.label.clone().unwrap_or_else(|| t.kind.as_str().to_string());
                let action = reload("timer", t.id, title);
                ToolOutput::changed(t, action)
            },
        ),
    ]
}
