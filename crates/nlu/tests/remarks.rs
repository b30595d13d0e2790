//! Requests told beside small talk ("What a day! Spent $60 on a new hose"), from a fresh reader's review
//! (2026-12-03, evening): the request is done with its own values, and the same shapes that only talk
//! change nothing.

mod common;

use common::*;

#[test]
fn a_request_after_a_remark_or_a_greeting_is_done() {
    for (s, tool) in [
        ("What a day! Spent $60 on a new hose", "create_expense"),
        ("Cheers mate. Grabbed a new water filter for $55", "create_expense"),
        ("Been raining all week 😩 anyway, spent $30 on board games to keep sane", "create_expense"),
        ("What a month. Set my fuel budget to $500", "update_budget"),
        ("What a week. Plan a trip from Brisbane to Cairns", "plan_trip"),
        ("Just got to Port Augusta. Plan a trip from Port Augusta to Coober Pedy", "plan_trip"),
        ("What a day. Set a timer for the roast, 90 minutes", "set_timer_or_alarm"),
        ("Oh yeah, I almost forgot, set an alarm for 6am tomorrow", "set_timer_or_alarm"),
        ("Hiya! Draft a post saying Lake Argyle free camp is full this weekend", "create_post"),
    ] {
        assert_eq!(call(s).map(|(t, _)| t), Some(tool), "{s}: {:?}", call(s));
    }
}

#[test]
fn the_remark_is_no_part_of_the_values() {
    let title = |s: &str| call(s).map(|(_, a)| a["title"].clone()).unwrap_or_default();
    assert_eq!(title("What a morning. Add a dentist appointment tomorrow at 3pm"), "dentist appointment");
    assert_eq!(title("Good morning! Add a vet appointment for Bluey on Friday at 2pm"), "vet appointment for Bluey");
    assert_eq!(title("What a day! Pop the mechanic in for Thursday at 8am please"), "mechanic");
    // A one-word label or a spending word before the figures is the request's own, not a remark.
    let (tool, args) = call("bloody tolls. 8.50 on the Gateway this morning").expect("logged");
    assert_eq!((tool, args["category"].as_str()), ("create_expense", Some("transport")));
}

#[test]
fn talk_beside_a_remark_still_changes_nothing() {
    assert_none_writes(&[
        "What a day! The bloke next to us spent $60 on a new hose",
        "What a day. Thinking of setting a timer for the roast",
        "Spent $60 on a new hose. Just kidding",
        "What a day! Spent $60 on a new hose. Don't log it though",
        "Morning. Planning to fill up at the BP in Tamworth, around 70L",
        "Gday PAM. Supposed to get paid $800 on Friday for the farm work",
        "We nearly spent $120 on dinner but cooked instead",
        "Sarah set a 20 minute timer for the camp oven",
        "Sarah went to town. Spent $200 on shoes",
    ]);
}
