//! Typed configuration, read once at startup from the environment (and `.env`), validated, with secrets
//! wrapped so `Debug` and logs never show them. A bad value stops startup with a message naming the variable.

use std::fmt;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use pam_store::{DbKind, kind_of_url};

/// A secret value: usable by the code, printed as `[redacted]`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Environment {
    Development,
    Staging,
    Production,
}

impl Environment {
    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Development => "development",
            Environment::Staging => "staging",
            Environment::Production => "production",
        }
    }
}

/// A configuration value that could not be used; names the variable.
#[derive(Debug, thiserror::Error)]
#[error("configuration error in {variable}: {reason}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub reason: String,
}

fn bad(variable: &'static str, reason: impl Into<String>) -> ConfigError {
    ConfigError { variable, reason: reason.into() }
}

#[derive(Clone, Debug)]
pub struct Config {
    pub host: IpAddr,
    pub port: u16,
    pub data_dir: PathBuf,
    /// May hold a password, so it is a secret.
    pub database_url: Secret,
    pub database_max_connections: u32,
    pub redis_url: Option<Secret>,
    /// Put before every Redis key and channel, so deployments can share one Redis.
    pub redis_key_prefix: String,
    /// The deadline of one Redis call; past it the call is served in-process.
    pub redis_timeout: Duration,
    /// None only before [`Config::ensure_secret_key`] has run in development.
    pub secret_key: Option<Secret>,
    pub supabase_url: Option<String>,
    pub supabase_jwt_secret: Option<Secret>,
    pub supabase_service_role_key: Option<Secret>,
    pub anthropic_api_key: Option<Secret>,
    pub gemini_api_key: Option<Secret>,
    pub openai_api_key: Option<Secret>,
    pub elevenlabs_api_key: Option<Secret>,
    /// Keys of the travel services that need one (Open-Meteo's free API does not).
    pub weather_api_key: Option<Secret>,
    pub fuel_prices_api_key: Option<Secret>,
    pub campgrounds_api_key: Option<Secret>,
    pub web_search_api_key: Option<Secret>,
    pub primary_model: String,
    pub fallback_models: Vec<String>,
    /// Models added to the registry from `PAM_EXTRA_MODELS` (a JSON array of model descriptions).
    pub extra_models: Vec<pam_brain::registry::ModelInfo>,
    pub environment: Environment,
    pub debug: bool,
    pub cors_allowed_origins: Vec<String>,
    pub sentry_dsn: Option<Secret>,
    pub urls: ExternalUrls,
    /// How long an access token issued by the built-in auth lives.
    pub access_token_ttl: Duration,
    pub refresh_token_ttl: Duration,
    /// How long before an unknown `kid` may trigger another JWKS download.
    pub jwks_refresh_interval: Duration,
    /// Rate limits, and the proxies trusted to name the client.
    pub limits: Limits,
    /// The subscription cost PAM's savings guarantee is measured against, in cents of the user's currency.
    pub subscription_cost_cents: i64,
    /// Per-user LLM spend caps in micro-USD; past one, PAM answers with the offline brain.
    pub daily_spend_cap_micro_usd: u64,
    pub monthly_spend_cap_micro_usd: u64,
    /// WebSocket keepalive: a ping this often, and a close (1001) after this long without hearing back.
    pub ws_ping_every: Duration,
    pub ws_silent_limit: Duration,
    /// How long a chat message waits for the same user's previous turn before it is refused (429).
    pub turn_wait: Duration,
    /// Whether `serve` also runs the background jobs (off when separate `worker` processes do).
    pub jobs_in_process: bool,
    /// Whether `serve` trains the offline brain's model at start (`OFFLINE_BRAIN_WARM_UP`); when off it is
    /// trained on the first message that needs it (for an instance that only ever uses an LLM provider).
    pub offline_warm_up: bool,
    /// The first retry delay of a failed job (doubling after each failure).
    pub jobs_retry_base: Duration,
    /// Where the job queue is kept (`JOBS_QUEUE`).
    pub jobs_queue: JobQueueKind,
    /// How often this instance looks for pushes due to the sockets it holds.
    pub push_poll: Duration,
    /// Whether `/metrics` is served and the process records Prometheus metrics.
    pub metrics_enabled: bool,
    /// When set, `/metrics` asks for this bearer token.
    pub metrics_token: Option<Secret>,
    /// Text-to-speech and speech-to-text engines.
    pub speech: SpeechSettings,
}

use vars::{Vars, get, list, parse_bool, parse_http_url, parse_num, positive, secret, usd_micro};

impl Config {
    /// Reads `.env` (if present) and the process environment.
    pub fn from_env() -> Result<Config, ConfigError> {
        // A missing .env is normal; a malformed one is not silently ignored.
        if let Err(e) = dotenvy::dotenv()
            && !e.not_found()
        {
            return Err(bad(".env", e.to_string()));
        }
        Config::from_vars(std::env::vars().collect())
    }

    /// Builds the config from a map of variables (the environment, or a test's own map).
    pub fn from_vars(vars: Vars) -> Result<Config, ConfigError> {
        let host: IpAddr = match get(&vars, "HOST") {
            None => IpAddr::from([127, 0, 0, 1]),
            Some("localhost") => IpAddr::from([127, 0, 0, 1]),
            Some(v) => v.parse().map_err(|_| bad("HOST", format!("expected an IP address, got {v:?}")))?,
        };
        let port = parse_num(&vars, "PORT", 8000u16)?;
        let data_dir = PathBuf::from(get(&vars, "DATA_DIR").unwrap_or("./data"));
        let database_url = match get(&vars, "DATABASE_URL") {
            Some(url) => {
                kind_of_url(url).map_err(|e| bad("DATABASE_URL", e.to_string()))?;
                Secret::new(url)
            }
            None => Secret::new(format!("sqlite://{}", data_dir.join("pam.db").display())),
        };
        let environment = match get(&vars, "ENVIRONMENT").or_else(|| get(&vars, "NODE_ENV")) {
            None => Environment::Development,
            Some(v) => match v.to_ascii_lowercase().as_str() {
                "development" | "dev" | "local" | "test" => Environment::Development,
                "staging" => Environment::Staging,
                "production" | "prod" => Environment::Production,
                other => {
                    return Err(bad(
                        "ENVIRONMENT",
                        format!("expected development, staging or production, got {other:?}"),
                    ));
                }
            },
        };
        let secret_key = secret(&vars, "SECRET_KEY");
        if let Some(key) = &secret_key
            && key.expose().len() < 32
        {
            return Err(bad("SECRET_KEY", "must be at least 32 characters"));
        }
        if secret_key.is_none() && environment == Environment::Production {
            return Err(bad("SECRET_KEY", "is required in production (it signs the tokens the built-in auth issues)"));
        }
        let redis_url = match get(&vars, "REDIS_URL") {
            None => None,
            Some(v) if v.starts_with("redis://") || v.starts_with("rediss://") => Some(Secret::new(v)),
            Some(_) => return Err(bad("REDIS_URL", "expected a redis:// or rediss:// URL")),
        };
        let jobs_queue = JobQueueKind::from_vars(&vars, redis_url.as_ref())?;
        let redis_key_prefix = get(&vars, "REDIS_KEY_PREFIX").unwrap_or("pam:").to_string();
        if redis_key_prefix.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad("REDIS_KEY_PREFIX", "must not contain spaces or control characters"));
        }
        let primary_model = get(&vars, "PAM_PRIMARY_MODEL").unwrap_or("claude-sonnet-4-5-20250929").to_string();
        let fallback_models = if vars.contains_key("PAM_FALLBACK_MODELS") {
            list(&vars, "PAM_FALLBACK_MODELS")
        } else {
            vec!["gemini-3.0-flash".to_string()]
        };
        let extra_models: Vec<pam_brain::registry::ModelInfo> = match get(&vars, "PAM_EXTRA_MODELS") {
            None => Vec::new(),
            Some(v) => serde_json::from_str(v)
                .map_err(|e| bad("PAM_EXTRA_MODELS", format!("expected a JSON array of models: {e}")))?,
        };
        let mut registry = pam_brain::registry::Registry::default();
        for m in &extra_models {
            registry.extend(m.clone());
        }
        registry.get(&primary_model).map_err(|e| bad("PAM_PRIMARY_MODEL", e.to_string()))?;
        for m in &fallback_models {
            registry.get(m).map_err(|e| bad("PAM_FALLBACK_MODELS", e.to_string()))?;
        }
        let urls = ExternalUrls::from_vars(&vars)?;
        let supabase_url = parse_http_url(&vars, "SUPABASE_URL")?;
        let cors_allowed_origins = list(&vars, "CORS_ALLOWED_ORIGINS");
        for origin in &cors_allowed_origins {
            if !(origin.starts_with("http://") || origin.starts_with("https://")) || origin.ends_with('/') {
                return Err(bad(
                    "CORS_ALLOWED_ORIGINS",
                    format!("{origin:?} is not an origin like https://example.com"),
                ));
            }
        }
        // A travel service that needs a key is no service without one: say so rather than run without it.
        for (url, url_var, key_var) in [
            (&urls.fuel_prices, "FUEL_PRICES_BASE_URL", "FUEL_PRICES_API_KEY"),
            (&urls.campgrounds, "CAMPGROUNDS_BASE_URL", "CAMPGROUNDS_API_KEY"),
            (&urls.web_search, "WEB_SEARCH_BASE_URL", "WEB_SEARCH_API_KEY"),
        ] {
            if url.is_some() && secret(&vars, key_var).is_none() {
                return Err(bad(key_var, format!("is required when {url_var} is set")));
            }
        }
        let speech = SpeechSettings::from_vars(&vars, &urls, secret(&vars, "ELEVENLABS_API_KEY").is_some())?;
        let max_conn = parse_num(&vars, "DATABASE_MAX_CONNECTIONS", 16u32)?;
        if max_conn == 0 {
            return Err(bad("DATABASE_MAX_CONNECTIONS", "must be at least 1"));
        }
        Ok(Config {
            host,
            port,
            data_dir,
            database_url,
            database_max_connections: max_conn,
            redis_url,
            redis_key_prefix,
            redis_timeout: Duration::from_millis(positive(&vars, "REDIS_TIMEOUT_MS", 100)? as u64),
            secret_key,
            supabase_url,
            supabase_jwt_secret: secret(&vars, "SUPABASE_JWT_SECRET"),
            supabase_service_role_key: secret(&vars, "SUPABASE_SERVICE_ROLE_KEY"),
            anthropic_api_key: secret(&vars, "ANTHROPIC_API_KEY"),
            gemini_api_key: secret(&vars, "GEMINI_API_KEY"),
            openai_api_key: secret(&vars, "OPENAI_API_KEY"),
            elevenlabs_api_key: secret(&vars, "ELEVENLABS_API_KEY"),
            weather_api_key: secret(&vars, "WEATHER_API_KEY"),
            fuel_prices_api_key: secret(&vars, "FUEL_PRICES_API_KEY"),
            campgrounds_api_key: secret(&vars, "CAMPGROUNDS_API_KEY"),
            web_search_api_key: secret(&vars, "WEB_SEARCH_API_KEY"),
            primary_model,
            fallback_models,
            extra_models,
            environment,
            debug: parse_bool(&vars, "DEBUG")?,
            cors_allowed_origins,
            sentry_dsn: secret(&vars, "SENTRY_DSN"),
            urls,
            access_token_ttl: Duration::from_secs(parse_num(&vars, "ACCESS_TOKEN_TTL_SECONDS", 3600u64)?),
            refresh_token_ttl: Duration::from_secs(parse_num(&vars, "REFRESH_TOKEN_TTL_DAYS", 30u64)? * 86_400),
            jwks_refresh_interval: Duration::from_secs(parse_num(&vars, "JWKS_REFRESH_INTERVAL_SECONDS", 2u64)?),
            limits: Limits::from_vars(&vars)?,
            ws_ping_every: Duration::from_secs(positive(&vars, "WS_PING_SECONDS", 20)? as u64),
            ws_silent_limit: Duration::from_secs(positive(&vars, "WS_SILENT_CLOSE_SECONDS", 60)? as u64),
            turn_wait: Duration::from_secs(parse_num(&vars, "PAM_TURN_WAIT_SECONDS", 15u64)?),
            jobs_in_process: get(&vars, "JOBS_IN_PROCESS").is_none() || parse_bool(&vars, "JOBS_IN_PROCESS")?,
            offline_warm_up: get(&vars, "OFFLINE_BRAIN_WARM_UP").is_none()
                || parse_bool(&vars, "OFFLINE_BRAIN_WARM_UP")?,
            jobs_retry_base: Duration::from_millis(positive(&vars, "JOBS_RETRY_BASE_MS", 5000)? as u64),
            jobs_queue,
            push_poll: Duration::from_millis(positive(&vars, "PUSH_POLL_MS", 500)? as u64),
            metrics_enabled: get(&vars, "METRICS_ENABLED").is_none() || parse_bool(&vars, "METRICS_ENABLED")?,
            metrics_token: secret(&vars, "METRICS_TOKEN"),
            speech,
            daily_spend_cap_micro_usd: usd_micro(&vars, "PAM_DAILY_SPEND_CAP_USD", 1_000_000)?,
            monthly_spend_cap_micro_usd: usd_micro(&vars, "PAM_MONTHLY_SPEND_CAP_USD", 10_000_000)?,
            subscription_cost_cents: match get(&vars, "SUBSCRIPTION_COST") {
                None => 1400,
                Some(v) => pam_kernel::Money::parse(v).map_err(|m| bad("SUBSCRIPTION_COST", m))?.cents(),
            },
        })
    }

    /// In development a missing SECRET_KEY is generated once into `DATA_DIR/secret_key` and reused
    /// on later starts, so tokens survive restarts. Returns true when one was generated.
    pub fn ensure_secret_key(&mut self) -> std::io::Result<bool> {
        if self.secret_key.is_some() {
            return Ok(false);
        }
        let path = self.data_dir.join("secret_key");
        if let Ok(existing) = std::fs::read_to_string(&path)
            && existing.trim().len() >= 32
        {
            self.secret_key = Some(Secret::new(existing.trim()));
            return Ok(false);
        }
        std::fs::create_dir_all(&self.data_dir)?;
        let key = random_token(48);
        write_private(&path, &key)?;
        self.secret_key = Some(Secret::new(key));
        Ok(true)
    }

    pub fn secret_key(&self) -> &Secret {
        #[allow(clippy::expect_used, reason = "Config::load resolves the key before anything can ask for it")]
        self.secret_key.as_ref().expect("secret key resolved at startup")
    }

    pub fn db_kind(&self) -> DbKind {
        kind_of_url(self.database_url.expose()).unwrap_or(DbKind::Sqlite)
    }

    pub fn uploads_dir(&self) -> PathBuf {
        self.data_dir.join("uploads")
    }
}

/// A random URL-safe token of `bytes` bytes of entropy.
pub fn random_token(bytes: usize) -> String {
    use base64::Engine;
    let mut buf = vec![0u8; bytes];
    rand::fill(&mut buf[..]);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(contents.as_bytes())
}

mod describe;
mod jobs;
mod limits;
mod speech;
mod urls;
mod vars;

pub use jobs::JobQueueKind;
pub use limits::{Cidr, Limits};
pub use speech::{Endpoint, SpeechSettings};
pub use urls::ExternalUrls;

#[cfg(test)]
mod tests;
