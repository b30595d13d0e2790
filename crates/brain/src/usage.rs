//! Usage records and their cost.

use serde::{Deserialize, Serialize};

use crate::registry::ModelInfo;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub cache_write_tokens: u64,
    pub cache_read_tokens: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UsageRecord {
    pub model: String,
    pub usage: Usage,
    pub cost_micro_usd: u64,
    pub latency_ms: u64,
    /// `ok`, `error`, `fallback` …
    pub outcome: String,
}

/// Cost in micro-USD (millionths of a dollar), rounded to nearest: prices are per million tokens, so
/// tokens × price is micro-USD directly.
pub fn cost_micro_usd(model: &ModelInfo, usage: &Usage) -> u64 {
    let total = usage.input_tokens as f64 * model.input_per_mtok
        + usage.output_tokens as f64 * model.output_per_mtok
        + usage.cache_write_tokens as f64 * model.cache_write_per_mtok
        + usage.cache_read_tokens as f64 * model.cache_read_per_mtok;
    total.round() as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::Registry;

    #[test]
    fn cost_includes_cache_multipliers_exactly() {
        let r = Registry::default();
        let sonnet = r.get("claude-sonnet-4-5-20250929").unwrap();
        let usage =
            Usage { input_tokens: 1000, output_tokens: 500, cache_write_tokens: 2000, cache_read_tokens: 10_000 };
        // 1000×3 + 500×15 + 2000×3.75 + 10000×0.3 = 3000 + 7500 + 7500 + 3000
        assert_eq!(cost_micro_usd(sonnet, &usage), 21_000);
        let flash = r.get("gemini-3.0-flash").unwrap();
        let usage = Usage { input_tokens: 1_000_000, output_tokens: 1_000_000, ..Default::default() };
        assert_eq!(cost_micro_usd(flash, &usage), 500_000);
    }
}
