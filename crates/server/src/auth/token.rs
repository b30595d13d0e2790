//! Access tokens: verifying Supabase's and our own, issuing our own. Our tokens are shaped like
//! Supabase's (HS256, `aud: authenticated`) so one verifier serves both sources.

use std::time::Duration;

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, decode_header, encode};
use pam_web::error::AppError;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::jwks::JwksCache;
use crate::config::Config;

/// Tolerance for clock skew on `exp`/`nbf` (SPEC: at most 30 s).
const LEEWAY_SECS: u64 = 30;
const AUDIENCE: &str = "authenticated";
pub const BUILTIN_ISSUER: &str = "pam-backend";

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    pub aud: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    #[serde(default)]
    pub iat: i64,
    pub exp: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_metadata: Option<serde_json::Value>,
}

/// Which key vouched for a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenSource {
    Builtin,
    Supabase,
}

impl TokenSource {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenSource::Builtin => "builtin",
            TokenSource::Supabase => "supabase",
        }
    }
}

#[derive(Clone, Debug)]
pub struct VerifiedToken {
    pub user_id: Uuid,
    pub email: Option<String>,
    pub source: TokenSource,
    pub issued_at: i64,
    /// Supabase's `app_metadata.role == "admin"`.
    pub claims_admin: bool,
}

pub struct TokenService {
    builtin_encoding: EncodingKey,
    builtin_decoding: DecodingKey,
    supabase_secret: Option<DecodingKey>,
    jwks: Option<JwksCache>,
    access_ttl: Duration,
}

fn unauthorized(msg: &str) -> AppError {
    AppError::Unauthorized(msg.to_string())
}

impl TokenService {
    pub fn new(config: &Config, http: reqwest::Client) -> Self {
        let secret = config.secret_key().expose().as_bytes();
        TokenService {
            builtin_encoding: EncodingKey::from_secret(secret),
            builtin_decoding: DecodingKey::from_secret(secret),
            supabase_secret: config
                .supabase_jwt_secret
                .as_ref()
                .map(|s| DecodingKey::from_secret(s.expose().as_bytes())),
            jwks: config.supabase_url.as_ref().map(|url| JwksCache::new(url, http, config.jwks_refresh_interval)),
            access_ttl: config.access_token_ttl,
        }
    }

    pub fn access_ttl(&self) -> Duration {
        self.access_ttl
    }

    /// Issues a built-in access token for a user.
    pub fn issue(&self, user_id: Uuid, email: &str) -> Result<String, AppError> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: user_id.to_string(),
            email: Some(email.to_string()),
            role: Some("authenticated".into()),
            aud: AUDIENCE.into(),
            iss: Some(BUILTIN_ISSUER.into()),
            iat: now,
            exp: now + self.access_ttl.as_secs() as i64,
            app_metadata: None,
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.builtin_encoding)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("signing a token: {e}")))
    }

    /// Verifies signature, expiry (with leeway), audience and subject. The algorithm a token names only
    /// selects which of *our* keys may check it: HS256 goes to the shared secrets, ES256/RS256 to the
    /// JWKS key of that exact family, anything else (including `none`) is refused.
    pub async fn verify(&self, token: &str) -> Result<VerifiedToken, AppError> {
        let header = decode_header(token).map_err(|_| unauthorized("Invalid token"))?;
        let (claims, source) = match header.alg {
            Algorithm::HS256 => {
                if let Ok(claims) = check::<Claims>(token, &self.builtin_decoding, Algorithm::HS256) {
                    (claims, TokenSource::Builtin)
                } else if let Some(key) = &self.supabase_secret {
                    (check(token, key, Algorithm::HS256)?, TokenSource::Supabase)
                } else {
                    return Err(unauthorized("Invalid token"));
                }
            }
            alg @ (Algorithm::ES256 | Algorithm::RS256) => {
                let jwks = self.jwks.as_ref().ok_or_else(|| unauthorized("Invalid token"))?;
                let kid = header.kid.as_deref().ok_or_else(|| unauthorized("Token has no key id"))?;
                let key =
                    jwks.key_for(kid, alg).await.ok_or_else(|| unauthorized("Token signed with an unknown key"))?;
                (check(token, &key, alg)?, TokenSource::Supabase)
            }
            _ => return Err(unauthorized("Unsupported token algorithm")),
        };
        let user_id = Uuid::parse_str(&claims.sub).map_err(|_| unauthorized("Token subject is not a user id"))?;
        let claims_admin = claims
            .app_metadata
            .as_ref()
            .and_then(|m| m.get("role"))
            .and_then(|r| r.as_str())
            .is_some_and(|r| r == "admin");
        Ok(VerifiedToken {
            user_id,
            email: claims.email.map(|e| e.trim().to_ascii_lowercase()),
            source,
            issued_at: claims.iat,
            claims_admin: claims_admin && source == TokenSource::Supabase,
        })
    }
}

fn check<T: serde::de::DeserializeOwned>(token: &str, key: &DecodingKey, alg: Algorithm) -> Result<T, AppError> {
    let mut validation = Validation::new(alg);
    validation.leeway = LEEWAY_SECS;
    validation.set_audience(&[AUDIENCE]);
    validation.set_required_spec_claims(&["exp", "sub", "aud"]);
    decode::<T>(token, key, &validation).map(|data| data.claims).map_err(|err| {
        use jsonwebtoken::errors::ErrorKind;
        match err.kind() {
            ErrorKind::ExpiredSignature => unauthorized("Token has expired"),
            ErrorKind::InvalidAudience => unauthorized("Token audience is not accepted"),
            ErrorKind::MissingRequiredClaim(c) => unauthorized(&format!("Token is missing the {c} claim")),
            _ => unauthorized("Invalid token"),
        }
    })
}
