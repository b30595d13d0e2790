//! The one application state, assembled here and nowhere else. Each domain gets its own slice through
//! `FromRef` (so no domain crate knows this type), and the whole is a single `Arc`: cloning it per request
//! is one atomic increment however many services it grows to hold.

use std::ops::Deref;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::FromRef;
use pam_calendar::CalendarState;
use pam_kernel::Locales;
use pam_platform::cache::{Cache, Invalidations, LocalInvalidations};
use pam_platform::push::{LocalPushBus, PushBus};
use pam_platform::rate_limit::{LocalRateLimiter, RateLimiter};
use pam_profiles::ProfilesState;
use pam_store::Db;
use pam_web::Authn;
use pam_wheels::WheelsState;
use pam_wins::WinsState;

use crate::auth::authn::AuthService;
use crate::auth::token::TokenService;
use crate::config::Config;
use crate::domains::DomainStates;
use crate::http::cors::CorsPolicy;

#[derive(Clone)]
pub struct AppState(Arc<Services>);

pub struct Services {
    pub config: Config,
    pub db: Db,
    /// Token verification and the identity cache.
    pub auth: Arc<AuthService>,
    pub http: reqwest::Client,
    pub started_at: Instant,
    pub cors: CorsPolicy,
    pub limiter: Arc<dyn RateLimiter>,
    pub pushes: Arc<dyn PushBus>,
    pub pam: Arc<crate::pam::Pam>,
    pub domains: DomainStates,
    /// Work that outlives its request (turns, idempotent requests, confirmed actions); shutdown waits for it.
    pub tasks: tokio_util::task::TaskTracker,
}

/// Bounds how stale a profile read can be if an invalidation from another instance is lost.
pub const PROFILE_TTL: Duration = Duration::from_secs(30);

impl Deref for AppState {
    type Target = Services;
    fn deref(&self) -> &Services {
        &self.0
    }
}

impl AppState {
    pub fn new(config: Config, db: Db) -> anyhow::Result<AppState> {
        let http = reqwest::Client::builder()
            .user_agent(concat!("pam-backend/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(5))
            .build()?;
        let invalidations: Arc<dyn Invalidations> = Arc::new(LocalInvalidations::default());
        let tokens = TokenService::new(&config, http.clone());
        let auth = Arc::new(AuthService::new(db.clone(), tokens, invalidations.clone()));
        let profiles = ProfilesState {
            db: db.clone(),
            cache: Cache::new("profile", 20_000, PROFILE_TTL, invalidations),
            uploads_dir: Arc::new(config.uploads_dir()),
        };
        let wins = WinsState {
            db: db.clone(),
            locales: Locales::new(Arc::new(profiles.clone())),
            subscription_cost: pam_kernel::Money::from_cents(config.subscription_cost_cents),
        };
        let wheels = WheelsState {
            db: db.clone(),
            locales: Locales::new(Arc::new(profiles.clone())),
            travel: crate::travel::build(&config, &http),
        };
        let calendar = CalendarState { db: db.clone(), locales: Locales::new(Arc::new(profiles.clone())) };
        let cors = CorsPolicy::new(&config);
        let domains = DomainStates { profiles, wins, wheels, calendar };
        let pam = Arc::new(crate::pam::Pam::new(&config, &http, &domains)?);
        let pushes: Arc<dyn PushBus> = Arc::new(LocalPushBus::default());
        pushes.attach(pam.hub.clone());
        Ok(AppState(Arc::new(Services {
            config,
            db,
            auth,
            http,
            started_at: Instant::now(),
            cors,
            limiter: Arc::new(LocalRateLimiter::default()),
            pushes,
            pam,
            domains,
            tasks: tokio_util::task::TaskTracker::new(),
        })))
    }
}

impl FromRef<AppState> for Authn {
    fn from_ref(state: &AppState) -> Authn {
        Authn(state.auth.clone())
    }
}

impl FromRef<AppState> for CalendarState {
    fn from_ref(state: &AppState) -> CalendarState {
        state.domains.calendar.clone()
    }
}

impl FromRef<AppState> for ProfilesState {
    fn from_ref(state: &AppState) -> ProfilesState {
        state.domains.profiles.clone()
    }
}

impl FromRef<AppState> for WheelsState {
    fn from_ref(state: &AppState) -> WheelsState {
        state.domains.wheels.clone()
    }
}

impl FromRef<AppState> for WinsState {
    fn from_ref(state: &AppState) -> WinsState {
        state.domains.wins.clone()
    }
}
