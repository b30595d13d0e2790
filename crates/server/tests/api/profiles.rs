use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{Backend, assert_error, spawn_app};
use pam_testkit::on_both_databases;

/// A 1×1 PNG.
pub const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0A, 0x49,
    0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00,
    0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

on_both_databases!(
    profile_is_read_patched_and_replaced,
    profile_input_is_validated,
    another_users_profile_is_forbidden_but_admins_may,
    settings_and_privacy_patch_partially,
    picture_upload_is_sniffed_limited_and_served,
    stats_and_export_cover_the_account,
);

async fn profile_is_read_patched_and_replaced(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("fay@example.com").await;
    let path = format!("/api/v1/users/{}/profile", user.id);
    let profile: Value = app.get(&path, &user.token).await.json().await.unwrap();
    assert_eq!(profile["currency"], "AUD", "region AU defaults the currency");
    assert_eq!(profile["preferred_units"], "metric");

    let patch = json!({"full_name": "Fay Nomad", "timezone": "Australia/Perth", "travel_style": ["slow", "solo", "slow"],
                       "current_latitude": -31.95, "current_longitude": 115.86, "vehicle": {"type": "motorhome", "length_m": 7.2}});
    let res = app.send_json(Method::PATCH, &path, Some(&user.token), &patch).await;
    assert_eq!(res.status(), 200);
    let patched: Value = res.json().await.unwrap();
    assert_eq!(patched["full_name"], "Fay Nomad");
    assert_eq!(patched["timezone"], "Australia/Perth");
    assert_eq!(patched["travel_style"], json!(["slow", "solo"]));
    assert_eq!(patched["vehicle"]["length_m"], 7.2);
    assert_eq!(patched["currency"], "AUD", "untouched by PATCH");

    // null clears one field; others stay.
    let cleared: Value =
        app.send_json(Method::PATCH, &path, Some(&user.token), &json!({"timezone": null})).await.json().await.unwrap();
    assert_eq!(cleared["timezone"], Value::Null);
    assert_eq!(cleared["full_name"], "Fay Nomad");

    // PUT replaces: what is left out returns to its default.
    let replaced: Value = app
        .send_json(
            Method::PUT,
            &path,
            Some(&user.token),
            &json!({"nickname": "Fay", "currency": "usd", "preferred_units": "imperial"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(replaced["nickname"], "Fay");
    assert_eq!(replaced["currency"], "USD");
    assert_eq!(replaced["preferred_units"], "imperial");
    assert_eq!(replaced["full_name"], Value::Null);
    assert_eq!(replaced["travel_style"], json!([]));

    let reread: Value = app.get(&path, &user.token).await.json().await.unwrap();
    assert_eq!(reread["nickname"], "Fay", "stored, not just echoed");
}

async fn profile_input_is_validated(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("gus@example.com").await;
    let path = format!("/api/v1/users/{}/profile", user.id);
    let cases = [
        (json!({"timezone": "Mars/Olympus"}), json!(["body", "timezone"]), "value_error"),
        (json!({"currency": "dollars"}), json!(["body", "currency"]), "value_error"),
        (json!({"current_latitude": 123.0}), json!(["body", "current_latitude"]), "value_error"),
        (json!({"preferred_units": "furlongs"}), json!(["body", "preferred_units"]), "enum"),
        (json!({"full_name": 42}), json!(["body", "full_name"]), "type_error"),
        (json!({"interests": "hiking"}), json!(["body", "interests"]), "type_error"),
        (json!({"nickname": "x".repeat(101)}), json!(["body", "nickname"]), "value_error"),
    ];
    for (body, loc, kind) in cases {
        let res = app.send_json(Method::PATCH, &path, Some(&user.token), &body).await;
        let err = assert_error(res, 422, "validation_error").await;
        assert_eq!(err["detail"][0]["loc"], loc, "{body}");
        assert_eq!(err["detail"][0]["type"], kind, "{body}");
    }
    let untouched: Value = app.get(&path, &user.token).await.json().await.unwrap();
    assert_eq!(untouched["timezone"], Value::Null, "a refused update changes nothing");
}

async fn another_users_profile_is_forbidden_but_admins_may(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.register("hal@example.com").await;
    let other = app.register("ivy@example.com").await;
    for suffix in ["profile", "settings", "privacy", "stats", "export"] {
        let res = app.get(&format!("/api/v1/users/{}/{suffix}", owner.id), &other.token).await;
        assert_error(res, 403, "forbidden").await;
    }
    let res = app
        .send_json(
            Method::PATCH,
            &format!("/api/v1/users/{}/profile", owner.id),
            Some(&other.token),
            &json!({"nickname": "pwned"}),
        )
        .await;
    assert_error(res, 403, "forbidden").await;
    let res = app.delete(&format!("/api/v1/users/{}", owner.id), &other.token).await;
    assert_error(res, 403, "forbidden").await;

    app.make_admin(other.id).await;
    assert_eq!(app.get(&format!("/api/v1/users/{}/profile", owner.id), &other.token).await.status(), 200);
    let missing = uuid::Uuid::new_v4();
    let res = app
        .send_json(
            Method::PATCH,
            &format!("/api/v1/users/{missing}/profile"),
            Some(&other.token),
            &json!({"nickname": "x"}),
        )
        .await;
    assert_error(res, 404, "not_found").await;
}

async fn settings_and_privacy_patch_partially(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("jay@example.com").await;
    let settings_path = format!("/api/v1/users/{}/settings", user.id);
    let defaults: Value = app.get(&settings_path, &user.token).await.json().await.unwrap();
    assert_eq!(defaults["display"]["theme"], "system");
    assert_eq!(defaults["notifications"]["budget_alerts"], true);

    let res = app
        .send_json(
            Method::PATCH,
            &settings_path,
            Some(&user.token),
            &json!({"display": {"theme": "dark"}, "pam": {"auto_speak": true}}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let saved: Value = app.get(&settings_path, &user.token).await.json().await.unwrap();
    assert_eq!(saved["display"]["theme"], "dark");
    assert_eq!(saved["display"]["font_size"], "medium", "other fields of the section keep their values");
    assert_eq!(saved["pam"]["auto_speak"], true);
    assert_eq!(saved["notifications"], defaults["notifications"]);

    let res =
        app.send_json(Method::PATCH, &settings_path, Some(&user.token), &json!({"display": {"theme": "neon"}})).await;
    let err = assert_error(res, 422, "validation_error").await;
    assert_eq!(err["detail"][0]["loc"][1], "display");
    // Unknown sections and fields are ignored, as FastAPI does; the known ones still apply.
    let body = json!({"colours": {}, "display": {"theme": "light", "sparkles": true}});
    let res = app.send_json(Method::PATCH, &settings_path, Some(&user.token), &body).await;
    assert_eq!(res.status(), 200);
    let saved: Value = res.json().await.unwrap();
    assert_eq!(saved["display"]["theme"], "light");
    assert!(saved["display"].get("sparkles").is_none() && saved.get("colours").is_none(), "{saved}");

    let privacy_path = format!("/api/v1/users/{}/privacy", user.id);
    let privacy: Value = app.get(&privacy_path, &user.token).await.json().await.unwrap();
    assert_eq!(privacy["location_sharing"], false, "location is private by default");
    let updated: Value = app
        .send_json(
            Method::PATCH,
            &privacy_path,
            Some(&user.token),
            &json!({"profile_visibility": "private", "location_sharing": true}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(updated["profile_visibility"], "private");
    assert_eq!(updated["location_sharing"], true);
    assert_eq!(updated["allow_messages"], "friends");
    let res =
        app.send_json(Method::PATCH, &privacy_path, Some(&user.token), &json!({"allow_messages": "strangers"})).await;
    let err = assert_error(res, 422, "validation_error").await;
    assert_eq!(err["detail"][0]["type"], "enum");
}

async fn picture_upload_is_sniffed_limited_and_served(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("kim@example.com").await;
    let path = format!("/api/v1/users/{}/profile/upload", user.id);
    let upload = async |bytes: Vec<u8>, declared: &'static str| {
        let part = reqwest::multipart::Part::bytes(bytes).file_name("me.png").mime_str(declared).unwrap();
        let form = reqwest::multipart::Form::new().part("file", part).text("field_type", "profile_image");
        app.send(Method::POST, &path, Some(&user.token), |r| r.multipart(form)).await
    };
    let res = upload(PNG.to_vec(), "image/png").await;
    assert_eq!(res.status(), 201);
    let body: Value = res.json().await.unwrap();
    let url = body["url"].as_str().unwrap().to_string();
    assert_eq!(body["profile"]["profile_image_url"], url);
    let served = app.get_anonymous(&url).await;
    assert_eq!(served.status(), 200);
    assert_eq!(served.headers()["content-type"], "image/png");
    assert_eq!(served.bytes().await.unwrap().as_ref(), PNG);

    // Declared as PNG, but it is a script: refused by content.
    let res = upload(b"<script>alert(1)</script>".to_vec(), "image/png").await;
    assert_error(res, 415, "unsupported_media_type").await;
    let mut big = PNG.to_vec();
    big.resize(5 * 1024 * 1024 + 1, 0);
    let res = upload(big, "image/png").await;
    assert_error(res, 413, "payload_too_large").await;

    let res = app.get_anonymous(&format!("/api/v1/uploads/{}/..%2Fpam.db", user.id)).await;
    assert_error(res, 404, "not_found").await;
}

async fn stats_and_export_cover_the_account(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("lou@example.com").await;
    app.send_json(
        Method::PATCH,
        &format!("/api/v1/users/{}/profile", user.id),
        Some(&user.token),
        &json!({"full_name": "Lou"}),
    )
    .await;
    let stats: Value = app.get(&format!("/api/v1/users/{}/stats", user.id), &user.token).await.json().await.unwrap();
    assert_eq!(stats["active_sessions"], 1);
    assert_eq!(stats["account_age_days"], 0);
    assert!(stats["profile_completeness"].as_u64().unwrap() > 0);

    let res = app.get(&format!("/api/v1/users/{}/export", user.id), &user.token).await;
    assert!(res.headers()["content-disposition"].to_str().unwrap().contains("attachment"));
    let export: Value = res.json().await.unwrap();
    assert_eq!(export["account"]["email"], "lou@example.com");
    assert_eq!(export["profile"]["full_name"], "Lou");
    assert_eq!(export["settings"]["display"]["theme"], "system");
    assert_eq!(export["sessions"].as_array().unwrap().len(), 1);
    assert!(!export.to_string().contains("argon2"), "the password hash is never exported");
}
