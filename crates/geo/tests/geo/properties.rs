//! Whatever a person types, the gazetteer answers without panicking and within its bounds.

use pam_geo::gazetteer::MAX_SEARCH_RESULTS;
use pam_geo::{Gazetteer, MatchQuality};
use proptest::prelude::*;

/// Text shaped like queries: letters, accents, punctuation, separators, digits, emoji, controls.
fn query_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z ,.'\\-]{0,40}",
        "\\PC{0,60}",
        "(Mt|St|Pt|the|Perth|Port|Saint|Mount) [a-zé]{1,12}(, (WA|NSW|UK|Oregon|Scotland))?",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn lookup_never_panics_and_not_found_stays_bounded(query in query_text()) {
        match Gazetteer::global().lookup(&query) {
            Ok(found) => prop_assert!(!found.place.name.is_empty()),
            Err(missing) => {
                prop_assert!(missing.query.chars().count() <= 200);
                prop_assert!(missing.suggestions.len() <= 5);
            }
        }
    }

    #[test]
    fn search_never_returns_more_than_asked_or_the_same_place_twice(query in query_text(), limit in 0usize..100) {
        let results = Gazetteer::global().search(&query, limit);
        prop_assert!(results.len() <= limit.min(MAX_SEARCH_RESULTS));
        for (i, a) in results.iter().enumerate() {
            for b in &results[i + 1..] {
                prop_assert_ne!(a.place, b.place);
            }
        }
    }

    #[test]
    fn every_valid_point_has_a_nearest_town(lat in -90.0f64..=90.0, lon in -180.0f64..=180.0) {
        let found = Gazetteer::global().nearest(lat, lon);
        prop_assert!(found.is_some());
        let is_nearest = matches!(found.map(|f| f.quality), Some(MatchQuality::Nearest { distance_km }) if distance_km >= 0.0);
        prop_assert!(is_nearest);
    }
}
