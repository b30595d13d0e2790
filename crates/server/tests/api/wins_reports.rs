//! Wins reports, savings, the chart and the PAM tools, on SQLite and Postgres.

use chrono::{Datelike, NaiveDate};
use pam_kernel::{Clock, Locale, ToolContext, ToolError};
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, TestUser, assert_error, spawn_app};
use crate::wins::{expense, post};
use pam_testkit::on_both_databases;

on_both_databases!(
    budget_status_and_alerts_follow_spending,
    summary_forecast_and_opportunities_use_the_users_month,
    report_csv_round_trips_and_chart_is_svg,
    savings_contract,
    tools_call_the_same_services,
);

/// Today in Brisbane (no daylight saving), the zone these tests give the user.
fn today() -> NaiveDate {
    chrono::Utc::now().with_timezone(&chrono_tz::Australia::Brisbane).date_naive()
}

async fn brisbane_user(app: &TestApp, email: &str) -> TestUser {
    let user = app.register(email).await;
    let res = app
        .send_json(
            Method::PATCH,
            &format!("/api/v1/users/{}/profile", user.id),
            Some(&user.token),
            &json!({"timezone": "Australia/Brisbane"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    user
}

fn months_ago(n: u32) -> NaiveDate {
    let t = today();
    let total = t.year() * 12 + t.month0() as i32 - n as i32;
    NaiveDate::from_ymd_opt(total.div_euclid(12), total.rem_euclid(12) as u32 + 1, 10).unwrap()
}

async fn budget_status_and_alerts_follow_spending(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = brisbane_user(&app, "jo@example.com").await;
    post(&app, &user, "/api/v1/budgets", json!({"category": "fuel", "monthly_limit": 100})).await;
    post(&app, &user, "/api/v1/budgets", json!({"category": "groceries", "monthly_limit": 500})).await;
    // The same category in another case counts against the budget; the expense keeps its spelling.
    let e = expense(&app, &user, json!({"amount": 85, "category": "FUEL"})).await;
    assert_eq!(e["category"], "FUEL");
    assert_eq!(e["date"], today().to_string(), "default date is today in the user's zone");
    expense(&app, &user, json!({"amount": 999, "category": "fuel", "date": months_ago(1).to_string()})).await;

    let status: Value = app.get("/api/v1/wins/budget-status", &user.token).await.json().await.unwrap();
    assert_eq!(status["month"], format!("{:04}-{:02}", today().year(), today().month()));
    let fuel = status["items"].as_array().unwrap().iter().find(|i| i["category"] == "fuel").unwrap().clone();
    assert_eq!(fuel["spent"], 85.0, "last month's fill is not this month's");
    assert_eq!(fuel["remaining"], 15.0);
    assert_eq!(fuel["percent_used"], 85.0);
    assert_eq!(fuel["status"], "near");
    assert_eq!(fuel["alert"], true);
    assert_eq!(status["alerts"].as_array().unwrap().len(), 1);

    expense(&app, &user, json!({"amount": 20, "category": "fuel"})).await;
    expense(&app, &user, json!({"amount": 5, "category": "fuel"})).await;
    let status: Value = app.get("/api/v1/wins/budget-status", &user.token).await.json().await.unwrap();
    let fuel = status["items"].as_array().unwrap().iter().find(|i| i["category"] == "fuel").unwrap().clone();
    assert_eq!(fuel["status"], "over");
    assert_eq!(fuel["remaining"], -10.0);
    let levels: Vec<&str> = status["alerts"].as_array().unwrap().iter().map(|a| a["level"].as_str().unwrap()).collect();
    assert_eq!(levels, ["near", "over"], "each alert recorded once per month");
    let groceries = status["items"].as_array().unwrap().iter().find(|i| i["category"] == "groceries").unwrap().clone();
    assert_eq!(groceries["status"], "under");
}

async fn summary_forecast_and_opportunities_use_the_users_month(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = brisbane_user(&app, "kai@example.com").await;
    for n in 1..=3 {
        expense(&app, &user, json!({"amount": 100, "category": "groceries", "date": months_ago(n).to_string()})).await;
    }
    expense(&app, &user, json!({"amount": 1000, "category": "groceries"})).await;
    expense(&app, &user, json!({"amount": 100, "category": "dining"})).await;
    post(&app, &user, "/api/v1/budgets", json!({"category": "dining", "monthly_limit": 50})).await;
    post(&app, &user, "/api/v1/income", json!({"amount": 300, "source": "Pension", "type": "pension"})).await;

    let summary: Value = app.get("/api/v1/wins/summary?days=1", &user.token).await.json().await.unwrap();
    assert_eq!(summary["expenses"], 1100.0);
    assert_eq!(summary["income"], 300.0);
    assert_eq!(summary["net"], -800.0);
    assert_eq!(summary["categories"][0]["category"], "groceries");
    assert_eq!(summary["categories"][0]["percent"], 90.9);
    assert_error(app.get("/api/v1/wins/summary?days=0", &user.token).await, 422, "validation_error").await;

    // A calendar month ("how much did we spend in June") holds that month's expenses only.
    let month = months_ago(2).format("%Y-%m").to_string();
    let summary: Value =
        app.get(&format!("/api/v1/wins/summary?month={month}"), &user.token).await.json().await.unwrap();
    assert_eq!(summary["expenses"], 100.0);
    assert_eq!(summary["month"], month.as_str());
    assert_eq!(summary["start_date"], format!("{month}-01"));
    assert_eq!(summary["period"], Value::Null);
    // This month ends today.
    let this_month = today().format("%Y-%m").to_string();
    let summary: Value =
        app.get(&format!("/api/v1/wins/summary?month={this_month}"), &user.token).await.json().await.unwrap();
    assert_eq!(
        (summary["expenses"].as_f64(), summary["end_date"].as_str()),
        (Some(1100.0), Some(&*today().to_string()))
    );
    let next_month = months_ago(0).checked_add_months(chrono::Months::new(1)).unwrap().format("%Y-%m").to_string();
    for bad in [
        "2026-13",
        "June",
        "2026-6",
        "2026-+6",
        "%202026-06",
        "1969-12",
        &next_month,
        &format!("{month}&days=3"),
        &format!("{month}&period=this_month"),
    ] {
        let res = app.get(&format!("/api/v1/wins/summary?month={bad}"), &user.token).await;
        assert_error(res, 422, "validation_error").await;
    }

    let forecast: Value = app.get("/api/v1/wins/forecast", &user.token).await.json().await.unwrap();
    let (elapsed, days) = (forecast["days_elapsed"].as_i64().unwrap(), forecast["days_in_month"].as_i64().unwrap());
    assert_eq!(elapsed, today().day() as i64);
    let expected = (110_000 * days + elapsed / 2) / elapsed;
    assert_eq!((forecast["projected_total"].as_f64().unwrap() * 100.0).round() as i64, expected);
    assert!(forecast["method"].as_str().unwrap().contains("Linear projection"));

    let opportunities: Value = app.get("/api/v1/wins/savings-opportunities", &user.token).await.json().await.unwrap();
    let list = opportunities["opportunities"].as_array().unwrap();
    let groceries = list.iter().find(|o| o["category"] == "groceries").expect("groceries above its average");
    assert_eq!(groceries["kind"], "above_average");
    let expected_groceries = (100_000 * days + elapsed / 2) / elapsed - 10_000;
    assert_eq!((groceries["amount"].as_f64().unwrap() * 100.0).round() as i64, expected_groceries);
    let dining = list.iter().find(|o| o["category"] == "dining").expect("dining over budget");
    assert_eq!(dining["kind"], "over_budget");
}

async fn report_csv_round_trips_and_chart_is_svg(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = brisbane_user(&app, "lia@example.com").await;
    expense(
        &app,
        &user,
        json!({"amount": 12.3, "category": "dining", "description": "Fish & chips, \"the best\"\nat the pier"}),
    )
    .await;
    expense(
        &app,
        &user,
        json!({"amount": 60, "category": "fuel", "tags": ["trip", "nsw"], "date": months_ago(1).to_string()}),
    )
    .await;
    expense(&app, &user, json!({"amount": 45, "category": "caravan park", "date": months_ago(2).to_string()})).await;

    let res = app.get("/api/v1/wins/report?format=csv", &user.token).await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let text = res.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        ["date", "category", "amount", "currency", "description", "location", "tags"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1, "this month only by default");
    assert_eq!(&rows[0][2], "12.30");
    assert_eq!(&rows[0][4], "Fish & chips, \"the best\"\nat the pier", "quoted fields survive the round trip");

    let start = months_ago(2).with_day(1).unwrap();
    let json_report: Value = app
        .get(&format!("/api/v1/wins/report?format=json&start_date={start}"), &user.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(json_report["expenses"].as_array().unwrap().len(), 3);
    assert_eq!(json_report["total"], 117.3);
    assert_error(app.get("/api/v1/wins/report?format=pdf", &user.token).await, 422, "validation_error").await;

    let res = app.get("/api/v1/wins/charts/spending.svg?months=3", &user.token).await;
    assert_eq!(res.headers()["content-type"], "image/svg+xml");
    let svg = res.text().await.unwrap();
    let doc = roxmltree::Document::parse(&svg).expect("the chart parses as XML");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    let texts: Vec<&str> = doc.descendants().filter(|n| n.is_text()).filter_map(|n| n.text()).collect();
    for label in ["dining", "fuel", "caravan park", "Spent (AUD)"] {
        assert!(texts.iter().any(|t| t.contains(label)), "legend/axis shows {label}: {texts:?}");
    }
    assert!(
        texts.iter().any(|t| t.contains(&format!("{:04}-{:02}", today().year(), today().month()))),
        "month on the x axis"
    );
    std::fs::write(std::env::temp_dir().join("pam-spending-chart.svg"), &svg).unwrap();
    assert_error(app.get("/api/v1/wins/charts/spending.svg?months=99", &user.token).await, 422, "validation_error")
        .await;
}

async fn savings_contract(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = brisbane_user(&app, "mo@example.com").await;
    let res = post(
        &app,
        &user,
        "/api/v1/pam/savings/record",
        json!({"savings_type": "fuel", "baseline_cost": 80,
        "optimized_cost": 71.5, "description": "Cheaper servo on the route", "actual_savings": 9}),
    )
    .await;
    let err = assert_error(res, 422, "validation_error").await;
    assert_eq!(err["detail"][0]["loc"], json!(["body", "actual_savings"]));
    let res = post(
        &app,
        &user,
        "/api/v1/pam/savings/record",
        json!({"savings_type": "fuel", "baseline_cost": 80,
        "optimized_cost": 71.5, "description": "Cheaper servo on the route", "actual_savings": 8.5}),
    )
    .await;
    assert_eq!(res.status(), 201);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["success"], true);
    assert_eq!(body["event"]["actual_savings"], 8.5);
    post(
        &app,
        &user,
        "/api/v1/pam/savings/record",
        json!({"savings_type": "camping", "baseline_cost": 10,
        "optimized_cost": 0, "description": "Free camp instead of a park"}),
    )
    .await;

    let recent: Value = app.get("/api/v1/pam/savings/recent?limit=5", &user.token).await.json().await.unwrap();
    assert_eq!(recent["success"], true);
    assert_eq!(recent["count"], 2);
    let t = today();
    let monthly: Value = app
        .get(&format!("/api/v1/pam/monthly-savings?year={}&month={}", t.year(), t.month()), &user.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(monthly["data"]["total_savings"], 18.5);
    assert_eq!(monthly["data"]["subscription_cost"], 14.0);
    assert_eq!(monthly["data"]["guarantee_met"], true);
    assert_eq!(monthly["data"]["savings_shortfall"], 0.0);
    let g: Value = app
        .get(&format!("/api/v1/pam/savings/guarantee-status?month={}", t.with_day(1).unwrap()), &user.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(g["guarantee_status"]["savings_events_count"], 2);
    assert_eq!(g["guarantee_status"]["percentage_achieved"], 132.1);
    let empty: Value =
        app.get("/api/v1/pam/savings/guarantee-status?month=2020-01", &user.token).await.json().await.unwrap();
    assert_eq!(empty["guarantee_status"]["guarantee_met"], false);
    assert_eq!(empty["guarantee_status"]["savings_shortfall"], 14.0);
    let summary: Value = app.get("/api/v1/pam/savings/monthly-summary", &user.token).await.json().await.unwrap();
    assert_eq!(summary["by_type"].as_array().unwrap().len(), 2);
    assert_error(
        app.get("/api/v1/pam/savings/guarantee-status?month=soon", &user.token).await,
        422,
        "validation_error",
    )
    .await;

    for n in 1..=2 {
        expense(&app, &user, json!({"amount": 120, "category": "fuel", "date": months_ago(n).to_string()})).await;
    }
    expense(&app, &user, json!({"amount": 90, "category": "fuel"})).await;
    let detected: Value =
        post(&app, &user, "/api/v1/pam/savings/detect", json!({"record": true})).await.json().await.unwrap();
    assert_eq!(detected["detected"][0]["savings_type"], "fuel");
    assert_eq!(detected["detected"][0]["actual_savings"], 30.0);
    let recent: Value = app.get("/api/v1/pam/savings/recent", &user.token).await.json().await.unwrap();
    assert_eq!(recent["count"], 3, "detected saving recorded");
    // Detecting again this month records nothing more: the guarantee cannot be inflated by repeating it.
    let before: Value = app.get("/api/v1/pam/savings/guarantee-status", &user.token).await.json().await.unwrap();
    for _ in 0..3 {
        post(&app, &user, "/api/v1/pam/savings/detect", json!({"record": true})).await;
    }
    let recent: Value = app.get("/api/v1/pam/savings/recent", &user.token).await.json().await.unwrap();
    assert_eq!(recent["count"], 3, "one detected saving per month, type and method");
    let after: Value = app.get("/api/v1/pam/savings/guarantee-status", &user.token).await.json().await.unwrap();
    assert_eq!(
        before["guarantee_status"]["total_savings"], after["guarantee_status"]["total_savings"],
        "repeating detection does not add to the month's savings"
    );
}

async fn tools_call_the_same_services(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = brisbane_user(&app, "ned@example.com").await;
    let tools = pam_wins::tools::tools(&app.state.domains.wins);
    let names: Vec<&str> = tools.iter().map(|t| t.name).collect();
    for name in [
        "create_expense",
        "get_spending_summary",
        "analyze_budget",
        "update_budget",
        "compare_vs_budget",
        "predict_end_of_month",
        "find_savings_opportunities",
        "categorize_transaction",
        "export_budget_report",
        "track_savings",
        "record_income",
    ] {
        assert!(names.contains(&name), "{name}");
    }
    let tool = |name: &str| tools.iter().find(|t| t.name == name).unwrap().clone();
    let ctx = ToolContext {
        db: app.state.db.clone(),
        user_id: user.id,
        turn_id: None,
        locale: Locale { tz: chrono_tz::Australia::Brisbane, ..Locale::default() },
        clock: Clock::system(),
        position: None,
    };

    let create = tool("create_expense");
    assert!(create.changes_data);
    assert_eq!(create.parameters["properties"]["amount"]["type"], "number", "schema inlined: {}", create.parameters);
    assert!(create.parameters["required"].as_array().unwrap().contains(&json!("amount")));
    assert!(!create.parameters.to_string().contains("$ref"));
    let out = create
        .run(ctx.clone(), json!({"amount": 42.5, "category": "diesel", "user_id": uuid::Uuid::new_v4()}))
        .await
        .unwrap();
    assert_eq!(out.data["category"], "fuel");
    assert_eq!(out.ui_actions[0].kind, "reload_expenses");
    let list: Value = app.get("/api/v1/expenses", &user.token).await.json().await.unwrap();
    assert_eq!(list["expenses"][0]["id"], out.data["id"], "the tool wrote through the same service, as the user");

    let err = create.run(ctx.clone(), json!({"amount": -1, "category": "fuel"})).await.unwrap_err();
    assert!(matches!(&err, ToolError::InvalidArguments(f) if f[0].loc == [json!("body"), json!("amount")]), "{err:?}");
    assert!(err.to_string().contains("amount"), "{err}");
    let err = create.run(ctx.clone(), json!("not an object")).await.unwrap_err();
    assert!(matches!(err, ToolError::InvalidArguments(_)));

    let budget =
        tool("update_budget").run(ctx.clone(), json!({"category": "fuel", "monthly_limit": 50})).await.unwrap();
    assert_eq!(budget.data["monthly_limit"], 50.0);
    let again =
        tool("update_budget").run(ctx.clone(), json!({"category": "petrol", "monthly_limit": 60})).await.unwrap();
    assert_eq!(again.data["id"], budget.data["id"], "update_budget changes the existing budget");
    let status = tool("compare_vs_budget").run(ctx.clone(), json!({})).await.unwrap();
    assert_eq!(status.data["items"][0]["percent_used"], 70.8, "42.50 of the updated 60.00");
    assert_eq!(status.data["items"][0]["status"], "under");
    let summary = tool("get_spending_summary").run(ctx.clone(), json!({"days": 7})).await.unwrap();
    assert_eq!(summary.data["expenses"], 42.5);
    assert!(
        tool("predict_end_of_month").run(ctx.clone(), Value::Null).await.unwrap().data["projected_total"].is_number()
    );
    assert!(
        tool("find_savings_opportunities").run(ctx.clone(), json!({})).await.unwrap().data["opportunities"].is_array()
    );
    let analysis = tool("analyze_budget").run(ctx.clone(), json!({"months": 2})).await.unwrap();
    assert_eq!(analysis.data["categories"][0]["category"], "fuel");
    let guess = tool("categorize_transaction")
        .run(ctx.clone(), json!({"description": "Two nights at a caravan park"}))
        .await
        .unwrap();
    assert_eq!(guess.data["category"], "campground");
    let csv = tool("export_budget_report").run(ctx.clone(), json!({"format": "csv"})).await.unwrap();
    assert!(csv.data["csv"].as_str().unwrap().starts_with("date,category,amount"));
    let income = tool("record_income")
        .run(ctx.clone(), json!({"amount": 500, "source": "Pension", "type": "pension"}))
        .await
        .unwrap();
    assert_eq!(income.ui_actions[0].kind, "reload_expenses");
    let saved = tool("track_savings")
        .run(ctx.clone(), json!({"savings_type": "fuel", "baseline_cost": 10, "optimized_cost": 8, "description": "x"}))
        .await
        .unwrap();
    assert_eq!(saved.data["actual_savings"], 2.0);
}
