//! This domain's part of the account export: every event and timer the user has, times in their zone.

use pam_kernel::DomainError;
use pam_kernel::export::{OwnedTable, Sections, owned};
use uuid::Uuid;

use crate::{CalendarState, events, timers};

pub const TABLES: &[OwnedTable] = &[owned("calendar_events", "events"), owned("timers_and_alarms", "timers")];

pub async fn export(state: &CalendarState, user_id: Uuid) -> Result<Sections, DomainError> {
    let tz = state.clock_of(user_id).await?.tz;
    let mut out = Sections::new();
    out.add("events", events::all(state, user_id, tz).await?)?;
    out.add("timers", timers::all(state, user_id, tz).await?)?;
    Ok(out)
}
