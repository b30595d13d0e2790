//! Tankerkönig client against a fake speaking its wire format.

use pam_geo::providers::{ApiKey, FuelPriceProvider, Tankerkoenig};
use pam_geo::{ProviderError, RadiusKm, Source};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer};

use crate::helpers::{assert_network_failures_are_typed, at, endpoint, json};

const LIST: &str = r#"{"ok":true,"license":"CC BY 4.0 -  https:\/\/creativecommons.tankerkoenig.de","data":"MTS-K","status":"ok",
"stations":[
{"id":"474e5046-deaf-4f9b-9a32-9797b778f047","name":"TOTAL BERLIN","brand":"TOTAL","street":"MARGARETE-SOMMER-STR.",
"place":"BERLIN","lat":52.53083,"lng":13.440946,"dist":1.1,"diesel":1.659,"e5":1.789,"e10":1.729,"isOpen":true,
"houseNumber":"2","postCode":10407},
{"id":"278130b1-e062-4a0f-80cc-19e486b4c024","name":"Aral Tankstelle","brand":"ARAL","street":"Holzmarktstraße",
"place":"Berlin","lat":52.51302,"lng":13.41975,"dist":0.4,"diesel":1.699,"e5":false,"e10":null,"isOpen":false,
"houseNumber":"12","postCode":"10179"}]}"#;

fn key() -> ApiKey {
    ApiKey::new("00000000-0000-0000-0000-000000000002").unwrap()
}

#[tokio::test]
async fn stations_are_parsed_nearest_first_with_missing_prices_as_none() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/json/list.php"))
        .and(query_param("lat", "52.521"))
        .and(query_param("lng", "13.438"))
        .and(query_param("rad", "5.0"))
        .and(query_param("sort", "dist"))
        .and(query_param("type", "all"))
        .and(query_param("apikey", "00000000-0000-0000-0000-000000000002"))
        .respond_with(json(LIST))
        .expect(1)
        .mount(&server)
        .await;
    let client = Tankerkoenig::new(reqwest::Client::new(), endpoint(&server), key());

    let prices = client.stations_near(at(52.521, 13.438), RadiusKm::new(5.0).unwrap()).await.unwrap();

    assert_eq!(prices.source, Source::Tankerkoenig);
    assert_eq!(prices.currency, "EUR");
    let names: Vec<&str> = prices.stations.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Aral Tankstelle", "TOTAL BERLIN"]);
    let aral = &prices.stations[0];
    assert_eq!((aral.prices.diesel, aral.prices.e5, aral.prices.e10), (Some(1.699), None, None));
    assert_eq!(aral.address, "Holzmarktstraße 12, 10179 Berlin");
    assert_eq!(aral.is_open, Some(false));
    let total = &prices.stations[1];
    assert_eq!(total.address, "MARGARETE-SOMMER-STR. 2, 10407 BERLIN");
    assert_eq!(total.prices.e10, Some(1.729));
    assert_eq!(total.brand.as_deref(), Some("TOTAL"));
}

#[tokio::test]
async fn the_radius_is_capped_at_tankerkoenigs_limit() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(query_param("rad", "25.0")).respond_with(json(LIST)).expect(1).mount(&server).await;
    let client = Tankerkoenig::new(reqwest::Client::new(), endpoint(&server), key());
    assert!(client.stations_near(at(52.5, 13.4), RadiusKm::new(200.0).unwrap()).await.is_ok());
}

#[tokio::test]
async fn an_ok_false_body_is_a_refusal_with_the_message() {
    let server = MockServer::start().await;
    let body = r#"{"ok":false,"status":"error","message":"apikey nicht angegeben, falsch, oder im falschen Format"}"#;
    Mock::given(method("GET")).respond_with(json(body)).mount(&server).await;
    let client = Tankerkoenig::new(reqwest::Client::new(), endpoint(&server), key());

    let error = client.stations_near(at(52.5, 13.4), RadiusKm::new(5.0).unwrap()).await.unwrap_err();

    assert_eq!(
        error,
        ProviderError::Rejected {
            status: 200,
            reason: "apikey nicht angegeben, falsch, oder im falschen Format".into()
        }
    );
}

#[tokio::test]
async fn network_failures_are_typed() {
    assert_network_failures_are_typed("/json/list.php", LIST, |endpoint| async move {
        Tankerkoenig::new(reqwest::Client::new(), endpoint, key())
            .stations_near(at(52.5, 13.4), RadiusKm::new(5.0).unwrap())
            .await
    })
    .await;
}
