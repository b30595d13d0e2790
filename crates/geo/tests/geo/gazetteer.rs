//! The bundled gazetteer, through the public API, on the forms travellers type.

use pam_geo::gazetteer::MAX_SEARCH_RESULTS;
use pam_geo::{Gazetteer, MatchQuality};

fn gazetteer() -> &'static Gazetteer {
    Gazetteer::global()
}

/// (query, expected name, expected admin1 code, expected country code)
fn assert_finds(cases: &[(&str, &str, &str, &str)]) {
    for &(query, name, admin1, country) in cases {
        let found = gazetteer().lookup(query).unwrap_or_else(|e| panic!("{query:?}: {e} {:?}", e.suggestions));
        let place = found.place;
        assert_eq!(
            (place.name, place.admin1.code, place.country.code),
            (name, admin1, country),
            "{query:?} found {} ({:?})",
            place.display_name(),
            found.quality
        );
    }
}

#[test]
fn plain_names_find_the_town_people_mean() {
    assert_finds(&[
        ("Perth", "Perth", "WA", "AU"),
        ("Sydney", "Sydney", "NSW", "AU"),
        ("moab", "Moab", "UT", "US"),
        ("ALICE SPRINGS", "Alice Springs", "NT", "AU"),
        ("  broken   hill ", "Broken Hill", "NSW", "AU"),
        ("Dubbo", "Dubbo", "NSW", "AU"),
        ("Flagstaff", "Flagstaff", "AZ", "US"),
    ]);
}

#[test]
fn qualifiers_pick_the_state_or_country() {
    assert_finds(&[
        ("Perth WA", "Perth", "WA", "AU"),
        ("Perth, Western Australia", "Perth", "WA", "AU"),
        ("Perth Scotland", "Perth", "SCT", "GB"),
        ("Perth, UK", "Perth", "SCT", "GB"),
        ("Perth, Tasmania", "Perth", "TAS", "AU"),
        ("Perth Ontario", "Perth", "ON", "CA"),
        ("Santa Fe NM", "Santa Fe", "NM", "US"),
        ("Santa Fe, Texas", "Santa Fe", "TX", "US"),
        ("Austin TX", "Austin", "TX", "US"),
        ("Austin, Minnesota", "Austin", "MN", "US"),
        ("Portland, Oregon", "Portland", "OR", "US"),
        ("Portland Vic", "Portland", "VIC", "AU"),
        ("Portland, Maine", "Portland", "ME", "US"),
        ("Perth, Western Australia, Australia", "Perth", "WA", "AU"),
        ("Banff AB", "Banff", "AB", "CA"),
        ("Queenstown NZ", "Queenstown", "F7", "NZ"),
        ("Victoria BC", "Victoria", "BC", "CA"),
        ("Tamworth NSW", "Tamworth", "NSW", "AU"),
        ("Tamworth, England", "Tamworth", "ENG", "GB"),
    ]);
}

#[test]
fn case_and_accents_do_not_matter() {
    let exact = gazetteer().lookup("zurich").unwrap();
    assert_eq!(exact.place.name, "Zürich");
    assert_eq!(exact.quality, MatchQuality::Exact);
    let accented = gazetteer().lookup("Cafelândia").unwrap();
    let plain = gazetteer().lookup("cafelandia").unwrap();
    assert_eq!(accented.place, plain.place);
    assert_eq!(plain.quality, MatchQuality::Exact);
}

#[test]
fn abbreviations_match_the_full_words() {
    let cases = [
        ("Mt Gambier", "Mount Gambier", "SA"),
        ("mt. isa", "Mount Isa", "QLD"),
        ("Pt Augusta", "Port Augusta", "SA"),
        ("St Helens, Oregon", "Saint Helens", "OR"),
        ("Saint Helens Tasmania", "St Helens", "TAS"),
    ];
    for (query, name, admin1) in cases {
        let found = gazetteer().lookup(query).unwrap();
        assert_eq!((found.place.name, found.place.admin1.code), (name, admin1), "{query}");
        assert_eq!(found.quality, MatchQuality::Alias, "{query}");
    }
}

#[test]
fn small_misspellings_are_forgiven() {
    let cases = [
        ("Tamwroth", "Tamworth", "NSW", 1),
        ("Kalgorlie", "Kalgoorlie", "WA", 1),
        ("Dubo", "Dubbo", "NSW", 1),
        ("Toowomba", "Toowoomba", "QLD", 1),
        ("Cooober Pedy", "Coober Pedy", "SA", 1),
        ("Wagga Waga", "Wagga Wagga", "NSW", 1),
        ("Mount Gambeir", "Mount Gambier", "SA", 1),
        ("Rockhamton", "Rockhampton", "QLD", 1),
        ("Kununura", "Kununurra", "WA", 1),
        ("Bundaburg", "Bundaberg", "QLD", 1),
    ];
    for (query, name, admin1, distance) in cases {
        let found = gazetteer().lookup(query).unwrap_or_else(|e| panic!("{query}: {e} {:?}", e.suggestions));
        assert_eq!((found.place.name, found.place.admin1.code), (name, admin1), "{query}");
        assert_eq!(found.quality, MatchQuality::Fuzzy { distance }, "{query}");
    }
}

#[test]
fn short_names_are_not_stretched_into_other_towns() {
    // Three letters allow no edit: "Ayx" must not become "Ayr".
    assert!(gazetteer().lookup("Ayx").is_err());
    // Two edits on a five-letter name is too many.
    assert!(gazetteer().lookup("Pxrtx").is_err());
}

#[test]
fn a_leading_the_is_optional() {
    // "The Entrance" is a real town: the literal reading wins.
    let found = gazetteer().lookup("The Entrance").unwrap();
    assert_eq!((found.place.name, found.place.admin1.code), ("The Entrance", "NSW"));
    // "the Dubbo" is not a name; without "the" it is.
    assert_eq!(gazetteer().lookup("the Dubbo").unwrap().place.name, "Dubbo");
}

#[test]
fn unknown_names_come_back_with_close_suggestions() {
    let missing = gazetteer().lookup("Narnia Springs").unwrap_err();
    assert_eq!(missing.query, "Narnia Springs");
    assert!(!missing.suggestions.is_empty() && missing.suggestions.len() <= 5, "{:?}", missing.suggestions);
    assert!(missing.suggestions.iter().all(|s| s.contains("Springs")), "{:?}", missing.suggestions);

    let far_off = gazetteer().lookup("Toowoombaaaa").unwrap_err();
    assert!(far_off.suggestions.iter().any(|s| s.starts_with("Toowoomba,")), "{:?}", far_off.suggestions);
}

#[test]
fn empty_and_junk_queries_are_not_found_without_panicking() {
    for query in ["", "   ", ",,,", "!!!", "\u{0}", "🦘🦘🦘", &"x".repeat(100_000), "Perth,,,,,,WA"] {
        let result = gazetteer().lookup(query);
        if query == "Perth,,,,,,WA" {
            assert_eq!(result.unwrap().place.admin1.code, "WA");
        } else {
            assert!(result.is_err(), "{query:?}");
        }
    }
}

#[test]
fn outback_towns_from_the_extras_file_are_present() {
    for (query, admin1, lat, lon) in [
        ("Birdsville", "QLD", -25.8989, 139.3517),
        ("Bedourie", "QLD", -24.3593, 139.4706),
        ("Eucla", "WA", -31.6770, 128.8830),
    ] {
        let found = gazetteer().lookup(query).unwrap();
        assert_eq!((found.place.name, found.place.admin1.code), (query, admin1));
        assert_eq!((found.place.lat(), found.place.lon()), (lat, lon));
    }
    assert_eq!(gazetteer().lookup("Tibooburra").unwrap().place.admin1.code, "NSW");
}

#[test]
fn display_names_read_naturally_and_look_up_the_same_place() {
    let perth = gazetteer().lookup("Perth Scotland").unwrap().place;
    assert_eq!(perth.display_name(), "Perth, Scotland, United Kingdom");
    for query in ["Perth", "Portland Maine", "Mt Gambier", "Santa Fe NM", "Birdsville"] {
        let place = gazetteer().lookup(query).unwrap().place;
        let again = gazetteer().lookup(&place.display_name()).unwrap().place;
        assert_eq!(place, again, "{query}");
    }
}

#[test]
fn nearest_town_to_a_point_near_dubbo_is_dubbo() {
    let found = gazetteer().nearest(-32.26, 148.62).unwrap();
    assert_eq!((found.place.name, found.place.admin1.code), ("Dubbo", "NSW"));
    match found.quality {
        MatchQuality::Nearest { distance_km } => assert!(distance_km < 3.0, "{distance_km}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn nearest_town_works_in_the_outback_and_across_the_date_line() {
    let near_birdsville = gazetteer().nearest(-25.95, 139.40).unwrap();
    assert_eq!(near_birdsville.place.name, "Birdsville");
    let fiji = gazetteer().nearest(-16.9, -179.99).unwrap();
    assert_eq!(fiji.place.country.code, "FJ", "{}", fiji.place.display_name());
}

#[test]
fn search_offers_prefixes_for_autocomplete() {
    let results = gazetteer().search("alice spr", 5);
    assert_eq!(results.first().map(|m| m.place.name), Some("Alice Springs"));
    assert_eq!(results[0].quality, MatchQuality::Prefix);

    let results = gazetteer().search("Perth", 5);
    assert_eq!(results.len(), 5);
    assert_eq!((results[0].place.name, results[0].place.admin1.code), ("Perth", "WA"));
    assert!(results.iter().take(3).all(|m| m.place.name == "Perth"), "exact names first");

    let results = gazetteer().search("mount gam", 3);
    assert!(results.iter().any(|m| m.place.name == "Mount Gambier"), "{results:?}");
}

#[test]
fn search_respects_its_limits() {
    assert!(gazetteer().search("Perth", 0).is_empty());
    assert!(gazetteer().search("", 10).is_empty());
    assert!(gazetteer().search("sa", 1000).len() <= MAX_SEARCH_RESULTS);
}

#[test]
fn search_with_a_qualifier_keeps_to_it() {
    let results = gazetteer().search("Portland, Victoria", 5);
    assert!(!results.is_empty());
    assert!(results.iter().all(|m| m.place.admin1.code == "VIC"), "{results:?}");
}

#[test]
fn a_name_that_starts_a_longer_one_finds_it_before_any_misspelling() {
    // GeoNames calls the town "Noosa Heads"; "Nohsa" (India) is one edit from "Noosa".
    let found = gazetteer().lookup("Noosa").unwrap();
    assert_eq!((found.place.name, found.place.admin1.code), ("Noosa Heads", "QLD"));
    assert_eq!(found.quality, MatchQuality::Prefix);
}
