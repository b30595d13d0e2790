//! PAM in the app (SPEC §5): the turn pipeline, the tool registry, REST chat and history, the WebSocket,
//! and PAM by voice.

pub mod brain;
pub mod claims;
pub mod confirm;
pub mod context;
pub mod deliver;
pub mod export;
pub mod guardrails;
pub mod registry;
pub mod routes;
pub mod spend;
pub mod store;
pub mod terminal;
pub mod turn;
pub mod voice;
pub mod ws;

use pam_brain::provider::FallbackChain;
use pam_brain::registry::Registry;

use crate::config::Config;

/// PAM's long-lived parts, built once at startup.
pub struct Pam {
    /// This instance's sockets; the platform's push bus delivers pushes to it.
    pub hub: std::sync::Arc<ws::Hub>,
    pub tools: registry::ToolRegistry,
    pub models: Registry,
    pub chain: FallbackChain,
    /// The offline brain alone: for users past their spend cap.
    pub offline: FallbackChain,
}

impl Pam {
    pub fn new(config: &Config, http: &reqwest::Client, domains: &crate::domains::DomainStates) -> anyhow::Result<Pam> {
        let models = brain::registry(config);
        let chain = brain::chain(config, &models, http);
        let offline =
            FallbackChain::new(vec![Box::new(pam_brain::offline::OfflineBrain)], std::time::Duration::from_secs(60));
        let tools = registry::ToolRegistry::new(domains)?;
        Ok(Pam { hub: std::sync::Arc::new(ws::Hub::default()), tools, models, chain, offline })
    }
}
