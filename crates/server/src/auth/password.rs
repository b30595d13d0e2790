//! Built-in account credentials: email and password parsed once at the edge, Argon2id hashing off the
//! async runtime.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use pam_web::error::AppError;
use serde::Serialize;
use utoipa::ToSchema;

pub const MIN_PASSWORD_CHARS: usize = 8;
pub const MAX_PASSWORD_CHARS: usize = 128;

/// A syntactically plausible, lower-cased email address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    /// An address of the common form (RFC 5321's dot-atom): a local part of letters, digits and
    /// ``!#$%&'*+/=?^_`{|}~-`` in dot-separated runs; `@`; a domain of at least two dot-separated labels of
    /// letters, digits and inner hyphens, each at most 63 bytes; at most 254 bytes in all. Quoted local
    /// parts and address literals (`"a b"@x.org`, `a@[10.0.0.1]`) are refused: no mail provider hands them
    /// out. RFC 5321's 64 bytes for the local part are not held to: no pattern can say it with the rest.
    pub fn parse(raw: &str) -> Result<Email, String> {
        // Counted before trimming, as the schema's `maxLength` is: surrounding spaces make no room.
        if raw.chars().count() > 254 {
            return Err("value is not a valid email address".into());
        }
        let email = Email::normalized(raw);
        let atext = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c);
        let label = |l: &str| {
            (1..=63).contains(&l.len())
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        };
        let valid = email.len() <= 254
            && email.split_once('@').is_some_and(|(local, domain)| {
                local.split('.').all(|atom| !atom.is_empty() && atom.chars().all(atext))
                    && domain.split('.').count() >= 2
                    && domain.split('.').all(label)
            });
        if valid { Ok(Email(email)) } else { Err("value is not a valid email address".into()) }
    }

    /// An address as stored and looked up: trimmed and ASCII lower-cased, nothing checked (login looks
    /// accounts up this way, so one registered under an earlier, looser rule still signs in).
    pub fn normalized(raw: &str) -> String {
        raw.trim().to_ascii_lowercase()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What [`Email::parse`] accepts, as a JSON Schema pattern: an address (see there) with any whitespace
/// around it, which is trimmed — so the schema has no `format: email`, which allows none; every address the
/// pattern allows is one once trimmed (a test holds the two together).
pub const EMAIL_PATTERN: &str = concat!(
    "^",
    pam_kernel::pattern_piece!(spaces),
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*",
    "@",
    r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+",
    pam_kernel::pattern_piece!(spaces),
    "$"
);

/// The schema of an address read with [`Email::parse`] (`#[schema(value_type = EmailAddress)]`).
pub struct EmailAddress;

impl utoipa::PartialSchema for EmailAddress {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        pam_kernel::text::pattern_schema(
            EMAIL_PATTERN,
            "An email address of the common form (dot-atom local part, a domain with a dot), at most 254 bytes",
            "robyn@example.com",
        )
        .max_length(Some(254))
        .into()
    }
}

impl ToSchema for EmailAddress {}

/// A password that meets the requirements; never printed.
pub struct Password(String);

impl Password {
    pub fn parse(raw: &str) -> Result<Password, String> {
        let chars = raw.chars().count();
        if chars < MIN_PASSWORD_CHARS {
            Err(format!("Password must be at least {MIN_PASSWORD_CHARS} characters"))
        } else if chars > MAX_PASSWORD_CHARS {
            Err(format!("Password must be at most {MAX_PASSWORD_CHARS} characters"))
        } else {
            Ok(Password(raw.to_string()))
        }
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

#[derive(Serialize, ToSchema)]
pub struct PasswordRequirements {
    pub min_length: usize,
    pub max_length: usize,
    pub requires_uppercase: bool,
    pub requires_lowercase: bool,
    pub requires_digit: bool,
    pub requires_symbol: bool,
    pub hashing: &'static str,
    pub description: &'static str,
}

pub fn requirements() -> PasswordRequirements {
    PasswordRequirements {
        min_length: MIN_PASSWORD_CHARS,
        max_length: MAX_PASSWORD_CHARS,
        requires_uppercase: false,
        requires_lowercase: false,
        requires_digit: false,
        requires_symbol: false,
        hashing: "argon2id",
        description: "8 to 128 characters. A long passphrase is stronger than a short complex password.",
    }
}

/// Argon2 runs are deliberately slow and memory-hungry: at most one per core at a time, the rest wait
/// their turn instead of filling the blocking pool (a burst of logins cannot starve the server).
static HASHING: std::sync::LazyLock<tokio::sync::Semaphore> = std::sync::LazyLock::new(|| {
    tokio::sync::Semaphore::new(std::thread::available_parallelism().map(usize::from).unwrap_or(2))
});

/// Runs one Argon2 job on a blocking thread once a hashing slot is free.
async fn with_hashing_slot<T: Send + 'static>(job: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
    let _slot = HASHING.acquire().await.map_err(|e| AppError::Internal(e.into()))?;
    tokio::task::spawn_blocking(job).await.map_err(|e| AppError::Internal(e.into()))
}

/// Hashes with Argon2id on a blocking thread (it is deliberately slow).
pub async fn hash(password: Password) -> Result<String, AppError> {
    with_hashing_slot(move || Argon2::default().hash_password(password.0.as_bytes()).map(|h| h.to_string()))
        .await?
        .map_err(|e| AppError::Internal(anyhow::anyhow!("hashing a password: {e}")))
}

/// A hash of a random password, checked against when no account matches, so a login for an unknown
/// email takes as long as one with a wrong password (no user enumeration by timing).
static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    Argon2::default()
        .hash_password(crate::config::random_token(24).as_bytes())
        .map(|h| h.to_string())
        .unwrap_or_default()
});

/// True when `password` matches `stored` (or, with no stored hash, after spending the same time). A
/// password longer than any we accept cannot match and is refused before hashing: its cost would be the
/// caller's to choose.
pub async fn verify(password: String, stored: Option<String>) -> bool {
    if password.chars().count() > MAX_PASSWORD_CHARS {
        return false;
    }
    with_hashing_slot(move || {
        let stored = stored.unwrap_or_else(|| DUMMY_HASH.clone());
        let matches = PasswordHash::new(&stored)
            .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
            .unwrap_or(false);
        matches && stored != *DUMMY_HASH
    })
    .await
    .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_parsed_and_lowercased() {
        assert_eq!(Email::parse("  Ann@Example.COM ").unwrap().as_str(), "ann@example.com");
        for bad in ["", "ann", "ann@", "@example.com", "ann@example", "a b@example.com", "ann@@example.com"] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
        for bad in ["b*@c4v8qu.jh8.io*", "a@-b.co", "a@b-.co", "a.@b.co", "a..b@b.co", "\"a b\"@b.co", "é@b.co"] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
        for good in ["a!#$%&'*+/=?^_`{|}~-@b.co", "first.last@sub.example.com.au", "x@1.2"] {
            assert!(Email::parse(good).is_ok(), "{good:?} should be accepted");
        }
        assert!(Email::parse(&format!("{}@b.co", "x".repeat(64))).is_ok());
        assert!(Email::parse(&format!("{}@b.co", "x".repeat(250))).is_err(), "at most 254 bytes in all");
        let full = format!("{}@b.co", "x".repeat(249));
        assert!(Email::parse(&full).is_ok() && Email::parse(&format!(" {full}")).is_err(), "spaces make no room");
        assert!(Email::parse(&format!("a@{}.co", "b".repeat(64))).is_err(), "a label is at most 63 bytes");
    }

    /// The schema the document gives an address (its pattern and `maxLength`) and `Email::parse` agree on
    /// strings built from the characters addresses are made of, with all kinds of space around them; and
    /// what parse accepts is an address by JSON Schema's `format: email` too.
    #[test]
    fn the_documented_schema_accepts_exactly_what_parse_accepts() {
        use proptest::prelude::*;
        let schema = serde_json::to_value(<EmailAddress as utoipa::PartialSchema>::schema()).unwrap();
        let validator = jsonschema::validator_for(&schema).unwrap();
        let email_format = jsonschema::options()
            .should_validate_formats(true)
            .build(&serde_json::json!({"type": "string", "format": "email"}))
            .unwrap();
        let part = "[a-zA-Z0-9.*!_-]{0,5}|[a-z]{60,66}|é";
        let space = "( |\t|\u{a0}|\u{3000}|\u{2028}|\u{7}|)";
        let address = format!("{space}({part})({part})(@?)({part})(\\.?)({part})(\\.?)({part}){space}");
        proptest!(ProptestConfig::with_cases(4000), |(raw in address.as_str())| {
            let parsed = Email::parse(&raw);
            prop_assert_eq!(parsed.is_ok(), validator.is_valid(&serde_json::json!(raw)), "{:?}", raw);
            // An address by the format too (whose only stricter rule is RFC 5321's 64-byte local part).
            if let Some(email) = parsed.ok().filter(|e| e.as_str().split('@').next().is_some_and(|l| l.len() <= 64)) {
                prop_assert!(email_format.is_valid(&serde_json::json!(email.as_str())), "{:?}", raw);
            }
        });
    }

    #[test]
    fn password_length_is_counted_in_characters() {
        assert!(Password::parse("1234567").is_err());
        assert!(Password::parse("12345678").is_ok());
        assert!(Password::parse(&"é".repeat(128)).is_ok());
        assert!(Password::parse(&"x".repeat(129)).is_err());
    }

    #[tokio::test]
    async fn hashes_verify_only_their_password() {
        let hashed = hash(Password::parse("correct horse").unwrap()).await.unwrap();
        assert!(hashed.starts_with("$argon2id$"));
        assert!(verify("correct horse".into(), Some(hashed.clone())).await);
        assert!(!verify("wrong horse!".into(), Some(hashed)).await);
        assert!(!verify("anything".into(), None).await);
        let huge = "x".repeat(1_000_000);
        let started = std::time::Instant::now();
        assert!(!verify(huge, Some(hash(Password::parse("x".repeat(128).as_str()).unwrap()).await.unwrap())).await);
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }

    #[tokio::test]
    async fn hashing_runs_at_most_one_job_per_core_at_a_time() {
        let peak = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let running = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let jobs: Vec<_> = (0..12)
            .map(|_| {
                let (peak, running) = (peak.clone(), running.clone());
                tokio::spawn(with_hashing_slot(move || {
                    let now = running.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                    peak.fetch_max(now, std::sync::atomic::Ordering::SeqCst);
                    std::thread::sleep(std::time::Duration::from_millis(20));
                    running.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
                }))
            })
            .collect();
        for j in jobs {
            j.await.unwrap().unwrap();
        }
        let cores = std::thread::available_parallelism().map(usize::from).unwrap_or(2);
        assert!(peak.load(std::sync::atomic::Ordering::SeqCst) <= cores);
    }
}
