//! Geocoding falls back to the gazetteer, routing to the estimate; the other providers do not fall back.

use std::sync::Arc;

use pam_geo::providers::{
    CampgroundProvider, FuelPriceProvider, Geocoder, Nominatim, NotConfigured, Osrm, RouteProvider, WebSearchProvider,
};
use pam_geo::{AverageSpeed, Gazetteer, Geocoding, ProviderError, RadiusKm, Routing, Source};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::geocoding::{PERTH, USER_AGENT};
use crate::helpers::{at, endpoint, json};
use crate::routing::{ROUTE, stops};

async fn server_answering(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(response).mount(&server).await;
    server
}

fn nominatim(server: &MockServer) -> Option<Arc<dyn Geocoder>> {
    Some(Arc::new(Nominatim::new(reqwest::Client::new(), endpoint(server), USER_AGENT).unwrap()))
}

fn osrm(server: &MockServer) -> Option<Arc<dyn RouteProvider>> {
    Some(Arc::new(Osrm::new(reqwest::Client::new(), endpoint(server))))
}

#[tokio::test]
async fn geocoding_uses_the_provider_when_it_answers() {
    let server = server_answering(json(PERTH)).await;
    let geocoding = Geocoding::new(nominatim(&server), Gazetteer::global());

    let answer = geocoding.geocode("Perth").await;

    assert_eq!(answer.source, Source::Nominatim);
    assert_eq!(answer.places[0].coordinates.lat(), -31.9558933);
}

#[tokio::test]
async fn geocoding_falls_back_to_the_gazetteer_when_the_provider_fails() {
    for failure in [ResponseTemplate::new(503), ResponseTemplate::new(429), json("{not json")] {
        let server = server_answering(failure).await;
        let geocoding = Geocoding::new(nominatim(&server), Gazetteer::global());

        let answer = geocoding.geocode("Perth, WA").await;

        assert_eq!(answer.source, Source::Gazetteer);
        assert_eq!(answer.places[0].display_name, "Perth, Western Australia, Australia");
        assert_eq!(serde_json::to_value(&answer).unwrap()["source"], "gazetteer");
    }
}

#[tokio::test]
async fn geocoding_without_a_provider_offers_every_place_of_the_name() {
    let geocoding = Geocoding::new(None, Gazetteer::global());

    let answer = geocoding.geocode("Perth").await;

    assert_eq!(answer.source, Source::Gazetteer);
    assert_eq!(answer.places[0].display_name, "Perth, Western Australia, Australia");
    assert!(answer.places.len() > 1 && answer.places.iter().all(|p| p.name == "Perth"), "{:?}", answer.places);

    let unknown = geocoding.geocode("Narnia Springs").await;
    assert!(unknown.places.is_empty());
    assert!(!unknown.suggestions.is_empty());
}

#[tokio::test]
async fn routing_uses_osrm_when_it_answers() {
    let server = server_answering(json(ROUTE)).await;
    let routing = Routing::new(osrm(&server), AverageSpeed::default());

    let route = routing.route(&stops()).await.unwrap();

    assert_eq!(route.source, Source::Osrm);
    assert_eq!(route.distance_km, 947.5);
}

#[tokio::test]
async fn routing_falls_back_to_the_estimate_when_osrm_fails() {
    for failure in [ResponseTemplate::new(500), ResponseTemplate::new(429).insert_header("retry-after", "3"), json("{")]
    {
        let server = server_answering(failure).await;
        let routing = Routing::new(osrm(&server), AverageSpeed::default());

        let route = routing.route(&stops()).await.unwrap();

        assert_eq!(route.source, Source::Estimate);
        assert_eq!(route.legs.len(), 2);
        assert_eq!(serde_json::to_value(&route).unwrap()["source"], "estimate");
    }
    let offline = Routing::new(None, AverageSpeed::default()).route(&stops()).await.unwrap();
    assert_eq!(offline.source, Source::Estimate);
}

#[tokio::test]
async fn routing_passes_on_osrm_saying_there_is_no_road() {
    let body = r#"{"code":"NoRoute","message":"Impossible route between points"}"#;
    let server = server_answering(ResponseTemplate::new(400).set_body_string(body)).await;
    let routing = Routing::new(osrm(&server), AverageSpeed::default());

    let error = routing.route(&stops()).await.unwrap_err();

    assert!(matches!(error, ProviderError::NoRoute(_)), "{error:?}");
}

#[tokio::test]
async fn providers_without_a_fallback_are_unavailable_when_not_configured() {
    let fuel: Arc<dyn FuelPriceProvider> = Arc::new(NotConfigured);
    let camps: Arc<dyn CampgroundProvider> = Arc::new(NotConfigured);
    let search: Arc<dyn WebSearchProvider> = Arc::new(NotConfigured);
    let radius = RadiusKm::new(10.0).unwrap();
    assert_eq!(fuel.stations_near(at(0.0, 0.0), radius).await.unwrap_err(), ProviderError::Unavailable);
    assert_eq!(camps.campgrounds_near(at(0.0, 0.0), radius).await.unwrap_err(), ProviderError::Unavailable);
    assert_eq!(search.search("x", 3).await.unwrap_err(), ProviderError::Unavailable);
}
