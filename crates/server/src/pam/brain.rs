//! The brain chain from configuration: Claude → Gemini → OpenAI-compatible → offline, each only when
//! configured; the offline brain is always last so PAM always answers.

use std::time::Duration;

use pam_brain::offline::OfflineBrain;
use pam_brain::provider::{FallbackChain, LlmProvider};
use pam_brain::registry::{ProviderKind, Registry};
use pam_brain::wire::HttpSettings;
use pam_brain::wire::anthropic::Anthropic;
use pam_brain::wire::gemini::Gemini;
use pam_brain::wire::openai::OpenAiCompatible;

use crate::config::Config;

pub fn registry(config: &Config) -> Registry {
    let mut registry = Registry::default();
    for m in &config.extra_models {
        registry.extend(m.clone());
    }
    registry
}

/// One provider per configured model whose provider has a key (or, for OpenAI-compatible servers, a base URL).
pub fn chain(config: &Config, registry: &Registry, http: &reqwest::Client) -> FallbackChain {
    let mut providers: Vec<Box<dyn LlmProvider>> = Vec::new();
    let timeout = Duration::from_secs(20);
    for model in std::iter::once(&config.primary_model).chain(config.fallback_models.iter()) {
        let Ok(info) = registry.get(model) else { continue };
        let settings = |base: &str, key: Option<&crate::config::Secret>| HttpSettings {
            base_url: base.to_string(),
            api_key: key.map(|k| k.expose().to_string()).unwrap_or_default(),
            model: model.clone(),
            timeout,
        };
        match info.provider {
            ProviderKind::Anthropic if config.anthropic_api_key.is_some() => providers.push(Box::new(Anthropic::new(
                settings(&config.urls.anthropic, config.anthropic_api_key.as_ref()),
                http.clone(),
            ))),
            ProviderKind::Gemini if config.gemini_api_key.is_some() => providers.push(Box::new(Gemini::new(
                settings(&config.urls.gemini, config.gemini_api_key.as_ref()),
                http.clone(),
            ))),
            ProviderKind::OpenAi if config.openai_api_key.is_some() || config.urls.openai.is_some() => {
                let base = config.urls.openai.clone().unwrap_or_else(|| "https://api.openai.com/v1".into());
                providers.push(Box::new(OpenAiCompatible::new(
                    settings(&base, config.openai_api_key.as_ref()),
                    http.clone(),
                )))
            }
            _ => {}
        }
    }
    providers.push(Box::new(OfflineBrain));
    FallbackChain::new(providers, Duration::from_secs(60))
}
