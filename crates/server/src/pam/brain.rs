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

/// The provider for a model of the registry, when its provider is configured here (a key, or for
/// OpenAI-compatible servers a base URL).
fn provider_for(
    config: &Config,
    model: &str,
    registry: &Registry,
    http: &reqwest::Client,
) -> Option<Box<dyn LlmProvider>> {
    let info = registry.get(model).ok()?;
    let timeout = Duration::from_secs(20);
    let settings = |base: &str, key: Option<&crate::config::Secret>| HttpSettings {
        base_url: base.to_string(),
        api_key: key.map(|k| k.expose().to_string()).unwrap_or_default(),
        model: model.to_string(),
        timeout,
    };
    match info.provider {
        ProviderKind::Anthropic if config.anthropic_api_key.is_some() => Some(Box::new(Anthropic::new(
            settings(&config.urls.anthropic, config.anthropic_api_key.as_ref()),
            http.clone(),
        ))),
        ProviderKind::Gemini if config.gemini_api_key.is_some() => {
            Some(Box::new(Gemini::new(settings(&config.urls.gemini, config.gemini_api_key.as_ref()), http.clone())))
        }
        ProviderKind::OpenAi if config.openai_api_key.is_some() || config.urls.openai.is_some() => {
            let base = config.urls.openai.clone().unwrap_or_else(|| "https://api.openai.com/v1".into());
            Some(Box::new(OpenAiCompatible::new(settings(&base, config.openai_api_key.as_ref()), http.clone())))
        }
        _ => None,
    }
}

/// The configured primary and fallbacks (each only when its provider is configured), the offline brain
/// last so PAM always answers; every other configured model of the registry is kept as a spare an
/// operator may make the primary.
pub fn chain(config: &Config, registry: &Registry, http: &reqwest::Client) -> FallbackChain {
    let mut providers: Vec<Box<dyn LlmProvider>> = std::iter::once(&config.primary_model)
        .chain(config.fallback_models.iter())
        .filter_map(|m| provider_for(config, m, registry, http))
        .collect();
    providers.push(Box::new(OfflineBrain));
    let spares = registry.all().filter_map(|m| provider_for(config, &m.id, registry, http)).collect();
    FallbackChain::new(providers, Duration::from_secs(60)).with_spares(spares)
}
