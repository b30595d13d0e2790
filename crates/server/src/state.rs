//! The one application state. Cloned per request by every extractor and middleware, so it is a single
//! `Arc`: one atomic increment per clone however many services it grows to hold.

use std::ops::Deref;
use std::sync::Arc;
use std::time::{Duration, Instant};

use pam_store::Db;
use uuid::Uuid;

use crate::auth::identity::CachedIdentity;
use crate::auth::token::TokenService;
use crate::config::Config;
use crate::http::cors::CorsPolicy;
use crate::platform::rate_limit::RateLimiter;
use crate::profiles::service::Profile;

#[derive(Clone)]
pub struct AppState(Arc<Services>);

pub struct Services {
    pub config: Config,
    pub db: Db,
    pub tokens: TokenService,
    pub http: reqwest::Client,
    pub started_at: Instant,
    pub cors: CorsPolicy,
    pub limiter: RateLimiter,
    pub pam: Arc<crate::pam::Pam>,
    /// Live accounts seen recently, so an authenticated request costs no identity query. Entries are
    /// dropped on deletion and role changes here; other instances see those within the time to live.
    pub identities: moka::sync::Cache<Uuid, CachedIdentity>,
    /// Profiles read recently; invalidated by every profile write on this instance.
    pub profiles: moka::sync::Cache<Uuid, Arc<Profile>>,
}

/// How long a resolved identity is trusted without asking the database again.
pub const IDENTITY_TTL: Duration = Duration::from_secs(30);
/// Bounds how stale a profile read can be when another instance wrote it (single instance: never).
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
        let tokens = TokenService::new(&config, http.clone());
        let identities = moka::sync::Cache::builder().max_capacity(100_000).time_to_live(IDENTITY_TTL).build();
        let profiles = moka::sync::Cache::builder().max_capacity(20_000).time_to_live(PROFILE_TTL).build();
        let cors = CorsPolicy::new(&config);
        let pam = Arc::new(crate::pam::Pam::new(&config, &http));
        Ok(AppState(Arc::new(Services {
            config,
            db,
            tokens,
            http,
            started_at: Instant::now(),
            cors,
            limiter: RateLimiter::default(),
            pam,
            identities,
            profiles,
        })))
    }
}
