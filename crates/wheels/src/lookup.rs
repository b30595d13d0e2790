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

/// Resolves every `(field path, name)`; all unknown names are reported together.
pub async fn resolve(travel: &Travel, names: &[(Vec<String>, String)]) -> Result<Vec<ResolvedPlace>, DomainError> {
    let mut found = Vec::with_capacity(names.len());
    let mut errors = Vec::new();
    for (path, name) in names {
        let name = name.trim();
        let loc: Vec<&str> = path.iter().map(String::as_str).collect();
        if name.is_empty() {
            errors.push(FieldError::new(&loc, "must name a place", "value_error"));
            continue;
        }
        // "lat,lng" is a position already (the user's own, from the chat context): named by its town.
        if let Some((lat, lng)) =
            name.split_once(',').and_then(|(a, b)| Some((a.trim().parse::<f64>().ok()?, b.trim().parse::<f64>().ok()?)))
        {
            match Coordinates::new(lat, lng) {
                Ok(at) => {
                    let town = travel.gazetteer.nearest(at.lat(), at.lon()).map(|m| m.place.name.to_string());
                    let label = town.map(|t| format!("near {t}")).unwrap_or_else(|| "your location".into());
                    found.push(ResolvedPlace { name: label.clone(), matched: label, lat: at.lat(), lng: at.lon() });
                }
                Err(e) => errors.push(FieldError::new(&loc, e.to_string(), "value_error")),
            }
            continue;
        }
        let answer = travel.geocoding.geocode(name).await;
        match answer.places.first() {
            Some(best) => found.push(ResolvedPlace {
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
                errors.push(FieldError::new(&loc, msg, "value_error"));
            }
        }
    }
    if errors.is_empty() { Ok(found) } else { Err(DomainError::Invalid(errors)) }
}
