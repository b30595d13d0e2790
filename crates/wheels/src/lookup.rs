//! Place names to positions: each name a person gave, geocoded (a service when configured, else the
//! gazetteer). An unknown name is a 422 at its own field, naming it and the close matches.

use pam_geo::{Coordinates, Waypoint};
use pam_kernel::{DomainError, FieldError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::Travel;

/// A place resolved for a route, kept with the route so the map can be drawn again.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize, ToSchema)]
pub struct ResolvedPlace {
    /// The name as the user gave it.
    pub name: String,
    /// What it was taken to mean ("Perth, Western Australia, Australia").
    pub matched: String,
    pub lat: f64,
    pub lng: f64,
}

impl ResolvedPlace {
    pub fn waypoint(&self) -> Option<Waypoint> {
        Some(Waypoint { label: self.name.clone(), at: Coordinates::new(self.lat, self.lng).ok()? })
    }
}

/// Resolves every `(field path, name)` — all at once, so a slow geocoding service costs one wait,
/// not one per stop; all unknown names are reported together.
pub async fn resolve(travel: &Travel, names: &[(Vec<String>, String)]) -> Result<Vec<ResolvedPlace>, DomainError> {
    let answers = futures::future::join_all(names.iter().map(|(path, name)| one(travel, path, name))).await;
    let mut found = Vec::with_capacity(names.len());
    let mut errors = Vec::new();
    for answer in answers {
        match answer {
            Ok(place) => found.push(place),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() { Ok(found) } else { Err(DomainError::Invalid(errors)) }
}

async fn one(travel: &Travel, path: &[String], name: &str) -> Result<ResolvedPlace, FieldError> {
    let name = name.trim();
    let loc: Vec<&str> = path.iter().map(String::as_str).collect();
    if name.is_empty() {
        return Err(FieldError::new(&loc, "must name a place", "value_error"));
    }
    // "lat,lng" is a position already (the user's own, from the chat context): named by its town.
    if let Some((lat, lng)) =
        name.split_once(',').and_then(|(a, b)| Some((a.trim().parse::<f64>().ok()?, b.trim().parse::<f64>().ok()?)))
    {
        let at = Coordinates::new(lat, lng).map_err(|e| FieldError::new(&loc, e.to_string(), "value_error"))?;
        let town = travel.gazetteer.nearest(at.lat(), at.lon()).map(|m| m.place.name.to_string());
        let label = town.map(|t| format!("near {t}")).unwrap_or_else(|| "your location".into());
        return Ok(ResolvedPlace { name: label.clone(), matched: label, lat: at.lat(), lng: at.lon() });
    }
    let answer = travel.geocoding.geocode(name).await;
    match answer.places.first() {
        Some(best) => Ok(ResolvedPlace {
            name: name.to_string(),
            matched: best.display_name.clone(),
            lat: best.coordinates.lat(),
            lng: best.coordinates.lon(),
        }),
        None => {
            let msg = if answer.suggestions.is_empty() {
                format!("no place called \"{name}\" was found")
            } else {
                format!("no place called \"{name}\" was found; did you mean {}?", answer.suggestions.join(", or "))
            };
            Err(FieldError::new(&loc, msg, "value_error"))
        }
    }
}
