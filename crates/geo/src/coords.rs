//! A point on the earth, parsed once: every other module can trust its latitude and longitude.

use serde::{Deserialize, Serialize};

/// Mean earth radius in km (IUGG), the usual choice for haversine distances.
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// WGS84 latitude/longitude in degrees, finite and in range.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawCoordinates")]
pub struct Coordinates {
    lat: f64,
    lon: f64,
}

/// Why a latitude/longitude pair was refused.
#[derive(Clone, Copy, Debug, PartialEq, thiserror::Error)]
pub enum InvalidCoordinates {
    /// Latitude is not a number in -90..=90.
    #[error("latitude must be a number between -90 and 90")]
    Latitude,
    /// Longitude is not a number in -180..=180.
    #[error("longitude must be a number between -180 and 180")]
    Longitude,
}

#[derive(Deserialize)]
struct RawCoordinates {
    lat: f64,
    lon: f64,
}

impl TryFrom<RawCoordinates> for Coordinates {
    type Error = InvalidCoordinates;
    fn try_from(raw: RawCoordinates) -> Result<Self, Self::Error> {
        Coordinates::new(raw.lat, raw.lon)
    }
}

impl Coordinates {
    /// Parses a latitude/longitude pair in degrees.
    pub fn new(lat: f64, lon: f64) -> Result<Coordinates, InvalidCoordinates> {
        if !(lat.is_finite() && (-90.0..=90.0).contains(&lat)) {
            return Err(InvalidCoordinates::Latitude);
        }
        if !(lon.is_finite() && (-180.0..=180.0).contains(&lon)) {
            return Err(InvalidCoordinates::Longitude);
        }
        Ok(Coordinates { lat, lon })
    }

    /// Latitude in degrees, -90..=90.
    pub fn lat(self) -> f64 {
        self.lat
    }

    /// Longitude in degrees, -180..=180.
    pub fn lon(self) -> f64 {
        self.lon
    }

    /// Great-circle distance in km (haversine on a sphere of [`EARTH_RADIUS_KM`]).
    pub fn distance_km(self, other: Coordinates) -> f64 {
        let (lat1, lat2) = (self.lat.to_radians(), other.lat.to_radians());
        let d_lat = lat2 - lat1;
        let d_lon = (other.lon - self.lon).to_radians();
        let a = (d_lat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (d_lon / 2.0).sin().powi(2);
        // min(1.0): rounding can push `a` a hair above 1 for antipodal points, and asin(>1) is NaN.
        2.0 * EARTH_RADIUS_KM * a.sqrt().min(1.0).asin()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_of_range_or_non_finite_values_are_refused() {
        assert_eq!(Coordinates::new(91.0, 0.0), Err(InvalidCoordinates::Latitude));
        assert_eq!(Coordinates::new(f64::NAN, 0.0), Err(InvalidCoordinates::Latitude));
        assert_eq!(Coordinates::new(0.0, -180.5), Err(InvalidCoordinates::Longitude));
        assert_eq!(Coordinates::new(0.0, f64::INFINITY), Err(InvalidCoordinates::Longitude));
        assert!(Coordinates::new(-90.0, 180.0).is_ok());
    }

    #[test]
    fn deserialising_checks_the_range() {
        let parsed: Result<Coordinates, _> = serde_json::from_str(r#"{"lat": 120, "lon": 10}"#);
        assert!(parsed.is_err());
        let parsed: Coordinates = serde_json::from_str(r#"{"lat": -33.8678, "lon": 151.2073}"#).unwrap();
        assert_eq!(parsed.lat(), -33.8678);
    }

    #[test]
    fn one_degree_of_latitude_is_about_111_km() {
        let a = Coordinates::new(0.0, 0.0).unwrap();
        let b = Coordinates::new(1.0, 0.0).unwrap();
        assert!((a.distance_km(b) - 111.2).abs() < 0.1, "{}", a.distance_km(b));
        assert!(a.distance_km(a).abs() < 1e-9);
    }
}
