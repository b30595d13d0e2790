//! Plain words for the WMO weather interpretation codes (WMO 4677 subset) Open-Meteo reports.

/// "Slight rain", "Thunderstorm with heavy hail"… for a WMO code; "Unknown conditions" for a code
/// Open-Meteo does not document.
pub fn describe_weather_code(code: u8) -> &'static str {
    match code {
        0 => "Clear sky",
        1 => "Mainly clear",
        2 => "Partly cloudy",
        3 => "Overcast",
        45 => "Fog",
        48 => "Freezing fog",
        51 => "Light drizzle",
        53 => "Drizzle",
        55 => "Heavy drizzle",
        56 => "Light freezing drizzle",
        57 => "Heavy freezing drizzle",
        61 => "Slight rain",
        63 => "Rain",
        65 => "Heavy rain",
        66 => "Light freezing rain",
        67 => "Heavy freezing rain",
        71 => "Slight snowfall",
        73 => "Snowfall",
        75 => "Heavy snowfall",
        77 => "Snow grains",
        80 => "Slight rain showers",
        81 => "Rain showers",
        82 => "Violent rain showers",
        85 => "Slight snow showers",
        86 => "Heavy snow showers",
        95 => "Thunderstorm",
        96 => "Thunderstorm with slight hail",
        99 => "Thunderstorm with heavy hail",
        _ => "Unknown conditions",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_codes_have_words_and_others_say_unknown() {
        assert_eq!(describe_weather_code(0), "Clear sky");
        assert_eq!(describe_weather_code(63), "Rain");
        assert_eq!(describe_weather_code(99), "Thunderstorm with heavy hail");
        assert_eq!(describe_weather_code(42), "Unknown conditions");
    }
}
