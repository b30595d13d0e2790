//! The core's promises on bad, hostile and odd input: no panic, no 5xx, nothing of another user's, and
//! the contract's details (field locations, headers, CORS) a front end relies on.

use pam_store::with_db;
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::auth::SUPABASE_SECRET;
use crate::fakes::{ScriptedClaude, after_tools, text, tool_use};
use crate::helpers::{
    Backend, TestApp, TestUser, assert_error, propose_deleting_an_expense, spawn_app, spawn_app_with,
    spawn_app_with_claude,
};
use crate::tokens::{claims, hs256_simple};
use pam_testkit::on_both_databases;

on_both_databases!(
    input_that_used_to_panic_is_answered,
    a_body_naming_another_user_is_forbidden,
    tool_argument_errors_name_the_field,
    rest_chat_is_rate_limited_with_headers,
    a_failing_alert_check_does_not_fail_the_expense,
    deleting_pam_history_removes_every_copy,
    categories_pam_infers_land_in_the_users_own,
    a_proposal_lapses_unless_the_next_message_answers_it,
    the_admin_command_refuses_an_email_two_accounts_share,
    forwarded_addresses_count_only_through_trusted_proxies,
    failed_logins_for_one_account_are_bounded_across_addresses,
    failed_logins_count_against_the_normalised_email,
    a_refused_provider_key_falls_through_to_the_offline_brain_and_trips_nothing,
);

async fn chat(app: &TestApp, user: &TestUser, body: Value) -> reqwest::Response {
    app.send_json(Method::POST, "/api/v1/pam/chat", Some(&user.token), &body).await
}

async fn input_that_used_to_panic_is_answered(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("odd@example.com").await;
    for message in [
        "I spent $5 on coffee 100000000 days ago",
        "spent $5 on fuel 9223372036854775807 weeks ago",
        "İİİİ plan a trip FROM İstanbul TO Kẞln",
        "ẞẞẞẞ drive to İzmir from Ankara",
        "\u{0}\u{7}log $3 for tea\u{1b}[31m",
    ] {
        let res = chat(&app, &user, json!({"message": message})).await;
        assert_eq!(res.status(), 200, "{message:?}");
        let reply: Value = res.json().await.unwrap();
        assert!(!reply["response"].as_str().unwrap_or_default().is_empty(), "{message:?}");
    }
    for query in ["year=300000&month=1", "year=-5&month=1", "year=2026&month=13"] {
        let res = app.get(&format!("/api/v1/pam/monthly-savings?{query}"), &user.token).await;
        assert_error(res, 422, "validation_error").await;
    }
    for month in ["99999-01", "0000-01-01", "2026-02-30"] {
        let res = app.get(&format!("/api/v1/pam/savings/guarantee-status?month={month}"), &user.token).await;
        assert_error(res, 422, "validation_error").await;
    }
}

async fn a_body_naming_another_user_is_forbidden(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("own@example.com").await;
    let other = app.register("notme@example.com").await;
    let body = |id: &Uuid| json!({"amount": 5, "category": "tea", "user_id": id});
    let res = app.send_json(Method::POST, "/api/v1/expenses", Some(&user.token), &body(&other.id)).await;
    assert_error(res, 403, "forbidden").await;
    assert_eq!(app.rows("expenses", other.id).await, 0);
    assert_eq!(app.rows("expenses", user.id).await, 0, "nothing stored for anyone");
    let res = app.send_json(Method::POST, "/api/v1/expenses", Some(&user.token), &body(&user.id)).await;
    assert_eq!(res.status(), 201, "naming yourself is fine");
    let res = app
        .send_json(Method::POST, "/api/v1/pam/chat", Some(&user.token), &json!({"message": "hi", "user_id": other.id}))
        .await;
    assert_error(res, 403, "forbidden").await;
    let bad = json!({"amount": 5, "category": "tea", "user_id": "me"});
    let res = app.send_json(Method::POST, "/api/v1/expenses", Some(&user.token), &bad).await;
    let err = assert_error(res, 422, "validation_error").await;
    assert_eq!(err["detail"][0]["loc"], json!(["body", "user_id"]));
    app.make_admin(user.id).await;
    let res = app.send_json(Method::POST, "/api/v1/expenses", Some(&user.token), &body(&other.id)).await;
    assert_eq!(res.status(), 201, "an admin may act for another user");
}

async fn tool_argument_errors_name_the_field(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("args@example.com").await;
    let res = app
        .send_json(
            Method::POST,
            "/api/v1/pam/tools/execute/create_expense",
            Some(&user.token),
            &json!({"amount": -1, "category": "fuel"}),
        )
        .await;
    let err = assert_error(res, 422, "validation_error").await;
    assert_eq!(err["detail"][0]["loc"], json!(["body", "amount"]), "{err}");
    let res = app
        .send_json(Method::POST, "/api/v1/pam/tools/execute/create_expense", Some(&user.token), &json!({"amount": 5}))
        .await;
    let err = assert_error(res, 422, "validation_error").await;
    assert_eq!(err["detail"][0]["loc"], json!(["body", "category"]));
    assert_eq!(err["detail"][0]["type"], "missing");
}

async fn rest_chat_is_rate_limited_with_headers(backend: Backend) {
    let app = spawn_app_with(backend, &[("RATE_LIMIT_PAM_PER_MINUTE", "2")]).await;
    let user = app.register("chatty@example.com").await;
    let first = chat(&app, &user, json!({"message": "hello"})).await;
    assert_eq!(first.status(), 200);
    assert_eq!(first.headers()["x-ratelimit-limit"], "2");
    assert_eq!(first.headers()["x-ratelimit-remaining"], "1");
    assert_eq!(chat(&app, &user, json!({"message": "hello again"})).await.status(), 200);
    let third = chat(&app, &user, json!({"message": "and again"})).await;
    assert!(third.headers()["retry-after"].to_str().unwrap().parse::<u64>().unwrap() >= 1);
    assert_eq!(third.headers()["x-ratelimit-remaining"], "0");
    assert_error(third, 429, "rate_limited").await;
    // Per user: someone else is not held back, and routes outside PAM count separately.
    let other = app.register("quiet@example.com").await;
    assert_eq!(chat(&app, &other, json!({"message": "hello"})).await.status(), 200);
    assert_eq!(app.get("/api/v1/expenses", &user.token).await.status(), 200);
    assert!(app.get_anonymous("/health").await.headers().get("x-ratelimit-limit").is_none());
}

async fn a_failing_alert_check_does_not_fail_the_expense(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("alerts@example.com").await;
    let budget = json!({"category": "fuel", "monthly_limit": 10});
    assert_eq!(app.send_json(Method::POST, "/api/v1/budgets", Some(&user.token), &budget).await.status(), 201);
    app.rename_table("budget_alerts", "budget_alerts_elsewhere").await;
    let res = app
        .send_json(Method::POST, "/api/v1/expenses", Some(&user.token), &json!({"amount": 50, "category": "fuel"}))
        .await;
    assert_eq!(res.status(), 201, "the expense is stored and said so, whatever the alert check met");
    assert_eq!(app.rows("expenses", user.id).await, 1);
}

async fn deleting_pam_history_removes_every_copy(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("forget@example.com").await;
    assert_eq!(chat(&app, &user, json!({"message": "I spent $8 on a pie"})).await.status(), 200);
    propose_deleting_an_expense(&app, &user).await;
    for table in ["pam_turns", "tool_executions", "pam_confirmations"] {
        assert!(app.rows(table, user.id).await > 0, "{table} holds a copy before the history is deleted");
    }
    let res = app.delete("/api/v1/pam/history", &user.token).await;
    assert!(res.status().is_success());
    for table in ["pam_conversations", "pam_messages", "pam_turns", "tool_executions", "pam_confirmations"] {
        assert_eq!(app.rows(table, user.id).await, 0, "{table} still holds a copy of the history");
    }
    assert_eq!(app.rows("expenses", user.id).await, 2, "what PAM did stays done (the pie and the tea)");
}

async fn categories_pam_infers_land_in_the_users_own(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("cats@example.com").await;
    let budget = json!({"category": "Campgrounds", "monthly_limit": 300});
    assert_eq!(app.send_json(Method::POST, "/api/v1/budgets", Some(&user.token), &budget).await.status(), 201);
    assert_eq!(chat(&app, &user, json!({"message": "paid $40 for the caravan park today"})).await.status(), 200);
    let list: Value = app.get("/api/v1/expenses", &user.token).await.json().await.unwrap();
    assert_eq!(list["expenses"][0]["category"], "Campgrounds", "{list}");
    let status: Value = app.get("/api/v1/wins/budget-status", &user.token).await.json().await.unwrap();
    assert_eq!(status["items"][0]["spent"], 40.0, "it counts against the user's budget");
}

async fn a_proposal_lapses_unless_the_next_message_answers_it(backend: Backend) {
    let app_cell: std::sync::Arc<std::sync::OnceLock<String>> = std::sync::Arc::default();
    let expense_id = app_cell.clone();
    let claude = MockServer::start().await;
    let script = ScriptedClaude::new(move |body: &Value| {
        let said =
            body["messages"].as_array().and_then(|m| m.last()).map(|m| m["content"].to_string()).unwrap_or_default();
        if after_tools(body) {
            text("Shall I?")
        } else if said.contains("delete") {
            tool_use(
                "toolu_del",
                "delete_expense",
                json!({"expense_id": expense_id.get().cloned().unwrap_or_default()}),
            )
        } else {
            text("Sunny.")
        }
    });
    Mock::given(method("POST")).respond_with(script).mount(&claude).await;
    let app = spawn_app_with_claude(backend, &claude, &[]).await;
    let user = app.register("lapse@example.com").await;
    let e: Value = app
        .send_json(
            Method::POST,
            "/api/v1/expenses",
            Some(&user.token),
            &json!({"amount": 42.5, "category": "fuel", "date": "2026-03-03"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let _ = app_cell.set(e["id"].as_str().unwrap().to_string());
    let proposal: Value = chat(&app, &user, json!({"message": "delete my fuel expense"})).await.json().await.unwrap();
    let call = &proposal["tool_calls"][0];
    assert_eq!(call["status"], "confirmation_required", "{proposal}");
    assert_eq!(call["summary"], "Delete the $42.50 fuel expense of 3 March?", "a sentence a person reads");
    let conversation = proposal["conversation_id"].clone();
    // An unrelated message: the proposal lapses.
    chat(&app, &user, json!({"message": "what's the weather?", "conversation_id": conversation})).await;
    let late: Value =
        chat(&app, &user, json!({"message": "yes", "conversation_id": conversation})).await.json().await.unwrap();
    assert_ne!(late["source"], "pam", "a late yes goes to the model, not to the lapsed proposal: {late}");
    assert_eq!(app.rows("expenses", user.id).await, 1, "nothing deleted");
    let status: String = with_db!(app.db(), |pool| {
        sqlx::query_scalar("SELECT status FROM pam_confirmations WHERE user_id = $1")
            .bind(user.id)
            .fetch_one(pool)
            .await
    })
    .unwrap();
    assert_eq!(status, "cancelled");
}

async fn the_admin_command_refuses_an_email_two_accounts_share(backend: Backend) {
    let app = spawn_app_with(backend, &[("SUPABASE_JWT_SECRET", SUPABASE_SECRET)]).await;
    // Built-in sign-up does not verify addresses: someone registers the email of a Supabase user.
    let squatter = app.register("boss@example.com").await;
    let sub = Uuid::new_v4();
    let mut token_claims = claims(&sub.to_string());
    token_claims["email"] = json!("boss@example.com");
    let token = hs256_simple(SUPABASE_SECRET, &token_claims);
    assert_eq!(app.get("/api/auth/me", &token).await.status(), 200);
    let err = pam_profiles::service::set_admin(app.db(), "Boss@Example.com", true).await.unwrap_err();
    let message = err.to_string();
    assert!(message.contains(&squatter.id.to_string()) && message.contains(&sub.to_string()), "{message}");
    let role: String = with_db!(app.db(), |pool| {
        sqlx::query_scalar("SELECT role FROM profiles WHERE id = $1").bind(squatter.id).fetch_one(pool).await
    })
    .unwrap();
    assert_eq!(role, "user", "nobody was granted");
    assert_eq!(pam_profiles::service::set_admin(app.db(), &sub.to_string(), true).await.unwrap(), sub);
    let who = pam_server::pam::terminal::user_for(&app.state, &sub.to_string()).await.unwrap();
    assert!(who.is_admin);
    assert!(pam_server::pam::terminal::user_for(&app.state, "boss@example.com").await.is_err());
}

async fn forwarded_addresses_count_only_through_trusted_proxies(backend: Backend) {
    let login = async |app: &TestApp, from: &'static str| {
        let body = json!({"email": "nobody@example.com", "password": "wrong password"});
        app.send(Method::POST, "/api/auth/login", None, |r| r.header("x-forwarded-for", from).json(&body)).await
    };
    // Behind a trusted load balancer each client has its own budget.
    let app =
        spawn_app_with(backend.clone(), &[("TRUSTED_PROXIES", "127.0.0.1/32"), ("AUTH_RATE_LIMIT_PER_MINUTE", "2")])
            .await;
    for _ in 0..2 {
        assert_eq!(login(&app, "198.51.100.1").await.status(), 401);
    }
    assert_eq!(login(&app, "198.51.100.1").await.status(), 429);
    assert_eq!(login(&app, "198.51.100.2").await.status(), 401, "another client is not held back");
    // Without trusting the peer, a forged header changes nothing: the peer is the client.
    let app = spawn_app_with(backend, &[("AUTH_RATE_LIMIT_PER_MINUTE", "2")]).await;
    assert_eq!(login(&app, "198.51.100.1").await.status(), 401);
    assert_eq!(login(&app, "198.51.100.2").await.status(), 401);
    assert_eq!(login(&app, "198.51.100.3").await.status(), 429);
}

async fn failed_logins_for_one_account_are_bounded_across_addresses(backend: Backend) {
    // Two failures per account and address; four times that for the account from everywhere together.
    let app = spawn_app_with(backend, &[("TRUSTED_PROXIES", "127.0.0.1/32"), ("LOGIN_FAILURE_LIMIT", "2")]).await;
    let user = app.register("spread@example.com").await;
    let other = app.register("bystander@example.com").await;
    let login = async |from: String, email: &str, password: &str| {
        let body = json!({"email": email, "password": password});
        app.send(Method::POST, "/api/auth/login", None, |r| r.header("x-forwarded-for", from).json(&body))
            .await
            .status()
    };
    // A guesser spreads its tries over four addresses, each within its own bound.
    for host in 1..=4 {
        for _ in 0..2 {
            assert_eq!(login(format!("198.51.100.{host}"), &user.email, "a guess").await, 401, "from .{host}");
        }
    }
    // The account has had its eight: a fifth address, fresh for the per-address bound, is refused too.
    assert_eq!(login("198.51.100.5".into(), &user.email, "another guess").await, 429, "bounded across addresses");
    assert_eq!(login("198.51.100.6".into(), &user.email, "yet another").await, 429);
    // The bound is the account's: another account is not held back from those addresses.
    assert_eq!(login("198.51.100.5".into(), &other.email, &other.password).await, 200);
}

async fn failed_logins_count_against_the_normalised_email(backend: Backend) {
    let app = spawn_app_with(backend, &[("LOGIN_FAILURE_LIMIT", "2")]).await;
    let user = app.register("alice@example.com").await;
    let login = async |email: &str, password: &str| {
        app.send_json(Method::POST, "/api/auth/login", None, &json!({"email": email, "password": password}))
            .await
            .status()
    };
    // Spelt two ways, it is one account: two failures reach its bound.
    assert_eq!(login(" Alice@Example.COM ", "a guess").await, 401);
    assert_eq!(login("alice@example.com", "another guess").await, 401);
    assert_eq!(login("ALICE@example.com", &user.password).await, 429, "a third spelling is the same account");
    assert_eq!(login("alice@example.com", &user.password).await, 429);
}

async fn a_refused_provider_key_falls_through_to_the_offline_brain_and_trips_nothing(backend: Backend) {
    let claude = MockServer::start().await;
    let refusal = json!({"type": "error", "error": {"type": "authentication_error", "message": "invalid x-api-key"}});
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(401).set_body_json(refusal)).mount(&claude).await;
    let (primary, fallback) = ("claude-sonnet-4-5-20250929", "claude-haiku-4-5-20251001");
    let app =
        spawn_app_with_claude(backend, &claude, &[("PAM_PRIMARY_MODEL", primary), ("PAM_FALLBACK_MODELS", fallback)])
            .await;
    let user = app.register("badkey@example.com").await;
    let asked = async || -> Vec<String> {
        let requests = claude.received_requests().await.unwrap();
        requests.iter().map(|r| serde_json::from_slice::<Value>(&r.body).unwrap()["model"].to_string()).collect()
    };
    // More turns than the breaker's threshold: a bad key is not the provider being down.
    let mut before = 0;
    for (turn, message) in
        ["I spent $12 on pies", "I spent $3 on tea", "how much have I spent?", "hello"].iter().enumerate()
    {
        let res = chat(&app, &user, json!({"message": message})).await;
        assert_eq!(res.status(), 200);
        let reply: Value = res.json().await.unwrap();
        assert_eq!(reply["source"], "offline", "turn {turn}: {reply}");
        assert_eq!(reply["error"], false, "turn {turn}: {reply}");
        if turn == 0 {
            assert!(reply["response"].as_str().unwrap().contains("$12.00"), "the offline brain logged it: {reply}");
        }
        // Each step of the turn asked every configured model again, in the chain's order.
        let models = asked().await;
        let this_turn = &models[before..];
        assert!(!this_turn.is_empty() && this_turn.len() % 2 == 0, "turn {turn}: {models:?}");
        for pair in this_turn.chunks(2) {
            assert_eq!(pair, [format!("{primary:?}"), format!("{fallback:?}")], "turn {turn}: {models:?}");
        }
        before = models.len();
    }
    assert_eq!(app.rows("expenses", user.id).await, 2);
    for health in app.state.pam.chain.health().iter().filter(|h| h.model.starts_with("claude")) {
        assert!(health.healthy && health.consecutive_failures == 0, "{health:?}");
    }
}
