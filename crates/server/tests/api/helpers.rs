//! `spawn_app`: the real application on 127.0.0.1:0 against a fresh database (a SQLite file in a temp
//! dir, or a new Postgres database per test), with typed helpers for the calls tests make.

use std::collections::HashMap;
use std::sync::Once;

use pam_server::app;
use pam_server::config::Config;
use pam_server::state::AppState;
use pam_store::{Db, with_db};
use reqwest::{Method, RequestBuilder, Response};
use serde_json::{Value, json};
use uuid::Uuid;

pub const TEST_SECRET: &str = "test-secret-key-that-is-long-enough-0123456789";

pub use pam_testkit::Backend;

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub state: AppState,
    pub _data_dir: tempfile::TempDir,
}

#[derive(Clone, Debug)]
pub struct TestUser {
    pub id: Uuid,
    pub email: String,
    pub password: String,
    pub token: String,
    pub refresh_token: String,
}

pub fn init_test_process() {
    static INIT: Once = Once::new();
    INIT.call_once(|| {
        let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
        if std::env::var("TEST_LOG").is_ok() {
            let _ = tracing_subscriber::fmt().with_env_filter("debug,sqlx=warn").with_test_writer().try_init();
        }
    });
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, &[]).await
}

/// Spawns the app with extra configuration variables (e.g. `SUPABASE_URL` pointing at a fake).
pub async fn spawn_app_with(backend: Backend, extra: &[(&str, &str)]) -> TestApp {
    init_test_process();
    let data_dir = tempfile::tempdir().expect("temp dir");
    let database_url = backend.fresh_url(data_dir.path()).await;
    let mut vars: HashMap<String, String> = HashMap::from([
        ("DATA_DIR".to_string(), data_dir.path().display().to_string()),
        ("DATABASE_URL".to_string(), database_url),
        ("SECRET_KEY".to_string(), TEST_SECRET.to_string()),
        ("DATABASE_MAX_CONNECTIONS".to_string(), "5".to_string()),
    ]);
    for (k, v) in extra {
        vars.insert(k.to_string(), v.to_string());
    }
    let config = Config::from_vars(vars).expect("test config");
    let state = app::build_state(config).await.expect("build app state");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = format!("http://{}", listener.local_addr().unwrap());
    let served = state.clone();
    tokio::spawn(async move { app::serve(listener, served, std::future::pending()).await });
    TestApp { address, client: reqwest::Client::new(), state, _data_dir: data_dir }
}

/// Spawns the app with `claude` (a wiremock fake speaking Anthropic's format) as its only model (the
/// offline brain still ends the chain), plus any extra configuration variables.
pub async fn spawn_app_with_claude(backend: Backend, claude: &wiremock::MockServer, extra: &[(&str, &str)]) -> TestApp {
    let url = claude.uri();
    let mut vars = vec![("ANTHROPIC_API_KEY", "k"), ("ANTHROPIC_BASE_URL", url.as_str()), ("PAM_FALLBACK_MODELS", "")];
    vars.extend_from_slice(extra);
    spawn_app_with(backend, &vars).await
}

/// The response, after holding it to the OpenAPI document (`conformance::check`, or, for a request made
/// on purpose outside it, `conformance::check_undocumented`); rebuilt for the caller.
async fn conforming(method: Method, path: &str, res: Response, documented: bool) -> Response {
    let status = res.status();
    let headers = res.headers().clone();
    let version = res.version();
    let body = res.bytes().await.expect("the body");
    let content_type = headers.get(reqwest::header::CONTENT_TYPE).map(|v| v.to_str().expect("a text Content-Type"));
    if documented {
        crate::conformance::check(&method, path, status.as_u16(), content_type, &body);
    } else {
        crate::conformance::check_undocumented(&method, path, status.as_u16(), content_type, &body);
    }
    let mut rebuilt = axum::http::Response::new(body);
    *rebuilt.status_mut() = status;
    *rebuilt.headers_mut() = headers;
    *rebuilt.version_mut() = version;
    Response::from(rebuilt)
}

/// Sends a request to the server at `base` (`http://host:port`) with `client`, and holds the response to
/// the OpenAPI document: the one way the tests send HTTP (`TestApp::send` and the helpers built on it
/// come here). `build` adds what the request carries (a body, headers, a timeout); the error is the
/// transport's (a refused connection, a timeout), for the tests that expect one.
pub async fn try_send_to(
    client: &reqwest::Client,
    base: &str,
    method: Method,
    path: &str,
    token: Option<&str>,
    build: impl FnOnce(RequestBuilder) -> RequestBuilder,
) -> reqwest::Result<Response> {
    sent(client, base, method, path, token, build, true).await
}

async fn sent(
    client: &reqwest::Client,
    base: &str,
    method: Method,
    path: &str,
    token: Option<&str>,
    build: impl FnOnce(RequestBuilder) -> RequestBuilder,
    documented: bool,
) -> reqwest::Result<Response> {
    let builder = client.request(method.clone(), format!("{base}{path}"));
    let builder = match token {
        Some(t) => builder.bearer_auth(t),
        None => builder,
    };
    let res = build(builder).send().await?;
    Ok(conforming(method, path, res, documented).await)
}

impl TestApp {
    pub fn db(&self) -> &Db {
        &self.state.db
    }

    /// Sends a request (with `token` as its bearer, and whatever `build` adds) and holds the response to
    /// the OpenAPI document.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        build: impl FnOnce(RequestBuilder) -> RequestBuilder,
    ) -> Response {
        self.try_send(method, path, token, build).await.expect("request")
    }

    /// [`TestApp::send`], for a test that expects the transport to fail (a timeout).
    pub async fn try_send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        build: impl FnOnce(RequestBuilder) -> RequestBuilder,
    ) -> reqwest::Result<Response> {
        try_send_to(&self.client, &self.address, method, path, token, build).await
    }

    /// A request made on purpose to a route or a method the document does not have: checked to be
    /// outside it, and answered with an error in SPEC §2's shape.
    pub async fn send_undocumented(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        build: impl FnOnce(RequestBuilder) -> RequestBuilder,
    ) -> Response {
        sent(&self.client, &self.address, method, path, token, build, false).await.expect("request")
    }

    pub async fn get(&self, path: &str, token: &str) -> Response {
        self.send(Method::GET, path, Some(token), |r| r).await
    }

    /// A GET without a token (health, public lists, and the 401s of guarded routes).
    pub async fn get_anonymous(&self, path: &str) -> Response {
        self.send(Method::GET, path, None, |r| r).await
    }

    pub async fn send_json(&self, method: Method, path: &str, token: Option<&str>, body: &Value) -> Response {
        self.send(method, path, token, |r| r.json(body)).await
    }

    pub async fn delete(&self, path: &str, token: &str) -> Response {
        self.send(Method::DELETE, path, Some(token), |r| r).await
    }

    pub async fn register(&self, email: &str) -> TestUser {
        let password = "correct horse battery".to_string();
        let res = self
            .send_json(
                Method::POST,
                "/api/auth/register",
                None,
                &json!({"email": email, "password": password, "region": "AU"}),
            )
            .await;
        assert_eq!(res.status(), 201, "register {email}");
        let body: Value = res.json().await.unwrap();
        TestUser {
            id: body["user"]["id"].as_str().unwrap().parse().unwrap(),
            email: email.to_string(),
            password,
            token: body["access_token"].as_str().unwrap().to_string(),
            refresh_token: body["refresh_token"].as_str().unwrap().to_string(),
        }
    }

    /// How many rows of `table` belong to the user.
    pub async fn rows(&self, table: &str, user_id: Uuid) -> i64 {
        let sql = format!("SELECT count(*) FROM {table} WHERE user_id = $1");
        with_db!(self.db(), |pool| {
            sqlx::query_scalar(sqlx::AssertSqlSafe(sql.clone())).bind(user_id).fetch_one(pool).await
        })
        .unwrap()
    }

    /// Renames a table, so the store fails under whatever uses it (until it is renamed back).
    pub async fn rename_table(&self, from: &str, to: &str) {
        let sql = format!("ALTER TABLE {from} RENAME TO {to}");
        with_db!(self.db(), |pool| sqlx::query(sqlx::AssertSqlSafe(sql.clone())).execute(pool).await.map(|_| ()))
            .unwrap();
    }

    /// Makes a user an admin directly in the store (as `pam-backend admin grant` will).
    pub async fn make_admin(&self, user_id: Uuid) {
        with_db!(self.db(), |pool| {
            sqlx::query("UPDATE profiles SET role = 'admin' WHERE id = $1")
                .bind(user_id)
                .execute(pool)
                .await
                .map(|_| ())
        })
        .unwrap();
        self.state.auth.forget(user_id);
    }
}

/// Asserts a response is an error in SPEC §2's shape with the given status and code; returns the body.
pub async fn assert_error(res: Response, status: u16, code: &str) -> Value {
    let got = res.status().as_u16();
    let body: Value = res.json().await.unwrap_or(Value::Null);
    assert_eq!(got, status, "unexpected status; body: {body}");
    assert_eq!(body["code"], code, "unexpected code; body: {body}");
    assert!(body.get("detail").is_some(), "no detail in {body}");
    body
}

/// Inserts expenses straight into the store (bulk fixtures for sums and benchmarks).
pub async fn insert_expenses(app: &TestApp, user_id: Uuid, amounts: &[Value]) {
    let now = chrono::Utc::now();
    let today = now.date_naive();
    with_db!(app.db(), |pool| {
        let mut tx = pool.begin().await.unwrap();
        for amount in amounts {
            let cents = (amount.as_f64().unwrap() * 100.0).round() as i64;
            sqlx::query(
                "INSERT INTO expenses (id, user_id, amount_cents, currency, category, description, expense_date, location, \
                 tags, receipt_url, created_at, updated_at) VALUES ($1, $2, $3, 'AUD', 'other', NULL, $4, NULL, $5, NULL, $6, $6)",
            )
            .bind(Uuid::now_v7())
            .bind(user_id)
            .bind(cents)
            .bind(today)
            .bind(sqlx::types::Json(Vec::<String>::new()))
            .bind(now)
            .execute(&mut *tx)
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();
    });
}

/// A $3 tea expense of `user`'s, as created.
pub async fn tea_expense(app: &TestApp, user: &TestUser) -> Value {
    let body = json!({"amount": 3, "category": "tea"});
    app.send_json(Method::POST, "/api/v1/expenses", Some(&user.token), &body).await.json().await.unwrap()
}

/// A $3 tea expense and a proposal (through the REST tool route) to delete it: the expense and the
/// proposal's confirm path.
pub async fn propose_deleting_an_expense(app: &TestApp, user: &TestUser) -> (Value, String) {
    let e = tea_expense(app, user).await;
    let proposal: Value = app
        .send_json(
            Method::POST,
            "/api/v1/pam/tools/execute/delete_expense",
            Some(&user.token),
            &json!({"expense_id": e["id"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let path = format!("/api/v1/pam/tools/confirm/{}", proposal["confirmation_id"].as_str().unwrap());
    (e, path)
}
