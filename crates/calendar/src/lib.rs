//! Calendar & timers (SPEC §4): calendar events with reminders, timers and alarms, and their PAM tools;
//! each face (service, routes, tools) calls the same service functions.
//!
//! Needs from elsewhere: the user's zone through the kernel's `Locales` handle (times are read and shown
//! in it), and the platform's push outbox, which holds each reminder and timer until it is due and is
//! delivered by the server's push loop — this crate schedules and cancels pushes, it never sends them.

// Outside data never reaches an unwrap: failures are errors, not panics (tests may unwrap).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod events;
pub mod export;
pub mod frames;
pub mod reminders;
pub mod routes_events;
pub mod routes_timers;
pub mod time;
pub mod timers;
pub mod tools;

use axum::extract::FromRef;
use pam_kernel::{Clock, DomainError, Locales};
use pam_store::Db;
use pam_web::Authn;
use utoipa_axum::router::OpenApiRouter;
use uuid::Uuid;

use crate::time::UserClock;

/// What this domain's services need.
#[derive(Clone)]
pub struct CalendarState {
    pub db: Db,
    pub locales: Locales,
}

impl CalendarState {
    /// The user's zone (from their profile; UTC until set) and the time now.
    pub async fn clock_of(&self, user_id: Uuid) -> Result<UserClock, DomainError> {
        let locale = self.locales.of(user_id).await?;
        Ok(UserClock::new(&locale, &Clock::system()))
    }
}

pub fn router<S>() -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
    CalendarState: FromRef<S>,
    Authn: FromRef<S>,
{
    let mut router = OpenApiRouter::new().merge(routes_events::router()).merge(routes_timers::router());
    pam_kernel::schema_rules::state::<timers::NewTimer>(router.get_openapi_mut());
    pam_kernel::schema_rules::state::<events::NewEvent>(router.get_openapi_mut());
    router
}
