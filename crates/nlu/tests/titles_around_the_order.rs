//! An event's name may come before the order to save it ("lodge tax return — put a reminder in for the
//! 15th") or after a save phrase that is all order ("make a note in the diary: Kev and Robyn arriving
//! Friday"); "could we get …?" asks whether it can be had and orders nothing.

mod common;

use common::*;
use serde_json::json;

fn event(s: &str) -> serde_json::Value {
    let (tool, args) = call(s).unwrap_or_else(|| panic!("{s}: no call"));
    assert_eq!(tool, "create_calendar_event", "{s}");
    args
}

#[test]
fn the_name_before_the_order_or_after_an_all_order_save_phrase() {
    let tax = event("lodge tax return — put a reminder in for the 15th");
    assert_eq!(tax["title"], json!("lodge tax return"));
    assert_eq!(tax["start"], json!("2026-12-15"));
    assert_eq!(
        event("make a note in the diary: Kev and Robyn arriving Friday")["title"],
        json!("Kev and Robyn arriving")
    );
    assert_eq!(event("make a note in the diary: bowls dinner Friday")["title"], json!("bowls dinner"));
    // The dash around a name is not kept.
    assert_eq!(event("tax return - put it in the calendar for the 15th")["title"], json!("tax return"));
    // A name after the order still wins.
    assert_eq!(event("put a reminder in for the 15th: pay the rego")["title"], json!("pay the rego"));
}

#[test]
fn a_title_is_not_taken_from_courtesy_before_a_comma() {
    // Nothing named: PAM asks what the reminder is for rather than calling it "Thanks heaps".
    assert_none_writes(&["Thanks heaps, put a reminder in for the 15th"]);
}

#[test]
fn asking_whether_something_can_be_had_is_no_order() {
    assert_none_writes(&[
        "could we get a refund on the site if it rains?",
        "can we get a site at Bourke for $30 a night?",
        "Can we get a site at Cable Beach on the 12th?",
    ]);
}
