//! From the thirteenth review (messy requests): money said the way a price is read is hundreds where a
//! few dollars cannot be meant; "hundred and fifty" without its "a"; the user's own income told plainly
//! is recorded; a remark on the amount ("not much") denies nothing; a bill, a fine, a letter or a request
//! received is no income, nor money received from the user; a wish that the community hear or weigh in is
//! an order to post. (The fourteenth review tried these rules and found the traps added below.)

mod common;

use common::*;
use serde_json::json;

fn amount(s: &str) -> serde_json::Value {
    let (_, args) = call(s).unwrap_or_else(|| panic!("{s}: no call"));
    args.get("amount").or_else(|| args.get("total")).cloned().unwrap_or_default()
}

#[test]
fn a_big_ticket_said_like_a_price_is_hundreds() {
    assert_eq!(amount("replaced the water pump in the motorhome today cost four fifty"), json!(450));
    assert_eq!(amount("we paid two fifty for the site"), json!(250));
    assert_eq!(amount("got paid eight eighty for harvest work"), json!(880));
    assert_eq!(amount("fuel one twenty"), json!(120));
    assert_eq!(amount("filled the tank seventy litres hundred and fifty dollars"), json!(150));
    // A small thing stays dollars and cents, and figures stay as written.
    assert_eq!(amount("coffee four fifty"), json!(4.5));
    assert_eq!(amount("paid 4.50 for the tyre valve"), json!(4.5));
}

#[test]
fn the_users_own_income_told_plainly_is_recorded() {
    assert_eq!(meant("I earned 1100 this fortnight at the mine site kitchen"), Some("record_income"));
    assert_eq!(amount("tax refund came through 120 lol not much but add it"), json!(120));
    assert_none_writes(&[
        "if I earned 1100 a fortnight we'd be right",
        "my wife earned 900 this week",
        "we received a bill for $300 from the council",
        "received a $300 fine from the council",
        "got a bill for 300 from the council",
        "We received a letter saying our rego is 850",
        "I received a refund request from a customer for 80",
        "The buyer received 500 from us for the bike rack",
        "Sure, we got paid 880, in my dreams",
        "I remember setting an alarm for 5am to catch the sunrise",
        // From a fresh reading of the rules: a bill named however, and a remark that is not about the amount.
        "I received a bill for $300 for the back tyre",
        "I received a really hefty electricity bill, $410",
        "I received the rego renewal, $850",
        "We received the council rates, 1,400",
        "I reckon there's not much point logging the $12 I spent on parking",
    ]);
    assert_eq!(meant("we were paid 880 for harvest work"), Some("record_income"));
    assert_eq!(meant("my son paid back the 50 he borrowed from me"), Some("record_income"));
    assert_eq!(amount("Filled up with diesel, one twenty"), json!(120));
    assert_eq!(meant("got a refund of 300 on the council bill"), Some("record_income"));
}

#[test]
fn a_wish_that_the_community_hear_is_an_order_to_post() {
    let post = |s: &str| {
        let (tool, args) = call(s).unwrap_or_else(|| panic!("{s}: no call"));
        assert_eq!(tool, "create_post", "{s}");
        args["content"].clone()
    };
    assert_eq!(
        post("I'd like the community to weigh in: solar blankets or fixed panels for a 19 foot van?"),
        json!("solar blankets or fixed panels for a 19 foot van?")
    );
    assert_eq!(
        post("I need the community to hear this: the water at the Mataranka tap is not drinkable, boil it first"),
        json!("the water at the Mataranka tap is not drinkable, boil it first")
    );
    assert_eq!(
        post("Notice for the board: the laundry machines take tokens now, buy them from the office"),
        json!("the laundry machines take tokens now, buy them from the office")
    );
    assert_none_writes(&["I'd hate the forum to know that we got bogged", "can the forum know that i'm here?"]);
}
