//! From the fourteenth session and its review: money got back is money in, not spending ("got 60 back on
//! the power bill"); a price said the way prices are after "for" and a verb of buying is no clock time
//! ("bought ice for four fifty"); an order quoted whole and then attributed is someone else's ("'post to
//! the forum: …' is what Barry wrote"); a request asked the other way round ("reckon you could …") is
//! asked.

mod common;

use common::*;
use serde_json::json;

#[test]
fn money_got_back_is_no_spending() {
    for s in ["got 60 back on the power bill", "we got $45 back from the mechanic"] {
        assert_ne!(meant(s), Some("create_expense"), "{s}");
    }
    assert_eq!(meant("got 60 back on the power bill"), Some("record_income"));
    // Spending told after it still is spending.
    assert_eq!(meant("bought a new hose for 60 at Bunnings"), Some("create_expense"));
}

#[test]
fn a_price_after_for_is_no_clock_time() {
    let (tool, args) = call("Bought ice for four fifty").expect("a call");
    assert_eq!(tool, "create_expense");
    assert_eq!(args["amount"], json!(4.5));
    for (s, amount) in [("grabbed a pie for five forty", 5.4), ("bought bait for twelve fifty", 12.5)] {
        assert_eq!(call(s).map(|c| c.1["amount"].clone()), Some(json!(amount)), "{s}");
    }
    // A time after "for" stays a time where nothing was bought in its clause.
    let (tool, args) = call("set an alarm for four fifty tomorrow").expect("a call");
    assert_eq!(tool, "set_timer_or_alarm");
    assert!(args.to_string().contains("04:50") || args.to_string().contains("16:50"), "{args}");
    let (tool, args) = call("Bought ice for four fifty, set an alarm for six").expect("a call");
    assert_eq!((tool, &args["time"]), ("set_timer_or_alarm", &json!("06:00")));
}

#[test]
fn an_order_quoted_whole_from_someone_else_is_theirs() {
    assert_none_writes(&[
        "'post to the forum: free firewood' is what Barry wrote",
        "\"log 50 for fuel\" - that's what the sign said",
        "'spent $80 on groceries' is what Mum texted me",
    ]);
    // An order after the attribution is the user's own.
    assert_eq!(
        meant("'Free firewood at site 9' is what Barry wrote, post it to the forum for me"),
        Some("create_post")
    );
    // The user's own order after a quotation still posts it, even after a dash.
    assert_eq!(
        meant("'Anyone else having trouble with Telstra signal around Coober Pedy?' — put that up on the forum for me"),
        Some("create_post")
    );
    let (tool, args) = call("'Free firewood at site 9' - post that for me").expect("a call");
    assert_eq!(tool, "create_post");
    assert_eq!(args["content"], json!("Free firewood at site 9"));
}

#[test]
fn a_request_asked_the_other_way_round_is_asked() {
    assert_eq!(meant("reckon you could log 40 for the laundromat"), Some("create_expense"));
    let (tool, args) =
        call("ya reckon u could put up a post 4 me, selling our old annexe walls $150 ono pickup Bendigo")
            .expect("a call");
    assert_eq!(tool, "create_post");
    assert_eq!(args["content"], json!("selling our old annexe walls $150 ono pickup Bendigo"));
    // Said of what the user could do, it orders nothing.
    assert_none_writes(&[
        "I reckon you could spend 40 on the laundromat easily",
        "they reckon you could log a tonne of fish here",
    ]);
}

#[test]
fn a_price_moved_by_an_amount_is_no_purchase_and_no_limit() {
    assert_none_writes(&["Groceries went up by fifty bucks at Woolies this week", "diesel has gone up by 20c a litre"]);
    // A limit moved by an amount, asked politely, asks for the new limit; never logs the change as spending.
    assert_eq!(meant("Could you lower groceries by fifty bucks?"), None);
    assert!(matches!(
        pam_nlu::understand("Could you lower groceries by fifty bucks?", today()).action,
        pam_nlu::Action::Clarify { .. }
    ));
    // A purchase told beside a price move is logged at what was paid.
    assert_eq!(
        call("spent 50 on groceries, prices went up by 10 bucks").map(|c| c.1["amount"].clone()),
        Some(json!(50))
    );
    let (tool, args) = call("diesel has gone up by 20c a litre, filled up 60L for $130").expect("a call");
    assert_eq!((tool, &args["total"]), ("add_fuel_entry", &json!(130)));
    assert!(args.get("price_per_unit").is_none(), "the rise is no price: {args}");
}
