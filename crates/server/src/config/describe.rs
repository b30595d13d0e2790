//! The startup log's account of every choice the configuration made (never a secret).

use super::*;

impl Config {
    /// One line per startup choice, for the startup log.
    pub fn describe(&self) -> Vec<String> {
        let db = match self.db_kind() {
            DbKind::Sqlite => {
                format!("database: sqlite ({})", self.database_url.expose().trim_start_matches("sqlite://"))
            }
            DbKind::Postgres => "database: postgres (DATABASE_URL)".to_string(),
        };
        let cache = if self.redis_url.is_some() {
            format!(
                "cache: redis (REDIS_URL, key prefix {:?}, {} ms deadline): rate limits, cache invalidations and pushes \
                 shared by every instance; in-process while Redis does not answer",
                self.redis_key_prefix,
                self.redis_timeout.as_millis()
            )
        } else {
            "cache: in-process (rate limits, caches and pushes of this instance only)".to_string()
        };
        let mut auth = vec!["built-in accounts"];
        if self.supabase_jwt_secret.is_some() {
            auth.push("supabase HS256 (SUPABASE_JWT_SECRET)");
        }
        if self.supabase_url.is_some() {
            auth.push("supabase JWKS (SUPABASE_URL)");
        }
        let mut brain = Vec::new();
        if self.anthropic_api_key.is_some() {
            brain.push("anthropic");
        }
        if self.gemini_api_key.is_some() {
            brain.push("gemini");
        }
        if self.openai_api_key.is_some() || self.urls.openai.is_some() {
            brain.push("openai-compatible");
        }
        brain.push("offline");
        vec![
            format!("environment: {}", self.environment.as_str()),
            format!("listen: {}:{}", self.host, self.port),
            db,
            cache,
            format!("auth: {}", auth.join(", ")),
            format!(
                "brain chain: {} (primary model {}, fallbacks {})",
                brain.join(" -> "),
                self.primary_model,
                if self.fallback_models.is_empty() { "none".to_string() } else { self.fallback_models.join(", ") }
            ),
            self.speech.describe(),
            format!(
                "jobs: {} ({}); pushes looked for every {} ms",
                if self.jobs_in_process { "run in this process" } else { "left to workers (JOBS_IN_PROCESS=false)" },
                self.jobs_queue.describe(),
                self.push_poll.as_millis()
            ),
            format!(
                "metrics: {}",
                match (self.metrics_enabled, self.metrics_token.is_some()) {
                    (false, _) => "off (METRICS_ENABLED=false)",
                    (true, false) => "Prometheus text at /metrics, open",
                    (true, true) => "Prometheus text at /metrics, bearer token required",
                }
            ),
            format!(
                "travel: geocoding {}, routing {}, weather open-meteo at {}, fuel prices {}, campgrounds {}, web search {}",
                if self.urls.geocoding.is_some() { "nominatim then gazetteer" } else { "gazetteer (bundled)" },
                if self.urls.routing.is_some() {
                    "osrm then estimate"
                } else {
                    "estimate (great-circle × road factor)"
                },
                self.urls.weather,
                if self.urls.fuel_prices.is_some() { "tankerkoenig" } else { "none (503)" },
                if self.urls.campgrounds.is_some() { "own list + ridb" } else { "own list" },
                if self.urls.web_search.is_some() { "brave" } else { "none" }
            ),
        ]
    }
}
