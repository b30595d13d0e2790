//! Daily forecasts from the Open-Meteo forecast API (<https://open-meteo.com/en/docs>):
//! `GET {base}/v1/forecast?latitude=&longitude=&daily=weather_code,temperature_2m_max,…&timezone=auto&forecast_days=N`.
//! The free tier needs no key (base `https://api.open-meteo.com`); the commercial tier takes its key as
//! the `apikey` query parameter (base `https://customer-api.open-meteo.com`). Units are Open-Meteo's
//! defaults: °C, mm, km/h.

use chrono::NaiveDate;
use futures::future::BoxFuture;
use serde::{Deserialize, Serialize};

use super::http::{fetch, parse_json, success_body};
use super::wmo::describe_weather_code;
use super::{ApiKey, Endpoint, ProviderError};
use crate::coords::Coordinates;
use crate::source::Source;

/// Open-Meteo forecasts at most 16 days ahead.
pub const MAX_FORECAST_DAYS: u8 = 16;

const DAILY_VARIABLES: &str = "weather_code,temperature_2m_max,temperature_2m_min,precipitation_sum,\
                               precipitation_probability_max,wind_speed_10m_max";

/// Daily weather forecasts for a point.
pub trait WeatherProvider: Send + Sync {
    /// The forecast for `days` days from today in the point's own time zone (`days` is clamped to
    /// 1..=[`MAX_FORECAST_DAYS`]).
    fn daily_forecast(&self, at: Coordinates, days: u8) -> BoxFuture<'_, Result<Forecast, ProviderError>>;
}

/// A forecast, one row per day.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Forecast {
    /// `open-meteo`.
    pub source: Source,
    /// IANA zone the dates are in ("Australia/Sydney"), when the provider said.
    pub timezone: Option<String>,
    /// Days in order.
    pub days: Vec<DailyForecast>,
}

/// One day's forecast; a value the provider left out (null) is `None`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DailyForecast {
    /// Local date.
    pub date: NaiveDate,
    /// WMO weather interpretation code.
    pub weather_code: Option<u8>,
    /// The code in plain words ("Slight rain showers").
    pub description: &'static str,
    /// Highest temperature, °C.
    pub temperature_max_c: Option<f64>,
    /// Lowest temperature, °C.
    pub temperature_min_c: Option<f64>,
    /// Total precipitation, mm.
    pub precipitation_mm: Option<f64>,
    /// Highest hourly probability of precipitation, %.
    pub precipitation_probability_percent: Option<f64>,
    /// Highest wind speed at 10 m, km/h.
    pub wind_speed_max_kmh: Option<f64>,
}

/// Open-Meteo client.
#[derive(Clone, Debug)]
pub struct OpenMeteo {
    http: reqwest::Client,
    endpoint: Endpoint,
    key: Option<ApiKey>,
}

impl OpenMeteo {
    /// A client for the free tier (no key) or, with `key`, the commercial tier.
    pub fn new(http: reqwest::Client, endpoint: Endpoint, key: Option<ApiKey>) -> OpenMeteo {
        OpenMeteo { http, endpoint, key }
    }

    async fn fetch_forecast(&self, at: Coordinates, days: u8) -> Result<Forecast, ProviderError> {
        let (lat, lon) = (at.lat().to_string(), at.lon().to_string());
        let days = days.clamp(1, MAX_FORECAST_DAYS).to_string();
        let mut query = vec![
            ("latitude", lat.as_str()),
            ("longitude", lon.as_str()),
            ("daily", DAILY_VARIABLES),
            ("timezone", "auto"),
            ("forecast_days", days.as_str()),
        ];
        if let Some(key) = &self.key {
            query.push(("apikey", key.expose()));
        }
        let url = self.endpoint.url("v1/forecast", &query)?;
        let answer = fetch(Source::OpenMeteo, self.http.get(url), self.endpoint.timeout()).await?;
        let wire: WireForecast = parse_json(&success_body(answer)?)?;
        wire.into_forecast()
    }
}

impl WeatherProvider for OpenMeteo {
    fn daily_forecast(&self, at: Coordinates, days: u8) -> BoxFuture<'_, Result<Forecast, ProviderError>> {
        Box::pin(self.fetch_forecast(at, days))
    }
}

#[derive(Deserialize)]
struct WireForecast {
    #[serde(default)]
    timezone: Option<String>,
    daily: WireDaily,
}

/// Parallel arrays, one entry per day; entries are null where the model has no value.
#[derive(Deserialize)]
struct WireDaily {
    time: Vec<String>,
    #[serde(default)]
    weather_code: Vec<Option<f64>>,
    #[serde(default)]
    temperature_2m_max: Vec<Option<f64>>,
    #[serde(default)]
    temperature_2m_min: Vec<Option<f64>>,
    #[serde(default)]
    precipitation_sum: Vec<Option<f64>>,
    #[serde(default)]
    precipitation_probability_max: Vec<Option<f64>>,
    #[serde(default)]
    wind_speed_10m_max: Vec<Option<f64>>,
}

impl WireForecast {
    fn into_forecast(self) -> Result<Forecast, ProviderError> {
        let daily = &self.daily;
        let at = |values: &[Option<f64>], day: usize| values.get(day).copied().flatten();
        let days = daily
            .time
            .iter()
            .enumerate()
            .map(|(day, date)| {
                let date = NaiveDate::parse_from_str(date, "%Y-%m-%d")
                    .map_err(|_| ProviderError::Malformed(format!("daily.time[{day}] is not a date")))?;
                // WMO codes are whole numbers 0..=99; anything else is treated as not given.
                let weather_code = at(&daily.weather_code, day)
                    .filter(|c| c.fract() == 0.0 && (0.0..=99.0).contains(c))
                    .map(|c| c as u8);
                Ok(DailyForecast {
                    date,
                    weather_code,
                    description: weather_code.map_or("Unknown conditions", describe_weather_code),
                    temperature_max_c: at(&daily.temperature_2m_max, day),
                    temperature_min_c: at(&daily.temperature_2m_min, day),
                    precipitation_mm: at(&daily.precipitation_sum, day),
                    precipitation_probability_percent: at(&daily.precipitation_probability_max, day),
                    wind_speed_max_kmh: at(&daily.wind_speed_10m_max, day),
                })
            })
            .collect::<Result<Vec<_>, ProviderError>>()?;
        Ok(Forecast { source: Source::OpenMeteo, timezone: self.timezone, days })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nulls_and_short_arrays_become_missing_values() {
        let body = br#"{"timezone":"Australia/Sydney","daily":{"time":["2025-06-01","2025-06-02"],
            "weather_code":[61,null],"temperature_2m_max":[18.2],"precipitation_sum":[null,0.0]}}"#;
        let forecast = parse_json::<WireForecast>(body).unwrap().into_forecast().unwrap();
        assert_eq!(forecast.days.len(), 2);
        assert_eq!(forecast.days[0].description, "Slight rain");
        assert_eq!(forecast.days[0].temperature_max_c, Some(18.2));
        assert_eq!(forecast.days[1].weather_code, None);
        assert_eq!(forecast.days[1].description, "Unknown conditions");
        assert_eq!(forecast.days[1].temperature_max_c, None);
        assert_eq!(forecast.days[1].precipitation_mm, Some(0.0));
    }

    #[test]
    fn a_bad_date_or_code_does_not_slip_through() {
        let body = br#"{"daily":{"time":["June 1st"]}}"#;
        let result = parse_json::<WireForecast>(body).unwrap().into_forecast();
        assert!(matches!(result, Err(ProviderError::Malformed(_))));
        let body = br#"{"daily":{"time":["2025-06-01"],"weather_code":[1000.5]}}"#;
        let forecast = parse_json::<WireForecast>(body).unwrap().into_forecast().unwrap();
        assert_eq!(forecast.days[0].weather_code, None);
    }
}
