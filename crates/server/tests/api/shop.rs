//! Shop: the catalogue searched by words and category (active products only, paged), admin-only writes
//! (403 for a user, 401 without a token) each audited, the product tools, and recommendations that
//! follow the user's vehicle and trips.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, TestUser, assert_error, spawn_app};
use crate::knowledge::{admin, audit_actions, tool};
use crate::wheels_vehicles::{created, delete, get_json, id, patch, post};
use pam_testkit::on_both_databases;

on_both_databases!(
    products_are_searched_by_words_and_category,
    only_admins_change_the_catalogue,
    recommendations_follow_the_users_vehicle_and_trips,
    product_tools_search_and_show_the_catalogue,
);

async fn product(app: &TestApp, admin: &TestUser, body: Value) -> Value {
    created(app, admin, "/api/v1/shop/products", body).await
}

/// A small catalogue: fuel cans for each fuel, gear for two kinds of vehicle, gear for long trips, and
/// a tank that is no longer sold.
async fn catalogue(app: &TestApp, admin: &TestUser) -> Vec<Value> {
    let items = [
        json!({"name": "Diesel jerry can 20 L", "category": "Fuel", "price": 49.95, "fuel_types": ["diesel"],
               "tags": ["fuel"]}),
        json!({"name": "Petrol jerry can 20 L", "category": "fuel", "price": 44.5, "fuel_types": ["petrol"]}),
        json!({"name": "Towing mirrors", "category": "towing", "price": 120, "vehicle_types": ["caravan_tow"]}),
        json!({"name": "Levelling ramps", "category": "camping", "price": 89, "vehicle_types": ["motorhome"],
               "description": "Heavy-duty ramps for motorhomes up to 6 t"}),
        json!({"name": "Recovery tracks", "category": "recovery", "price": 199, "tags": ["long-distance", "recovery"]}),
        json!({"name": "Water bladder 100 L", "category": "water", "price": 150, "tags": ["off-grid"],
               "description": "Food-grade water storage"}),
        json!({"name": "Old water tank", "category": "water", "price": 10, "active": false}),
    ];
    let mut made = Vec::new();
    for item in items {
        made.push(product(app, admin, item).await);
    }
    made
}

fn names(list: &Value, key: &str) -> Vec<String> {
    list[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().or(p["product"]["name"].as_str()).unwrap().to_string())
        .collect()
}

async fn products_are_searched_by_words_and_category(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = admin(&app, "sadmin@example.com").await;
    let user = app.register("shopper@example.com").await;
    let made = catalogue(&app, &admin).await;
    assert_eq!(
        (&made[0]["category"], &made[0]["price"], &made[0]["currency"]),
        (&json!("fuel"), &json!(49.95), &json!("AUD"))
    );

    let all = get_json(&app, &user, "/api/v1/shop/products").await;
    assert_eq!(all["total"], 6, "the inactive tank is not offered: {all}");
    assert!(!names(&all, "products").contains(&"Old water tank".to_string()));
    let cans = get_json(&app, &user, "/api/v1/shop/products?q=JERRY").await;
    assert_eq!(names(&cans, "products"), ["Diesel jerry can 20 L", "Petrol jerry can 20 L"], "any case, by name");
    let water = get_json(&app, &user, "/api/v1/shop/products?category=water").await;
    assert_eq!(names(&water, "products"), ["Water bladder 100 L"]);
    assert_eq!(get_json(&app, &user, "/api/v1/shop/products?q=storage").await["total"], 1, "descriptions are searched");
    assert_eq!(get_json(&app, &user, "/api/v1/shop/products?q=recovery&category=recovery").await["total"], 1);
    assert_eq!(get_json(&app, &user, "/api/v1/shop/products?q=jerry&category=water").await["total"], 0);
    assert_eq!(get_json(&app, &user, "/api/v1/shop/products?q=100%25").await["total"], 0, "% is literal");
    let page = get_json(&app, &user, "/api/v1/shop/products?q=jerry&limit=1&offset=1").await;
    assert_eq!((names(&page, "products"), &page["total"]), (vec!["Petrol jerry can 20 L".to_string()], &json!(2)));
    assert_error(app.get("/api/v1/shop/products?limit=1001", &user.token).await, 422, "validation_error").await;
    // An inactive product still opens by id (old links), marked inactive.
    let old = get_json(&app, &user, &format!("/api/v1/shop/products/{}", id(&made[6]))).await;
    assert_eq!(old["active"], false);
}

async fn only_admins_change_the_catalogue(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = admin(&app, "sadmin2@example.com").await;
    let user = app.register("shopper2@example.com").await;
    let body = json!({"name": "Solar blanket", "category": "power", "price": 399});
    assert_error(post(&app, &user, "/api/v1/shop/products", body.clone()).await, 403, "forbidden").await;
    let anonymous = app.send_json(Method::POST, "/api/v1/shop/products", None, &body).await;
    assert_error(anonymous, 401, "unauthorized").await;
    let made = product(&app, &admin, body).await;
    let path = format!("/api/v1/shop/products/{}", id(&made));
    assert_error(patch(&app, &user, &path, json!({"price": 1})).await, 403, "forbidden").await;
    assert_error(delete(&app, &user, &path).await, 403, "forbidden").await;

    let bad =
        json!({"name": "Hover kit", "category": "x", "price": 5, "vehicle_types": ["hovercraft"], "currency": "ZZ"});
    let err = assert_error(post(&app, &admin, "/api/v1/shop/products", bad).await, 422, "validation_error").await;
    let fields: Vec<&Value> = err["detail"].as_array().unwrap().iter().map(|d| &d["loc"][1]).collect();
    assert_eq!(fields, [&json!("currency"), &json!("vehicle_types")], "{err}");

    let res = patch(&app, &admin, &path, json!({"price": 349.5, "active": false})).await;
    let changed: Value = res.json().await.unwrap();
    assert_eq!((&changed["price"], &changed["active"]), (&json!(349.5), &json!(false)));
    assert_eq!(get_json(&app, &user, "/api/v1/shop/products").await["total"], 0, "taken off offer");
    assert_eq!(delete(&app, &admin, &path).await.status(), 204);
    assert_error(app.get(&path, &user.token).await, 404, "not_found").await;
    assert_eq!(audit_actions(&app, admin.id).await, ["product.create", "product.update", "product.delete"]);
    assert!(audit_actions(&app, user.id).await.is_empty());
}

/// The names recommended to a user, with every reason given.
async fn recommended(app: &TestApp, user: &TestUser, args: Value) -> (Vec<String>, String, Value) {
    let body = tool(app, user, "recommend_products", args).await;
    assert_eq!(body["success"], true, "{body}");
    let data = body["data"].clone();
    let reasons: Vec<String> = data["recommendations"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["reasons"].as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()))
        .collect();
    (names(&data, "recommendations"), reasons.join(" | "), data)
}

async fn recommendations_follow_the_users_vehicle_and_trips(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = admin(&app, "sadmin3@example.com").await;
    catalogue(&app, &admin).await;

    // A diesel motorhome heading from Sydney to Cairns.
    let ann = app.register("motorhome@example.com").await;
    created(
        &app,
        &ann,
        "/api/v1/vehicles",
        json!({"name": "Big Bertha", "vehicle_type": "motorhome", "fuel_type": "diesel"}),
    )
    .await;
    created(&app, &ann, "/api/v1/trips/plan", json!({"origin": "Sydney", "destination": "Cairns"})).await;
    let (picked, why, data) = recommended(&app, &ann, json!({})).await;
    for wanted in ["Levelling ramps", "Diesel jerry can 20 L", "Recovery tracks", "Water bladder 100 L"] {
        assert!(picked.contains(&wanted.to_string()), "{wanted} missing from {picked:?}");
    }
    for unwanted in ["Petrol jerry can 20 L", "Towing mirrors", "Old water tank"] {
        assert!(!picked.contains(&unwanted.to_string()), "{unwanted} offered to a diesel motorhome: {picked:?}");
    }
    assert!(why.contains("motorhome like your Big Bertha") && why.contains("diesel"), "{why}");
    assert!(why.contains("trip to Cairns"), "{why}");
    assert_eq!(data["based_on"]["vehicle"]["fuel_type"], "diesel");
    assert_eq!(data["based_on"]["upcoming_trips"][0]["destination"], "Cairns");
    let (water, _, _) = recommended(&app, &ann, json!({"category": "water"})).await;
    assert_eq!(water, ["Water bladder 100 L"]);

    // A petrol car towing a caravan, no trip planned: other gear entirely.
    let ben = app.register("caravan@example.com").await;
    created(
        &app,
        &ben,
        "/api/v1/vehicles",
        json!({"name": "The Falcon", "vehicle_type": "caravan_tow", "fuel_type": "petrol"}),
    )
    .await;
    let (picked, why, _) = recommended(&app, &ben, json!({"need": "something for water storage"})).await;
    assert_eq!(picked, ["Towing mirrors", "Petrol jerry can 20 L", "Water bladder 100 L"], "{why}");
    assert!(why.contains("Matches what you asked for (water, storage)"), "{why}");

    // Nothing known about the traveller: nothing made up.
    let cat = app.register("nothing@example.com").await;
    let (picked, _, data) = recommended(&app, &cat, json!({})).await;
    assert!(picked.is_empty() && data["note"].as_str().unwrap().contains("Add your vehicle"), "{data}");
    let res = post(&app, &cat, "/api/v1/pam/tools/execute/recommend_products", json!({"limit": 50})).await;
    assert_error(res, 422, "validation_error").await;
}

async fn product_tools_search_and_show_the_catalogue(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = admin(&app, "sadmin4@example.com").await;
    let user = app.register("shopper4@example.com").await;
    let made = catalogue(&app, &admin).await;

    let found = tool(&app, &user, "search_products", json!({"query": "jerry can", "category": "fuel"})).await;
    assert_eq!(names(&found["data"], "products"), ["Diesel jerry can 20 L", "Petrol jerry can 20 L"], "{found}");
    let details = tool(&app, &user, "get_product_details", json!({"product_id": id(&made[3])})).await;
    assert_eq!(details["data"]["vehicle_types"], json!(["motorhome"]), "{details}");
    let missing = tool(&app, &user, "get_product_details", json!({"product_id": uuid::Uuid::now_v7()})).await;
    assert_eq!(missing["success"], false, "{missing}");
    assert!(missing["error"].as_str().unwrap().contains("not found"), "{missing}");
}
