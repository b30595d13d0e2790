//! The domains the application is built from: each brings its routes (with their OpenAPI), its PAM
//! tools, its part of the account export, what it clears when an account is deleted, and the tables it
//! keeps user rows in. Adding a domain is a crate, its state in [`DomainStates`] (built in
//! `AppState::new`, handed out by a `FromRef` impl), and one entry in [`DOMAINS`].

use futures::future::BoxFuture;
use pam_calendar::CalendarState;
use pam_kernel::export::{OwnedTable, Sections};
use pam_kernel::{DomainError, Tool};
use pam_profiles::ProfilesState;
use pam_wheels::WheelsState;
use pam_wins::WinsState;
use utoipa_axum::router::OpenApiRouter;
use uuid::Uuid;

use crate::state::AppState;

/// Each domain's own state, built once at startup.
#[derive(Clone)]
pub struct DomainStates {
    pub profiles: ProfilesState,
    pub wins: WinsState,
    pub wheels: WheelsState,
    pub calendar: CalendarState,
    pub knowledge: pam_knowledge::KnowledgeState,
    pub medical: pam_medical::MedicalState,
    pub shop: pam_shop::ShopState,
    pub social: pam_social::SocialState,
    /// Speech engines and the ledger their paid calls are booked in.
    pub speech: pam_speech::SpeechState,
}

type Export = for<'a> fn(&'a DomainStates, Uuid) -> BoxFuture<'a, Result<Sections, DomainError>>;
type Deleted = for<'a> fn(&'a DomainStates, Uuid) -> BoxFuture<'a, ()>;

pub struct Domain {
    /// Tables holding the user's rows, and the export section of each.
    pub tables: &'static [OwnedTable],
    pub router: fn() -> OpenApiRouter<AppState>,
    pub tools: fn(&DomainStates) -> Vec<Tool>,
    pub export: Export,
    /// Postgres only: statements run first in an account deletion's transaction (`$1` the user), taking
    /// row locks its cascade will need in one fixed order, so two deletions at once cannot deadlock.
    pub deletion_locks: &'static [&'static str],
    /// After an account's rows are gone (by cascade): what else the domain holds for it (caches, files).
    pub deleted: Deleted,
}

pub const DOMAINS: &[Domain] = &[
    Domain {
        tables: pam_profiles::account::TABLES,
        router: pam_profiles::routes::router::<AppState>,
        tools: |d| pam_profiles::tools::tools(&d.profiles),
        export: export_profiles,
        deletion_locks: &[],
        deleted: |d, user_id| Box::pin(pam_profiles::account::deleted(&d.profiles, user_id)),
    },
    Domain {
        tables: pam_wins::export::TABLES,
        router: pam_wins::router::<AppState>,
        tools: |d| pam_wins::tools::tools(&d.wins),
        export: export_wins,
        deletion_locks: &[],
        deleted: |_, _| Box::pin(async {}),
    },
    Domain {
        tables: pam_wheels::export::TABLES,
        router: pam_wheels::router::<AppState>,
        tools: |d| pam_wheels::tools::tools(&d.wheels),
        export: export_wheels,
        deletion_locks: &[],
        deleted: |_, _| Box::pin(async {}),
    },
    Domain {
        tables: pam_calendar::export::TABLES,
        router: pam_calendar::router::<AppState>,
        tools: |d| pam_calendar::tools::tools(&d.calendar),
        export: export_calendar,
        // Its pushes go with the account's rows (push_outbox cascades from users).
        deletion_locks: &[],
        deleted: |_, _| Box::pin(async {}),
    },
    Domain {
        tables: pam_social::export::TABLES,
        router: pam_social::router::<AppState>,
        tools: |d| pam_social::tools::tools(&d.social),
        export: |d, user_id| Box::pin(pam_social::export::export(&d.social, user_id)),
        deletion_locks: pam_social::export::DELETION_LOCKS,
        // Every social row cascades from users; its caches are dropped by a guard `account::delete`
        // holds across the deletion.
        deleted: |_, _| Box::pin(async {}),
    },
    Domain {
        tables: pam_knowledge::TABLES,
        router: pam_knowledge::router::<AppState>,
        tools: |d| pam_knowledge::tools::tools(&d.knowledge),
        export: |_, _| Box::pin(pam_knowledge::export()),
        deletion_locks: &[],
        deleted: |_, _| Box::pin(async {}),
    },
    Domain {
        tables: pam_medical::export::TABLES,
        router: pam_medical::router::<AppState>,
        tools: |d| pam_medical::tools::tools(&d.medical),
        export: |d, user_id| Box::pin(pam_medical::export::export(&d.medical, user_id)),
        // Every medical row cascades from users; nothing else is kept.
        deletion_locks: &[],
        deleted: |_, _| Box::pin(async {}),
    },
    Domain {
        // Speech keeps no user rows: its usage lands in PAM's ledger, its cache holds clips by text.
        tables: &[],
        router: pam_speech::router::<AppState>,
        tools: |_| Vec::new(),
        export: |_, _| Box::pin(async { Ok(Sections::new()) }),
        deletion_locks: &[],
        deleted: |_, _| Box::pin(async {}),
    },
    Domain {
        tables: pam_shop::TABLES,
        router: pam_shop::router::<AppState>,
        tools: |d| pam_shop::tools::tools(&d.shop),
        export: |_, _| Box::pin(pam_shop::export()),
        deletion_locks: &[],
        deleted: |_, _| Box::pin(async {}),
    },
];

fn export_calendar(d: &DomainStates, user_id: Uuid) -> BoxFuture<'_, Result<Sections, DomainError>> {
    Box::pin(pam_calendar::export::export(&d.calendar, user_id))
}

fn export_wheels(d: &DomainStates, user_id: Uuid) -> BoxFuture<'_, Result<Sections, DomainError>> {
    Box::pin(pam_wheels::export::export(&d.wheels, user_id))
}

fn export_profiles(d: &DomainStates, user_id: Uuid) -> BoxFuture<'_, Result<Sections, DomainError>> {
    Box::pin(pam_profiles::account::export(&d.profiles.db, user_id))
}

fn export_wins(d: &DomainStates, user_id: Uuid) -> BoxFuture<'_, Result<Sections, DomainError>> {
    Box::pin(pam_wins::export::export(&d.wins, user_id))
}
