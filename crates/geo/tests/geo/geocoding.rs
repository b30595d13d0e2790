//! Nominatim client against a fake speaking its wire format.

use pam_geo::providers::{Geocoder, Nominatim};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer};

use crate::helpers::{assert_network_failures_are_typed, endpoint, json};

pub const PERTH: &str = r#"[{"place_id":308420129,"licence":"Data © OpenStreetMap contributors, ODbL 1.0. http://osm.org/copyright",
"osm_type":"relation","osm_id":11343148,"lat":"-31.9558933","lon":"115.8605855","category":"boundary",
"type":"administrative","place_rank":12,"importance":0.7342,"addresstype":"city","name":"Perth",
"display_name":"Perth, Western Australia, Australia","boundingbox":["-32.4556","-31.6244","115.6840","116.4151"]},
{"place_id":123,"lat":"56.3966","lon":"-3.4370","category":"place","type":"city","place_rank":16,"importance":0.5,
"addresstype":"city","name":"Perth","display_name":"Perth, Perth and Kinross, Alba / Scotland, United Kingdom",
"boundingbox":["56.3","56.5","-3.5","-3.3"]}]"#;

pub const USER_AGENT: &str = "pam-geo-tests/1.0 (ops@example.com)";

#[tokio::test]
async fn search_results_are_parsed_with_string_coordinates() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/search"))
        .and(query_param("q", "Perth"))
        .and(query_param("format", "jsonv2"))
        .and(query_param("limit", "5"))
        .and(header("user-agent", USER_AGENT))
        .respond_with(json(PERTH))
        .expect(1)
        .mount(&server)
        .await;
    let client = Nominatim::new(reqwest::Client::new(), endpoint(&server), USER_AGENT).unwrap();

    let places = client.geocode("Perth").await.unwrap();

    assert_eq!(places.len(), 2);
    assert_eq!(places[0].name, "Perth");
    assert_eq!(places[0].display_name, "Perth, Western Australia, Australia");
    assert_eq!((places[0].coordinates.lat(), places[0].coordinates.lon()), (-31.9558933, 115.8605855));
    assert_eq!(places[0].kind.as_deref(), Some("city"));
    assert_eq!(places[1].coordinates.lon(), -3.437);
}

#[tokio::test]
async fn nothing_found_is_an_empty_list_and_an_empty_query_is_not_sent() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path("/search")).respond_with(json("[]")).expect(1).mount(&server).await;
    let client = Nominatim::new(reqwest::Client::new(), endpoint(&server), USER_AGENT).unwrap();

    assert!(client.geocode("Narnia Springs").await.unwrap().is_empty());
    assert!(client.geocode("   ").await.unwrap().is_empty());
}

#[tokio::test]
async fn a_result_with_impossible_coordinates_is_malformed() {
    let server = MockServer::start().await;
    let body = r#"[{"lat":"-931.9","lon":"115.8","display_name":"Nowhere","name":"Nowhere"}]"#;
    Mock::given(method("GET")).respond_with(json(body)).mount(&server).await;
    let client = Nominatim::new(reqwest::Client::new(), endpoint(&server), USER_AGENT).unwrap();

    let result = client.geocode("Nowhere").await;

    assert!(matches!(result, Err(pam_geo::ProviderError::Malformed(_))), "{result:?}");
}

#[tokio::test]
async fn network_failures_are_typed() {
    assert_network_failures_are_typed("/search", PERTH, |endpoint| async move {
        Nominatim::new(reqwest::Client::new(), endpoint, USER_AGENT).unwrap().geocode("Perth").await
    })
    .await;
}
