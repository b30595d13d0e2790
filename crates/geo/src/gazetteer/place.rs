//! What a lookup answers: a place, how well it matched, or the names that came close.

use serde::Serialize;

use crate::coords::Coordinates;

/// A first-level division of a country: state, territory, province or region.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Admin1 {
    /// Usual short code: `WA`, `NSW`, `TX`, `BC`; elsewhere the GeoNames code (`SCT`, `F7`, `07`), possibly empty.
    pub code: &'static str,
    /// Full name ("Western Australia", "Scotland"); empty for a few places GeoNames gives none.
    pub name: &'static str,
}

/// A country.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Country {
    /// ISO 3166-1 alpha-2 code (`AU`, `US`, `GB`).
    pub code: &'static str,
    /// English name ("Australia", "United Kingdom").
    pub name: &'static str,
}

/// A town or city from the bundled gazetteer (GeoNames, CC BY 4.0).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Place {
    /// Name as GeoNames writes it, accents included ("Perth", "Zürich").
    pub name: &'static str,
    /// State, territory, province or region.
    pub admin1: Admin1,
    /// Country.
    pub country: Country,
    /// Position of the town centre.
    #[serde(flatten)]
    pub coordinates: Coordinates,
    /// Inhabitants; 0 = unknown (remote Australian localities from the postal supplement).
    pub population: u32,
}

impl Place {
    /// Latitude in degrees.
    pub fn lat(&self) -> f64 {
        self.coordinates.lat()
    }

    /// Longitude in degrees.
    pub fn lon(&self) -> f64 {
        self.coordinates.lon()
    }

    /// "Perth, Western Australia, Australia" (the state is left out when GeoNames has none). Looking this
    /// text up again finds the same place.
    pub fn display_name(&self) -> String {
        let mut text = String::with_capacity(self.name.len() + self.admin1.name.len() + self.country.name.len() + 4);
        text.push_str(self.name);
        if !self.admin1.name.is_empty() {
            text.push_str(", ");
            text.push_str(self.admin1.name);
        }
        text.push_str(", ");
        text.push_str(self.country.name);
        text
    }
}

/// How a place was found.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MatchQuality {
    /// The name as written, ignoring case, accents and punctuation ("cafe" = "Café").
    Exact,
    /// The same name through an abbreviation ("Mt Gambier" = "Mount Gambier", "St Helens" = "Saint Helens").
    Alias,
    /// The name starts with what was typed (autocomplete, from [`search`](super::Gazetteer::search)).
    Prefix,
    /// A misspelling `distance` edits away ("Tamwroth" → Tamworth: 1).
    Fuzzy {
        /// Insertions, deletions, substitutions and swaps of neighbouring letters.
        distance: u8,
    },
    /// The town nearest to a point ([`nearest`](super::Gazetteer::nearest)).
    Nearest {
        /// Great-circle distance from the point to the town centre.
        distance_km: f64,
    },
}

/// A place and how it was matched.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct PlaceMatch {
    /// The place.
    pub place: Place,
    /// How it matched what was asked.
    pub quality: MatchQuality,
}

/// No place matches a name; `suggestions` holds up to five display names that came close.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("no place called {query:?}")]
pub struct NotFound {
    /// The text that was looked up (cut to 200 characters).
    pub query: String,
    /// Display names of close places, best first; may be empty.
    pub suggestions: Vec<String>,
}
