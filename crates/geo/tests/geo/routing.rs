//! OSRM client against a fake speaking its wire format.

use pam_geo::providers::{Osrm, RouteProvider};
use pam_geo::{ProviderError, Source, Waypoint};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::{assert_network_failures_are_typed, at, endpoint, json};

pub const SYDNEY_CANBERRA_MELBOURNE_PATH: &str =
    "/route/v1/driving/151.207300,-33.867800;149.128100,-35.283500;144.963300,-37.814000";

pub const ROUTE: &str = r#"{"code":"Ok","routes":[{"legs":[
{"steps":[],"summary":"","weight":10440.5,"duration":10440.5,"distance":286512.3},
{"steps":[],"summary":"","weight":23230.1,"duration":23230.1,"distance":661012.9}],
"weight_name":"routability","weight":33670.6,"duration":33670.6,"distance":947525.2}],
"waypoints":[{"hint":"abc","distance":4.2,"name":"George Street","location":[151.2073,-33.8678]},
{"hint":"def","distance":1.1,"name":"Northbourne Avenue","location":[149.1281,-35.2835]},
{"hint":"ghi","distance":2.1,"name":"Swanston Street","location":[144.9633,-37.814]}]}"#;

pub fn stops() -> Vec<Waypoint> {
    vec![
        Waypoint { label: "Sydney".into(), at: at(-33.8678, 151.2073) },
        Waypoint { label: "Canberra".into(), at: at(-35.2835, 149.1281) },
        Waypoint { label: "Melbourne".into(), at: at(-37.8140, 144.9633) },
    ]
}

#[tokio::test]
async fn a_route_is_parsed_into_legs_in_km_and_minutes() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(SYDNEY_CANBERRA_MELBOURNE_PATH))
        .and(query_param("overview", "false"))
        .and(query_param("steps", "false"))
        .respond_with(json(ROUTE))
        .expect(1)
        .mount(&server)
        .await;
    let client = Osrm::new(reqwest::Client::new(), endpoint(&server));

    let route = client.route(&stops()).await.unwrap();

    assert_eq!(route.source, Source::Osrm);
    assert_eq!(route.legs.len(), 2);
    assert_eq!((route.legs[0].from.as_str(), route.legs[0].to.as_str()), ("Sydney", "Canberra"));
    assert_eq!(route.legs[0].distance_km, 286.5);
    assert_eq!(route.legs[0].duration_minutes, 174.0);
    assert_eq!(route.distance_km, 947.5);
    assert_eq!(route.duration_minutes, 561.2);
    assert_eq!(serde_json::to_value(&route).unwrap()["source"], "osrm");
}

#[tokio::test]
async fn no_route_is_its_own_error_whether_sent_as_200_or_400() {
    let body = r#"{"code":"NoRoute","message":"Impossible route between points"}"#;
    for status in [200, 400] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(status).set_body_string(body))
            .mount(&server)
            .await;
        let client = Osrm::new(reqwest::Client::new(), endpoint(&server));

        let error = client.route(&stops()).await.unwrap_err();

        assert_eq!(error, ProviderError::NoRoute("NoRoute: Impossible route between points".into()), "status {status}");
    }
}

#[tokio::test]
async fn other_osrm_codes_are_refusals() {
    let server = MockServer::start().await;
    let body = r#"{"code":"InvalidQuery","message":"Query string malformed close to position 28"}"#;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(400).set_body_string(body)).mount(&server).await;
    let client = Osrm::new(reqwest::Client::new(), endpoint(&server));

    let error = client.route(&stops()).await.unwrap_err();

    assert_eq!(
        error,
        ProviderError::Rejected {
            status: 400,
            reason: "InvalidQuery: Query string malformed close to position 28".into()
        }
    );
}

#[tokio::test]
async fn a_route_with_the_wrong_number_of_legs_is_malformed() {
    let server = MockServer::start().await;
    let body = r#"{"code":"Ok","routes":[{"legs":[{"distance":1.0,"duration":1.0}],"distance":1.0,"duration":1.0}]}"#;
    Mock::given(method("GET")).respond_with(json(body)).mount(&server).await;
    let client = Osrm::new(reqwest::Client::new(), endpoint(&server));

    let result = client.route(&stops()).await;

    assert!(matches!(result, Err(ProviderError::Malformed(_))), "{result:?}");
}

#[tokio::test]
async fn fewer_than_two_stops_need_no_request() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(json(ROUTE)).expect(0).mount(&server).await;
    let client = Osrm::new(reqwest::Client::new(), endpoint(&server));

    let route = client.route(&stops()[..1]).await.unwrap();

    assert!(route.legs.is_empty());
}

#[tokio::test]
async fn network_failures_are_typed() {
    assert_network_failures_are_typed(SYDNEY_CANBERRA_MELBOURNE_PATH, ROUTE, |endpoint| async move {
        Osrm::new(reqwest::Client::new(), endpoint).route(&stops()).await
    })
    .await;
}
