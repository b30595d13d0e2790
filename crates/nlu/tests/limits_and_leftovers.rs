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

#[test]
fn a_limit_kept_under_or_starting_later_is_set_and_an_order_after_a_question_is_given() {
    let limit = |s: &str| {
        let (tool, args) = call(s).unwrap_or_else(|| panic!("{s}: no call"));
        assert_eq!(tool, "update_budget", "{s}");
        (args["category"].clone(), args["monthly_limit"].clone())
    };
    assert_eq!(
        limit("we've agreed shopping stays under 100 a month, hold me to it"),
        (json!("shopping"), json!(100.0))
    );
    assert_eq!(limit("starting next month our entertainment allowance is 150"), (json!("entertainment"), json!(150.0)));
    assert_eq!(limit("fine. 500 a month for eating out. happy now, Barb? set it"), (json!("dining"), json!(500.0)));
    // The order asked back is still only asked about, and a scoff sets nothing.
    assert!(!writes("set the fuel budget to 300? are you mad? no way"));
    assert_none_writes(&["we came in under 100 a week last month", "our old allowance was 150 starting next month"]);
}

#[test]
fn dont_let_me_forget_asks_for_help_it_denies_nothing() {
    let (tool, args) = call("dont let me forget the gas bottle swap wednesday next week").expect("a call");
    assert_eq!((tool, args["title"].clone()), ("create_calendar_event", json!("gas bottle swap")));
    let (tool, args) = call("nap timer 25 min, dont let me sleep the whole arvo away").expect("a call");
    assert_eq!((tool, args["duration_seconds"].clone()), ("set_timer_or_alarm", json!(1500)));
    assert_none_writes(&["don't log it, let me think", "dont let me log that twice"]);
}

#[test]
fn minutes_in_words_before_past_or_to_tell_the_time() {
    let time = |s: &str| call(s).map(|(_, args)| args["time"].clone());
    assert_eq!(time("wake me at twenty to six"), Some(json!("05:40")));
    assert_eq!(time("wake me at twenty past five"), Some(json!("05:20")));
    assert_eq!(time("wake me at twenty-five past six"), Some(json!("06:25")));
}

#[test]
fn an_insurer_coughing_up_is_income_and_a_list_with_its_sum_is_one_expense() {
    let (tool, args) = call("The insurer finally coughed up $1,875 for the smashed windscreen").expect("a call");
    assert_eq!((tool, args["amount"].clone()), ("record_income", json!(1875)));
    let (tool, _) = call("we finally coughed up 200 for the rego").expect("a call");
    assert_eq!(tool, "create_expense");
    let (tool, args) =
        call("bread 4.50, milk 3.20, eggs 7, that's 14.70 at the general store in Birdsville").expect("a call");
    assert_eq!((tool, args["amount"].clone()), ("create_expense", json!(14.7)));
}

#[test]
fn a_price_that_moves_or_a_doubt_sets_no_limit() {
    assert_none_writes(&[
        "starting next month the phone plan drops to 35 a month",
        "rego goes up to 900 a year",
        "i doubt fuel stays under 300 a month this trip",
    ]);
    assert_eq!(meant("fuel budget goes up to 400 a month from now on"), Some("update_budget"));
    assert_eq!(meant("drop fuel to 300 a month"), Some("update_budget"));
}
