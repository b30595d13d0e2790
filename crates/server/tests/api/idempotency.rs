//! `Idempotency-Key` on unsafe POSTs: a repeat returns the first response and changes nothing.

use reqwest::Method;
use serde_json::Value;

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
    app.request(Method::POST, &format!("/api/v1/users/{}/profile/upload", user.id), Some(&user.token))
        .header("content-type", "multipart/form-data; boundary=XBOUNDARY")
        .header("idempotency-key", key)
        .body(body)
        .send()
        .await
        .unwrap()
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
