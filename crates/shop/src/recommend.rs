//! Recommendations: products picked from the catalogue for this traveller — their primary vehicle's type
//! and fuel, and the trips they have coming up — each with the reasons it was picked. Products made for
//! another kind of vehicle or fuel are never offered.

use std::sync::Arc;

use chrono::NaiveDate;
use futures::future::BoxFuture;
use pam_kernel::DomainError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::ShopState;
use crate::products::{self, Product};

/// The traveller's primary vehicle, in the wheels domain's names.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TravellerVehicle {
    pub name: String,
    pub vehicle_type: String,
    pub fuel_type: String,
}

/// A trip being planned or under way.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UpcomingTrip {
    pub title: String,
    pub destination: String,
    pub start_date: Option<NaiveDate>,
    pub distance_km: Option<f64>,
}

/// What the shop knows of the user's travel (from the wheels domain, wired by the server).
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Traveller {
    pub vehicle: Option<TravellerVehicle>,
    pub upcoming_trips: Vec<UpcomingTrip>,
}

pub trait TravellerSource: Send + Sync {
    fn traveller(&self, user_id: Uuid) -> BoxFuture<'_, Result<Traveller, DomainError>>;
}

#[derive(Clone)]
pub struct Travellers(Arc<dyn TravellerSource>);

impl Travellers {
    pub fn new(source: Arc<dyn TravellerSource>) -> Travellers {
        Travellers(source)
    }

    pub async fn of(&self, user_id: Uuid) -> Result<Traveller, DomainError> {
        self.0.traveller(user_id).await
    }
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct RecommendInput {
    /// Only this category ("water", "power").
    pub category: Option<String>,
    /// What the user is after, in their words ("something for water storage").
    pub need: Option<String>,
    /// At most this many (1–10, default 5).
    pub limit: Option<i64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Recommendation {
    pub product: Product,
    /// Why it was picked, one sentence per reason.
    pub reasons: Vec<String>,
    pub score: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Recommendations {
    pub recommendations: Vec<Recommendation>,
    /// What the picks were based on.
    pub based_on: Traveller,
    /// Said when there was too little to go on.
    pub note: Option<String>,
}

/// Trips at least this long call for gear tagged for long or remote travel.
pub const LONG_TRIP_KM: f64 = 500.0;
const LONG_TRIP_TAGS: &[&str] = &["long-distance", "remote", "outback", "off-grid", "recovery"];
const ESSENTIAL_TAGS: &[&str] = &["essentials", "travel-essentials"];
/// The most products considered: the catalogue is curated by hand.
const CATALOGUE_CAP: i64 = 1000;

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| w.chars().count() > 2).map(str::to_lowercase).collect()
}

const FILLER: &[&str] = &["something", "for", "the", "and", "need", "want", "some", "with", "good", "best"];

/// Scores one product for this traveller: `None` when it is made for another vehicle or fuel, else its
/// score and reasons (a score of 0 means nothing about the traveller points to it).
fn judge(p: &Product, t: &Traveller, need: &[String]) -> Option<(i64, Vec<String>)> {
    let mut score = 0;
    let mut reasons = Vec::new();
    if !p.vehicle_types.is_empty() {
        let v = t.vehicle.as_ref().filter(|v| p.vehicle_types.contains(&v.vehicle_type))?;
        score += 3;
        reasons.push(format!("Made for a {} like your {}", v.vehicle_type.replace('_', " "), v.name));
    }
    if !p.fuel_types.is_empty() {
        let v = t.vehicle.as_ref().filter(|v| p.fuel_types.contains(&v.fuel_type))?;
        score += 2;
        reasons.push(format!("Suits your {}'s {} engine", v.name, v.fuel_type));
    }
    let longest = t
        .upcoming_trips
        .iter()
        .filter(|trip| trip.distance_km.is_some_and(|d| d >= LONG_TRIP_KM))
        .max_by(|a, b| a.distance_km.unwrap_or(0.0).total_cmp(&b.distance_km.unwrap_or(0.0)));
    if let Some(trip) = longest
        && p.tags.iter().any(|tag| LONG_TRIP_TAGS.contains(&tag.as_str()))
    {
        score += 2;
        let km = trip.distance_km.unwrap_or(0.0).round();
        reasons.push(format!("For your {km:.0} km trip to {}", trip.destination));
    }
    if let Some(trip) = t.upcoming_trips.first()
        && p.tags.iter().any(|tag| ESSENTIAL_TAGS.contains(&tag.as_str()))
    {
        score += 1;
        reasons.push(format!("A travel essential to pack for {}", trip.title));
    }
    let haystack =
        words(&format!("{} {} {} {}", p.name, p.description.as_deref().unwrap_or(""), p.category, p.tags.join(" ")));
    let matched: Vec<&String> = need.iter().filter(|w| haystack.contains(w)).collect();
    if !matched.is_empty() {
        score += 2;
        let said: Vec<&str> = matched.iter().map(|w| w.as_str()).collect();
        reasons.push(format!("Matches what you asked for ({})", said.join(", ")));
    }
    Some((score, reasons))
}

pub async fn recommend(
    state: &ShopState,
    user_id: Uuid,
    input: RecommendInput,
) -> Result<Recommendations, DomainError> {
    let limit = input.limit.unwrap_or(5);
    if !(1..=10).contains(&limit) {
        return Err(DomainError::invalid(&["body", "limit"], "must be between 1 and 10"));
    }
    let need: Vec<String> = input
        .need
        .as_deref()
        .map(words)
        .unwrap_or_default()
        .into_iter()
        .filter(|w| !FILLER.contains(&w.as_str()))
        .collect();
    let category = input.category.as_deref().map(|c| c.trim().to_lowercase()).filter(|c| !c.is_empty());
    let traveller = state.travellers.of(user_id).await?;
    let catalogue = products::offered(state, category.as_deref(), CATALOGUE_CAP).await?;
    let mut picks: Vec<Recommendation> = catalogue
        .into_iter()
        .filter_map(|p| {
            let (score, reasons) = judge(&p, &traveller, &need)?;
            (score > 0).then_some(Recommendation { product: p, reasons, score })
        })
        .collect();
    // Best first; among equals the cheaper, then by name so the answer is stable.
    picks.sort_by(|a, b| {
        b.score.cmp(&a.score).then(a.product.price.cmp(&b.product.price)).then(a.product.name.cmp(&b.product.name))
    });
    picks.truncate(usize::try_from(limit).unwrap_or(5));
    let note = if traveller.vehicle.is_none() && traveller.upcoming_trips.is_empty() && need.is_empty() {
        Some("Add your vehicle or plan a trip and I can pick products that suit them.".to_string())
    } else if picks.is_empty() {
        Some("Nothing in the catalogue matches your vehicle and trips yet.".to_string())
    } else {
        None
    };
    Ok(Recommendations { recommendations: picks, based_on: traveller, note })
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use pam_kernel::Money;

    use super::*;

    fn product(name: &str, vehicles: &[&str], fuels: &[&str], tags: &[&str]) -> Product {
        let owned = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect();
        Product {
            id: Uuid::nil(),
            name: name.into(),
            description: None,
            category: "gear".into(),
            price: Money::from_cents(1000),
            currency: "AUD".into(),
            image_url: None,
            product_url: None,
            tags: owned(tags),
            vehicle_types: owned(vehicles),
            fuel_types: owned(fuels),
            active: true,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    fn troopy_to_cairns() -> Traveller {
        Traveller {
            vehicle: Some(TravellerVehicle {
                name: "Troopy".into(),
                vehicle_type: "campervan".into(),
                fuel_type: "diesel".into(),
            }),
            upcoming_trips: vec![UpcomingTrip {
                title: "Sydney to Cairns".into(),
                destination: "Cairns".into(),
                start_date: None,
                distance_km: Some(2400.0),
            }],
        }
    }

    #[test]
    fn products_for_another_vehicle_or_fuel_are_never_offered() {
        let t = troopy_to_cairns();
        assert!(judge(&product("Petrol can", &[], &["petrol"], &[]), &t, &[]).is_none());
        assert!(judge(&product("Tow mirrors", &["caravan_tow"], &[], &[]), &t, &[]).is_none());
        assert!(judge(&product("Diesel can", &[], &["diesel"], &[]), &Traveller::default(), &[]).is_none());
        let (score, reasons) = judge(&product("Diesel can", &[], &["diesel"], &[]), &t, &[]).unwrap();
        assert_eq!((score, reasons), (2, vec!["Suits your Troopy's diesel engine".to_string()]));
    }

    #[test]
    fn long_trips_and_stated_needs_are_reasons() {
        let t = troopy_to_cairns();
        let (_, reasons) = judge(&product("Recovery tracks", &[], &[], &["recovery"]), &t, &[]).unwrap();
        assert_eq!(reasons, vec!["For your 2400 km trip to Cairns".to_string()]);
        let need = vec!["water".to_string()];
        let (score, _) = judge(&product("Water bladder", &[], &[], &[]), &Traveller::default(), &need).unwrap();
        assert_eq!(score, 2);
        let (score, _) = judge(&product("Camp chair", &[], &[], &[]), &t, &need).unwrap();
        assert_eq!(score, 0, "nothing points to it");
    }
}
