//! Supabase's JSON Web Key Set: downloaded on first use, kept for a while, and refreshed once when a
//! token names a key id we do not know (key rotation). Refreshes are spaced so a flood of random `kid`s
//! cannot turn into a flood of downloads.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use jsonwebtoken::Algorithm;
use jsonwebtoken::DecodingKey;
use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, JwkSet};
use tokio::sync::Mutex;

/// How long a downloaded key set is trusted before a routine re-download.
const MAX_AGE: Duration = Duration::from_secs(600);

struct Cached {
    keys: HashMap<String, (Algorithm, DecodingKey)>,
    fetched_at: Option<Instant>,
}

pub struct JwksCache {
    url: String,
    http: reqwest::Client,
    min_refresh_interval: Duration,
    cached: Mutex<Cached>,
}

impl JwksCache {
    pub fn new(supabase_url: &str, http: reqwest::Client, min_refresh_interval: Duration) -> Self {
        JwksCache {
            url: format!("{}/auth/v1/.well-known/jwks.json", supabase_url.trim_end_matches('/')),
            http,
            min_refresh_interval,
            cached: Mutex::new(Cached { keys: HashMap::new(), fetched_at: None }),
        }
    }

    /// The key for `kid`, usable only with `alg`. None when the set (after at most one refresh) has no
    /// such key, or the key is of another family than the token claims (algorithm confusion).
    pub async fn key_for(&self, kid: &str, alg: Algorithm) -> Option<DecodingKey> {
        let mut cached = self.cached.lock().await;
        let stale = cached.fetched_at.is_none_or(|t| t.elapsed() > MAX_AGE);
        let unknown = !cached.keys.contains_key(kid);
        let may_refresh = cached.fetched_at.is_none_or(|t| t.elapsed() >= self.min_refresh_interval);
        if stale || (unknown && may_refresh) {
            match self.fetch().await {
                Ok(keys) => {
                    cached.keys = keys;
                    cached.fetched_at = Some(Instant::now());
                }
                Err(err) => tracing::warn!(error = %err, url = %self.url, "JWKS download failed"),
            }
        }
        match cached.keys.get(kid) {
            Some((key_alg, key)) if *key_alg == alg => Some(key.clone()),
            _ => None,
        }
    }

    async fn fetch(&self) -> anyhow::Result<HashMap<String, (Algorithm, DecodingKey)>> {
        let set: JwkSet =
            self.http.get(&self.url).timeout(Duration::from_secs(5)).send().await?.error_for_status()?.json().await?;
        let mut keys = HashMap::new();
        for jwk in &set.keys {
            let Some(kid) = jwk.common.key_id.clone() else { continue };
            // Only asymmetric keys of the two algorithms Supabase signs with; an "oct" key in a public
            // set would let anyone who read it forge HS256 tokens.
            let alg = match &jwk.algorithm {
                AlgorithmParameters::EllipticCurve(p) if p.curve == EllipticCurve::P256 => Algorithm::ES256,
                AlgorithmParameters::RSA(_) => Algorithm::RS256,
                _ => continue,
            };
            match DecodingKey::from_jwk(jwk) {
                Ok(key) => {
                    keys.insert(kid, (alg, key));
                }
                Err(err) => tracing::warn!(%kid, error = %err, "unusable key in JWKS"),
            }
        }
        Ok(keys)
    }
}
