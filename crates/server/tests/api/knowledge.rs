//! Knowledge: full-text search on both databases (a body match is found, a title match ranks first,
//! words are stemmed, the shelf follows every edit), the nearby boost, and admin-only writes (403 for a
//! user, 401 without a token), each write audited; the search and add tools.

use pam_store::with_db;
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{Backend, TestApp, TestUser, assert_error, spawn_app};
use crate::wheels_vehicles::{created, delete, get_json, id, patch, post};
use pam_testkit::on_both_databases;

on_both_databases!(
    search_finds_a_body_match_and_ranks_a_title_match_first,
    the_search_follows_every_edit_of_the_shelf,
    articles_near_the_reader_rank_higher,
    only_admins_write_articles_and_each_write_is_audited,
    knowledge_tools_search_for_anyone_and_add_for_admins_only,
);

pub async fn admin(app: &TestApp, email: &str) -> TestUser {
    let admin = app.register(email).await;
    app.make_admin(admin.id).await;
    admin
}

/// Runs a tool through `POST /api/v1/pam/tools/execute/{name}` (200 whether or not it succeeded).
pub async fn tool(app: &TestApp, user: &TestUser, name: &str, args: Value) -> Value {
    let res = post(app, user, &format!("/api/v1/pam/tools/execute/{name}"), args).await;
    assert_eq!(res.status(), 200, "{name}");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["tool_name"], name, "{body}");
    body
}

/// The audit actions an actor has, oldest first.
pub async fn audit_actions(app: &TestApp, actor: Uuid) -> Vec<String> {
    with_db!(app.db(), |pool| {
        sqlx::query_scalar("SELECT action FROM audit_log WHERE actor_id = $1 ORDER BY created_at, id")
            .bind(actor)
            .fetch_all(pool)
            .await
    })
    .unwrap()
}

async fn search(app: &TestApp, user: &TestUser, query: &str) -> Value {
    get_json(app, user, &format!("/api/v1/knowledge/search?{query}")).await
}

fn titles(results: &Value) -> Vec<&str> {
    results["articles"].as_array().unwrap().iter().map(|a| a["title"].as_str().unwrap()).collect()
}

async fn article(app: &TestApp, admin: &TestUser, body: Value) -> Value {
    created(app, admin, "/api/v1/knowledge", body).await
}

/// Three articles: "dump point" in one title, in another's body, and in neither.
async fn shelf(app: &TestApp, admin: &TestUser) -> (Value, Value, Value) {
    let in_body = article(
        app,
        admin,
        json!({"title": "Gilgandra showground", "knowledge_type": "tip", "category": "Facilities",
               "content": "Hot showers by the pavilion, and a free dump point behind the grandstand.", "priority": 5}),
    )
    .await;
    let in_title = article(
        app,
        admin,
        json!({"title": "Dump point etiquette", "knowledge_type": "rule", "category": "facilities",
               "content": "Rinse the hose, close the lid and leave it clean for the next traveller.", "priority": 5}),
    )
    .await;
    let neither = article(
        app,
        admin,
        json!({"title": "Bush camping with kids", "content": "Pack extra water, a torch and a deck of cards.",
               "tags": ["Family"]}),
    )
    .await;
    (in_body, in_title, neither)
}

async fn search_finds_a_body_match_and_ranks_a_title_match_first(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = admin(&app, "kadmin@example.com").await;
    let user = app.register("kreader@example.com").await;
    let (in_body, _, neither) = shelf(&app, &admin).await;
    assert_eq!(in_body["category"], "facilities", "categories are stored in lower case");
    assert_eq!(neither["knowledge_type"], "general", "the default type");

    let found = search(&app, &user, "q=dump%20point").await;
    assert_eq!(titles(&found), ["Dump point etiquette", "Gilgandra showground"], "{found}");
    assert_eq!(found["total"], 2);
    let scores: Vec<f64> = found["articles"].as_array().unwrap().iter().map(|a| a["score"].as_f64().unwrap()).collect();
    assert!(scores[0] > scores[1], "the title match scores higher: {scores:?}");

    // Stemming on both engines: "points" finds "point".
    assert_eq!(titles(&search(&app, &user, "q=dump%20points").await).len(), 2);
    // Phrases, alternatives and exclusions, as in a web search.
    let found = search(&app, &user, "q=%22hot%20showers%22%20or%20generator").await;
    assert_eq!(titles(&found), ["Gilgandra showground"]);
    assert_eq!(titles(&search(&app, &user, "q=dump%20-etiquette").await), ["Gilgandra showground"]);
    assert_eq!(titles(&search(&app, &user, "q=family").await), ["Bush camping with kids"], "tags are searched");
    // Filters.
    assert_eq!(titles(&search(&app, &user, "q=dump&knowledge_type=rule").await), ["Dump point etiquette"]);
    assert_eq!(search(&app, &user, "q=dump&category=FACILITIES").await["total"], 2);
    // Paging keeps the order and the total.
    let second = search(&app, &user, "q=dump%20point&limit=1&offset=1").await;
    assert_eq!((titles(&second), second["total"].as_i64()), (vec!["Gilgandra showground"], Some(2)));
    // Search syntax in the input is only words.
    assert_eq!(search(&app, &user, "q=NEAR(dump*%20point)%20%3A%5E").await["total"], 0);

    let res = app.get("/api/v1/knowledge/search?q=%20%2A%2A", &user.token).await;
    let err = assert_error(res, 422, "validation_error").await;
    assert_eq!(err["detail"][0]["loc"], json!(["query", "q"]));
    assert_error(app.get_anonymous("/api/v1/knowledge/search?q=dump").await, 401, "unauthorized").await;
}

async fn the_search_follows_every_edit_of_the_shelf(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = admin(&app, "kadmin2@example.com").await;
    let user = app.register("kreader2@example.com").await;
    let (in_body, in_title, neither) = shelf(&app, &admin).await;

    let path = format!("/api/v1/knowledge/{}", id(&in_body));
    let res = patch(&app, &admin, &path, json!({"content": "Hot showers by the pavilion."})).await;
    assert_eq!(res.status(), 200);
    assert_eq!(titles(&search(&app, &user, "q=dump%20point").await), ["Dump point etiquette"], "the old body is gone");
    let res =
        patch(&app, &admin, &format!("/api/v1/knowledge/{}", id(&neither)), json!({"title": "Dump point queues"}))
            .await;
    assert_eq!(res.status(), 200);
    assert_eq!(search(&app, &user, "q=dump%20point").await["total"], 2, "a new title is found");
    assert_eq!(delete(&app, &admin, &format!("/api/v1/knowledge/{}", id(&in_title))).await.status(), 204);
    assert_eq!(titles(&search(&app, &user, "q=dump%20point").await), ["Dump point queues"]);
    assert_eq!(get_json(&app, &user, "/api/v1/knowledge").await["total"], 2, "the shelf lists what is left");
}

async fn articles_near_the_reader_rank_higher(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = admin(&app, "kadmin3@example.com").await;
    let user = app.register("kreader3@example.com").await;
    let body = |place: &str| {
        json!({"title": format!("{place} visitor centre"), "location_context": place, "category": "water",
               "content": "Free dump point and potable water at the visitor centre."})
    };
    let dubbo = article(&app, &admin, body("Dubbo")).await;
    let cairns = article(&app, &admin, body("Cairns")).await;
    let lat = dubbo["latitude"].as_f64().expect("the place was resolved");
    assert!((-32.4..-32.1).contains(&lat), "Dubbo is at about -32.25: {dubbo}");

    let near_dubbo = search(&app, &user, "q=dump%20point&near=Dubbo").await;
    assert_eq!(titles(&near_dubbo), ["Dubbo visitor centre", "Cairns visitor centre"], "{near_dubbo}");
    assert!(near_dubbo["articles"][0]["distance_km"].as_f64().unwrap() < 5.0);
    assert!(near_dubbo["near"]["name"].as_str().unwrap().contains("Dubbo"));
    // The reader's position (Cairns) turns the order round.
    let near_cairns = search(&app, &user, "q=dump%20point&lat=-16.92&lng=145.77").await;
    assert_eq!(titles(&near_cairns), ["Cairns visitor centre", "Dubbo visitor centre"], "{near_cairns}");
    // Nearness does not outrank a much better text match: a title match far away stays first.
    article(
        &app,
        &admin,
        json!({"title": "Dump point etiquette", "location_context": "Perth", "content": "Be quick."}),
    )
    .await;
    let mixed = search(&app, &user, "q=dump%20point&near=Dubbo").await;
    assert_eq!(titles(&mixed)[0], "Dump point etiquette", "{mixed}");

    // An article moved elsewhere is ranked from its new place.
    let res =
        patch(&app, &admin, &format!("/api/v1/knowledge/{}", id(&cairns)), json!({"location_context": "Dubbo"})).await;
    let moved: Value = res.json().await.unwrap();
    assert!((moved["latitude"].as_f64().unwrap() - lat).abs() < 0.01, "{moved}");

    let res = app.get("/api/v1/knowledge/search?q=dump&near=Xyzzyqwv", &user.token).await;
    let err = assert_error(res, 422, "validation_error").await;
    assert_eq!(err["detail"][0]["loc"], json!(["query", "near"]));
    let res = app.get("/api/v1/knowledge/search?q=dump&lat=-16.9", &user.token).await;
    assert_error(res, 422, "validation_error").await;
}

async fn only_admins_write_articles_and_each_write_is_audited(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = admin(&app, "kadmin4@example.com").await;
    let user = app.register("kreader4@example.com").await;
    let body = json!({"title": "Generators", "content": "No generators after 8 pm.", "knowledge_type": "rule"});

    assert_error(post(&app, &user, "/api/v1/knowledge", body.clone()).await, 403, "forbidden").await;
    let anonymous = app.send_json(Method::POST, "/api/v1/knowledge", None, &body).await;
    assert_error(anonymous, 401, "unauthorized").await;
    let made = article(&app, &admin, body).await;
    let path = format!("/api/v1/knowledge/{}", id(&made));
    assert_error(patch(&app, &user, &path, json!({"title": "Mine now"})).await, 403, "forbidden").await;
    assert_error(delete(&app, &user, &path).await, 403, "forbidden").await;
    assert_eq!(get_json(&app, &user, &path).await["title"], "Generators", "users read articles");

    let res = post(&app, &admin, "/api/v1/knowledge", json!({"title": " ", "content": "x", "priority": 11})).await;
    let err = assert_error(res, 422, "validation_error").await;
    let fields: Vec<&Value> = err["detail"].as_array().unwrap().iter().map(|d| &d["loc"][1]).collect();
    assert_eq!(fields, [&json!("title"), &json!("priority")], "{err}");

    assert_eq!(patch(&app, &admin, &path, json!({"priority": 9})).await.status(), 200);
    assert_eq!(delete(&app, &admin, &path).await.status(), 204);
    assert_error(app.get(&path, &user.token).await, 404, "not_found").await;
    assert_error(delete(&app, &admin, &path).await, 404, "not_found").await;
    assert_eq!(audit_actions(&app, admin.id).await, ["knowledge.create", "knowledge.update", "knowledge.delete"]);
    assert!(audit_actions(&app, user.id).await.is_empty(), "refused writes leave no audit rows");
}

async fn knowledge_tools_search_for_anyone_and_add_for_admins_only(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = admin(&app, "kadmin5@example.com").await;
    let user = app.register("kreader5@example.com").await;
    shelf(&app, &admin).await;

    let found = tool(&app, &user, "search_knowledge", json!({"query": "dump point", "limit": 1})).await;
    assert_eq!(found["success"], true, "{found}");
    assert_eq!(titles(&found["data"]), ["Dump point etiquette"]);
    assert_eq!(found["data"]["total"], 2);

    let new = json!({"title": "Wet season closures", "content": "Gulf roads close from December.", "knowledge_type": "seasonal"});
    let refused = tool(&app, &user, "add_knowledge", new.clone()).await;
    assert_eq!(refused["success"], false, "{refused}");
    assert!(refused["error"].as_str().unwrap().contains("admins"), "{refused}");
    assert_eq!(search(&app, &user, "q=gulf").await["total"], 0, "nothing was added");

    let added = tool(&app, &admin, "add_knowledge", new).await;
    assert_eq!(added["success"], true, "{added}");
    assert_eq!(titles(&search(&app, &user, "q=gulf%20roads").await), ["Wet season closures"]);
    assert_eq!(audit_actions(&app, admin.id).await.last().map(String::as_str), Some("knowledge.create"));
}
