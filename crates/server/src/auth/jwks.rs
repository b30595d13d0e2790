//! Supabase's JSON Web Key Set: downloaded on first use, kept for a while, and refreshed once when a
//! token names a key id we do not know (key rotation). Refreshes are spaced so a flood of random `kid`s
//! cannot turn into a flood of downloads.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use jsonwebtoken::Algorithm;
use jsonwebtoken::DecodingKey;
use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, JwkSet};

/// How long a downloaded key set is trusted before a routine re-download.
const MAX_AGE: Duration = Duration::from_secs(600);

type Keys = Arc<HashMap<String, (Algorithm, DecodingKey)>>;

#[derive(Default)]
struct Cached {
    keys: Keys,
    /// When the keys were last downloaded successfully.
    fetched_at: Option<Instant>,
    /// When a download was last tried, whatever came of it: while Supabase is unreachable, requests
    /// naming unknown keys do not each try again.
    attempted_at: Option<Instant>,
}

pub struct JwksCache {
    url: String,
    http: reqwest::Client,
    min_refresh_interval: Duration,
    /// Held only to read or swap the keys, never across a download.
    cached: RwLock<Cached>,
    /// One download at a time; requests that need its result wait here, the others do not.
    download: tokio::sync::Mutex<()>,
}

impl JwksCache {
    pub fn new(supabase_url: &str, http: reqwest::Client, min_refresh_interval: Duration) -> Self {
        JwksCache {
            url: format!("{}/auth/v1/.well-known/jwks.json", supabase_url.trim_end_matches('/')),
            http,
            min_refresh_interval,
            cached: RwLock::new(Cached::default()),
            download: tokio::sync::Mutex::new(()),
        }
    }

    fn snapshot(&self) -> (Keys, bool, bool) {
        let cached = self.cached.read().unwrap_or_else(|p| p.into_inner());
        let stale = cached.fetched_at.is_none_or(|t| t.elapsed() > MAX_AGE);
        let may_try = cached.attempted_at.is_none_or(|t| t.elapsed() >= self.min_refresh_interval);
        (cached.keys.clone(), stale, may_try)
    }

    /// The key for `kid`, usable only with `alg`. None when the set (after at most one refresh) has no
    /// such key, or the key is of another family than the token claims (algorithm confusion).
    pub async fn key_for(&self, kid: &str, alg: Algorithm) -> Option<DecodingKey> {
        let pick = |keys: &Keys| match keys.get(kid) {
            Some((key_alg, key)) if *key_alg == alg => Some(key.clone()),
            _ => None,
        };
        let (keys, stale, may_try) = self.snapshot();
        if keys.contains_key(kid) {
            // A known key is served at once; a stale set is refreshed by whoever gets the download first.
            if stale
                && may_try
                && let Ok(_download) = self.download.try_lock()
            {
                self.refresh().await;
            }
            return pick(&self.snapshot().0);
        }
        // An unknown key: wait for any download in progress, then try one if the spacing allows.
        let _download = self.download.lock().await;
        let (keys, _, may_try) = self.snapshot();
        if !keys.contains_key(kid) && may_try {
            self.refresh().await;
        }
        pick(&self.snapshot().0)
    }

    /// Downloads the set (outside the keys' lock) and swaps it in; a failure keeps the keys known.
    async fn refresh(&self) {
        self.cached.write().unwrap_or_else(|p| p.into_inner()).attempted_at = Some(Instant::now());
        match self.fetch().await {
            Ok(keys) => {
                let mut cached = self.cached.write().unwrap_or_else(|p| p.into_inner());
                cached.keys = Arc::new(keys);
                cached.fetched_at = Some(Instant::now());
            }
            Err(err) => tracing::warn!(error = %err, url = %self.url, "JWKS download failed; keeping the keys known"),
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
