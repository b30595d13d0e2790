//! From the fourteenth session: a note labelled with someone's name is theirs ("Gaz: packing shed,
//! 640"); money got back is money in, not spending ("got 60 back on the power bill"); and a price said
//! the way prices are after "for" is no clock time ("bought ice for four fifty"); an order quoted whole
//! from someone else is theirs ("'post to the forum: …' is what Barry wrote").

mod common;

use common::*;
use serde_json::json;

#[test]
fn a_note_under_someone_elses_name_writes_nothing() {
    assert_none_writes(&[
        "Gaz: mango packing shed, 640 this wk",
        "Shazza: servo pies 14",
        "Bev: bottle-o 62 (her shout)",
    ]);
    // A label that names a thing is the user's own entry.
    assert_eq!(meant("Groceries: $143.55 Woolies Broome"), Some("create_expense"));
    assert_eq!(meant("Dinner: $27.80"), Some("create_expense"));
}

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
    // A time after "for" stays a time where nothing was bought.
    let (tool, args) = call("set an alarm for four fifty tomorrow").expect("a call");
    assert_eq!(tool, "set_timer_or_alarm");
    assert!(args.to_string().contains("04:50") || args.to_string().contains("16:50"), "{args}");
}

#[test]
fn an_order_quoted_whole_from_someone_else_is_theirs() {
    assert_none_writes(&[
        "'post to the forum: free firewood' is what Barry wrote",
        "\"log 50 for fuel\" - that's what the sign said",
    ]);
    // The user's own order after a quotation still posts it.
    let (tool, args) = call("'Free firewood at site 9' - post that for me").expect("a call");
    assert_eq!(tool, "create_post");
    assert_eq!(args["content"], json!("Free firewood at site 9"));
}
