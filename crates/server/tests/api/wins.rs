//! Wins — money: every route's happy path and refusals, on SQLite and Postgres.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, TestUser, assert_error, spawn_app};
use pam_testkit::on_both_databases;

on_both_databases!(
    expense_crud_and_filters,
    money_rules_are_enforced_with_422,
    another_users_records_are_not_found,
    budgets_are_unique_per_category,
    income_crud,
    dimes_sum_exactly_and_many_amounts_sum_exactly,
    concurrent_creates_all_land_and_idempotency_stores_one,
    seed_compatible_routes_guard_the_user_id,
    list_limits_are_checked,
);

pub async fn post(app: &TestApp, user: &TestUser, path: &str, body: Value) -> reqwest::Response {
    app.send_json(Method::POST, path, Some(&user.token), &body).await
}

pub async fn expense(app: &TestApp, user: &TestUser, body: Value) -> Value {
    let res = post(app, user, "/api/v1/expenses", body).await;
    assert_eq!(res.status(), 201);
    res.json().await.unwrap()
}

async fn expense_crud_and_filters(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("wendy@example.com").await;
    let diesel = expense(
        &app,
        &user,
        json!({"amount": 42.5, "category": "Diesel", "description": "Dubbo servo",
        "date": "2026-03-02", "tags": ["Trip", "trip"], "location": "Dubbo NSW"}),
    )
    .await;
    assert_eq!(diesel["amount"], 42.5);
    assert_eq!(diesel["category"], "Diesel", "the user's own category, as written");
    assert_eq!(diesel["currency"], "AUD", "the user's currency");
    assert_eq!(diesel["tags"], json!(["trip"]));
    let park = expense(&app, &user, json!({"amount": "35", "category": " RV  Parks ", "date": "2026-03-05"})).await;
    assert_eq!(park["category"], "RV Parks", "trimmed, spacing collapsed, case kept");
    let today = expense(&app, &user, json!({"amount": 7, "category": "Coffee"})).await;
    assert_eq!(today["category"], "Coffee");
    assert_eq!(today["date"].as_str().unwrap(), chrono::Utc::now().date_naive().to_string(), "UTC until a zone is set");

    let list: Value = app.get("/api/v1/expenses", &user.token).await.json().await.unwrap();
    assert_eq!(list["total"], 3);
    assert_eq!(list["total_amount"], 84.5);
    assert_eq!(list["limit"], 50);
    let fuel: Value = app.get("/api/v1/expenses?category=DIESEL", &user.token).await.json().await.unwrap();
    assert_eq!(fuel["total"], 1, "filters match without regard to case");
    let parks: Value = app.get("/api/v1/expenses?category=rv%20parks", &user.token).await.json().await.unwrap();
    assert_eq!(parks["expenses"][0]["category"], "RV Parks");
    let other: Value = app.get("/api/v1/expenses?category=petrol", &user.token).await.json().await.unwrap();
    assert_eq!(other["total"], 0, "a different word is a different category");
    let march: Value =
        app.get("/api/v1/expenses?start_date=2026-03-03&end_date=2026-03-31", &user.token).await.json().await.unwrap();
    assert_eq!(march["expenses"][0]["id"], park["id"]);
    assert_eq!(march["total"], 1);
    let paged: Value = app.get("/api/v1/expenses?limit=1&offset=1", &user.token).await.json().await.unwrap();
    assert_eq!(paged["expenses"].as_array().unwrap().len(), 1);
    assert_eq!(paged["total"], 3, "total counts all matches");

    let id = diesel["id"].as_str().unwrap();
    let got: Value = app.get(&format!("/api/v1/expenses/{id}"), &user.token).await.json().await.unwrap();
    assert_eq!(got, diesel);
    let patched: Value = app
        .send_json(
            Method::PATCH,
            &format!("/api/v1/expenses/{id}"),
            Some(&user.token),
            &json!({"amount": 40.1, "description": null}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(patched["amount"], 40.1);
    assert_eq!(patched["description"], Value::Null);
    assert_eq!(patched["category"], "Diesel");
    let res = app.delete(&format!("/api/v1/expenses/{id}"), &user.token).await;
    assert_eq!(res.status(), 204);
    assert_error(app.get(&format!("/api/v1/expenses/{id}"), &user.token).await, 404, "not_found").await;
}

async fn money_rules_are_enforced_with_422(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("xena@example.com").await;
    let cases = [
        (json!({"amount": 0, "category": "fuel"}), "amount"),
        (json!({"amount": -3, "category": "fuel"}), "amount"),
        (json!({"amount": 12.345, "category": "fuel"}), "amount"),
        (json!({"amount": 1000000000.01, "category": "fuel"}), "amount"),
        (json!({"amount": "twelve", "category": "fuel"}), "amount"),
        (json!({"amount": null, "category": "fuel"}), "amount"),
        (json!({"category": "fuel"}), "amount"),
        (json!({"amount": 5}), "category"),
        (json!({"amount": 5, "category": "  "}), "category"),
        (json!({"amount": 5, "category": "fuel", "date": "2026-02-30"}), "date"),
        (json!({"amount": 5, "category": "fuel", "receipt_url": "javascript:alert(1)"}), "receipt_url"),
    ];
    for (body, field) in cases {
        let res = post(&app, &user, "/api/v1/expenses", body.clone()).await;
        let err = assert_error(res, 422, "validation_error").await;
        assert_eq!(err["detail"][0]["loc"], json!(["body", field]), "{body}");
    }
    let budget = post(&app, &user, "/api/v1/budgets", json!({"category": "fuel", "monthly_limit": 0.001})).await;
    assert_error(budget, 422, "validation_error").await;
    let income =
        post(&app, &user, "/api/v1/income", json!({"amount": 100, "source": "Pension", "type": "lottery"})).await;
    let err = assert_error(income, 422, "validation_error").await;
    assert_eq!(err["detail"][0]["type"], "enum");
    let list: Value = app.get("/api/v1/expenses", &user.token).await.json().await.unwrap();
    assert_eq!(list["total"], 0, "nothing half-written");
}

async fn another_users_records_are_not_found(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.register("yara@example.com").await;
    let other = app.register("zane@example.com").await;
    let e = expense(&app, &owner, json!({"amount": 10, "category": "fuel"})).await;
    let b: Value = post(&app, &owner, "/api/v1/budgets", json!({"category": "fuel", "monthly_limit": 100}))
        .await
        .json()
        .await
        .unwrap();
    let i: Value = post(&app, &owner, "/api/v1/income", json!({"amount": 100, "source": "Pension", "type": "pension"}))
        .await
        .json()
        .await
        .unwrap();
    for path in [
        format!("/api/v1/expenses/{}", e["id"].as_str().unwrap()),
        format!("/api/v1/budgets/{}", b["id"].as_str().unwrap()),
        format!("/api/v1/income/{}", i["id"].as_str().unwrap()),
    ] {
        assert_error(app.get(&path, &other.token).await, 404, "not_found").await;
        let res = app.send_json(Method::PATCH, &path, Some(&other.token), &json!({})).await;
        assert_error(res, 404, "not_found").await;
        let res = app.delete(&path, &other.token).await;
        assert_error(res, 404, "not_found").await;
        assert_eq!(app.get(&path, &owner.token).await.status(), 200, "still there for its owner");
    }
    let list: Value = app.get("/api/v1/expenses", &other.token).await.json().await.unwrap();
    assert_eq!(list["total"], 0);
}

async fn budgets_are_unique_per_category(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("abe@example.com").await;
    let res = post(&app, &user, "/api/v1/budgets", json!({"category": "Fuel", "monthly_limit": 400})).await;
    assert_eq!(res.status(), 201);
    let budget: Value = res.json().await.unwrap();
    assert_eq!(budget["alert_threshold"], 80);
    assert_eq!(budget["currency"], "AUD");
    let dup = post(&app, &user, "/api/v1/budgets", json!({"category": " fuel ", "monthly_limit": 300})).await;
    assert_error(dup, 409, "conflict").await;
    assert_eq!(budget["category"], "Fuel", "kept as the user wrote it");
    let res = post(
        &app,
        &user,
        "/api/v1/budgets",
        json!({"category": "groceries", "monthly_limit": 600, "alert_threshold": 150}),
    )
    .await;
    assert_error(res, 422, "validation_error").await;
    let id = budget["id"].as_str().unwrap();
    let patched: Value = app
        .send_json(
            Method::PATCH,
            &format!("/api/v1/budgets/{id}"),
            Some(&user.token),
            &json!({"monthly_limit": 450, "alert_threshold": 90}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(patched["monthly_limit"], 450.0);
    assert_eq!(patched["alert_threshold"], 90);
    let list: Value = app.get("/api/v1/budgets", &user.token).await.json().await.unwrap();
    assert_eq!(list["total"], 1);
    assert_eq!(list["budgets"][0]["category"], "Fuel");
    // Another user may have the same category.
    let other = app.register("bea@example.com").await;
    assert_eq!(
        post(&app, &other, "/api/v1/budgets", json!({"category": "fuel", "monthly_limit": 1})).await.status(),
        201
    );
    let res = app.delete(&format!("/api/v1/budgets/{id}"), &user.token).await;
    assert_eq!(res.status(), 204);
}

async fn income_crud(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("cal@example.com").await;
    let res = post(
        &app,
        &user,
        "/api/v1/income",
        json!({"amount": 1044.8, "source": "Age pension", "type": "pension", "date": "2026-03-01"}),
    )
    .await;
    assert_eq!(res.status(), 201);
    let income: Value = res.json().await.unwrap();
    assert_eq!(income["type"], "pension");
    post(&app, &user, "/api/v1/income", json!({"amount": 200, "source": "Camp host", "type": "side_hustle"})).await;
    let list: Value = app.get("/api/v1/income", &user.token).await.json().await.unwrap();
    assert_eq!(list["total"], 2);
    assert_eq!(list["total_amount"], 1244.8);
    assert!(list.get("income").is_some(), "list key is income");
    let id = income["id"].as_str().unwrap();
    let patched: Value = app
        .send_json(Method::PATCH, &format!("/api/v1/income/{id}"), Some(&user.token), &json!({"type": "other"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(patched["type"], "other");
    assert_eq!(patched["amount"], 1044.8);
    let res = app.delete(&format!("/api/v1/income/{id}"), &user.token).await;
    assert_eq!(res.status(), 204);
}

async fn dimes_sum_exactly_and_many_amounts_sum_exactly(backend: Backend) {
    use rand::{Rng, SeedableRng};
    let app = spawn_app(backend).await;
    let user = app.register("dee@example.com").await;
    for _ in 0..3 {
        expense(&app, &user, json!({"amount": 0.10, "category": "dining"})).await;
    }
    let list: Value = app.get("/api/v1/expenses", &user.token).await.json().await.unwrap();
    assert_eq!(list["total_amount"].to_string(), "0.3");

    let other = app.register("eve@example.com").await;
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let amounts: Vec<i64> = (0..10_000).map(|_| rng.random_range(1..=10_000_000)).collect();
    let expected: i64 = amounts.iter().sum();
    for chunk in amounts.chunks(500) {
        let rows: Vec<Value> = chunk.iter().map(|c| json!(*c as f64 / 100.0)).collect();
        crate::helpers::insert_expenses(&app, other.id, &rows).await;
    }
    let list: Value = app.get("/api/v1/expenses?limit=1", &other.token).await.json().await.unwrap();
    assert_eq!(list["total"], 10_000);
    let total_cents = (list["total_amount"].as_f64().unwrap() * 100.0).round() as i64;
    assert_eq!(total_cents, expected, "sum of 10,000 amounts is exact");
}

async fn concurrent_creates_all_land_and_idempotency_stores_one(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("fin@example.com").await;
    let creates = (0..50).map(|i| {
        let user = &user;
        let app = &app;
        async move {
            app.send_json(
                Method::POST,
                "/api/v1/expenses",
                Some(&user.token),
                &json!({"amount": i + 1, "category": "fuel"}),
            )
            .await
        }
    });
    for res in futures::future::join_all(creates).await {
        assert_eq!(res.status(), 201);
    }
    let list: Value = app.get("/api/v1/expenses", &user.token).await.json().await.unwrap();
    assert_eq!(list["total"], 50);
    assert_eq!(list["total_amount"], (1..=50).sum::<i64>() as f64);

    let send = async || {
        let body = json!({"amount": 88.8, "category": "groceries"});
        app.send(Method::POST, "/api/v1/expenses", Some(&user.token), |r| {
            r.header("idempotency-key", "groceries-once").json(&body)
        })
        .await
    };
    let (a, b) = futures::join!(send(), send());
    assert_eq!(a.status(), 201);
    assert_eq!(b.status(), 201);
    assert_eq!(a.json::<Value>().await.unwrap()["id"], b.json::<Value>().await.unwrap()["id"]);
    let groceries: Value = app.get("/api/v1/expenses?category=groceries", &user.token).await.json().await.unwrap();
    assert_eq!(groceries["total"], 1, "a repeated key stores one");
}

async fn seed_compatible_routes_guard_the_user_id(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("gil@example.com").await;
    let other = app.register("hana@example.com").await;
    let res = post(&app, &user, "/api/expenses", json!({"user_id": user.id, "amount": 12.5, "category": "fuel"})).await;
    assert_eq!(res.status(), 201);
    let res =
        post(&app, &user, "/api/expenses", json!({"user_id": other.id, "amount": 12.5, "category": "fuel"})).await;
    assert_error(res, 403, "forbidden").await;
    for path in [format!("/api/expenses/{}", user.id), format!("/api/v1/wins/expenses/{}", user.id)] {
        let body: Value = app.get(&path, &user.token).await.json().await.unwrap();
        assert_eq!(body["user_id"], user.id.to_string());
        assert_eq!(body["total_expenses"], 1);
        assert_eq!(body["total_amount"], 12.5);
        assert!(body["filters"].is_object());
    }
    for path in [
        format!("/api/expenses/{}", other.id),
        format!("/api/v1/wins/expenses/{}", other.id),
        format!("/api/budgets/{}", other.id),
        format!("/api/financial-summary/{}", other.id),
    ] {
        assert_error(app.get(&path, &user.token).await, 403, "forbidden").await;
    }
    assert_eq!(
        post(&app, &user, "/api/budgets", json!({"category": "fuel", "monthly_limit": 100})).await.status(),
        201
    );
    assert_error(
        post(&app, &user, "/api/budgets", json!({"user_id": other.id, "category": "fuel", "monthly_limit": 100})).await,
        403,
        "forbidden",
    )
    .await;
    let budgets: Value = app.get(&format!("/api/budgets/{}", user.id), &user.token).await.json().await.unwrap();
    assert_eq!(budgets["budgets"].as_array().unwrap().len(), 1);
    assert_eq!(
        post(&app, &user, "/api/income", json!({"amount": 50, "source": "Odd jobs", "type": "side_hustle"}))
            .await
            .status(),
        201
    );
    let summary: Value =
        app.get(&format!("/api/financial-summary/{}?days=7", user.id), &user.token).await.json().await.unwrap();
    assert_eq!(summary["user_id"], user.id.to_string());
    assert_eq!(summary["income"], 50.0);
    assert_eq!(summary["expenses"], 12.5);
    assert_eq!(summary["net"], 37.5);
}

async fn list_limits_are_checked(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("ian@example.com").await;
    for query in [
        "limit=0",
        "limit=1001",
        "offset=-1",
        "limit=ten",
        "start_date=2026-13-01",
        "start_date=2026-05-01&end_date=2026-04-01",
    ] {
        let res = app.get(&format!("/api/v1/expenses?{query}"), &user.token).await;
        let err = assert_error(res, 422, "validation_error").await;
        assert_eq!(err["detail"][0]["loc"][0], "query", "{query}");
    }
    assert_eq!(app.get("/api/v1/expenses?limit=1000", &user.token).await.status(), 200);
}
