//! Open-Meteo forecast client against a fake speaking its wire format.

use std::sync::Arc;

use pam_geo::providers::{NotConfigured, OpenMeteo, WeatherProvider};
use pam_geo::{ProviderError, Source};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::{assert_network_failures_are_typed, at, endpoint, json};

const FORECAST: &str = r#"{"latitude":-33.875,"longitude":151.25,"generationtime_ms":0.08,"utc_offset_seconds":36000,
"timezone":"Australia/Sydney","timezone_abbreviation":"AEST","elevation":34.0,
"daily_units":{"time":"iso8601","weather_code":"wmo code","temperature_2m_max":"°C","temperature_2m_min":"°C",
"precipitation_sum":"mm","precipitation_probability_max":"%","wind_speed_10m_max":"km/h"},
"daily":{"time":["2025-06-01","2025-06-02","2025-06-03"],"weather_code":[3,61,95],
"temperature_2m_max":[19.4,17.1,null],"temperature_2m_min":[10.2,11.0,9.8],"precipitation_sum":[0.0,4.2,12.5],
"precipitation_probability_max":[5,70,90],"wind_speed_10m_max":[14.3,22.1,35.6]}}"#;

#[tokio::test]
async fn a_forecast_is_parsed_into_daily_rows_with_plain_words() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/forecast"))
        .and(query_param("latitude", "-33.8678"))
        .and(query_param("longitude", "151.2073"))
        .and(query_param("timezone", "auto"))
        .and(query_param("forecast_days", "3"))
        .and(query_param(
            "daily",
            "weather_code,temperature_2m_max,temperature_2m_min,precipitation_sum,precipitation_probability_max,wind_speed_10m_max",
        ))
        .respond_with(json(FORECAST))
        .expect(1)
        .mount(&server)
        .await;
    let client = OpenMeteo::new(reqwest::Client::new(), endpoint(&server), None);

    let forecast = client.daily_forecast(at(-33.8678, 151.2073), 3).await.unwrap();

    assert_eq!(forecast.source, Source::OpenMeteo);
    assert_eq!(forecast.timezone.as_deref(), Some("Australia/Sydney"));
    let descriptions: Vec<&str> = forecast.days.iter().map(|d| d.description).collect();
    assert_eq!(descriptions, ["Overcast", "Slight rain", "Thunderstorm"]);
    assert_eq!(forecast.days[1].date.to_string(), "2025-06-02");
    assert_eq!(forecast.days[1].precipitation_mm, Some(4.2));
    assert_eq!(forecast.days[1].precipitation_probability_percent, Some(70.0));
    assert_eq!(forecast.days[2].temperature_max_c, None, "null stays missing");
    assert_eq!(forecast.days[2].wind_speed_max_kmh, Some(35.6));
    let serialised = serde_json::to_value(&forecast).unwrap();
    assert_eq!(serialised["source"], "open-meteo");
}

#[tokio::test]
async fn days_are_clamped_to_what_open_meteo_serves() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/forecast"))
        .and(query_param("forecast_days", "16"))
        .respond_with(json(FORECAST))
        .expect(1)
        .mount(&server)
        .await;
    let client = OpenMeteo::new(reqwest::Client::new(), endpoint(&server), None);
    assert!(client.daily_forecast(at(0.0, 0.0), 200).await.is_ok());
}

#[tokio::test]
async fn a_refused_request_carries_open_meteos_reason() {
    let server = MockServer::start().await;
    let body = r#"{"error":true,"reason":"Latitude must be in range of -90 to 90°. Given: 91.0."}"#;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(400).set_body_string(body)).mount(&server).await;
    let client = OpenMeteo::new(reqwest::Client::new(), endpoint(&server), None);

    let error = client.daily_forecast(at(0.0, 0.0), 3).await.unwrap_err();

    assert_eq!(
        error,
        ProviderError::Rejected {
            status: 400, reason: "Latitude must be in range of -90 to 90°. Given: 91.0.".into()
        }
    );
}

#[tokio::test]
async fn network_failures_are_typed() {
    assert_network_failures_are_typed("/v1/forecast", FORECAST, |endpoint| async move {
        OpenMeteo::new(reqwest::Client::new(), endpoint, None).daily_forecast(at(-33.8, 151.2), 3).await
    })
    .await;
}

#[tokio::test]
async fn an_unconfigured_weather_provider_is_unavailable() {
    let provider: Arc<dyn WeatherProvider> = Arc::new(NotConfigured);
    assert_eq!(provider.daily_forecast(at(0.0, 0.0), 3).await.unwrap_err(), ProviderError::Unavailable);
}
