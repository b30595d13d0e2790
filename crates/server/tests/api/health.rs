use reqwest::Method;
use serde_json::Value;

use crate::helpers::{Backend, spawn_app, try_send_to};
use pam_testkit::on_both_databases;

on_both_databases!(health_and_readiness_report_dependencies);

async fn health_and_readiness_report_dependencies(backend: Backend) {
    let app = spawn_app(backend.clone()).await;
    let res = app.get_anonymous("/health").await;
    assert_eq!(res.headers()["content-type"], "application/json");
    let health: Value = res.json().await.unwrap();
    assert_eq!(health["status"], "healthy");
    assert_eq!(health["service"], "pam-backend");
    assert_eq!(health["environment"], "development");
    assert!(health["timestamp"].as_str().unwrap().ends_with('Z'));
    assert_eq!(app.get_anonymous("/health/live").await.status(), 200);

    for path in ["/health/ready", "/api/health"] {
        let res = app.get_anonymous(path).await;
        assert_eq!(res.status(), 200, "{path}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["status"], "ready");
        assert_eq!(body["dependencies"][0]["name"], "database");
        assert_eq!(body["dependencies"][0]["status"], "ok");
    }

    app.db().close().await;
    let res = app.get_anonymous("/health/ready").await;
    assert_eq!(res.status(), 503);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["status"], "not_ready");
    assert_eq!(body["dependencies"][0]["status"], "unavailable");
    assert_eq!(app.get_anonymous("/health").await.status(), 200, "liveness is unaffected");
}

#[tokio::test]
async fn openapi_describes_every_route_and_docs_are_served() {
    let app = spawn_app(Backend::Sqlite).await;
    let doc: Value = app.get_anonymous("/openapi.json").await.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = doc["paths"].as_object().unwrap();
    for path in [
        "/health",
        "/health/ready",
        "/api/health",
        "/api/auth/register",
        "/api/auth/login",
        "/api/auth/refresh",
        "/api/auth/logout",
        "/api/auth/me",
        "/api/auth/password-requirements",
        "/api/v1/users/{user_id}/profile",
        "/api/v1/users/{user_id}/profile/upload",
        "/api/v1/users/{user_id}/settings",
        "/api/v1/users/{user_id}/privacy",
        "/api/v1/users/{user_id}/stats",
        "/api/v1/users/{user_id}/export",
        "/api/v1/users/{user_id}",
        "/api/v1/expenses",
        "/api/v1/expenses/{id}",
        "/api/v1/budgets",
        "/api/v1/income",
        "/api/v1/wins/summary",
        "/api/v1/wins/budget-status",
        "/api/v1/wins/forecast",
        "/api/v1/wins/savings-opportunities",
        "/api/v1/wins/report",
        "/api/v1/wins/charts/spending.svg",
        "/api/v1/pam/savings/record",
        "/api/v1/pam/monthly-savings",
        "/api/expenses/{user_id}",
        "/api/financial-summary/{user_id}",
        "/api/v1/pam/chat",
        "/api/v1/pam-simple/chat",
        "/api/v1/pam/conversations",
        "/api/v1/pam/history",
        "/api/v1/pam/feedback",
        "/api/v1/pam/tools/list",
        "/api/v1/pam/tools/execute/{tool_name}",
        "/api/v1/pam/tools/confirm/{confirmation_id}",
        "/api/v1/pam/health",
    ] {
        assert!(paths.contains_key(path), "{path} missing from OpenAPI");
    }
    let profile_ops = &paths["/api/v1/users/{user_id}/profile"];
    for m in ["get", "put", "patch"] {
        assert!(profile_ops.get(m).is_some(), "profile {m}");
    }
    assert_eq!(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    for schema in [
        "ErrorBody",
        "ValidationErrorBody",
        "Profile",
        "TokenResponse",
        "ProfileUpdate",
        "NewExpense",
        "Expense",
        "Money",
        "ChatRequest",
    ] {
        assert!(doc["components"]["schemas"].get(schema).is_some(), "schema {schema}");
    }

    let docs = app.get_anonymous("/docs/").await;
    assert_eq!(docs.status(), 200);
    let html = docs.text().await.unwrap();
    assert!(html.to_lowercase().contains("swagger"), "docs page is Swagger UI");
}

on_both_databases!(docs_readiness_and_cors_tell_the_front_end_what_it_needs);

async fn docs_readiness_and_cors_tell_the_front_end_what_it_needs(backend: Backend) {
    let app = spawn_app(backend).await;
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let get = async |path: &str| try_send_to(&client, &app.address, Method::GET, path, None, |r| r).await.unwrap();
    let docs = get("/docs").await;
    assert_eq!(docs.status(), 200, "the page itself, not a redirect");
    assert!(docs.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let page = docs.text().await.unwrap();
    for asset in
        ["/docs/ui/swagger-ui.css", "/docs/ui/swagger-ui-bundle.js", "/docs/ui/swagger-ui-standalone-preset.js"]
    {
        assert!(page.contains(asset), "{asset}");
        assert_eq!(get(asset).await.status(), 200, "{asset} is served");
    }
    let ready: serde_json::Value = app.get_anonymous("/health/ready").await.json().await.unwrap();
    let cache = ready["dependencies"].as_array().unwrap().iter().find(|d| d["name"] == "cache").unwrap().clone();
    assert!(cache["detail"].as_str().unwrap().contains("profiles"), "the cache's real state: {cache}");
    assert!(ready["dependencies"].as_array().unwrap().iter().any(|d| d["name"] == "brain"));
    let res = app
        .send(Method::GET, "/api/auth/password-requirements", None, |r| r.header("origin", "http://localhost:5173"))
        .await;
    let exposed = res.headers()["access-control-expose-headers"].to_str().unwrap().to_string();
    for header in
        ["x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "retry-after", "idempotent-replayed"]
    {
        assert!(exposed.contains(header), "{header} is readable by the browser: {exposed}");
    }
}
