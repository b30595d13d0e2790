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
