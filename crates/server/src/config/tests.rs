//! Configuration: defaults, refusals naming their variable, secrets, the model registry.
use super::*;

fn vars(pairs: &[(&str, &str)]) -> Vars {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[test]
fn defaults_need_no_configuration() {
    let config = Config::from_vars(Vars::new()).unwrap();
    assert_eq!(config.port, 8000);
    assert_eq!(config.host.to_string(), "127.0.0.1");
    assert_eq!(config.database_url.expose(), "sqlite://./data/pam.db");
    assert_eq!(config.environment, Environment::Development);
    assert_eq!(config.fallback_models, vec!["gemini-3.0-flash"]);
}

#[test]
fn a_bad_value_names_its_variable() {
    for (name, value) in [
        ("PORT", "eighty"),
        ("HOST", "not-an-ip"),
        ("DATABASE_URL", "mysql://x"),
        ("ENVIRONMENT", "prodd"),
        ("DEBUG", "maybe"),
        ("SUPABASE_URL", "ftp://x"),
        ("REDIS_URL", "http://x"),
        ("REDIS_TIMEOUT_MS", "0"),
        ("REDIS_KEY_PREFIX", "two words"),
        ("SECRET_KEY", "short"),
        ("PAM_PRIMARY_MODEL", "gpt-17-ultra"),
        ("PAM_FALLBACK_MODELS", "gemini-3.0-flash, claude-9"),
        ("PAM_EXTRA_MODELS", "not json"),
    ] {
        let err = Config::from_vars(vars(&[(name, value)])).unwrap_err();
        assert_eq!(err.variable, name, "{name}={value} gave {err}");
    }
}

#[test]
fn the_model_registry_can_be_extended_from_config() {
    let extra = r#"[{"id": "llama3.1:8b", "provider": "open_ai", "input_per_mtok": 0, "output_per_mtok": 0,
        "cache_write_per_mtok": 0, "cache_read_per_mtok": 0, "context_window": 131072, "max_output": 4096,
        "supports_tools": true, "supports_streaming": true}]"#;
    let config =
        Config::from_vars(vars(&[("PAM_EXTRA_MODELS", extra), ("PAM_FALLBACK_MODELS", "llama3.1:8b")])).unwrap();
    assert_eq!(config.fallback_models, vec!["llama3.1:8b"]);
    let err = Config::from_vars(vars(&[("PAM_FALLBACK_MODELS", "llama3.1:8b")])).unwrap_err();
    assert!(err.reason.contains("llama3.1:8b"), "{err}");
}

#[test]
fn production_without_secret_key_stops() {
    let err = Config::from_vars(vars(&[("ENVIRONMENT", "production")])).unwrap_err();
    assert_eq!(err.variable, "SECRET_KEY");
    let err = Config::from_vars(vars(&[("NODE_ENV", "production")])).unwrap_err();
    assert_eq!(err.variable, "SECRET_KEY");
}

#[test]
fn secrets_are_redacted_in_debug() {
    let config = Config::from_vars(vars(&[
        ("SECRET_KEY", "0123456789abcdef0123456789abcdef-very-secret"),
        ("ANTHROPIC_API_KEY", "sk-ant-topsecret"),
    ]))
    .unwrap();
    let printed = format!("{config:?}");
    assert!(!printed.contains("very-secret"));
    assert!(!printed.contains("topsecret"));
    assert!(printed.contains("[redacted]"));
}

#[test]
fn development_secret_is_generated_once_and_reused() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().to_str().unwrap();
    let mut first = Config::from_vars(vars(&[("DATA_DIR", data_dir)])).unwrap();
    assert!(first.ensure_secret_key().unwrap());
    let mut second = Config::from_vars(vars(&[("DATA_DIR", data_dir)])).unwrap();
    assert!(!second.ensure_secret_key().unwrap());
    assert_eq!(first.secret_key(), second.secret_key());
}

#[test]
fn a_database_password_and_provider_keys_are_never_printed() {
    let config = Config::from_vars(vars(&[
        ("DATABASE_URL", "postgres://pam:hunter2-db-password@db.example.com:5432/pam"),
        ("GEMINI_API_KEY", "AIza-gemini-secret"),
        ("OPENAI_API_KEY", "sk-openai-secret"),
        ("ELEVENLABS_API_KEY", "el-secret"),
    ]))
    .unwrap();
    let printed = format!("{config:?}");
    for secret in ["hunter2-db-password", "AIza-gemini-secret", "sk-openai-secret", "el-secret"] {
        assert!(!printed.contains(secret), "{secret} printed");
    }
    assert!(config.describe().iter().all(|line| !line.contains("hunter2")), "nor in the startup log");
    assert_eq!(config.database_url.expose(), "postgres://pam:hunter2-db-password@db.example.com:5432/pam");
}

#[test]
fn redis_settings_default_and_its_password_is_never_printed() {
    let bare = Config::from_vars(Vars::new()).unwrap();
    assert!(bare.redis_url.is_none());
    assert_eq!((bare.redis_key_prefix.as_str(), bare.redis_timeout), ("pam:", Duration::from_millis(100)));
    assert!(bare.describe().iter().any(|line| line.starts_with("cache: in-process")));
    let shared = Config::from_vars(vars(&[
        ("REDIS_URL", "rediss://default:redis-hunter2@cache.example.com:6380"),
        ("REDIS_KEY_PREFIX", "staging:"),
        ("REDIS_TIMEOUT_MS", "50"),
    ]))
    .unwrap();
    assert_eq!((shared.redis_key_prefix.as_str(), shared.redis_timeout), ("staging:", Duration::from_millis(50)));
    assert!(!format!("{shared:?}").contains("redis-hunter2"));
    let described = shared.describe();
    assert!(
        described.iter().any(|line| line.starts_with("cache: redis") && line.contains("staging:")),
        "{described:?}"
    );
    assert!(described.iter().all(|line| !line.contains("redis-hunter2")), "nor in the startup log");
}

#[test]
fn speech_servers_get_only_their_own_keys_and_prices() {
    let speech = |pairs: &[(&str, &str)]| Config::from_vars(vars(pairs)).unwrap().speech;
    let key =
        |e: &Option<speech::Endpoint>| e.as_ref().and_then(|e| e.api_key.as_ref()).map(|k| k.expose().to_string());

    // Nothing set: espeak-ng only, no transcription.
    let bare = speech(&[]);
    assert!(bare.tts.is_none() && bare.stt.is_none());
    assert_eq!(bare.engines, vec![pam_speech::EngineKind::Espeak]);

    // OpenAI's key alone: OpenAI's API at its list prices.
    let openai = speech(&[("OPENAI_API_KEY", "sk-1")]);
    assert_eq!(openai.tts.as_ref().unwrap().base_url, "https://api.openai.com");
    assert_eq!(key(&openai.tts).as_deref(), Some("sk-1"));
    assert_eq!((openai.tts_usd_per_million_chars, openai.stt_usd_per_minute), (15.0, 0.006));

    // OPENAI_BASE_URL (a compatible server) serves speech too, with OpenAI's key, booked at nothing.
    let local = speech(&[("OPENAI_API_KEY", "sk-1"), ("OPENAI_BASE_URL", "http://127.0.0.1:11434/v1")]);
    assert_eq!(local.stt.as_ref().unwrap().base_url, "http://127.0.0.1:11434/v1");
    assert_eq!(key(&local.stt).as_deref(), Some("sk-1"));
    assert_eq!((local.tts_usd_per_million_chars, local.stt_usd_per_minute), (0.0, 0.0));

    // A speech server of its own never receives OpenAI's key, only its own.
    let own = speech(&[
        ("OPENAI_API_KEY", "sk-1"),
        ("TTS_BASE_URL", "http://tts.local"),
        ("STT_BASE_URL", "http://stt.local"),
    ]);
    assert_eq!(key(&own.tts), None);
    assert_eq!(key(&own.stt), None);
    let keyed =
        speech(&[("TTS_BASE_URL", "http://tts.local"), ("TTS_API_KEY", "tts-key"), ("TTS_USD_PER_MILLION_CHARS", "7")]);
    assert_eq!(key(&keyed.tts).as_deref(), Some("tts-key"));
    assert_eq!(keyed.tts_usd_per_million_chars, 7.0);
    // TTS_BASE_URL naming OpenAI itself still gets OpenAI's key and prices.
    let named = speech(&[("OPENAI_API_KEY", "sk-1"), ("TTS_BASE_URL", "https://api.openai.com/v1")]);
    assert_eq!(key(&named.tts).as_deref(), Some("sk-1"));
    assert_eq!(named.tts_usd_per_million_chars, 15.0);
}
