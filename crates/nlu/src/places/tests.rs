//! The place finder on routes and single places, typed every way.

use super::*;
use crate::entities::scan;

fn route_of(s: &str) -> (Option<String>, Option<String>, Vec<String>) {
    let t = Text::new(s);
    let e = scan(&t.tokens);
    let r = route(&t, &e);
    (r.origin, r.destination, r.stops)
}

fn p(s: &str) -> Option<String> {
    Some(s.to_string())
}

#[test]
fn routes() {
    assert_eq!(
        route_of("plan a route from Brisbane to Cairns stopping at Rockhampton and Mackay"),
        (p("Brisbane"), p("Cairns"), vec!["Rockhampton".into(), "Mackay".into()])
    );
    assert_eq!(
        route_of("Broken Hill to Adelaide via Mildura next Monday"),
        (p("Broken Hill"), p("Adelaide"), vec!["Mildura".into()])
    );
    assert_eq!(
        route_of("plan trip melbourne to adelaide along the great ocean road"),
        (p("Melbourne"), p("Adelaide"), vec![])
    );
    assert_eq!(route_of("help me plan a road trip to Uluru from Adelaide"), (p("Adelaide"), p("Uluru"), vec![]));
    assert_eq!(
        route_of("new trip: Coffs Harbour > Brisbane > Noosa"),
        (p("Coffs Harbour"), p("Noosa"), vec!["Brisbane".into()])
    );
    assert_eq!(route_of("how far is Katoomba from Sydney"), (p("Sydney"), p("Katoomba"), vec![]));
    assert_eq!(route_of("how far apart are Bendigo and Echuca"), (p("Bendigo"), p("Echuca"), vec![]));
    assert_eq!(
        route_of("Plan a route from Austin TX to Santa Fe NM, budget 800 bucks"),
        (p("Austin TX"), p("Santa Fe NM"), vec![])
    );
    assert_eq!(route_of("Plan a trip to Byron Bay"), (None, p("Byron Bay"), vec![]));
    assert_eq!(route_of("Plan a trip Townsville - Mt Isa"), (p("Townsville"), p("Mt Isa"), vec![]));
    assert_eq!(route_of("rockhampton -> longreach how far"), (p("Rockhampton"), p("Longreach"), vec![]));
    assert_eq!(route_of("Cairns → Cooktown"), (p("Cairns"), p("Cooktown"), vec![]));
    assert_eq!(route_of("Longreach up to Winton, how far"), (p("Longreach"), p("Winton"), vec![]));
    assert_eq!(route_of("plan Bendigo to Echuca to Swan Hill"), (p("Bendigo"), p("Swan Hill"), vec!["Echuca".into()]));
    assert_eq!(
        route_of("plan a drive from Hobart to Strahan taking in Queenstown"),
        (p("Hobart"), p("Strahan"), vec!["Queenstown".into()])
    );
    assert_eq!(
        route_of("from Derby to Broome by way of Fitzroy Crossing"),
        (p("Derby"), p("Broome"), vec!["Fitzroy Crossing".into()])
    );
    assert_eq!(
        route_of("Albany -> Esperance -> Norseman, leaving Friday"),
        (p("Albany"), p("Norseman"), vec!["Esperance".into()])
    );
    // Lower case, a name does not run on into the next "to" ("drive to cairns to see the reef").
    assert_eq!(route_of("drive to cairns to see the reef"), (None, p("Cairns"), vec![]));
}

#[test]
fn shouted_routes_are_read_as_if_typed_in_lower_case() {
    // Capitals tell no names apart here, and "TO" is no state code.
    assert_eq!(route_of("HOW LONG FROM COOBER PEDY TO ALICE"), (p("Coober Pedy"), p("Alice"), vec![]));
    assert_eq!(
        route_of("PLAN A TRIP FROM DUBBO TO BOURKE VIA NYNGAN"),
        (p("Dubbo"), p("Bourke"), vec!["Nyngan".into()])
    );
}

#[test]
fn places() {
    let at = |s: &str| {
        let t = Text::new(s);
        place(&t, &scan(&t.tokens))
    };
    assert_eq!(at("I spent $42.50 on diesel at Dubbo yesterday"), p("Dubbo"));
    assert_eq!(at("spent $52 at Woolies in Mudgee this morning"), p("Mudgee"));
    assert_eq!(at("beers at the Birdsville pub $42"), p("Birdsville"));
    assert_eq!(at("forty-two dollars, fuel, Coober Pedy"), p("Coober Pedy"));
    assert_eq!(at("Dropped $230 on groceries at Woolies"), None);
}
