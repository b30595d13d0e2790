//! Brave Search client against a fake speaking its wire format.

use pam_geo::Source;
use pam_geo::providers::{ApiKey, BraveSearch, WebSearchProvider};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer};

use crate::helpers::{assert_network_failures_are_typed, endpoint, json};

const RESULTS: &str = r#"{"type":"search","query":{"original":"free camping moab","show_strict_warning":false,
"is_navigational":false,"more_results_available":true},"mixed":{"type":"mixed","main":[{"type":"web","index":0,"all":false}]},
"web":{"type":"search","results":[
{"title":"Free <strong>Camping</strong> near Moab","url":"https://example.org/moab","is_source_local":false,
"is_source_both":false,"description":"Dispersed <strong>camping</strong> on BLM land &amp; more.",
"page_age":"2024-01-01T00:00:00","language":"en","family_friendly":true},
{"title":"Moab campgrounds","url":"https://example.org/campgrounds","family_friendly":true}],"family_friendly":true}}"#;

fn key() -> ApiKey {
    ApiKey::new("brave-test-token").unwrap()
}

#[tokio::test]
async fn results_are_parsed_as_plain_text() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/res/v1/web/search"))
        .and(query_param("q", "free camping moab"))
        .and(query_param("count", "5"))
        .and(header("x-subscription-token", "brave-test-token"))
        .and(header("accept", "application/json"))
        .respond_with(json(RESULTS))
        .expect(1)
        .mount(&server)
        .await;
    let client = BraveSearch::new(reqwest::Client::new(), endpoint(&server), key());

    let found = client.search("free camping moab", 5).await.unwrap();

    assert_eq!(found.source, Source::BraveSearch);
    assert_eq!(found.results.len(), 2);
    assert_eq!(found.results[0].title, "Free Camping near Moab");
    assert_eq!(found.results[0].snippet, "Dispersed camping on BLM land & more.");
    assert_eq!(found.results[1].url, "https://example.org/campgrounds");
    assert_eq!(found.results[1].snippet, "");
}

#[tokio::test]
async fn no_web_section_means_no_results() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(json(r#"{"type":"search","query":{"original":"zzqx"}}"#))
        .mount(&server)
        .await;
    let client = BraveSearch::new(reqwest::Client::new(), endpoint(&server), key());

    assert!(client.search("zzqx", 5).await.unwrap().results.is_empty());
}

#[tokio::test]
async fn network_failures_are_typed() {
    assert_network_failures_are_typed("/res/v1/web/search", RESULTS, |endpoint| async move {
        BraveSearch::new(reqwest::Client::new(), endpoint, key()).search("free camping moab", 5).await
    })
    .await;
}
