//! Trips, route estimates and the outside services (weather, geocoding, fuel prices, campgrounds), on
//! both databases, with no network (the gazetteer and the estimate) and with local fakes that speak
//! OSRM's and Open-Meteo's wire formats, failures included.

use reqwest::Method;
use serde_json::{Value, json};
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::{Backend, TestApp, TestUser, assert_error, spawn_app, spawn_app_with};
use pam_testkit::on_both_databases;

on_both_databases!(
    planning_sydney_to_melbourne_offline_saves_an_estimated_trip,
    unknown_places_are_named_with_suggestions,
    trips_are_private_to_their_owner,
    changing_a_trips_places_routes_it_again,
    an_estimate_is_not_saved_and_stops_can_be_reordered,
    campgrounds_come_from_the_admins_list
);

async fn plan(app: &TestApp, user: &TestUser, body: Value) -> reqwest::Response {
    app.send_json(Method::POST, "/api/v1/trips/plan", Some(&user.token), &body).await
}

async fn planning_sydney_to_melbourne_offline_saves_an_estimated_trip(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("trip1@example.com").await;
    let res = plan(&app, &user, json!({"origin": "Sydney", "destination": "Melbourne", "budget": 500})).await;
    assert_eq!(res.status(), 201);
    let trip: Value = res.json().await.unwrap();
    let km = trip["route"]["distance_km"].as_f64().unwrap();
    assert!((840.0..900.0).contains(&km), "Sydney → Melbourne by the estimate: {km} km");
    assert_eq!(trip["route"]["source"], "estimate");
    assert_eq!(trip["title"], "Sydney to Melbourne");
    // Fuel: 15 L/100 km by default at the default AUD price, in the user's currency.
    let fuel = &trip["route"]["fuel"];
    assert_eq!(fuel["currency"], "AUD");
    assert_eq!(fuel["consumption_l_per_100km"]["source"], "default");
    let expected = (km * 15.0 / 100.0 * 2.0 * 100.0).round() / 100.0;
    assert!((fuel["cost"].as_f64().unwrap() - expected).abs() < 0.02, "{fuel}");
    assert_eq!(trip["over_budget"], false);
    // The map instruction: REPLACE_ROUTE, three-field waypoints in [lng, lat] order.
    let wps = trip["map_action"]["waypoints"].as_array().unwrap();
    assert_eq!(trip["map_action"]["type"], "REPLACE_ROUTE");
    assert_eq!(wps.len(), 2);
    assert_eq!(wps[0]["name"], "Sydney");
    assert_eq!(wps[0]["type"], "origin");
    assert_eq!(wps[1]["type"], "destination");
    let (lng, lat) = (wps[0]["coordinates"][0].as_f64().unwrap(), wps[0]["coordinates"][1].as_f64().unwrap());
    assert!((150.0..152.0).contains(&lng) && (-34.5..-33.0).contains(&lat), "[lng, lat]: {wps:?}");
    let list: Value = app.get("/api/v1/trips", &user.token).await.json().await.unwrap();
    assert_eq!(list["total"], 1);
    assert_eq!(list["trips"][0]["id"], trip["id"]);
}

async fn unknown_places_are_named_with_suggestions(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("trip2@example.com").await;
    let res = plan(&app, &user, json!({"origin": "Sydney", "destination": "Narnia Springs"})).await;
    let body = assert_error(res, 422, "validation_error").await;
    let detail = body["detail"].to_string();
    assert!(detail.contains("destination") && detail.contains("Narnia Springs"), "{body}");
    // A misspelling is found anyway.
    let res = plan(&app, &user, json!({"origin": "Tamwroth", "destination": "Armidale"})).await;
    assert_eq!(res.status(), 201);
    let res = plan(&app, &user, json!({"origin": "", "destination": "Armidale"})).await;
    assert_error(res, 422, "validation_error").await;
    let too_many: Vec<String> = (0..30).map(|_| "Dubbo".to_string()).collect();
    let res = plan(&app, &user, json!({"origin": "Sydney", "destination": "Bourke", "stops": too_many})).await;
    assert_error(res, 422, "validation_error").await;
    let list: Value = app.get("/api/v1/trips", &user.token).await.json().await.unwrap();
    assert_eq!(list["total"], 1, "nothing half-saved by the failures");
}

async fn trips_are_private_to_their_owner(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.register("trip3@example.com").await;
    let other = app.register("trip4@example.com").await;
    let trip: Value =
        plan(&app, &owner, json!({"origin": "Dubbo", "destination": "Bourke"})).await.json().await.unwrap();
    let path = format!("/api/v1/trips/{}", trip["id"].as_str().unwrap());
    assert_error(app.get(&path, &other.token).await, 404, "not_found").await;
    let patch = app.send_json(Method::PATCH, &path, Some(&other.token), &json!({"title": "mine"})).await;
    assert_error(patch, 404, "not_found").await;
    let delete = app.delete(&path, &other.token).await;
    assert_error(delete, 404, "not_found").await;
    assert_eq!(app.get(&path, &owner.token).await.status(), 200);
    let delete = app.delete(&path, &owner.token).await;
    assert_eq!(delete.status(), 204);
    assert_error(app.get(&path, &owner.token).await, 404, "not_found").await;
}

async fn changing_a_trips_places_routes_it_again(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("trip5@example.com").await;
    let trip: Value =
        plan(&app, &user, json!({"origin": "Brisbane", "destination": "Toowoomba"})).await.json().await.unwrap();
    let path = format!("/api/v1/trips/{}", trip["id"].as_str().unwrap());
    let before = trip["route"]["distance_km"].as_f64().unwrap();
    let res = app
        .send_json(Method::PATCH, &path, Some(&user.token), &json!({"destination": "Cairns", "status": "active"}))
        .await;
    assert_eq!(res.status(), 200);
    let after: Value = res.json().await.unwrap();
    assert!(after["route"]["distance_km"].as_f64().unwrap() > before * 5.0, "{after}");
    assert_eq!(after["status"], "active");
    assert_eq!(after["map_action"], Value::Null, "only planning answers with a map instruction");
    let bad = app
        .send_json(
            Method::PATCH,
            &path,
            Some(&user.token),
            &json!({"start_date": "2030-05-10", "end_date": "2030-05-01"}),
        )
        .await;
    assert_error(bad, 422, "validation_error").await;
    let bad = app.send_json(Method::PATCH, &path, Some(&user.token), &json!({"status": "lost"})).await;
    assert_error(bad, 422, "validation_error").await;
    let kept: Value = app.get(&path, &user.token).await.json().await.unwrap();
    assert_eq!(kept["destination"], "Cairns", "a refused change leaves the trip as it was");
}

async fn an_estimate_is_not_saved_and_stops_can_be_reordered(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("trip6@example.com").await;
    let body = json!({"origin": "Brisbane", "destination": "Cooktown",
        "stops": ["Cairns", "Rockhampton", "Townsville", "Mackay"], "optimize_stops": true});
    let res = app.send_json(Method::POST, "/api/v1/routes/estimate", Some(&user.token), &body).await;
    assert_eq!(res.status(), 200);
    let route: Value = res.json().await.unwrap();
    let order: Vec<&str> = route["places"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(order, ["Brisbane", "Rockhampton", "Mackay", "Townsville", "Cairns", "Cooktown"]);
    assert_eq!(route["legs"].as_array().unwrap().len(), 5);
    assert_eq!(route["map_action"]["waypoints"][2]["type"], "stop");
    let list: Value = app.get("/api/v1/trips", &user.token).await.json().await.unwrap();
    assert_eq!(list["total"], 0);
}

async fn campgrounds_come_from_the_admins_list(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.register("admin-camp@example.com").await;
    app.make_admin(admin.id).await;
    let user = app.register("camper@example.com").await;
    let park = json!({"name": "Dubbo River Park", "lat": -32.25, "lng": 148.60, "price_per_night": 38,
        "amenities": ["power", "water", "long_stay"]});
    let res = app.send_json(Method::POST, "/api/v1/campgrounds", Some(&user.token), &park).await;
    assert_error(res, 403, "forbidden").await;
    assert_eq!(app.send_json(Method::POST, "/api/v1/campgrounds", Some(&admin.token), &park).await.status(), 201);
    let far =
        json!({"name": "Broome Beach", "lat": -17.96, "lng": 122.24, "price_per_night": 60, "amenities": ["power"]});
    assert_eq!(app.send_json(Method::POST, "/api/v1/campgrounds", Some(&admin.token), &far).await.status(), 201);
    let near: Value = app.get("/api/v1/campgrounds?near=Dubbo&radius_km=50", &user.token).await.json().await.unwrap();
    let names: Vec<&str> =
        near["campgrounds"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Dubbo River Park"]);
    assert_eq!(near["campgrounds"][0]["source"], "own");
    let cheap: Value = app.get("/api/v1/campgrounds?near=Dubbo&max_price=30", &user.token).await.json().await.unwrap();
    assert_eq!(cheap["campgrounds"].as_array().unwrap().len(), 0);
    let with: Value =
        app.get("/api/v1/campgrounds?near=-32.25,148.6&amenities=water,power", &user.token).await.json().await.unwrap();
    assert_eq!(with["campgrounds"].as_array().unwrap().len(), 1);
    let res = app.get("/api/v1/campgrounds?near=Dubbo&radius_km=-5", &user.token).await;
    assert_error(res, 422, "validation_error").await;
    // The long-stay tool finds the park that takes long stays.
    let res = app
        .send_json(
            Method::POST,
            "/api/v1/pam/tools/execute/find_longstay_parks",
            Some(&user.token),
            &json!({"near": "Dubbo"}),
        )
        .await;
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["data"]["campgrounds"][0]["name"], "Dubbo River Park", "{body}");
}

#[tokio::test]
async fn a_routing_service_is_used_and_labelled_and_its_failures_fall_back() {
    let osrm = MockServer::start().await;
    // Sydney → Melbourne, OSRM's real shape: metres and seconds.
    Mock::given(method("GET"))
        .and(path_regex(r"^/route/v1/driving/.+"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"code": "Ok", "routes": [{"distance": 878000.0,
            "duration": 32400.0, "legs": [{"distance": 878000.0, "duration": 32400.0}]}], "waypoints": []})))
        .up_to_n_times(1)
        .mount(&osrm)
        .await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).mount(&osrm).await;
    let app = spawn_app_with(Backend::Sqlite, &[("ROUTING_BASE_URL", &osrm.uri())]).await;
    let user = app.register("osrm@example.com").await;
    let body = json!({"origin": "Sydney", "destination": "Melbourne"});
    let first: Value =
        app.send_json(Method::POST, "/api/v1/routes/estimate", Some(&user.token), &body).await.json().await.unwrap();
    assert_eq!(first["source"], "osrm");
    assert_eq!(first["distance_km"], 878.0);
    assert_eq!(first["duration_minutes"], 540.0);
    let second: Value =
        app.send_json(Method::POST, "/api/v1/routes/estimate", Some(&user.token), &body).await.json().await.unwrap();
    assert_eq!(second["source"], "estimate", "a failing router falls back to the estimate");
}

#[tokio::test]
async fn the_weather_comes_from_open_meteo_or_is_unavailable() {
    let meteo = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/forecast"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"timezone": "Australia/Perth", "daily": {
            "time": ["2026-12-02", "2026-12-03"], "weather_code": [61, 0], "temperature_2m_max": [34.5, 36.0],
            "temperature_2m_min": [25.1, 26.0], "precipitation_sum": [12.0, 0.0],
            "precipitation_probability_max": [80, 5], "wind_speed_10m_max": [20.0, 15.0]}})))
        .up_to_n_times(1)
        .mount(&meteo)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "30"))
        .mount(&meteo)
        .await;
    let app = spawn_app_with(Backend::Sqlite, &[("WEATHER_BASE_URL", &meteo.uri())]).await;
    let user = app.register("meteo@example.com").await;
    let res = app.get("/api/v1/weather?location=Broome&days=2", &user.token).await;
    assert_eq!(res.status(), 200);
    let w: Value = res.json().await.unwrap();
    assert_eq!(w["source"], "open-meteo");
    assert_eq!(w["days"][0]["temperature_max_c"], 34.5);
    assert!(w["location"]["name"].as_str().unwrap().contains("Broome"));
    let busy = app.get("/api/v1/weather?location=Broome", &user.token).await;
    let body = assert_error(busy, 503, "unavailable").await;
    assert!(body["detail"].as_str().unwrap().contains("30 seconds"), "{body}");
    let bad = app.get("/api/v1/weather?days=3", &user.token).await;
    assert_error(bad, 422, "validation_error").await;
    let bad = app.get("/api/v1/weather?location=Broome&days=40", &user.token).await;
    assert_error(bad, 422, "validation_error").await;
}

#[tokio::test]
async fn services_without_a_provider_say_so() {
    let app = spawn_app(Backend::Sqlite).await;
    let user = app.register("noprov@example.com").await;
    let body = assert_error(app.get("/api/v1/fuel-prices?near=Dubbo", &user.token).await, 503, "unavailable").await;
    assert!(body["detail"].as_str().unwrap().contains("fuel price"), "{body}");
    let res = app
        .send_json(
            Method::POST,
            "/api/v1/pam/tools/execute/get_road_conditions",
            Some(&user.token),
            &json!({"location": "Bourke"}),
        )
        .await;
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["success"], false);
    assert!(body["error"].as_str().unwrap().contains("road-conditions"), "{body}");
    // Geocoding always answers, from the gazetteer.
    let g: Value = app.get("/api/v1/geocode?q=Perth%20WA", &user.token).await.json().await.unwrap();
    assert_eq!(g["source"], "gazetteer");
    assert!(g["places"][0]["display_name"].as_str().unwrap().contains("Western Australia"), "{g}");
}

#[tokio::test]
async fn fuel_cost_uses_what_is_said_and_says_where_each_figure_came_from() {
    let app = spawn_app(Backend::Sqlite).await;
    let user = app.register("gascost@example.com").await;
    let run = |args: Value| {
        let app = &app;
        let token = user.token.clone();
        async move {
            let res =
                app.send_json(Method::POST, "/api/v1/pam/tools/execute/calculate_gas_cost", Some(&token), &args).await;
            res.json::<Value>().await.unwrap()
        }
    };
    let body = run(json!({"distance": 450, "distance_unit": "km", "consumption": 14, "price_per_unit": 2.10})).await;
    assert_eq!(body["success"], true, "{body}");
    // 450 km × 14 L/100 km = 63 L × $2.10 = $132.30.
    assert_eq!(body["data"]["fuel"]["cost"], 132.3);
    assert_eq!(body["data"]["fuel"]["consumption_l_per_100km"]["source"], "given");
    // Miles at a price per gallon, 10 mpg: 300 mi → 30 gal × $4.10 = $123.00.
    let body = run(json!({"distance": 300, "distance_unit": "mi", "consumption": 10, "consumption_unit": "mpg", "price_per_unit": 4.10})).await;
    assert!((body["data"]["fuel"]["cost"].as_f64().unwrap() - 123.0).abs() < 0.05, "{body}");
    let body = run(json!({"origin": "Sydney", "destination": "Canberra"})).await;
    assert_eq!(body["data"]["fuel"]["price_per_litre"]["source"], "default");
    let body = run(json!({"distance": 450, "consumption": 900})).await;
    assert_eq!(body["detail"][0]["loc"], json!(["body", "consumption"]), "an impossible fuel use is refused: {body}");
    let body = run(json!({})).await;
    assert_eq!(body["code"], "validation_error", "{body}");
}

async fn frame(ws: &mut crate::asyncapi::Ws) -> Value {
    crate::asyncapi::next_frame(ws, 20).await.expect("a frame in time")
}

#[tokio::test]
async fn planning_over_the_websocket_offline_saves_the_trip_and_draws_the_map() {
    let app = spawn_app(Backend::Sqlite).await;
    let user = app.register("wstrip@example.com").await;
    let mut ws = crate::asyncapi::connect(&app.address, &user.id.to_string(), &user.token).await;
    assert_eq!(frame(&mut ws).await["type"], "connection");
    let chat = json!({"type": "chat", "message": "Plan a trip from Sydney to Melbourne"});
    crate::asyncapi::send(&mut ws, &chat).await.unwrap();
    let reply = loop {
        let f = frame(&mut ws).await;
        if f["type"] == "chat_response" {
            break f;
        }
    };
    assert_eq!(reply["source"], "offline", "{reply}");
    assert_eq!(reply["map_action"]["type"], "REPLACE_ROUTE", "{reply}");
    for wp in reply["map_action"]["waypoints"].as_array().unwrap() {
        assert_eq!(wp.as_object().unwrap().len(), 3, "name, type, coordinates: {wp}");
        assert!(wp["coordinates"][0].as_f64().unwrap() > 140.0, "[lng, lat]: {wp}");
    }
    let text = reply["message"].as_str().unwrap();
    assert!(text.contains("Sydney to Melbourne") && text.contains('$') && text.contains("km"), "{text}");
    let list: Value = app.get("/api/v1/trips", &user.token).await.json().await.unwrap();
    assert_eq!(list["total"], 1);
    let km = list["trips"][0]["route"]["distance_km"].as_f64().unwrap();
    assert!((840.0..900.0).contains(&km));
}
