//! The server's side of the admin domain: the brain as operators see it (`ModelControl` over the
//! registry and the fallback chain), and the identity cache told of role changes.

use std::sync::Arc;

use pam_admin::{ModelControl, ModelView};
use pam_brain::registry::ProviderKind;
use serde_json::{Value, json};

use crate::pam::Pam;

pub struct BrainControl(pub Arc<Pam>);

fn provider_name(kind: &ProviderKind) -> &'static str {
    match kind {
        ProviderKind::Anthropic => "anthropic",
        ProviderKind::Gemini => "gemini",
        ProviderKind::OpenAi => "openai-compatible",
        ProviderKind::Offline => "offline",
    }
}

impl ModelControl for BrainControl {
    fn catalogue(&self) -> Vec<ModelView> {
        let chain = &self.0.chain;
        let available = chain.available();
        let primary = chain.primary();
        let health = chain.health();
        self.0
            .models
            .all()
            .map(|m| ModelView {
                id: m.id.clone(),
                provider: provider_name(&m.provider).into(),
                input_per_mtok: m.input_per_mtok,
                output_per_mtok: m.output_per_mtok,
                cache_write_per_mtok: m.cache_write_per_mtok,
                cache_read_per_mtok: m.cache_read_per_mtok,
                context_window: m.context_window,
                available: available.contains(&m.id),
                primary: primary.as_deref() == Some(m.id.as_str()),
                healthy: health.iter().find(|h| h.model == m.id).map(|h| h.healthy),
            })
            .collect()
    }

    fn health(&self) -> Value {
        json!({"primary": self.0.chain.primary(), "models": self.0.chain.health()})
    }

    fn can_be_primary(&self, model: &str) -> Result<(), String> {
        if self.0.models.get(model).is_err() {
            return Err(format!("{model} is not a model of the registry"));
        }
        if !self.0.chain.available().iter().any(|m| m == model) {
            return Err(format!("{model}'s provider is not configured on this server (no API key or base URL)"));
        }
        Ok(())
    }

    fn prefer(&self, model: Option<&str>) {
        self.0.chain.prefer(model);
    }
}
