//! From the eighth fresh review: limits moved by an amount or laid down from now on, limits read the way a
//! price is spoken, money received from a buyer, disputed receipts, counts before a price, and post texts
//! cleared of what the order left at their start.

mod common;

use common::*;
use pam_nlu::{Action, understand};
use serde_json::json;

fn asks(text: &str) -> bool {
    matches!(understand(text, today()).action, Action::Clarify { .. })
}

#[test]
fn a_limit_moved_by_an_amount_is_asked_about_never_logged_as_spending() {
    for s in [
        "lower groceries by fifty bucks",
        "cut groceries by 50",
        "drop fuel by a hundred",
        "can you bump dining up by 40",
    ] {
        assert!(!writes(s), "{s} wrote: {:?}", call(s));
        assert!(asks(s), "{s}: {:?}", understand(s, today()).action);
    }
    // A price cut is no limit moved.
    assert_ne!(meant("the servo cut the price by 10c"), Some("update_budget"));
}

#[test]
fn a_limit_laid_down_from_now_on_is_set_but_a_price_from_now_on_is_not() {
    let limit = |s: &str| {
        let (tool, args) = call(s).unwrap_or_else(|| panic!("{s}: no call"));
        assert_eq!(tool, "update_budget", "{s}");
        (args["category"].clone(), args["monthly_limit"].clone())
    };
    assert_eq!(limit("let's make fuel 800 from now on"), (json!("fuel"), json!(800.0)));
    assert_eq!(limit("right, from now on it's 80 a week for the pub and that's final").0, json!("dining"));
    assert_none_writes(&["the caravan park is 300 a week from now on", "from now on rent is 300 a week"]);
}

#[test]
fn a_limit_spoken_like_a_price_means_hundreds() {
    let monthly = |s: &str| call(s).map(|(_, args)| args["monthly_limit"].clone());
    assert_eq!(monthly("fuel budget two fifty"), Some(json!(250.0)));
    assert_eq!(monthly("set dining to one fifty a month"), Some(json!(150.0)));
    assert_eq!(monthly("reduce eating out budget to one fifty"), Some(json!(150.0)));
    // Written in figures, it is what it says.
    assert_eq!(monthly("set my grocery budget to two hundred and fifty"), Some(json!(250.0)));
    // A coffee said the same way is still $4.50.
    assert_eq!(call("coffee was four fifty").map(|(_, a)| a["amount"].clone()), Some(json!(4.5)));
}

#[test]
fn money_received_from_a_buyer_is_income() {
    let (tool, args) = call("received 280 from the bloke who bought our old annexe").expect("a call");
    assert_eq!((tool, args["amount"].clone()), ("record_income", json!(280)));
}

#[test]
fn a_figure_disputed_against_a_receipt_is_not_recorded() {
    assert_none_writes(&[
        "hey, the fuel receipt says 78 litres but i swear it was 70",
        "the bill shows 240 but we only had two nights",
    ]);
}

#[test]
fn a_count_before_a_measure_is_no_second_amount() {
    let (tool, args) = call("1 bag of ice, $4.50, pls log").expect("a call");
    assert_eq!((tool, args["amount"].clone()), ("create_expense", json!(4.5)));
    let (_, args) = call("add expense 9.99 netflix").expect("a call");
    assert_eq!(args["description"], json!("netflix"));
}

#[test]
fn a_post_text_loses_what_the_order_left_at_its_start() {
    let content = |s: &str| {
        let (tool, args) = call(s).unwrap_or_else(|| panic!("{s}: no call"));
        assert_eq!(tool, "create_post", "{s}");
        args["content"].as_str().unwrap_or_default().to_string()
    };
    assert_eq!(
        content("put this on the feed: heads up, roadworks on the bruce hwy near gympie, 40 min delays"),
        "roadworks on the bruce hwy near gympie, 40 min delays"
    );
    assert_eq!(
        content("write a community post asking if anyone's got a spare 7 pin trailer plug adapter"),
        "anyone's got a spare 7 pin trailer plug adapter"
    );
    assert_eq!(
        content("let everyone on the feed know the caravan park at port douglas has a 20% off deal this week"),
        "the caravan park at port douglas has a 20% off deal this week"
    );
    assert_eq!(
        content(
            "hey pam could you post something for me, just say thanks to everyone who helped us with the flat tyre"
        ),
        "thanks to everyone who helped us with the flat tyre"
    );
    // A post labelled where it goes is posted, question and all.
    assert_eq!(
        content("Post to community - Anyone going to the Parkes Elvis festival in January?"),
        "Anyone going to the Parkes Elvis festival in January?"
    );
}
