//! The outside services seen from the server: fakes speaking Open-Meteo's, OSRM's, Nominatim's and
//! Tankerkönig's wire formats, their answers and their failures (each fake's `expect` is checked when it
//! is dropped, so a test cannot pass without the server having asked it).

use serde_json::json;
use wiremock::matchers::{method, path, path_regex, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::{Backend, assert_error, spawn_app_with};
use crate::wheels_tools::{json_body, names, tool, tool_data};
use crate::wheels_vehicles::get_json;

const FORECAST: &str = r#"{"timezone": "Australia/Perth", "daily": {"time": ["2026-12-02", "2026-12-03"],
"weather_code": [95, 0], "temperature_2m_max": [34.5, 36.0], "temperature_2m_min": [25.1, 26.0],
"precipitation_sum": [40.0, 0.0], "precipitation_probability_max": [90, 5], "wind_speed_10m_max": [45.0, 15.0]}}"#;

#[tokio::test]
async fn the_weather_tool_reads_open_meteo() {
    let meteo = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/forecast"))
        .and(query_param("forecast_days", "2"))
        .and(query_param("timezone", "auto"))
        .respond_with(json_body(FORECAST))
        .expect(1)
        .mount(&meteo)
        .await;
    let app = spawn_app_with(Backend::Sqlite, &[("WEATHER_BASE_URL", &meteo.uri())]).await;
    let user = app.register("meteo-tool@example.com").await;
    let w = tool_data(&app, &user, "get_weather_forecast", json!({"location": "Broome", "days": 2})).await;
    assert_eq!(w["source"], "open-meteo");
    assert!(w["location"]["name"].as_str().unwrap().contains("Broome"), "{w}");
    assert_eq!(w["days"].as_array().unwrap().len(), 2);
    assert_eq!(
        (w["days"][0]["temperature_max_c"].as_f64(), w["days"][0]["precipitation_mm"].as_f64()),
        (Some(34.5), Some(40.0))
    );
    assert!(w["days"][0]["description"].as_str().unwrap().to_lowercase().contains("thunderstorm"), "{w}");
}

#[tokio::test]
async fn open_meteo_failing_or_garbled_is_503_unavailable() {
    let meteo = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(500)).up_to_n_times(1).expect(1).mount(&meteo).await;
    Mock::given(method("GET"))
        .respond_with(json_body(r#"{"daily": {"time": ["2026-12-02"], "temperature_2m_max": "#))
        .expect(2)
        .mount(&meteo)
        .await;
    let app = spawn_app_with(Backend::Sqlite, &[("WEATHER_BASE_URL", &meteo.uri())]).await;
    let user = app.register("meteo-fail@example.com").await;
    for case in ["500", "malformed body"] {
        let body =
            assert_error(app.get("/api/v1/weather?location=Broome", &user.token).await, 503, "unavailable").await;
        assert!(body["detail"].as_str().unwrap().contains("weather service"), "{case}: {body}");
    }
    let body = tool(&app, &user, "get_weather_forecast", json!({"location": "Broome"})).await;
    assert_eq!(body["success"], false, "no made-up forecast: {body}");
    assert!(body["error"].as_str().unwrap().contains("weather service"), "{body}");
}

#[tokio::test]
async fn a_router_answering_garbage_or_429_leaves_the_estimate() {
    let osrm = MockServer::start().await;
    let route = || path_regex(r"^/route/v1/driving/[-0-9.,;]+$");
    Mock::given(method("GET"))
        .and(route())
        .respond_with(json_body(r#"{"code": "Ok", "routes": [{"distance": "#))
        .up_to_n_times(1)
        .expect(1)
        .mount(&osrm)
        .await;
    Mock::given(method("GET"))
        .and(route())
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "60"))
        .expect(1)
        .mount(&osrm)
        .await;
    let app = spawn_app_with(Backend::Sqlite, &[("ROUTING_BASE_URL", &osrm.uri())]).await;
    let user = app.register("osrm-fail@example.com").await;
    for case in ["malformed JSON", "429"] {
        let trip =
            tool_data(&app, &user, "estimate_travel_time", json!({"origin": "Sydney", "destination": "Canberra"}))
                .await;
        assert_eq!(trip["source"], "estimate", "{case}: {trip}");
        assert!((260.0..330.0).contains(&trip["distance_km"].as_f64().unwrap()), "{case}: {trip}");
    }
}

const PERTH: &str = r#"[{"place_id":308420129,"lat":"-31.9558933","lon":"115.8605855","category":"boundary",
"type":"administrative","addresstype":"city","name":"Perth","display_name":"Perth, Western Australia, Australia"}]"#;

#[tokio::test]
async fn geocoding_uses_nominatim_and_falls_back_to_the_gazetteer() {
    let nominatim = MockServer::start().await;
    let search = |q: &str| Mock::given(method("GET")).and(path("/search")).and(query_param("q", q));
    search("Perth")
        .and(query_param("format", "jsonv2"))
        .respond_with(json_body(PERTH))
        .expect(1)
        .mount(&nominatim)
        .await;
    search("Tamworth").respond_with(json_body("[]")).expect(1).mount(&nominatim).await;
    search("Dubbo").respond_with(ResponseTemplate::new(500)).expect(1).mount(&nominatim).await;
    let app = spawn_app_with(Backend::Sqlite, &[("GEOCODING_BASE_URL", &nominatim.uri())]).await;
    let user = app.register("geo@example.com").await;

    let found = get_json(&app, &user, "/api/v1/geocode?q=Perth").await;
    assert_eq!(found["source"], "nominatim");
    assert_eq!(found["places"][0]["display_name"], "Perth, Western Australia, Australia");
    assert_eq!(found["places"][0]["kind"], "city");
    let nothing = get_json(&app, &user, "/api/v1/geocode?q=Tamworth").await;
    assert_eq!(nothing["source"], "gazetteer", "nothing found by the service: the gazetteer answers");
    assert!(nothing["places"][0]["display_name"].as_str().unwrap().contains("New South Wales"), "{nothing}");
    let failed = get_json(&app, &user, "/api/v1/geocode?q=Dubbo").await;
    assert_eq!(failed["source"], "gazetteer", "a failing service: the gazetteer answers");
    assert!(failed["places"][0]["display_name"].as_str().unwrap().contains("Dubbo"), "{failed}");
}

const STATIONS: &str = r#"{"ok":true,"status":"ok","stations":[
{"id":"a","name":"Aral Mitte","brand":"ARAL","street":"Holzmarktstraße","houseNumber":"12","postCode":"10179",
"place":"Berlin","lat":52.51302,"lng":13.41975,"dist":0.4,"diesel":1.699,"e5":1.799,"e10":1.739,"isOpen":true},
{"id":"b","name":"TOTAL Prenzlauer Berg","brand":"TOTAL","street":"Margarete-Sommer-Str.","houseNumber":"2",
"postCode":10407,"place":"Berlin","lat":52.53083,"lng":13.440946,"dist":1.1,"diesel":1.659,"e5":1.789,"e10":1.729,"isOpen":true},
{"id":"c","name":"Autogas only","street":"Alexanderplatz","place":"Berlin","lat":52.5219,"lng":13.4132,"dist":0.2,
"diesel":false,"e5":false,"e10":null,"isOpen":true}]}"#;

#[tokio::test]
async fn fuel_prices_from_tankerkoenig_come_cheapest_first() {
    let tankerkoenig = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/json/list.php"))
        .and(query_param("apikey", "00000000-0000-0000-0000-000000000002"))
        .and(query_param("sort", "dist"))
        .respond_with(json_body(STATIONS))
        .expect(2)
        .mount(&tankerkoenig)
        .await;
    let app = spawn_app_with(
        Backend::Sqlite,
        &[
            ("FUEL_PRICES_BASE_URL", &tankerkoenig.uri()),
            ("FUEL_PRICES_API_KEY", "00000000-0000-0000-0000-000000000002"),
        ],
    )
    .await;
    let user = app.register("tk@example.com").await;
    let diesel = get_json(&app, &user, "/api/v1/fuel-prices?near=52.52,13.41&fuel_type=diesel").await;
    assert_eq!((diesel["source"].as_str(), diesel["currency"].as_str()), (Some("tankerkoenig"), Some("EUR")));
    assert_eq!(names(&diesel["stations"]), ["TOTAL Prenzlauer Berg", "Aral Mitte"], "cheapest diesel first: {diesel}");
    assert_eq!(diesel["stations"][0]["prices"]["diesel"], 1.659);
    let any = get_json(&app, &user, "/api/v1/fuel-prices?near=52.52,13.41").await;
    assert_eq!(names(&any["stations"]), ["Autogas only", "Aral Mitte", "TOTAL Prenzlauer Berg"], "nearest first");
    let res = app.get("/api/v1/fuel-prices?near=Berlin&fuel_type=kerosene", &user.token).await;
    assert_error(res, 422, "validation_error").await;
}
