//! Which service (or offline fallback) produced an answer; every answer carries one so the app can
//! show it and the licence attribution that goes with it.

use std::fmt;

use serde::Serialize;

/// Where an answer came from. Serialised as the lower-case name in the doc of each variant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Source {
    /// `"gazetteer"`: the bundled GeoNames gazetteer (offline).
    #[serde(rename = "gazetteer")]
    Gazetteer,
    /// `"estimate"`: great-circle distance × road factor at an average speed (offline).
    #[serde(rename = "estimate")]
    Estimate,
    /// `"open-meteo"`: Open-Meteo forecast API.
    #[serde(rename = "open-meteo")]
    OpenMeteo,
    /// `"nominatim"`: OpenStreetMap Nominatim search.
    #[serde(rename = "nominatim")]
    Nominatim,
    /// `"osrm"`: an OSRM route service.
    #[serde(rename = "osrm")]
    Osrm,
    /// `"tankerkoenig"`: Tankerkönig fuel prices (Germany, MTS-K data, CC BY 4.0).
    #[serde(rename = "tankerkoenig")]
    Tankerkoenig,
    /// `"ridb"`: Recreation.gov's Recreation Information Database.
    #[serde(rename = "ridb")]
    Ridb,
    /// `"brave-search"`: Brave Search API.
    #[serde(rename = "brave-search")]
    BraveSearch,
}

impl Source {
    /// The serialised name.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Gazetteer => "gazetteer",
            Source::Estimate => "estimate",
            Source::OpenMeteo => "open-meteo",
            Source::Nominatim => "nominatim",
            Source::Osrm => "osrm",
            Source::Tankerkoenig => "tankerkoenig",
            Source::Ridb => "ridb",
            Source::BraveSearch => "brave-search",
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialised_name_is_as_str() {
        for source in [
            Source::Gazetteer,
            Source::Estimate,
            Source::OpenMeteo,
            Source::Nominatim,
            Source::Osrm,
            Source::Tankerkoenig,
            Source::Ridb,
            Source::BraveSearch,
        ] {
            assert_eq!(serde_json::to_value(source).unwrap(), source.as_str());
        }
    }
}
