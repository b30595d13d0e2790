//! Drive times for a distance alone, and routes written shouted or with a typed arrow.

mod common;

use common::*;
use serde_json::json;

#[test]
fn a_distance_alone_is_timed_not_asked_where_to() {
    let timed = |s: &str| {
        let (tool, args) = call(s).unwrap_or_else(|| panic!("{s}: no call"));
        assert_eq!(tool, "estimate_travel_time", "{s}");
        (args["distance"].clone(), args["distance_unit"].clone(), args.get("destination").cloned())
    };
    assert_eq!(timed("how long to drive 450 km"), (json!(450), json!("km"), None));
    assert_eq!(timed("how long will 600km take us"), (json!(600), json!("km"), None));
    assert_eq!(timed("how many hours is 300 miles of driving"), (json!(300), json!("mi"), None));
    // A place named wins over the distance: the route is timed.
    let (distance, _, destination) = timed("how long to drive the 450 km to Broome");
    assert_eq!((distance, destination), (json!(null), Some(json!("Broome"))));
}

#[test]
fn shouted_and_arrowed_routes_name_both_ends() {
    let route = |s: &str| {
        let (tool, args) = call(s).unwrap_or_else(|| panic!("{s}: no call"));
        (tool, args["origin"].clone(), args["destination"].clone())
    };
    assert_eq!(route("HOW FAR FROM DUBBO TO BOURKE"), ("estimate_travel_time", json!("Dubbo"), json!("Bourke")));
    assert_eq!(
        route("how far is it rockhampton -> longreach"),
        ("estimate_travel_time", json!("Rockhampton"), json!("Longreach"))
    );
}

#[test]
fn a_place_typed_in_lower_case_or_shouted_is_where_the_forecast_is_for() {
    let location = |s: &str| {
        let (tool, args) = call(s).unwrap_or_else(|| panic!("{s}: no call"));
        assert_eq!(tool, "get_weather_forecast", "{s}");
        args["location"].clone()
    };
    assert_eq!(location("whats the weather in broome tomorrow"), json!("Broome"));
    assert_eq!(location("WHATS THE WEATHER IN BROOME TOMORROW"), json!("Broome"));
    assert_eq!(location("will it be hot in port hedland next week"), json!("Port Hedland"));
    // Everyday words are no place: the forecast is for where the user is.
    for s in ["any rain for the weekend", "weather in the morning", "weather in the area", "rain at camp tonight?"] {
        assert_eq!(location(s), json!(null), "{s}");
    }
}

#[test]
fn an_order_said_otherwise_is_no_title_and_a_spoken_price_no_total() {
    let (tool, args) = call("chuck a reminder in for Friday at 3 to call the insurer").unwrap();
    assert_eq!((tool, &args["title"]), ("create_calendar_event", &json!("call the insurer")));
    let (_, args) = call("jot down dinner with Sue on Saturday at 6").unwrap();
    assert_eq!(args["title"], json!("dinner with Sue"));
    let (_, args) = call("stick it in the diary, trivia night Tuesday 7pm").unwrap();
    assert_eq!(args["title"], json!("trivia night"));
    // "at two fifteen" is the pump price, and none of its words a total paid.
    let (tool, args) = call("filled up 64 litres at two fifteen").unwrap();
    assert_eq!((tool, &args["price_per_unit"], args.get("total")), ("add_fuel_entry", &json!(2.15), None));
}

#[test]
fn a_route_typed_without_capitals_has_its_edges_found_by_everyday_words() {
    let route = |s: &str| {
        let (tool, args) = call(s).unwrap_or_else(|| panic!("{s}: no call"));
        (tool, args["origin"].clone(), args["destination"].clone(), args.get("stops").cloned())
    };
    // Only a route, with arrows: how far and how long.
    assert_eq!(route("bourke -> cobar"), ("estimate_travel_time", json!("Bourke"), json!("Cobar"), None));
    assert_eq!(route("CAIRNS -> COOKTOWN"), ("estimate_travel_time", json!("Cairns"), json!("Cooktown"), None));
    assert_eq!(call("love -> hate"), None);
    // An everyday word is no part of a name: "heading", "far", a trailing "mate".
    assert_eq!(
        route("we're leaving longreach tomorrow and heading to winton, how far is it"),
        ("estimate_travel_time", json!("Longreach"), json!("Winton"), None)
    );
    assert_eq!(
        route("how far adelaide -> port augusta"),
        ("estimate_travel_time", json!("Adelaide"), json!("Port Augusta"), None)
    );
    assert_eq!(
        route("gold coast to byron how long"),
        ("estimate_travel_time", json!("Gold Coast"), json!("Byron"), None)
    );
    assert_eq!(
        route("can you plan our trip sale to orbost going through bairnsdale"),
        ("plan_trip", json!("Sale"), json!("Orbost"), Some(json!(["Bairnsdale"])))
    );
    let (tool, args) = call("weather katherine").unwrap();
    assert_eq!((tool, &args["location"]), ("get_weather_forecast", &json!("Katherine")));
}

#[test]
fn recording_refused_writes_nothing_and_a_rate_is_no_farewell() {
    assert_none_writes(&[
        "fuel was 90 but i'm not logging it, work's paying",
        "we won't be recording the 20 for the ferry",
    ]);
    let u = pam_nlu::understand("the site costs 30 a night", today());
    assert!(!format!("{:?}", u.action).contains("See you down the road"), "{:?}", u.action);
    let u = pam_nlu::understand("catch ya later", today());
    assert!(format!("{:?}", u.action).contains("See you down the road"), "{:?}", u.action);
}
