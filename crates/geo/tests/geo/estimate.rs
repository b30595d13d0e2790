//! The offline route estimate on gazetteer coordinates.

use pam_geo::estimate::{ROAD_FACTOR, estimate_named_route};
use pam_geo::{AverageSpeed, Gazetteer, Source};

#[test]
fn sydney_to_melbourne_is_about_the_real_road_distance() {
    let route = estimate_named_route(Gazetteer::global(), &["Sydney", "Melbourne"], AverageSpeed::default()).unwrap();

    assert!((840.0..=900.0).contains(&route.distance_km), "{} km", route.distance_km);
    // 80 km/h: about eleven hours.
    assert!((630.0..=675.0).contains(&route.duration_minutes), "{} min", route.duration_minutes);
    assert_eq!(route.source, Source::Estimate);
    assert_eq!(route.legs[0].from, "Sydney, New South Wales, Australia");
    assert_eq!(route.legs[0].to, "Melbourne, Victoria, Australia");
    let json = serde_json::to_value(&route).unwrap();
    assert_eq!(json["source"], "estimate");
    assert_eq!(json["legs"][0]["distance_km"], json["distance_km"]);
}

#[test]
fn the_road_factor_is_the_one_documented() {
    assert_eq!(ROAD_FACTOR, 1.22);
}

#[test]
fn a_faster_speed_shortens_only_the_time() {
    let slow = estimate_named_route(Gazetteer::global(), &["Dubbo", "Bourke"], AverageSpeed::default()).unwrap();
    let fast = AverageSpeed::from_kmh(100.0).unwrap();
    let quick = estimate_named_route(Gazetteer::global(), &["Dubbo", "Bourke"], fast).unwrap();
    assert_eq!(slow.distance_km, quick.distance_km);
    assert!((slow.duration_minutes / quick.duration_minutes - 1.25).abs() < 0.01);
}

#[test]
fn a_ten_stop_plan_has_nine_legs_summing_to_the_total() {
    let stops = [
        "Sydney",
        "Dubbo",
        "Bourke",
        "Tibooburra",
        "Birdsville",
        "Bedourie",
        "Mount Isa",
        "Tennant Creek",
        "Alice Springs",
        "Coober Pedy",
    ];
    let route = estimate_named_route(Gazetteer::global(), &stops, AverageSpeed::default()).unwrap();
    assert_eq!(route.legs.len(), 9);
    let sum: f64 = route.legs.iter().map(|l| l.distance_km).sum();
    assert!((sum - route.distance_km).abs() < 0.5, "{sum} vs {}", route.distance_km);
}

#[test]
fn an_unknown_stop_is_named_in_the_error() {
    let error =
        estimate_named_route(Gazetteer::global(), &["Sydney", "Narnia Springs"], AverageSpeed::default()).unwrap_err();
    assert_eq!(error.query, "Narnia Springs");
}
