//! Where a search is asked from — a position, or a place name resolved with the bundled gazetteer — and
//! how much nearness counts in the ranking.

use pam_geo::{Coordinates, Gazetteer};
use pam_kernel::{DomainError, FieldError};
use serde::Serialize;
use utoipa::ToSchema;

/// A point the reader is at or asks about.
#[derive(Clone, Debug, PartialEq)]
pub struct Near {
    /// What the place was taken to be ("Dubbo, New South Wales, Australia"), or "your location".
    pub label: String,
    pub point: Coordinates,
}

/// The place a search was ranked for, as shown with the results.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct NearShown {
    pub name: String,
    pub latitude: f64,
    pub longitude: f64,
}

impl Near {
    pub fn shown(&self) -> NearShown {
        NearShown { name: self.label.clone(), latitude: self.point.lat(), longitude: self.point.lon() }
    }
}

/// Distance at which an article's nearness is worth half its full boost.
pub const HALF_BOOST_KM: f64 = 100.0;

/// How much a nearby article gains, 0..1: 1 at the spot, ½ at [`HALF_BOOST_KM`], fading with distance.
pub fn closeness(distance_km: f64) -> f64 {
    if distance_km.is_finite() && distance_km >= 0.0 { 1.0 / (1.0 + distance_km / HALF_BOOST_KM) } else { 0.0 }
}

/// Coordinates given as a pair: both or neither. On failure, the field at fault and why.
pub fn given_position(lat: Option<f64>, lng: Option<f64>) -> Result<Option<(f64, f64)>, (&'static str, String)> {
    match (lat, lng) {
        (None, None) => Ok(None),
        (Some(_), None) => Err(("longitude", "latitude and longitude go together".into())),
        (None, Some(_)) => Err(("latitude", "latitude and longitude go together".into())),
        (Some(lat), Some(lng)) => match Coordinates::new(lat, lng) {
            Ok(c) => Ok(Some((c.lat(), c.lon()))),
            Err(e) => Err((if lat.is_finite() && lat.abs() <= 90.0 { "longitude" } else { "latitude" }, e.to_string())),
        },
    }
}

/// Where a named place is, when the gazetteer knows it.
pub fn position_of_place(name: &str) -> Option<(f64, f64)> {
    Gazetteer::global().lookup(name).ok().map(|m| (m.place.lat(), m.place.lon()))
}

/// The field names a caller uses for the place and the coordinates (the REST query's, a tool's).
pub struct NearFields {
    pub root: &'static str,
    pub name: &'static str,
    pub lat: &'static str,
    pub lng: &'static str,
}

/// The point a search ranks for: coordinates when given, else the named place; neither is no point.
/// An unknown place name is a 422 at its field, with the names that came close.
pub fn resolve(
    fields: &NearFields,
    name: Option<&str>,
    lat: Option<f64>,
    lng: Option<f64>,
) -> Result<Option<Near>, DomainError> {
    match given_position(lat, lng) {
        Err((field, msg)) => {
            let field = if field == "latitude" { fields.lat } else { fields.lng };
            Err(DomainError::invalid(&[fields.root, field], msg))
        }
        Ok(Some((lat, lng))) => {
            let point = Coordinates::new(lat, lng)
                .map_err(|e| DomainError::invalid(&[fields.root, fields.lat], e.to_string()))?;
            let label = Gazetteer::global()
                .nearest(lat, lng)
                .map(|m| format!("near {}", m.place.display_name()))
                .unwrap_or_else(|| "your location".into());
            Ok(Some(Near { label, point }))
        }
        Ok(None) => match name.map(str::trim).filter(|n| !n.is_empty()) {
            None => Ok(None),
            Some(name) => match Gazetteer::global().lookup(name) {
                Ok(found) => {
                    let point = Coordinates::new(found.place.lat(), found.place.lon())
                        .map_err(|e| DomainError::invalid(&[fields.root, fields.name], e.to_string()))?;
                    Ok(Some(Near { label: found.place.display_name(), point }))
                }
                Err(missing) => {
                    let msg = if missing.suggestions.is_empty() {
                        format!("no place called \"{name}\" was found")
                    } else {
                        format!(
                            "no place called \"{name}\" was found; did you mean {}?",
                            missing.suggestions.join(", or ")
                        )
                    };
                    Err(DomainError::Invalid(vec![FieldError::new(&[fields.root, fields.name], msg, "value_error")]))
                }
            },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearness_fades_with_distance_and_ignores_nonsense() {
        assert_eq!(closeness(0.0), 1.0);
        assert!((closeness(HALF_BOOST_KM) - 0.5).abs() < 1e-9);
        assert!(closeness(2000.0) < 0.05);
        assert_eq!(closeness(f64::NAN), 0.0);
        assert_eq!(closeness(-1.0), 0.0);
    }

    #[test]
    fn coordinates_come_in_pairs_and_in_range() {
        assert_eq!(given_position(None, None), Ok(None));
        assert_eq!(given_position(Some(1.0), None).unwrap_err().0, "longitude");
        assert_eq!(given_position(Some(95.0), Some(0.0)).unwrap_err().0, "latitude");
        assert_eq!(given_position(Some(-32.2), Some(148.6)), Ok(Some((-32.2, 148.6))));
    }
}
