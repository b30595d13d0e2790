//! Supabase JWKS verification against a local fake JWKS server with ES256 and RS256 keys generated here.

use serde_json::json;
use uuid::Uuid;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::{Backend, spawn_app_with};
use crate::tokens::{EcKey, RsaKey, claims, hs256};
use pam_testkit::on_both_databases;

const JWKS_PATH: &str = "/auth/v1/.well-known/jwks.json";

async fn serve_keys(server: &MockServer, keys: serde_json::Value, times: Option<u64>) {
    let mock = Mock::given(method("GET"))
        .and(path(JWKS_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"keys": keys})));
    match times {
        Some(n) => mock.up_to_n_times(n).mount(server).await,
        None => mock.mount(server).await,
    }
}

on_both_databases!(es256_and_rs256_tokens_verify_against_jwks, unknown_kid_refreshes_once_then_refuses);

async fn es256_and_rs256_tokens_verify_against_jwks(backend: Backend) {
    let server = MockServer::start().await;
    let ec = EcKey::generate("ec-1");
    let rsa = RsaKey::generate("rsa-1");
    serve_keys(&server, json!([ec.jwk(), rsa.jwk()]), None).await;
    let app = spawn_app_with(backend, &[("SUPABASE_URL", &server.uri()), ("JWKS_REFRESH_INTERVAL_SECONDS", "0")]).await;

    let sub = Uuid::new_v4().to_string();
    assert_eq!(app.get("/api/auth/me", &ec.sign(&claims(&sub))).await.status(), 200, "ES256");
    assert_eq!(app.get("/api/auth/me", &rsa.sign(&claims(&sub))).await.status(), 200, "RS256");

    // Algorithm confusion: HS256 "signed" with the RSA public key, naming the RSA key's kid.
    for secret in [rsa.public_bytes(), rsa.public_der()] {
        let forged = hs256(&secret, json!({"alg": "HS256", "typ": "JWT", "kid": "rsa-1"}), &claims(&sub));
        assert_eq!(app.get("/api/auth/me", &forged).await.status(), 401, "HS256 with the public key as secret");
    }
    // A token claiming RS256 but naming the EC key's kid.
    let mut mixed = rsa.sign(&claims(&sub));
    mixed = mixed.replacen(
        &mixed[..mixed.find('.').unwrap()],
        &{
            use base64::Engine;
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json!({"alg": "RS256", "kid": "ec-1"}).to_string())
        },
        1,
    );
    assert_eq!(app.get("/api/auth/me", &mixed).await.status(), 401, "key of another family");

    let mut expired = claims(&sub);
    expired["exp"] = json!(crate::tokens::now() - 300);
    assert_eq!(app.get("/api/auth/me", &ec.sign(&expired)).await.status(), 401, "expired ES256");
}

async fn unknown_kid_refreshes_once_then_refuses(backend: Backend) {
    let server = MockServer::start().await;
    let old = EcKey::generate("old");
    let rotated = RsaKey::generate("rotated");
    // First download has only the old key; every later one has both (the project rotated its keys).
    serve_keys(&server, json!([old.jwk()]), Some(1)).await;
    serve_keys(&server, json!([old.jwk(), rotated.jwk()]), None).await;
    let app = spawn_app_with(backend, &[("SUPABASE_URL", &server.uri()), ("JWKS_REFRESH_INTERVAL_SECONDS", "0")]).await;
    let sub = Uuid::new_v4().to_string();

    assert_eq!(app.get("/api/auth/me", &old.sign(&claims(&sub))).await.status(), 200);
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    assert_eq!(app.get("/api/auth/me", &rotated.sign(&claims(&sub))).await.status(), 200, "rotated key after refresh");
    assert_eq!(server.received_requests().await.unwrap().len(), 2, "exactly one refresh for the new kid");
    // Cached now: no more downloads for known keys.
    assert_eq!(app.get("/api/auth/me", &rotated.sign(&claims(&sub))).await.status(), 200);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);

    let stranger = EcKey::generate("stranger");
    assert_eq!(app.get("/api/auth/me", &stranger.sign(&claims(&sub))).await.status(), 401);
    assert_eq!(server.received_requests().await.unwrap().len(), 3, "one refresh for the unknown kid, then refused");
}

on_both_databases!(a_rotated_key_is_picked_up_once_the_spacing_allows);

async fn a_rotated_key_is_picked_up_once_the_spacing_allows(backend: Backend) {
    let server = MockServer::start().await;
    let old = EcKey::generate("old");
    let rotated = EcKey::generate("rotated");
    serve_keys(&server, json!([old.jwk()]), Some(1)).await;
    serve_keys(&server, json!([old.jwk(), rotated.jwk()]), None).await;
    let app = spawn_app_with(backend, &[("SUPABASE_URL", &server.uri()), ("JWKS_REFRESH_INTERVAL_SECONDS", "1")]).await;
    let sub = Uuid::new_v4().to_string();
    assert_eq!(app.get("/api/auth/me", &old.sign(&claims(&sub))).await.status(), 200);
    // Right after a download the spacing holds: the unknown key is refused without another download.
    assert_eq!(app.get("/api/auth/me", &rotated.sign(&claims(&sub))).await.status(), 401);
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(app.get("/api/auth/me", &rotated.sign(&claims(&sub))).await.status(), 200, "picked up on first use");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

on_both_databases!(an_unreachable_key_set_keeps_known_keys_and_spaces_downloads);

async fn an_unreachable_key_set_keeps_known_keys_and_spaces_downloads(backend: Backend) {
    let server = MockServer::start().await;
    let known = EcKey::generate("known");
    let rotated = EcKey::generate("rotated");
    // Downloads in turn: the first works, the second fails (Supabase unreachable), later ones also hold a
    // key rotated in meanwhile.
    serve_keys(&server, json!([known.jwk()]), Some(1)).await;
    Mock::given(method("GET"))
        .and(path(JWKS_PATH))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    serve_keys(&server, json!([known.jwk(), rotated.jwk()]), None).await;
    let app = spawn_app_with(backend, &[("SUPABASE_URL", &server.uri()), ("JWKS_REFRESH_INTERVAL_SECONDS", "2")]).await;
    let downloads = async || server.received_requests().await.unwrap().len();
    let sub = Uuid::new_v4().to_string();
    let spacing = std::time::Duration::from_millis(2100);

    assert_eq!(app.get("/api/auth/me", &known.sign(&claims(&sub))).await.status(), 200);
    assert_eq!(downloads().await, 1);
    tokio::time::sleep(spacing).await;
    // The spacing allows a download for the unknown key; it fails.
    assert_eq!(app.get("/api/auth/me", &rotated.sign(&claims(&sub))).await.status(), 401);
    assert_eq!(downloads().await, 2);
    // That failed attempt counts: the key and random ones, all at once, do not each download again.
    let mut tokens: Vec<String> =
        (0..8).map(|i| EcKey::generate(&format!("stranger-{i}")).sign(&claims(&sub))).collect();
    tokens.extend((0..4).map(|_| rotated.sign(&claims(&sub))));
    let answers = futures::future::join_all(tokens.iter().map(|t| app.get("/api/auth/me", t))).await;
    assert!(answers.iter().all(|r| r.status() == 401));
    assert_eq!(downloads().await, 2, "no download while the last attempt is within the spacing");
    // The keys already known are still served.
    assert_eq!(app.get("/api/auth/me", &known.sign(&claims(&sub))).await.status(), 200, "the known key still works");
    // Once the spacing allows, the rotated key is picked up on its first use.
    tokio::time::sleep(spacing).await;
    assert_eq!(app.get("/api/auth/me", &rotated.sign(&claims(&sub))).await.status(), 200);
    assert_eq!(downloads().await, 3);
}
