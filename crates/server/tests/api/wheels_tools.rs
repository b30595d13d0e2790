//! The trip tools through `POST /api/v1/pam/tools/execute/{tool}`, and RIDB's campgrounds merged into
//! them (the other outside services are in `wheels_providers.rs`). Each fake's `expect` is checked when
//! it is dropped, so a test cannot pass without the server having asked it.

use serde_json::{Value, json};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::{Backend, TestApp, TestUser, assert_error, spawn_app, spawn_app_with};
use crate::wheels_vehicles::{created, delete, get_json, id, patch, post};
use pam_testkit::on_both_databases;

on_both_databases!(
    routes_are_estimated_and_reordered_by_the_tools,
    seasonal_tools_name_places_and_refuse_unknown_countries,
    attractions_without_a_web_search_service_say_so,
    park_tools_find_the_admins_campgrounds,
    an_admin_deletes_a_campground_once,
    planning_with_another_users_vehicle_is_not_found,
    trip_fuel_is_priced_from_fills_in_the_users_currency_only,
    ridb_campgrounds_are_merged_and_their_failure_is_reported,
);

/// Runs a tool; the route answers 200 whether the tool succeeded or not.
pub(crate) async fn tool(app: &TestApp, user: &TestUser, name: &str, args: Value) -> Value {
    let res = post(app, user, &format!("/api/v1/pam/tools/execute/{name}"), args).await;
    assert_eq!(res.status(), 200, "{name}");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["tool_name"], name, "{body}");
    body
}

/// Runs a tool that must succeed; returns its data.
pub(crate) async fn tool_data(app: &TestApp, user: &TestUser, name: &str, args: Value) -> Value {
    let body = tool(app, user, name, args).await;
    assert_eq!(body["success"], true, "{name}: {body}");
    body["data"].clone()
}

async fn admin(app: &TestApp, email: &str) -> TestUser {
    let admin = app.register(email).await;
    app.make_admin(admin.id).await;
    admin
}

/// The names in a list of places (or the list itself, when it is of names).
pub(crate) fn names(list: &Value) -> Vec<String> {
    list.as_array().unwrap().iter().map(|c| c["name"].as_str().or(c.as_str()).unwrap().to_string()).collect()
}

async fn routes_are_estimated_and_reordered_by_the_tools(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("tools1@example.com").await;
    let trip =
        tool_data(&app, &user, "estimate_travel_time", json!({"origin": "Sydney", "destination": "Canberra"})).await;
    let km = trip["distance_km"].as_f64().unwrap();
    assert!((260.0..330.0).contains(&km), "Sydney → Canberra is about 286 km by road: {trip}");
    assert_eq!(trip["source"], "estimate");
    assert!((150.0..300.0).contains(&trip["duration_minutes"].as_f64().unwrap()), "{trip}");
    assert_eq!(trip["places"][1]["name"], "Canberra");
    // A distance alone ("how long to drive 450 km") is timed at the estimate's average speed, 80 km/h.
    let drive = tool_data(&app, &user, "estimate_travel_time", json!({"distance": 450})).await;
    assert_eq!(
        (drive["distance_km"].clone(), drive["duration_minutes"].clone()),
        (json!(450.0), json!(337.5)),
        "{drive}"
    );
    assert_eq!((drive["source"].clone(), drive["average_speed_kmh"].clone()), (json!("estimate"), json!(80.0)));
    let miles = tool_data(&app, &user, "estimate_travel_time", json!({"distance": 100, "distance_unit": "mi"})).await;
    assert_eq!(miles["distance_km"], 160.9, "{miles}");
    for (args, field) in
        [(json!({}), "destination"), (json!({"distance": -5}), "distance"), (json!({"distance": 1e9}), "distance")]
    {
        let res = post(&app, &user, "/api/v1/pam/tools/execute/estimate_travel_time", args).await;
        let err = assert_error(res, 422, "validation_error").await;
        assert_eq!(err["detail"][0]["loc"], json!(["body", field]), "{err}");
    }

    let body = tool(
        &app,
        &user,
        "optimize_route",
        json!({"origin": "Brisbane", "destination": "Cooktown", "stops": ["Cairns", "Rockhampton", "Townsville", "Mackay"]}),
    )
    .await;
    let data = &body["data"];
    assert_eq!(data["order"], json!(["Brisbane", "Rockhampton", "Mackay", "Townsville", "Cairns", "Cooktown"]));
    let (before, after) = (data["distance_km_before"].as_f64().unwrap(), data["distance_km_after"].as_f64().unwrap());
    assert!(after < before, "the given order doubles back: {before} → {after}");
    assert!(data["saved_km"].as_f64().unwrap() > 0.0);
    let action = &body["ui_actions"][0];
    assert_eq!(action["type"], "open_map", "{body}");
    let map = &action["metadata"]["map_action"];
    assert_eq!(map["type"], "REPLACE_ROUTE");
    assert_eq!(map["waypoints"][1]["name"], "Rockhampton", "the map shows the new order: {map}");
    assert_eq!(map["waypoints"].as_array().unwrap().len(), 6);
    // An order that is already the shortest stays as it is, at the same length.
    let body = tool(
        &app,
        &user,
        "optimize_route",
        json!({"origin": "Brisbane", "destination": "Cairns", "stops": ["Mackay"]}),
    )
    .await;
    assert_eq!(body["data"]["distance_km_after"], body["data"]["distance_km_before"]);
}

async fn seasonal_tools_name_places_and_refuse_unknown_countries(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("tools2@example.com").await;
    let july = tool_data(&app, &user, "suggest_seasonal_route", json!({"month": 7, "country": "AU"})).await;
    assert!(names(&july["head_for"]).iter().any(|p| p.contains("Kimberley")), "{july}");
    assert_eq!(july["source"], "seasonal_guidance");
    let january = tool_data(&app, &user, "suggest_seasonal_route", json!({"month": 1, "country": "AU"})).await;
    assert!(names(&january["avoid"]).iter().any(|p| p.contains("Kimberley")), "the wet season: {january}");
    let res = post(&app, &user, "/api/v1/pam/tools/execute/suggest_seasonal_route", json!({"country": "GB"})).await;
    let err = assert_error(res, 422, "validation_error").await;
    assert_eq!(err["detail"][0]["loc"], json!(["body", "country"]));

    let darwin = tool_data(&app, &user, "seasonal_weather_check", json!({"location": "Darwin", "month": 1})).await;
    let summary = darwin["climate"]["summary"].as_str().unwrap();
    assert!(summary.contains("wet season"), "{darwin}");
    assert!(darwin["location"]["name"].as_str().unwrap().contains("Darwin"), "{darwin}");
    let dry = tool_data(&app, &user, "seasonal_weather_check", json!({"location": "Darwin", "month": 7})).await;
    assert!(dry["climate"]["summary"].as_str().unwrap().contains("Dry season"), "{dry}");
}

async fn attractions_without_a_web_search_service_say_so(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("tools3@example.com").await;
    let body = tool(&app, &user, "find_attractions", json!({"near": "Broome"})).await;
    assert_eq!(body["success"], false, "{body}");
    assert!(body["error"].as_str().unwrap().contains("No web search service"), "{body}");
    assert_eq!(body["ui_actions"], json!([]));
}

async fn park_tools_find_the_admins_campgrounds(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = admin(&app, "tools-admin1@example.com").await;
    let user = app.register("tools4@example.com").await;
    for park in [
        json!({"name": "Dubbo River Park", "lat": -32.25, "lng": 148.60, "price_per_night": 38, "amenities": ["power", "long_stay"]}),
        json!({"name": "Dubbo Showground", "lat": -32.26, "lng": 148.62, "price_per_night": 25, "amenities": ["power"]}),
        json!({"name": "Broome Beach", "lat": -17.96, "lng": 122.24, "price_per_night": 60, "amenities": ["long_stay"]}),
    ] {
        created(&app, &admin, "/api/v1/campgrounds", park).await;
    }
    let parks = tool_data(&app, &user, "find_rv_parks", json!({"near": "Dubbo"})).await;
    assert_eq!(names(&parks["campgrounds"]), ["Dubbo River Park", "Dubbo Showground"], "nearest first: {parks}");
    assert_eq!(parks["campgrounds"][0]["source"], "own");
    let cheap = tool_data(&app, &user, "find_rv_parks", json!({"near": "Dubbo", "max_price": 30})).await;
    assert_eq!(names(&cheap["campgrounds"]), ["Dubbo Showground"]);
    let long = tool_data(&app, &user, "find_longstay_parks", json!({"near": "Dubbo"})).await;
    assert_eq!(names(&long["campgrounds"]), ["Dubbo River Park"], "only parks that take long stays: {long}");
    let far = tool_data(&app, &user, "find_longstay_parks", json!({"near": "Broome"})).await;
    assert_eq!(names(&far["campgrounds"]), ["Broome Beach"]);
    let res = post(&app, &user, "/api/v1/pam/tools/execute/find_rv_parks", json!({"near": "Narnia Springs"})).await;
    let err = assert_error(res, 422, "validation_error").await;
    assert!(err["detail"].to_string().contains("Narnia Springs"), "an unknown place is named: {err}");
}

async fn an_admin_deletes_a_campground_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = admin(&app, "tools-admin2@example.com").await;
    let user = app.register("tools5@example.com").await;
    let park =
        created(&app, &admin, "/api/v1/campgrounds", json!({"name": "Bourke Riverside", "lat": -30.09, "lng": 145.94}))
            .await;
    let path = format!("/api/v1/campgrounds/{}", id(&park));
    assert_error(delete(&app, &user, &path).await, 403, "forbidden").await;
    assert_eq!(
        names(&get_json(&app, &user, "/api/v1/campgrounds?near=Bourke").await["campgrounds"]),
        ["Bourke Riverside"]
    );
    assert_eq!(delete(&app, &admin, &path).await.status(), 204);
    assert_error(delete(&app, &admin, &path).await, 404, "not_found").await;
    assert_eq!(get_json(&app, &user, "/api/v1/campgrounds?near=Bourke").await["campgrounds"], json!([]));
}

async fn planning_with_another_users_vehicle_is_not_found(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.register("tools6@example.com").await;
    let other = app.register("tools7@example.com").await;
    let van = created(&app, &owner, "/api/v1/vehicles", json!({"name": "Van", "consumption": 20})).await;
    let body = json!({"origin": "Sydney", "destination": "Canberra", "vehicle_id": van["id"]});
    assert_error(post(&app, &other, "/api/v1/trips/plan", body.clone()).await, 404, "not_found").await;
    assert_error(post(&app, &other, "/api/v1/routes/estimate", body.clone()).await, 404, "not_found").await;
    assert_eq!(get_json(&app, &other, "/api/v1/trips").await["total"], 0, "nothing saved");
    let planned = created(&app, &owner, "/api/v1/trips/plan", body).await;
    let fuel = &planned["route"]["fuel"];
    assert_eq!(fuel["vehicle_id"], van["id"]);
    assert_eq!(fuel["consumption_l_per_100km"], json!({"value": 20.0, "source": "vehicle"}));
}

/// The price a gas-cost estimate used for 100 km at 10 L/100 km.
async fn price_used(app: &TestApp, user: &TestUser) -> Value {
    let data = tool_data(app, user, "calculate_gas_cost", json!({"distance": 100, "consumption": 10})).await;
    json!([data["fuel"]["price_per_litre"], data["fuel"]["currency"], data["fuel"]["cost"]])
}

async fn trip_fuel_is_priced_from_fills_in_the_users_currency_only(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("tools8@example.com").await;
    let profile = format!("/api/v1/users/{}/profile", user.id);
    created(&app, &user, "/api/v1/fuel-log", json!({"volume": 40, "price_per_unit": 2.5})).await;
    assert_eq!(price_used(&app, &user).await, json!([{"value": 2.5, "source": "last_fill"}, "AUD", 25.0]));
    // Moved to the US: an Australian pump price is no price in dollars there.
    assert_eq!(patch(&app, &user, &profile, json!({"currency": "USD"})).await.status(), 200);
    assert_eq!(price_used(&app, &user).await, json!([{"value": 1.0, "source": "default"}, "USD", 10.0]));
    created(&app, &user, "/api/v1/fuel-log", json!({"volume": 40, "price_per_unit": 1.2})).await;
    assert_eq!(price_used(&app, &user).await, json!([{"value": 1.2, "source": "last_fill"}, "USD", 12.0]));
    // Back home, the newer fill in dollars is not the last Australian price.
    patch(&app, &user, &profile, json!({"currency": "AUD"})).await;
    assert_eq!(price_used(&app, &user).await, json!([{"value": 2.5, "source": "last_fill"}, "AUD", 25.0]));
}

const FACILITIES: &str = r#"{"RECDATA":[
{"FacilityID":"234059","FacilityName":"Devils Garden Campground","FacilityTypeDescription":"Campground",
"FacilityLongitude":-109.6128,"FacilityLatitude":38.7784,"Reservable":true,"FacilityReservationURL":""},
{"FacilityID":"10004152","FacilityName":"Goose Island Campground","FacilityTypeDescription":"Campground",
"FacilityLongitude":-109.5681,"FacilityLatitude":38.6094,"Reservable":false,
"FacilityReservationURL":"https://www.recreation.gov/camping/campgrounds/10004152"}],"METADATA":{}}"#;

pub(crate) fn json_body(body: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).insert_header("content-type", "application/json").set_body_string(body)
}

async fn ridb_campgrounds_are_merged_and_their_failure_is_reported(backend: Backend) {
    let ridb = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/facilities"))
        .and(query_param("activity", "CAMPING"))
        .and(header("apikey", "ridb-test-key"))
        .respond_with(json_body(FACILITIES))
        .up_to_n_times(1)
        .expect(1)
        .mount(&ridb)
        .await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).expect(1).mount(&ridb).await;
    let (uri, key) = (ridb.uri(), "ridb-test-key");
    let app = spawn_app_with(backend, &[("CAMPGROUNDS_BASE_URL", &uri), ("CAMPGROUNDS_API_KEY", key)]).await;
    let admin = admin(&app, "tools-admin3@example.com").await;
    let user = app.register("tools9@example.com").await;
    let own = json!({"name": "Moab Valley RV Resort", "lat": 38.58, "lng": -109.55, "currency": "USD", "amenities": ["power"]});
    created(&app, &admin, "/api/v1/campgrounds", own).await;
    let near = "/api/v1/campgrounds?near=38.5733,-109.5498";

    let merged = get_json(&app, &user, near).await;
    let list = &merged["campgrounds"];
    assert_eq!(
        names(list),
        ["Moab Valley RV Resort", "Goose Island Campground", "Devils Garden Campground"],
        "one list, nearest first: {merged}"
    );
    let sources: Vec<&str> = list.as_array().unwrap().iter().map(|c| c["source"].as_str().unwrap()).collect();
    assert_eq!(sources, ["own", "ridb", "ridb"]);
    assert_eq!(merged["sources"], json!(["own", "ridb"]));
    assert_eq!(merged["service_unavailable"], Value::Null);
    assert_eq!(list[1]["website"], "https://www.recreation.gov/camping/campgrounds/10004152");

    // The service fails: the admins' list still answers, and the answer says what is missing.
    let degraded = get_json(&app, &user, near).await;
    assert_eq!(names(&degraded["campgrounds"]), ["Moab Valley RV Resort"]);
    assert_eq!(degraded["sources"], json!(["own"]));
    assert!(degraded["service_unavailable"].as_str().unwrap().contains("campground service"), "{degraded}");
    // A filter the service cannot apply does not ask it (the fake counts the calls).
    let powered = get_json(&app, &user, &format!("{near}&amenities=power")).await;
    assert_eq!(names(&powered["campgrounds"]), ["Moab Valley RV Resort"]);
}
