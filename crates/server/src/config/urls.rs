//! Where each external HTTP service is (`*_BASE_URL`): one setting per service, so tests point each at a
//! local fake and a deployment at a proxy or a compatible server.

use super::ConfigError;
use super::vars::{Vars, parse_http_url};

/// Base URLs of every external HTTP service, so tests can point each at a local fake.
#[derive(Clone, Debug)]
pub struct ExternalUrls {
    pub anthropic: String,
    pub gemini: String,
    pub openai: Option<String>,
    pub weather: String,
    pub geocoding: Option<String>,
    pub routing: Option<String>,
    pub fuel_prices: Option<String>,
    pub campgrounds: Option<String>,
    pub web_search: Option<String>,
    pub tts: Option<String>,
    pub stt: Option<String>,
    pub elevenlabs: String,
}

impl ExternalUrls {
    pub(super) fn from_vars(vars: &Vars) -> Result<ExternalUrls, ConfigError> {
        Ok(ExternalUrls {
            anthropic: parse_http_url(vars, "ANTHROPIC_BASE_URL")?
                .unwrap_or_else(|| "https://api.anthropic.com".into()),
            gemini: parse_http_url(vars, "GEMINI_BASE_URL")?
                .unwrap_or_else(|| "https://generativelanguage.googleapis.com".into()),
            openai: parse_http_url(vars, "OPENAI_BASE_URL")?,
            weather: parse_http_url(vars, "WEATHER_BASE_URL")?.unwrap_or_else(|| "https://api.open-meteo.com".into()),
            geocoding: parse_http_url(vars, "GEOCODING_BASE_URL")?,
            routing: parse_http_url(vars, "ROUTING_BASE_URL")?,
            fuel_prices: parse_http_url(vars, "FUEL_PRICES_BASE_URL")?,
            campgrounds: parse_http_url(vars, "CAMPGROUNDS_BASE_URL")?,
            web_search: parse_http_url(vars, "WEB_SEARCH_BASE_URL")?,
            tts: parse_http_url(vars, "TTS_BASE_URL")?,
            stt: parse_http_url(vars, "STT_BASE_URL")?,
            elevenlabs: parse_http_url(vars, "ELEVENLABS_BASE_URL")?
                .unwrap_or_else(|| "https://api.elevenlabs.io".into()),
        })
    }
}
