//! The model registry: which provider serves a model, what it costs, how much it holds.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProviderKind {
    Anthropic,
    Gemini,
    OpenAi,
    Offline,
}

/// Prices are USD per million tokens.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelInfo {
    pub id: String,
    pub provider: ProviderKind,
    pub input_per_mtok: f64,
    pub output_per_mtok: f64,
    pub cache_write_per_mtok: f64,
    pub cache_read_per_mtok: f64,
    pub context_window: u32,
    pub max_output: u32,
    pub supports_tools: bool,
    pub supports_streaming: bool,
}

impl ModelInfo {
    /// Anthropic's pricing shape: cache writes 1.25× input, cache reads 0.1× input.
    fn anthropic(id: &str, input: f64, output: f64, context: u32, max_output: u32) -> ModelInfo {
        ModelInfo {
            id: id.into(),
            provider: ProviderKind::Anthropic,
            input_per_mtok: input,
            output_per_mtok: output,
            cache_write_per_mtok: input * 1.25,
            cache_read_per_mtok: input * 0.1,
            context_window: context,
            max_output,
            supports_tools: true,
            supports_streaming: true,
        }
    }

    /// Gemini and OpenAI: implicit caching, reads at a quarter (Gemini) or half (OpenAI) of input, no write charge.
    fn other(
        id: &str,
        provider: ProviderKind,
        input: f64,
        output: f64,
        read_share: f64,
        context: u32,
        max_output: u32,
    ) -> ModelInfo {
        ModelInfo {
            id: id.into(),
            provider,
            input_per_mtok: input,
            output_per_mtok: output,
            cache_write_per_mtok: 0.0,
            cache_read_per_mtok: input * read_share,
            context_window: context,
            max_output,
            supports_tools: true,
            supports_streaming: true,
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq)]
#[error("unknown model id {0:?}: known models are {1}")]
pub struct UnknownModel(pub String, pub String);

#[derive(Clone, Debug)]
pub struct Registry {
    models: BTreeMap<String, ModelInfo>,
}

pub const OFFLINE_MODEL: &str = "pam-offline";

impl Default for Registry {
    fn default() -> Self {
        let mut models = BTreeMap::new();
        let seeded = [
            // The seed's two models.
            ModelInfo::anthropic("claude-sonnet-4-5-20250929", 3.0, 15.0, 200_000, 64_000),
            ModelInfo::other("gemini-3.0-flash", ProviderKind::Gemini, 0.10, 0.40, 0.25, 1_048_576, 65_536),
            // Current Claude models (ids as listed in providers' model tables).
            ModelInfo::anthropic("claude-opus-4-6", 5.0, 25.0, 1_000_000, 64_000),
            ModelInfo::anthropic("claude-opus-4-5-20251101", 5.0, 25.0, 200_000, 64_000),
            ModelInfo::anthropic("claude-sonnet-4-6", 3.0, 15.0, 200_000, 64_000),
            ModelInfo::anthropic("claude-opus-4-1-20250805", 15.0, 75.0, 200_000, 32_000),
            ModelInfo::anthropic("claude-sonnet-4-20250514", 3.0, 15.0, 200_000, 64_000),
            ModelInfo::anthropic("claude-haiku-4-5-20251001", 1.0, 5.0, 200_000, 64_000),
            ModelInfo::anthropic("claude-3-5-haiku-20241022", 0.80, 4.0, 200_000, 8_192),
            // Gemini.
            ModelInfo::other("gemini-2.5-pro", ProviderKind::Gemini, 1.25, 10.0, 0.25, 1_048_576, 65_536),
            ModelInfo::other("gemini-2.5-flash", ProviderKind::Gemini, 0.30, 2.50, 0.25, 1_048_576, 65_536),
            ModelInfo::other("gemini-2.5-flash-lite", ProviderKind::Gemini, 0.10, 0.40, 0.25, 1_048_576, 65_536),
            // OpenAI.
            ModelInfo::other("gpt-4o", ProviderKind::OpenAi, 2.50, 10.0, 0.5, 128_000, 16_384),
            ModelInfo::other("gpt-4o-mini", ProviderKind::OpenAi, 0.15, 0.60, 0.5, 128_000, 16_384),
            ModelInfo::other("gpt-4.1", ProviderKind::OpenAi, 2.0, 8.0, 0.25, 1_047_576, 32_768),
            ModelInfo::other("gpt-4.1-mini", ProviderKind::OpenAi, 0.40, 1.60, 0.25, 1_047_576, 32_768),
            ModelInfo {
                id: OFFLINE_MODEL.into(),
                provider: ProviderKind::Offline,
                input_per_mtok: 0.0,
                output_per_mtok: 0.0,
                cache_write_per_mtok: 0.0,
                cache_read_per_mtok: 0.0,
                context_window: 1_000_000,
                max_output: 4_096,
                supports_tools: true,
                supports_streaming: false,
            },
        ];
        for m in seeded {
            models.insert(m.id.clone(), m);
        }
        Registry { models }
    }
}

impl Registry {
    pub fn get(&self, id: &str) -> Result<&ModelInfo, UnknownModel> {
        self.models
            .get(id)
            .ok_or_else(|| UnknownModel(id.to_string(), self.models.keys().cloned().collect::<Vec<_>>().join(", ")))
    }

    /// Adds or replaces a model (from configuration).
    pub fn extend(&mut self, model: ModelInfo) {
        self.models.insert(model.id.clone(), model);
    }

    pub fn all(&self) -> impl Iterator<Item = &ModelInfo> {
        self.models.values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_models_are_known_and_others_refused() {
        let r = Registry::default();
        let sonnet = r.get("claude-sonnet-4-5-20250929").unwrap();
        assert_eq!((sonnet.input_per_mtok, sonnet.output_per_mtok), (3.0, 15.0));
        let flash = r.get("gemini-3.0-flash").unwrap();
        assert_eq!((flash.input_per_mtok, flash.output_per_mtok), (0.10, 0.40));
        let err = r.get("gpt-17").unwrap_err();
        assert!(err.to_string().contains("gpt-17") && err.to_string().contains("claude-sonnet-4-5-20250929"));
    }

    #[test]
    fn the_registry_can_be_extended() {
        let mut r = Registry::default();
        let mut local = r.get("gpt-4o-mini").unwrap().clone();
        local.id = "llama3.1:8b".into();
        local.input_per_mtok = 0.0;
        r.extend(local);
        assert_eq!(r.get("llama3.1:8b").unwrap().provider, ProviderKind::OpenAi);
    }
}
