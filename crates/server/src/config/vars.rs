//! Reading raw variables into typed values; each refusal names its variable.

use std::collections::HashMap;

use super::{ConfigError, Secret, bad};

pub type Vars = HashMap<String, String>;

pub(super) fn get<'a>(vars: &'a Vars, name: &str) -> Option<&'a str> {
    vars.get(name).map(|v| v.trim()).filter(|v| !v.is_empty())
}

pub(super) fn secret(vars: &Vars, name: &str) -> Option<Secret> {
    get(vars, name).map(Secret::new)
}

pub(super) fn parse_bool(vars: &Vars, name: &'static str) -> Result<bool, ConfigError> {
    match get(vars, name).map(|v| v.to_ascii_lowercase()) {
        None => Ok(false),
        Some(v) if ["1", "true", "yes", "on"].contains(&v.as_str()) => Ok(true),
        Some(v) if ["0", "false", "no", "off"].contains(&v.as_str()) => Ok(false),
        Some(v) => Err(bad(name, format!("expected true or false, got {v:?}"))),
    }
}

pub(super) fn parse_num<T: std::str::FromStr>(vars: &Vars, name: &'static str, default: T) -> Result<T, ConfigError> {
    match get(vars, name) {
        None => Ok(default),
        Some(v) => v.parse().map_err(|_| bad(name, format!("expected a number, got {v:?}"))),
    }
}

pub(super) fn positive(vars: &Vars, name: &'static str, default: u32) -> Result<u32, ConfigError> {
    match parse_num(vars, name, default)? {
        0 => Err(bad(name, "must be at least 1")),
        n => Ok(n),
    }
}

pub(super) fn usd_micro(vars: &Vars, name: &'static str, default: u64) -> Result<u64, ConfigError> {
    match get(vars, name) {
        None => Ok(default),
        Some(v) => match v.parse::<f64>() {
            Ok(usd) if usd.is_finite() && usd >= 0.0 => Ok((usd * 1_000_000.0).round() as u64),
            _ => Err(bad(name, format!("expected an amount of US dollars, got {v:?}"))),
        },
    }
}

pub(super) fn parse_http_url(vars: &Vars, name: &'static str) -> Result<Option<String>, ConfigError> {
    match get(vars, name) {
        None => Ok(None),
        Some(v) if v.starts_with("http://") || v.starts_with("https://") => {
            Ok(Some(v.trim_end_matches('/').to_string()))
        }
        Some(v) => Err(bad(name, format!("expected an http(s) URL, got {v:?}"))),
    }
}

pub(super) fn list(vars: &Vars, name: &str) -> Vec<String> {
    get(vars, name)
        .map(|v| v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect())
        .unwrap_or_default()
}
