//! `Idempotency-Key` on unsafe POSTs: a repeat returns the first response and changes nothing.

use chrono::{DateTime, Utc};
use pam_server::http::idempotency::CLAIM_LEASE;
use pam_store::with_db;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, TestUser, assert_error, spawn_app};
use crate::profiles::PNG;
use pam_testkit::on_both_databases;

on_both_databases!(a_repeated_key_replays_the_first_response);

fn upload_body(field_type: &str) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(b"--XBOUNDARY\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n");
    body.extend_from_slice(PNG);
    body.extend_from_slice(format!("\r\n--XBOUNDARY\r\nContent-Disposition: form-data; name=\"field_type\"\r\n\r\n{field_type}\r\n--XBOUNDARY--\r\n").as_bytes());
    body
}

async fn upload(app: &TestApp, user: &TestUser, key: &str, body: Vec<u8>) -> reqwest::Response {
    let path = format!("/api/v1/users/{}/profile/upload", user.id);
    app.send(Method::POST, &path, Some(&user.token), |r| {
        r.header("content-type", "multipart/form-data; boundary=XBOUNDARY").header("idempotency-key", key).body(body)
    })
    .await
}

fn stored_files(app: &TestApp, user: &TestUser) -> usize {
    let dir = app.state.config.uploads_dir().join(user.id.to_string());
    std::fs::read_dir(dir).map(|d| d.count()).unwrap_or(0)
}

async fn a_repeated_key_replays_the_first_response(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("pia@example.com").await;
    let first = upload(&app, &user, "key-1", upload_body("profile_image")).await;
    assert_eq!(first.status(), 201);
    let first_body: Value = first.json().await.unwrap();
    let repeat = upload(&app, &user, "key-1", upload_body("profile_image")).await;
    assert_eq!(repeat.status(), 201);
    assert_eq!(repeat.headers()["idempotent-replayed"], "true");
    let repeat_body: Value = repeat.json().await.unwrap();
    assert_eq!(first_body, repeat_body, "the stored body, not a second upload");
    assert_eq!(stored_files(&app, &user), 1, "the repeat stored nothing");

    // The same key with a different request is refused rather than silently replayed.
    let other = upload(&app, &user, "key-1", upload_body("partner_profile_image")).await;
    assert_error(other, 409, "conflict").await;
    // Keys are per user: another user's identical key is independent.
    let someone = app.register("quinn@example.com").await;
    assert_eq!(upload(&app, &someone, "key-1", upload_body("profile_image")).await.status(), 201);
    // A new key makes a new upload, and the picture it replaces is deleted.
    let second = upload(&app, &user, "key-2", upload_body("profile_image")).await;
    assert_eq!(second.status(), 201);
    let second_url = second.json::<Value>().await.unwrap()["url"].as_str().unwrap().to_string();
    assert_ne!(second_url, first_body["url"].as_str().unwrap());
    assert_eq!(stored_files(&app, &user), 1, "the replaced picture is gone");
    let old = app.get(first_body["url"].as_str().unwrap(), &user.token).await;
    assert_eq!(old.status(), 404);
    assert_eq!(app.get(&second_url, &user.token).await.status(), 200);
}

on_both_databases!(a_users_picture_folder_is_capped);

async fn a_users_picture_folder_is_capped(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("hoarder@example.com").await;
    // Leftovers a crash could leave: files with names this server writes.
    let dir = app.state.config.uploads_dir().join(user.id.to_string());
    std::fs::create_dir_all(&dir).unwrap();
    for i in 0..8 {
        std::fs::write(dir.join(format!("partner-{:032x}.png", i)), b"\x89PNG\r\n\x1a\n").unwrap();
    }
    // The folder is full of files the profile does not show: they make room for a real upload.
    let res = upload(&app, &user, "cap-1", upload_body("profile_image")).await;
    assert_eq!(res.status(), 201);
    assert_eq!(stored_files(&app, &user), 1, "the leftovers were cleared, the new picture kept");
    // A picture the profile shows is never cleared to make room.
    for i in 0..7 {
        std::fs::write(dir.join(format!("partner-{:032x}.png", 100 + i)), b"x").unwrap();
    }
    let shown: Value = app.get(&format!("/api/v1/users/{}/profile", user.id), &user.token).await.json().await.unwrap();
    let name = shown["profile_image_url"].as_str().unwrap().rsplit('/').next().unwrap().to_string();
    let res = upload(&app, &user, "cap-2", upload_body("partner_profile_image")).await;
    assert_eq!(res.status(), 201);
    assert!(dir.join(&name).exists(), "the profile picture in use survived the clean-up");
    assert_eq!(stored_files(&app, &user), 2, "the profile picture and the new partner picture");
}

on_both_databases!(
    a_claim_whose_worker_vanished_is_taken_over_after_its_lease,
    a_server_error_releases_the_key_for_a_retry,
    a_panic_or_an_unreadable_response_releases_the_key,
);

async fn post_expense(app: &TestApp, user: &TestUser, key: &str, body: &Value) -> reqwest::Response {
    app.send(Method::POST, "/api/v1/expenses", Some(&user.token), |r| r.header("idempotency-key", key).json(body)).await
}

/// The claim row of a key: `(status_code, claimed_at)`, or None when there is none.
async fn claim_of(app: &TestApp, user: &TestUser, key: &str) -> Option<(Option<i32>, Option<DateTime<Utc>>)> {
    with_db!(app.db(), |pool| {
        sqlx::query_as("SELECT status_code, claimed_at FROM idempotency_keys WHERE user_id = $1 AND idem_key = $2")
            .bind(user.id)
            .bind(key)
            .fetch_optional(pool)
            .await
    })
    .unwrap()
}

async fn a_claim_whose_worker_vanished_is_taken_over_after_its_lease(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("vanished@example.com").await;
    let body = json!({"amount": 4.5, "category": "coffee"});
    // The same request under another key: its row holds the request's fingerprint.
    assert_eq!(post_expense(&app, &user, "probe", &body).await.status(), 201);
    // Claims of this request whose worker died before the handler ran (the process was killed): one claimed
    // just now, one claimed longer ago than the lease, and one from before claims had a time.
    let now = Utc::now();
    let stale = now - CLAIM_LEASE - chrono::Duration::seconds(5);
    for (key, claimed_at) in [("fresh", Some(now)), ("stale", Some(stale)), ("untimed", None)] {
        with_db!(app.db(), |pool| {
            sqlx::query(
                "INSERT INTO idempotency_keys (user_id, idem_key, method, path, request_hash, created_at, claimed_at) \
                 SELECT user_id, $2, method, path, request_hash, $3, $4 FROM idempotency_keys \
                 WHERE user_id = $1 AND idem_key = 'probe'",
            )
            .bind(user.id)
            .bind(key)
            .bind(stale)
            .bind(claimed_at)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })
        .unwrap();
    }
    // A claim within its lease may still be running somewhere: the repeat waits rather than runs.
    let waiting = app
        .try_send(Method::POST, "/api/v1/expenses", Some(&user.token), |r| {
            r.header("idempotency-key", "fresh").json(&body).timeout(std::time::Duration::from_millis(1500))
        })
        .await;
    assert!(waiting.is_err(), "a claim within its lease is not taken over: {waiting:?}");
    assert_eq!(app.rows("expenses", user.id).await, 1);
    // Past the lease (or with no claim time at all) the repeat takes the claim over, runs, and stores.
    for key in ["stale", "untimed"] {
        let res = post_expense(&app, &user, key, &body).await;
        assert_eq!(res.status(), 201, "{key}");
        assert!(!res.headers().contains_key("idempotent-replayed"), "{key} ran");
        let first: Value = res.json().await.unwrap();
        let (status, claimed_at) = claim_of(&app, &user, key).await.expect("the claim row");
        assert_eq!(status, Some(201), "{key}: the response is stored");
        assert!(claimed_at.is_some_and(|t| t > stale), "{key}: claimed anew");
        let again = post_expense(&app, &user, key, &body).await;
        assert_eq!(again.headers()["idempotent-replayed"], "true", "{key}: a further repeat replays");
        assert_eq!(again.json::<Value>().await.unwrap(), first);
    }
    assert_eq!(app.rows("expenses", user.id).await, 3, "the probe and one run for each taken-over claim");
}

async fn a_server_error_releases_the_key_for_a_retry(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("fivehundred@example.com").await;
    let body = json!({"amount": 12, "category": "fuel"});
    // The store fails under the handler: the answer is a 500, which is not final.
    app.rename_table("expenses", "expenses_elsewhere").await;
    let failed = post_expense(&app, &user, "retry-me", &body).await;
    assert_eq!(failed.status(), 500);
    assert_eq!(claim_of(&app, &user, "retry-me").await, None, "the claim is released, not stored");
    app.rename_table("expenses_elsewhere", "expenses").await;
    // The retry runs (it is not the 500 replayed) and its answer is the one stored.
    let retried = post_expense(&app, &user, "retry-me", &body).await;
    assert_eq!(retried.status(), 201);
    assert!(!retried.headers().contains_key("idempotent-replayed"));
    assert_eq!(claim_of(&app, &user, "retry-me").await.unwrap().0, Some(201));
    assert_eq!(post_expense(&app, &user, "retry-me", &body).await.headers()["idempotent-replayed"], "true");
    assert_eq!(app.rows("expenses", user.id).await, 1);
}

async fn falls_over() {
    panic!("the handler fell over")
}

/// Handlers the real routes do not have (one that panics, one whose body cannot be read) behind the
/// idempotency store of the running app, with its real database.
async fn a_panic_or_an_unreadable_response_releases_the_key(backend: Backend) {
    use axum::body::Body;
    use axum::routing::post;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    let app = spawn_app(backend).await;
    let user = app.register("panicky@example.com").await;
    let runs: Arc<AtomicUsize> = Arc::default();
    let (panics, breaks) = (runs.clone(), runs.clone());
    let router = axum::Router::new()
        .route(
            "/panics",
            post(move || {
                panics.fetch_add(1, Ordering::SeqCst);
                falls_over()
            }),
        )
        .route(
            "/breaks",
            post(move || {
                breaks.fetch_add(1, Ordering::SeqCst);
                // A body that fails while it is read (a stream that broke halfway).
                let broken = futures::stream::once(async { Err::<bytes::Bytes, _>(std::io::Error::other("broke")) });
                async { Body::from_stream(broken) }
            }),
        );
    let send = |path: &'static str, key: &'static str| {
        let request = axum::http::Request::post(path)
            .header("authorization", format!("Bearer {}", user.token))
            .header("idempotency-key", key)
            .body(Body::from("{}"))
            .unwrap();
        pam_server::http::idempotency::handle(app.state.clone(), request, router.clone())
    };
    for (path, key) in [("/panics", "p-1"), ("/breaks", "b-1")] {
        let before = runs.load(Ordering::SeqCst);
        for attempt in 1..=2 {
            let response = send(path, key).await;
            assert_eq!(response.status(), 500, "{path}, attempt {attempt}");
            assert!(response.headers().get("idempotent-replayed").is_none(), "{path}: nothing was stored to replay");
            assert_eq!(claim_of(&app, &user, key).await, None, "{path}: the claim is released");
        }
        assert_eq!(runs.load(Ordering::SeqCst), before + 2, "{path}: the retry ran the handler again");
    }
}
