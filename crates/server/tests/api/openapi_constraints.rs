//! The constraints `/openapi.json` states are the ones the server enforces: for a few operations, the
//! bound, length or pattern is read from the served document, and a value just outside it is refused
//! with 422 at the field while one just inside is accepted. And the responses every operation can give
//! through the shared extractors (401, 413/415/422) are documented on every such operation.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, TestUser, assert_error, spawn_app};
use pam_testkit::on_both_databases;

mod between_fields;
mod fields;

on_both_databases!(
    money_is_positive_cents_up_to_a_billion,
    list_limits_and_offsets,
    text_lengths_patterns_and_dates_of_an_expense,
    summary_days_and_alert_thresholds,
    password_length,
    savings_months,
    bodies_are_objects_and_whole_numbers_are_integers,
    calendar_times_are_what_the_pattern_says,
);

async fn openapi(app: &TestApp) -> Value {
    app.get_anonymous("/openapi.json").await.json().await.unwrap()
}

/// Follows `$ref`s (and the non-null branch of a nullable `oneOf`) to the schema they name.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.rsplit('/').next().unwrap();
        return resolve(doc, &doc["components"]["schemas"][name]);
    }
    if let Some(branches) = schema["oneOf"].as_array()
        && let Some(value) = branches.iter().find(|b| b["type"] != "null")
        && branches.len() == 2
    {
        return resolve(doc, value);
    }
    schema
}

/// The schema of a property of an operation's JSON body.
fn body_property<'a>(doc: &'a Value, method: &str, path: &str, property: &str) -> &'a Value {
    let body = &doc["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"];
    let object = resolve(doc, body);
    let schema = &object["properties"][property];
    assert!(!schema.is_null(), "{method} {path} has no body property {property}");
    resolve(doc, schema)
}

/// The schema of an operation's query parameter.
fn query_parameter<'a>(doc: &'a Value, method: &str, path: &str, name: &str) -> &'a Value {
    let parameters = doc["paths"][path][method]["parameters"].as_array().expect("parameters");
    let parameter = parameters.iter().find(|p| p["in"] == "query" && p["name"] == name);
    resolve(doc, &parameter.unwrap_or_else(|| panic!("{method} {path} has no query parameter {name}"))["schema"])
}

fn number(schema: &Value, keyword: &str) -> f64 {
    schema[keyword].as_f64().unwrap_or_else(|| panic!("no {keyword} in {schema}"))
}

/// A 422 whose detail names the field.
async fn refused_at(res: reqwest::Response, loc: &[&str]) {
    let body = assert_error(res, 422, "validation_error").await;
    let locs: Vec<&Value> = body["detail"].as_array().unwrap().iter().map(|d| &d["loc"]).collect();
    assert!(locs.iter().any(|l| *l == &json!(loc)), "expected a problem at {loc:?}: {body}");
}

async fn post(app: &TestApp, user: &TestUser, path: &str, body: Value) -> reqwest::Response {
    app.send_json(Method::POST, path, Some(&user.token), &body).await
}

async fn money_is_positive_cents_up_to_a_billion(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("money@example.com").await;
    let doc = openapi(&app).await;
    let amount = body_property(&doc, "post", "/api/v1/expenses", "amount");
    assert_eq!(number(amount, "exclusiveMinimum"), 0.0);
    assert_eq!(number(amount, "maximum"), 1_000_000_000.0);
    assert_eq!(number(amount, "multipleOf"), 0.01);

    let expense = |amount: Value| json!({"amount": amount, "category": "fuel"});
    for outside in [json!(0), json!(-0.01), json!(1_000_000_000.01), json!(42.555)] {
        refused_at(post(&app, &user, "/api/v1/expenses", expense(outside)).await, &["body", "amount"]).await;
    }
    for inside in [json!(0.01), json!(1_000_000_000), json!(42.55)] {
        let res = post(&app, &user, "/api/v1/expenses", expense(inside.clone())).await;
        assert_eq!(res.status(), 201, "{inside} is an amount");
    }
    // The same type states the same rule wherever it is used.
    let limit = body_property(&doc, "post", "/api/v1/budgets", "monthly_limit");
    assert_eq!(limit, amount);
}

async fn list_limits_and_offsets(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("pages@example.com").await;
    let doc = openapi(&app).await;
    for path in ["/api/v1/expenses", "/api/v1/budgets", "/api/v1/trips", "/api/v1/medical/records"] {
        let limit = query_parameter(&doc, "get", path, "limit");
        let (low, high) = (number(limit, "minimum"), number(limit, "maximum"));
        assert_eq!((low, high), (1.0, 1000.0), "{path}");
        let offset = query_parameter(&doc, "get", path, "offset");
        assert_eq!(number(offset, "minimum"), 0.0, "{path}");

        for outside in [low - 1.0, high + 1.0] {
            refused_at(app.get(&format!("{path}?limit={outside}"), &user.token).await, &["query", "limit"]).await;
        }
        refused_at(app.get(&format!("{path}?offset=-1"), &user.token).await, &["query", "offset"]).await;
        for inside in [low, high] {
            assert_eq!(app.get(&format!("{path}?limit={inside}&offset=0"), &user.token).await.status(), 200, "{path}");
        }
    }
}

async fn text_lengths_patterns_and_dates_of_an_expense(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("texts@example.com").await;
    let doc = openapi(&app).await;
    let category = body_property(&doc, "post", "/api/v1/expenses", "category");
    let max = number(category, "maxLength") as usize;
    assert_eq!(max, 50);
    assert_eq!(category["pattern"], pam_kernel::text::NOT_BLANK, "blank text is no category");
    let date = body_property(&doc, "post", "/api/v1/expenses", "date");
    assert_eq!(date["format"], "date");
    assert_eq!(date["pattern"], pam_kernel::text::PLAUSIBLE_DATE_PATTERN);
    let tags = body_property(&doc, "post", "/api/v1/expenses", "tags");
    assert_eq!(number(tags, "maxItems"), 20.0);
    assert_eq!(number(resolve(&doc, &tags["items"]), "maxLength"), 50.0);

    let with = |field: &str, value: Value| {
        let mut body = json!({"amount": 10, "category": "fuel"});
        body[field] = value;
        body
    };
    let cases = [
        ("category", json!("c".repeat(max + 1)), json!("c".repeat(max))),
        ("category", json!("   "), json!(" fuel ")),
        ("date", json!("1969-12-31"), json!("1970-01-01")),
        ("date", json!("2101-01-01"), json!("2100-12-31")),
        ("tags", json!(vec!["t"; 21]), json!(vec!["t"; 20])),
        ("tags", json!(["t".repeat(51)]), json!(["t".repeat(50)])),
        ("receipt_url", json!("ftp://example.com/r.jpg"), json!("https://example.com/r.jpg")),
    ];
    for (field, outside, inside) in cases {
        refused_at(post(&app, &user, "/api/v1/expenses", with(field, outside)).await, &["body", field]).await;
        let res = post(&app, &user, "/api/v1/expenses", with(field, inside.clone())).await;
        assert_eq!(res.status(), 201, "{field}: {inside} is within the document's rule");
    }
}

async fn summary_days_and_alert_thresholds(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("bounds@example.com").await;
    let doc = openapi(&app).await;
    let days = query_parameter(&doc, "get", "/api/v1/wins/summary", "days");
    let (low, high) = (number(days, "minimum"), number(days, "maximum"));
    assert_eq!((low, high), (1.0, 3660.0));
    for outside in [low - 1.0, high + 1.0] {
        refused_at(app.get(&format!("/api/v1/wins/summary?days={outside}"), &user.token).await, &["query", "days"])
            .await;
    }
    for inside in [low, high] {
        assert_eq!(app.get(&format!("/api/v1/wins/summary?days={inside}"), &user.token).await.status(), 200);
    }
    let period = query_parameter(&doc, "get", "/api/v1/wins/summary", "period");
    assert!(period["enum"].as_array().unwrap().contains(&json!("last_month")));
    refused_at(app.get("/api/v1/wins/summary?period=last_decade", &user.token).await, &["query", "period"]).await;

    let threshold = body_property(&doc, "post", "/api/v1/budgets", "alert_threshold");
    let (low, high) = (number(threshold, "minimum"), number(threshold, "maximum"));
    assert_eq!((low, high), (1.0, 100.0));
    for (category, outside, inside) in [("fuel", low - 1.0, low), ("food", high + 1.0, high)] {
        let budget = |t: f64| json!({"category": category, "monthly_limit": 100, "alert_threshold": t as i64});
        refused_at(post(&app, &user, "/api/v1/budgets", budget(outside)).await, &["body", "alert_threshold"]).await;
        assert_eq!(post(&app, &user, "/api/v1/budgets", budget(inside)).await.status(), 201);
    }
}

async fn password_length(backend: Backend) {
    let app = spawn_app(backend).await;
    let doc = openapi(&app).await;
    let password = body_property(&doc, "post", "/api/auth/register", "password");
    let (min, max) = (number(password, "minLength") as usize, number(password, "maxLength") as usize);
    assert_eq!((min, max), (8, 128));
    assert!(body_property(&doc, "post", "/api/auth/register", "email")["pattern"].is_string());
    let register = |n: usize, password: String| json!({"email": format!("pw{n}-{}@example.com", password.chars().count()), "password": password});
    for (n, outside, inside) in [(1, min - 1, min), (2, max + 1, max)] {
        // Characters, not bytes: "é" is two bytes and one character.
        let res = app.send_json(Method::POST, "/api/auth/register", None, &register(n, "é".repeat(outside))).await;
        refused_at(res, &["body", "password"]).await;
        let res = app.send_json(Method::POST, "/api/auth/register", None, &register(n, "é".repeat(inside))).await;
        assert_eq!(res.status(), 201, "a password of {inside} characters");
    }
}

async fn savings_months(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("months@example.com").await;
    let doc = openapi(&app).await;
    let path = "/api/v1/pam/savings/guarantee-status";
    let month = query_parameter(&doc, "get", path, "month");
    let pattern = month["pattern"].as_str().expect("the month's pattern is stated");
    assert!(pattern.starts_with('^') && pattern.ends_with('$'), "{pattern}");
    for outside in ["2026-13", "2026-00", "1969-12", "2101-01", "2026-02-30", "March"] {
        refused_at(app.get(&format!("{path}?month={outside}"), &user.token).await, &["query", "month"]).await;
    }
    for inside in ["2026-12", "2026-01", "1970-01", "2100-12", "2026-02-28", "2026-04-30"] {
        assert_eq!(app.get(&format!("{path}?month={inside}"), &user.token).await.status(), 200, "{inside}");
    }
    let month_number = query_parameter(&doc, "get", "/api/v1/pam/monthly-savings", "month");
    assert_eq!((number(month_number, "minimum"), number(month_number, "maximum")), (1.0, 12.0));
    for outside in [0, 13] {
        let res = app.get(&format!("/api/v1/pam/monthly-savings?month={outside}"), &user.token).await;
        refused_at(res, &["query", "month"]).await;
    }
    assert_eq!(app.get("/api/v1/pam/monthly-savings?month=12&year=2026", &user.token).await.status(), 200);
}

async fn bodies_are_objects_and_whole_numbers_are_integers(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("shapes@example.com").await;
    let budget: Value = post(&app, &user, "/api/v1/budgets", json!({"category": "fuel", "monthly_limit": 100}))
        .await
        .json()
        .await
        .unwrap();
    let path = format!("/api/v1/budgets/{}", budget["id"].as_str().unwrap());
    // serde would read an update from an array of its fields; the document says object.
    for array in [json!([]), json!([null, null])] {
        refused_at(app.send_json(Method::PATCH, &path, Some(&user.token), &array).await, &["body"]).await;
    }
    // JSON has one number type: 90.0 is the integer the document's `integer` allows.
    let res = app.send_json(Method::PATCH, &path, Some(&user.token), &json!({"alert_threshold": 90.0})).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["alert_threshold"], 90);
    let res = app.send_json(Method::PATCH, &path, Some(&user.token), &json!({"alert_threshold": 90.5})).await;
    refused_at(res, &["body", "alert_threshold"]).await;
    // A float off by one unit in the last place from two decimals is more than two decimals.
    let res =
        app.send_json(Method::PATCH, &path, Some(&user.token), &json!({"monthly_limit": 2.2199999999999998})).await;
    refused_at(res, &["body", "monthly_limit"]).await;
    // A tool's arguments are an object, as its input schema says: `null` or a list is not read as `{}`.
    for not_an_object in [Value::Null, json!([])] {
        let res = app.send_json(
            Method::POST,
            "/api/v1/pam/tools/execute/get_spending_summary",
            Some(&user.token),
            &not_an_object,
        );
        refused_at(res.await, &["body"]).await;
    }
    let res = post(&app, &user, "/api/v1/pam/tools/execute/get_spending_summary", json!({})).await;
    assert_eq!(res.status(), 200);
}

/// The answers the shared extractors give are documented wherever they can be given: 401 on every
/// operation that needs a token, 413/415/422 on every one that reads a JSON body, 422 on every one that
/// reads parameters — each with SPEC §2's body.
#[tokio::test]
async fn every_operation_documents_what_its_extractors_answer() {
    let app = spawn_app(Backend::Sqlite).await;
    let doc = openapi(&app).await;
    let error = json!({"$ref": "#/components/schemas/ErrorBody"});
    let validation = json!({"$ref": "#/components/schemas/ValidationErrorBody"});
    let mut checked = 0;
    for (path, operations) in doc["paths"].as_object().unwrap() {
        for (method, op) in operations.as_object().unwrap() {
            let responses = &op["responses"];
            let body_of = |status: &str| &responses[status]["content"]["application/json"]["schema"];
            let name = format!("{} {path}", method.to_uppercase());
            let secured = op["security"].as_array().is_some_and(|s| s.iter().any(|r| r.get("bearer").is_some()));
            if secured {
                assert_eq!(body_of("401"), &error, "{name} documents 401");
            }
            if op["requestBody"]["content"].get("application/json").is_some() {
                for status in ["413", "415"] {
                    assert_eq!(body_of(status), &error, "{name} documents {status}");
                }
                assert_eq!(body_of("422"), &validation, "{name} documents 422");
            }
            if op["parameters"].as_array().is_some_and(|p| !p.is_empty()) {
                assert_eq!(body_of("422"), &validation, "{name} documents 422");
            }
            if method == "post" {
                let key = op["parameters"].as_array().and_then(|p| p.iter().find(|p| p["name"] == "Idempotency-Key"));
                assert_eq!(key.map(|k| &k["in"]), Some(&json!("header")), "{name} documents Idempotency-Key");
                assert_eq!(body_of("409"), &error, "{name} documents the key's 409");
            }
            checked += 1;
        }
    }
    assert!(checked > 150, "{checked} operations");

    // And they are what is sent.
    let res = app.get_anonymous("/api/v1/expenses").await;
    assert_error(res, 401, "unauthorized").await;
    let user = app.register("extractors@example.com").await;
    let res = app.send(Method::POST, "/api/v1/expenses", Some(&user.token), |r| r.body("amount=1")).await;
    assert_error(res, 415, "unsupported_media_type").await;
    let res = app.get("/api/v1/expenses/not-a-uuid", &user.token).await;
    refused_at(res, &["path", "id"]).await;
    // The key's rule as stated: what the pattern refuses the edge refuses, what it allows is taken.
    let key = doc["paths"]["/api/v1/expenses"]["post"]["parameters"]
        .as_array()
        .and_then(|p| p.iter().find(|p| p["name"] == "Idempotency-Key"))
        .expect("the key is documented");
    let pattern = jsonschema::validator_for(&key["schema"]).expect("the key's schema compiles");
    for (value, allowed) in [("k-1", true), (&*"x".repeat(255), true), (&*"x".repeat(256), false), ("a b", false)] {
        assert_eq!(pattern.is_valid(&json!(value)), allowed, "the pattern and {value:?}");
        let res = app
            .send(Method::POST, "/api/v1/expenses", Some(&user.token), |r| {
                r.header("idempotency-key", value).json(&json!({"amount": 5, "category": "fuel"}))
            })
            .await;
        if allowed {
            assert_eq!(res.status(), 201, "{value:?}");
        } else {
            refused_at(res, &["header", "Idempotency-Key"]).await;
        }
    }
}

/// Every pattern that speaks of whitespace names the same characters as Rust's `trim` (the attributes
/// must repeat the literal; this keeps the copies equal).
#[tokio::test]
async fn whitespace_in_patterns_is_rusts_whitespace() {
    fn patterns<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(p)) = map.get("pattern") {
                    out.push(p);
                }
                map.values().for_each(|v| patterns(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| patterns(v, out)),
            _ => {}
        }
    }
    let app = spawn_app(Backend::Sqlite).await;
    let doc = openapi(&app).await;
    let mut found = Vec::new();
    patterns(&doc, &mut found);
    let class = pam_kernel::text::NOT_BLANK.trim_start_matches("[^").trim_end_matches(']');
    let spaces: Vec<&&str> = found.iter().filter(|p| p.contains(r"\u0085") || p.contains(r"\s")).collect();
    assert!(spaces.len() > 30, "{} patterns mention whitespace", spaces.len());
    for pattern in spaces {
        assert!(!pattern.contains(r"\s") && !pattern.contains(r"\S"), "ECMA's \\s is not Rust's: {pattern}");
        assert!(pattern.contains(class), "{pattern} names other whitespace than {class}");
    }
}

/// An event's `start` is read in several spellings; the document's pattern says which. Each sample is
/// checked both ways: what the pattern allows is stored, what it refuses is 422 at the field.
async fn calendar_times_are_what_the_pattern_says(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("moments@example.com").await;
    let doc = openapi(&app).await;
    let schema = body_property(&doc, "post", "/api/v1/calendar/events", "start");
    let pattern = jsonschema::validator_for(schema).expect("the start schema compiles");
    for (text, allowed) in [
        ("2027-01-10", true),
        ("2027-01-10T09:00", true),
        ("2027-01-10 09:00", true),
        ("2027-01-10T09:00:30.5", true),
        ("2027-01-10T09:00+11:00", true),
        ("2027-01-10T09:00:00+11:00", true),
        ("2027-01-10T09:00:00Z", true),
        (" 2027-01-10T09:00 ", true),
        ("0", false),
        ("tomorrow", false),
        ("2027-13-01", false),
        ("2027-01-10T24:00", false),
        ("2027-01-10T09", false),
        ("1969-12-31", false),
        ("2101-01-01", false),
        ("10/01/2027", false),
    ] {
        assert_eq!(pattern.is_valid(&json!(text)), allowed, "the pattern and {text:?}");
        let res = post(&app, &user, "/api/v1/calendar/events", json!({"title": "Check", "start": text})).await;
        if allowed {
            assert_eq!(res.status(), 201, "{text:?} fits the pattern, so it is stored");
        } else {
            refused_at(res, &["body", "start"]).await;
        }
    }
}
