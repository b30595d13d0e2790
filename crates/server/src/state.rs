//! The one application state: every field cheap to clone.

use std::sync::Arc;
use std::time::Instant;

use pam_store::Db;

use crate::auth::token::TokenService;
use crate::config::Config;

#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub db: Db,
    pub tokens: Arc<TokenService>,
    pub http: reqwest::Client,
    pub started_at: Instant,
}

impl AppState {
    pub fn new(config: Config, db: Db) -> anyhow::Result<AppState> {
        let http = reqwest::Client::builder()
            .user_agent(concat!("pam-backend/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(std::time::Duration::from_secs(5))
            .build()?;
        let tokens = Arc::new(TokenService::new(&config, http.clone()));
        Ok(AppState { config: Arc::new(config), db, tokens, http, started_at: Instant::now() })
    }
}
