use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{Backend, assert_error, spawn_app, spawn_app_with};
use crate::tokens::{self, claims, hs256, hs256_simple, unsigned};
use pam_testkit::on_both_databases;

pub const SUPABASE_SECRET: &str = "supabase-project-jwt-secret-0123456789abcdef";

on_both_databases!(
    register_login_and_me,
    duplicate_email_is_a_conflict,
    registration_input_is_checked_field_by_field,
    login_does_not_reveal_which_part_was_wrong,
    refresh_rotates_and_reuse_revokes_the_family,
    logout_revokes_one_session_or_all,
    forged_and_broken_tokens_are_refused,
    supabase_user_gets_a_profile_on_first_sight,
    deleted_account_tokens_stop_working,
    auth_is_rate_limited_per_ip_and_failed_logins_per_account,
);

async fn register_login_and_me(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("Traveller@Example.com").await;

    let res = app
        .send_json(
            Method::POST,
            "/api/auth/login",
            None,
            &json!({"email": "traveller@example.com", "password": user.password}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["token_type"], "bearer");
    assert_eq!(body["expires_in"], 3600);
    assert_eq!(body["user"]["email"], "traveller@example.com");
    let token = body["access_token"].as_str().unwrap();

    let me: Value = app.get("/api/auth/me", token).await.json().await.unwrap();
    assert_eq!(me, json!({"id": user.id, "email": "traveller@example.com", "full_name": null, "role": "user"}));

    let requirements: Value = app.get_anonymous("/api/auth/password-requirements").await.json().await.unwrap();
    assert_eq!(requirements["min_length"], 8);
    assert_eq!(requirements["max_length"], 128);
}

async fn duplicate_email_is_a_conflict(backend: Backend) {
    let app = spawn_app(backend).await;
    app.register("ann@example.com").await;
    let res = app
        .send_json(
            Method::POST,
            "/api/auth/register",
            None,
            &json!({"email": "ANN@example.com", "password": "another password"}),
        )
        .await;
    assert_error(res, 409, "conflict").await;
}

async fn registration_input_is_checked_field_by_field(backend: Backend) {
    let app = spawn_app(backend).await;
    let res = app
        .send_json(Method::POST, "/api/auth/register", None, &json!({"email": "not-an-email", "password": "short"}))
        .await;
    let body = assert_error(res, 422, "validation_error").await;
    let locs: Vec<Value> = body["detail"].as_array().unwrap().iter().map(|d| d["loc"].clone()).collect();
    assert!(locs.contains(&json!(["body", "email"])), "{body}");
    assert!(locs.contains(&json!(["body", "password"])), "{body}");

    let res = app.send_json(Method::POST, "/api/auth/register", None, &json!({"email": "a@b.co"})).await;
    let body = assert_error(res, 422, "validation_error").await;
    assert_eq!(body["detail"][0]["loc"], json!(["body", "password"]));
    assert_eq!(body["detail"][0]["type"], "missing");

    let res = app
        .send_json(Method::POST, "/api/auth/register", None, &json!({"email": "a@b.co", "password": 12345678}))
        .await;
    let body = assert_error(res, 422, "validation_error").await;
    assert_eq!(body["detail"][0]["loc"], json!(["body", "password"]));
    assert_eq!(body["detail"][0]["type"], "type_error");
}

async fn login_does_not_reveal_which_part_was_wrong(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("bob@example.com").await;
    let wrong_password = app
        .send_json(Method::POST, "/api/auth/login", None, &json!({"email": user.email, "password": "wrong password"}))
        .await;
    assert_eq!(wrong_password.headers()["www-authenticate"], "Bearer");
    let a = assert_error(wrong_password, 401, "unauthorized").await;
    let unknown = app
        .send_json(
            Method::POST,
            "/api/auth/login",
            None,
            &json!({"email": "nobody@example.com", "password": "wrong password"}),
        )
        .await;
    let b = assert_error(unknown, 401, "unauthorized").await;
    assert_eq!(a, b);
    assert_eq!(a["detail"], "Incorrect email or password");
}

async fn refresh_rotates_and_reuse_revokes_the_family(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("carol@example.com").await;
    let res =
        app.send_json(Method::POST, "/api/auth/refresh", None, &json!({"refresh_token": user.refresh_token})).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    let second = body["refresh_token"].as_str().unwrap().to_string();
    assert_ne!(second, user.refresh_token);
    assert_eq!(app.get("/api/auth/me", body["access_token"].as_str().unwrap()).await.status(), 200);

    // The spent token comes back: someone replayed it. The whole family dies, including the new one.
    let reuse =
        app.send_json(Method::POST, "/api/auth/refresh", None, &json!({"refresh_token": user.refresh_token})).await;
    assert_error(reuse, 401, "unauthorized").await;
    let after = app.send_json(Method::POST, "/api/auth/refresh", None, &json!({"refresh_token": second})).await;
    assert_error(after, 401, "unauthorized").await;

    let garbage = app.send_json(Method::POST, "/api/auth/refresh", None, &json!({"refresh_token": "nope"})).await;
    assert_error(garbage, 401, "unauthorized").await;
}

async fn logout_revokes_one_session_or_all(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("dan@example.com").await;
    let login = async || {
        app.send_json(Method::POST, "/api/auth/login", None, &json!({"email": user.email, "password": user.password}))
            .await
    };
    let second: Value = login().await.json().await.unwrap();
    let third: Value = login().await.json().await.unwrap();

    let res = app
        .send_json(Method::POST, "/api/auth/logout", Some(&user.token), &json!({"refresh_token": user.refresh_token}))
        .await;
    assert_eq!(res.status(), 204);
    let refresh = async |t: &Value| {
        app.send_json(Method::POST, "/api/auth/refresh", None, &json!({"refresh_token": t.as_str().unwrap()})).await
    };
    assert_eq!(refresh(&json!(user.refresh_token)).await.status(), 401);
    let rotated: Value = refresh(&second["refresh_token"]).await.json().await.unwrap();

    // Bearer required, and an empty body is fine.
    let res = app.send(Method::POST, "/api/auth/logout", None, |r| r).await;
    assert_error(res, 401, "unauthorized").await;

    let res = app.send_json(Method::POST, "/api/auth/logout", Some(&user.token), &json!({"all": true})).await;
    assert_eq!(res.status(), 204);
    assert_eq!(refresh(&rotated["refresh_token"]).await.status(), 401);
    assert_eq!(refresh(&third["refresh_token"]).await.status(), 401);
}

async fn forged_and_broken_tokens_are_refused(backend: Backend) {
    let app = spawn_app_with(backend, &[("SUPABASE_JWT_SECRET", SUPABASE_SECRET)]).await;
    let sub = Uuid::new_v4().to_string();
    let good = hs256_simple(SUPABASE_SECRET, &claims(&sub));
    assert_eq!(app.get("/api/auth/me", &good).await.status(), 200, "a valid Supabase token works");

    let mut within_leeway = claims(&sub);
    within_leeway["exp"] = json!(tokens::now() - 10);
    assert_eq!(app.get("/api/auth/me", &hs256_simple(SUPABASE_SECRET, &within_leeway)).await.status(), 200);

    let mut expired = claims(&sub);
    expired["exp"] = json!(tokens::now() - 120);
    let mut wrong_aud = claims(&sub);
    wrong_aud["aud"] = json!("service_role");
    let mut no_sub = claims(&sub);
    no_sub.as_object_mut().unwrap().remove("sub");
    let mut bad_sub = claims(&sub);
    bad_sub["sub"] = json!("not-a-uuid");
    let rsa = tokens::RsaKey::generate("rsa-1");

    let cases = [
        ("wrong key", hs256_simple("some-other-secret-0123456789abcdef0123", &claims(&sub))),
        ("expired beyond leeway", hs256_simple(SUPABASE_SECRET, &expired)),
        ("alg none", unsigned(&claims(&sub))),
        ("aud other than authenticated", hs256_simple(SUPABASE_SECRET, &wrong_aud)),
        ("no sub", hs256_simple(SUPABASE_SECRET, &no_sub)),
        ("sub not a user id", hs256_simple(SUPABASE_SECRET, &bad_sub)),
        (
            "HS256 signed with an RSA public key",
            hs256(&rsa.public_der(), json!({"alg": "HS256", "kid": "rsa-1"}), &claims(&sub)),
        ),
        ("RS256 without any JWKS configured", rsa.sign(&claims(&sub))),
        ("garbage", "not.a.token".to_string()),
    ];
    for (what, token) in cases {
        let res = app.get("/api/auth/me", &token).await;
        assert_eq!(res.status(), 401, "{what} should be 401");
        assert_eq!(res.headers()["www-authenticate"], "Bearer", "{what}");
    }
    let res = app.get_anonymous("/api/auth/me").await;
    assert_error(res, 401, "unauthorized").await;
}

async fn supabase_user_gets_a_profile_on_first_sight(backend: Backend) {
    let app = spawn_app_with(backend, &[("SUPABASE_JWT_SECRET", SUPABASE_SECRET)]).await;
    let sub = Uuid::new_v4();
    let token = hs256_simple(SUPABASE_SECRET, &claims(&sub.to_string()));
    let profile: Value = app.get(&format!("/api/v1/users/{sub}/profile"), &token).await.json().await.unwrap();
    assert_eq!(profile["id"], sub.to_string());
    assert_eq!(profile["role"], "user");
    assert_eq!(profile["timezone"], Value::Null, "a new profile has no time zone until set");

    // app_metadata.role = admin makes a Supabase user an admin.
    let mut admin_claims = claims(&Uuid::new_v4().to_string());
    admin_claims["app_metadata"] = json!({"role": "admin"});
    let admin = hs256_simple(SUPABASE_SECRET, &admin_claims);
    assert_eq!(app.get(&format!("/api/v1/users/{sub}/profile"), &admin).await.status(), 200);
    assert_eq!(
        app.get(
            &format!("/api/v1/users/{sub}/profile"),
            &hs256_simple(SUPABASE_SECRET, &claims(&Uuid::new_v4().to_string()))
        )
        .await
        .status(),
        403
    );
}

async fn deleted_account_tokens_stop_working(backend: Backend) {
    let app = spawn_app_with(backend, &[("SUPABASE_JWT_SECRET", SUPABASE_SECRET)]).await;
    let user = app.register("erin@example.com").await;
    let res = app.delete(&format!("/api/v1/users/{}", user.id), &user.token).await;
    assert_eq!(res.status(), 204);
    assert_error(app.get("/api/auth/me", &user.token).await, 401, "unauthorized").await;
    let login = app
        .send_json(Method::POST, "/api/auth/login", None, &json!({"email": user.email, "password": user.password}))
        .await;
    assert_error(login, 401, "unauthorized").await;
    // The email is free again.
    app.register("erin@example.com").await;

    let sub = Uuid::new_v4();
    let mut c = claims(&sub.to_string());
    c["iat"] = json!(tokens::now() - 5);
    let token = hs256_simple(SUPABASE_SECRET, &c);
    assert_eq!(app.get("/api/auth/me", &token).await.status(), 200);
    let res = app.delete(&format!("/api/v1/users/{sub}"), &token).await;
    assert_eq!(res.status(), 204);
    assert_error(app.get("/api/auth/me", &token).await, 401, "unauthorized").await;
}

async fn auth_is_rate_limited_per_ip_and_failed_logins_per_account(backend: Backend) {
    let app = spawn_app_with(backend, &[("AUTH_RATE_LIMIT_PER_MINUTE", "4"), ("LOGIN_FAILURE_LIMIT", "2")]).await;
    let user = app.register("rita@example.com").await;
    let attempt = async |password: &str| {
        app.send_json(Method::POST, "/api/auth/login", None, &json!({"email": user.email, "password": password})).await
    };
    assert_eq!(attempt("wrong one").await.status(), 401);
    assert_eq!(attempt("wrong two").await.status(), 401);
    // Two failures for this account: even the right password now waits.
    let res = attempt(&user.password).await;
    let retry_after: u64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(retry_after >= 1);
    assert_eq!(res.headers()["x-ratelimit-limit"], "2");
    assert_error(res, 429, "rate_limited").await;

    // The per-IP budget (4/min) is spent by now: register + 3 logins (the refused one counted too).
    let res = app
        .send_json(
            Method::POST,
            "/api/auth/register",
            None,
            &json!({"email": "sam@example.com", "password": "long enough"}),
        )
        .await;
    assert_eq!(res.headers()["x-ratelimit-limit"], "4");
    assert_error(res, 429, "rate_limited").await;
    // Health is never limited.
    assert_eq!(app.get_anonymous("/health").await.status(), 200);
}
