//! Hand-signed JWTs for auth tests: HS256, ES256 and RS256 keys generated in the test, and the forged
//! shapes the verifier must refuse.

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{self, EcdsaKeyPair, KeyPair};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use serde_json::{Value, json};

pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Supabase-shaped claims for `sub`, valid for an hour.
pub fn claims(sub: &str) -> Value {
    json!({"sub": sub, "email": format!("{}@example.com", &sub[..8]), "aud": "authenticated",
           "role": "authenticated", "iat": now(), "exp": now() + 3600})
}

fn signing_input(header: &Value, claims: &Value) -> String {
    format!("{}.{}", B64.encode(header.to_string()), B64.encode(claims.to_string()))
}

pub fn hs256(secret: &[u8], header: Value, claims: &Value) -> String {
    let input = signing_input(&header, claims);
    let key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, secret);
    let tag = aws_lc_rs::hmac::sign(&key, input.as_bytes());
    format!("{input}.{}", B64.encode(tag.as_ref()))
}

pub fn hs256_simple(secret: &str, claims: &Value) -> String {
    hs256(secret.as_bytes(), json!({"alg": "HS256", "typ": "JWT"}), claims)
}

pub fn unsigned(claims: &Value) -> String {
    format!("{}.", signing_input(&json!({"alg": "none", "typ": "JWT"}), claims))
}

pub struct EcKey {
    pub kid: String,
    pair: EcdsaKeyPair,
}

impl EcKey {
    pub fn generate(kid: &str) -> EcKey {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&signature::ECDSA_P256_SHA256_FIXED_SIGNING, &rng).unwrap();
        let pair = EcdsaKeyPair::from_pkcs8(&signature::ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref()).unwrap();
        EcKey { kid: kid.into(), pair }
    }

    pub fn jwk(&self) -> Value {
        let point = self.pair.public_key().as_ref();
        assert_eq!(point.len(), 65, "uncompressed P-256 point");
        json!({"kty": "EC", "crv": "P-256", "kid": self.kid, "alg": "ES256", "use": "sig",
               "x": B64.encode(&point[1..33]), "y": B64.encode(&point[33..65])})
    }

    pub fn sign(&self, claims: &Value) -> String {
        let input = signing_input(&json!({"alg": "ES256", "typ": "JWT", "kid": self.kid}), claims);
        let sig = self.pair.sign(&SystemRandom::new(), input.as_bytes()).unwrap();
        format!("{input}.{}", B64.encode(sig.as_ref()))
    }
}

pub struct RsaKey {
    pub kid: String,
    pair: aws_lc_rs::rsa::KeyPair,
}

impl RsaKey {
    pub fn generate(kid: &str) -> RsaKey {
        RsaKey { kid: kid.into(), pair: aws_lc_rs::rsa::KeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048).unwrap() }
    }

    pub fn jwk(&self) -> Value {
        let public = self.pair.public_key();
        json!({"kty": "RSA", "kid": self.kid, "alg": "RS256", "use": "sig",
               "n": B64.encode(public.modulus().big_endian_without_leading_zero()),
               "e": B64.encode(public.exponent().big_endian_without_leading_zero())})
    }

    /// The public key's bytes as an attacker would find them (the JWK's JSON), for the
    /// algorithm-confusion forgery.
    pub fn public_bytes(&self) -> Vec<u8> {
        self.jwk().to_string().into_bytes()
    }

    pub fn public_der(&self) -> Vec<u8> {
        self.pair.public_key().as_ref().to_vec()
    }

    pub fn sign(&self, claims: &Value) -> String {
        let input = signing_input(&json!({"alg": "RS256", "typ": "JWT", "kid": self.kid}), claims);
        let mut sig = vec![0u8; self.pair.public_modulus_len()];
        self.pair.sign(&signature::RSA_PKCS1_SHA256, &SystemRandom::new(), input.as_bytes(), &mut sig).unwrap();
        format!("{input}.{}", B64.encode(sig))
    }
}
