//! The models as operators see and steer them. The brain lives in the server; this trait is the narrow
//! view of it the admin routes need.

use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

/// A model of the registry.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ModelView {
    pub id: String,
    pub provider: String,
    /// USD per million tokens.
    pub input_per_mtok: f64,
    pub output_per_mtok: f64,
    pub cache_write_per_mtok: f64,
    pub cache_read_per_mtok: f64,
    pub context_window: u32,
    /// Its provider is configured on this server (a key or a base URL), so it can be called.
    pub available: bool,
    /// The model tried first on the next turn.
    pub primary: bool,
    /// Its breaker is closed (it is tried); None for a model not in this server's chain.
    pub healthy: Option<bool>,
}

pub trait ModelControl: Send + Sync {
    /// Every model of the registry.
    fn catalogue(&self) -> Vec<ModelView>;
    /// Each callable model's breaker and last outcomes.
    fn health(&self) -> Value;
    /// Whether a model can be made the primary here (known and configured).
    fn can_be_primary(&self, model: &str) -> Result<(), String>;
    /// Makes a model (or, with None, the configured one) first for the next turns of this instance.
    fn prefer(&self, model: Option<&str>);
}
