//! Fakes and checks shared by the provider tests.

use std::fmt::Debug;
use std::future::Future;
use std::time::Duration;

use pam_geo::providers::Endpoint;
use pam_geo::{Coordinates, ProviderError};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Generous for a local fake, so only the stall case can time out.
pub const TIMEOUT: Duration = Duration::from_secs(5);
/// The timeout in the stall case; the fake holds its answer far longer.
pub const SHORT_TIMEOUT: Duration = Duration::from_millis(200);

pub fn endpoint(server: &MockServer) -> Endpoint {
    Endpoint::new(&server.uri(), TIMEOUT).unwrap()
}

pub fn at(lat: f64, lon: f64) -> Coordinates {
    Coordinates::new(lat, lon).unwrap()
}

pub fn json(body: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).insert_header("content-type", "application/json").set_body_string(body)
}

/// The failures every client must type the same way: 429 with Retry-After, 500, 503, a truncated body,
/// a server that stalls past the timeout. `call` runs the client against the given endpoint;
/// `success_body` is a real answer, cut in half for the truncated case.
pub async fn assert_network_failures_are_typed<T, F, Fut>(url_path: &str, success_body: &str, call: F)
where
    T: Debug,
    F: Fn(Endpoint) -> Fut,
    Fut: Future<Output = Result<T, ProviderError>>,
{
    let mut half = success_body.len() / 2;
    while !success_body.is_char_boundary(half) {
        half -= 1;
    }
    let truncated = &success_body[..half];
    let cases: Vec<(&str, ResponseTemplate, Duration, ProviderError)> = vec![
        (
            "429 with Retry-After",
            ResponseTemplate::new(429).insert_header("retry-after", "7"),
            TIMEOUT,
            ProviderError::RateLimited { retry_after: Some(Duration::from_secs(7)) },
        ),
        (
            "429 with an absurd Retry-After",
            ResponseTemplate::new(429).insert_header("retry-after", "999999"),
            TIMEOUT,
            ProviderError::RateLimited { retry_after: Some(pam_geo::providers::MAX_RETRY_AFTER) },
        ),
        (
            "429 without Retry-After",
            ResponseTemplate::new(429),
            TIMEOUT,
            ProviderError::RateLimited { retry_after: None },
        ),
        ("500", ResponseTemplate::new(500).set_body_string("oops"), TIMEOUT, ProviderError::Upstream(500)),
        ("503", ResponseTemplate::new(503), TIMEOUT, ProviderError::Upstream(503)),
        ("stall", json(success_body).set_delay(Duration::from_secs(10)), SHORT_TIMEOUT, ProviderError::Timeout),
    ];
    for (name, response, timeout, expected) in cases {
        let server = MockServer::start().await;
        Mock::given(method("GET")).and(path(url_path)).respond_with(response).mount(&server).await;
        let result = call(Endpoint::new(&server.uri(), timeout).unwrap()).await;
        match result {
            Err(error) => assert_eq!(error, expected, "{name}"),
            Ok(value) => panic!("{name}: expected {expected:?}, got {value:?}"),
        }
    }
    for (name, body) in [("truncated JSON", truncated), ("HTML error page", "<html>Bad gateway</html>"), ("empty", "")]
    {
        let server = MockServer::start().await;
        Mock::given(method("GET")).and(path(url_path)).respond_with(json(body)).mount(&server).await;
        let result = call(endpoint(&server)).await;
        assert!(matches!(result, Err(ProviderError::Malformed(_))), "{name}: {result:?}");
    }
    // Nothing listening: the connection is refused.
    let closed = Endpoint::new("http://127.0.0.1:9", TIMEOUT).unwrap();
    let result = call(closed).await;
    assert!(matches!(result, Err(ProviderError::Unreachable | ProviderError::Timeout)), "closed port: {result:?}");
}
