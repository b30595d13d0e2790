//! Sentences from a fresh reader's review (2026-12-03, evening): messages that take themselves back, put
//! the request off, list prices or move the user's own money — none may change data — and amounts that
//! must be worked out (a count at a price each) or asked about (several items in one message).

mod common;

use common::*;
use pam_nlu::{Action, understand};

#[test]
fn a_message_taken_back_or_mocked_changes_nothing() {
    assert_none_writes(&[
        "spent $25 on lunch lol jk",
        "spent $80 on groceries - jk just testing you 😜",
        "paid $90 for the campsite - kidding, it was free",
        "Tuesday we paid $60 for the site - no wait, that was the Smiths",
        "got paid $400 for the caretaking... oh wait no that's next week",
        "add dentist Friday 2pm... actually scratch that",
        "post: hi everyone - nah, not posting that",
        "post \"I love traffic jams\" 🙃 kidding",
        "sure, log $1,000,000 for caviar 🙄",
        "yeah right, plan me a trip to the moon",
        // Taken back in a sentence of its own.
        "Spent $25 on lunch. Kidding, it was free.",
        "Spent $25 on lunch. No wait, wrong one.",
        // An order on a sign is the sign's.
        "camp sign says: put it in the calendar, working bee Sat 9am",
    ]);
    // A correction with a new figure is no retraction: the new figure is logged.
    assert_eq!(call("paid 40 for the site, no wait, it was 45").map(|(_, a)| a["amount"].clone()), Some(45.into()));
}

#[test]
fn a_request_put_off_or_made_conditional_waits() {
    assert_none_writes(&[
        "record income of $500 once the invoice clears",
        "after dinner set a timer for 30 min",
        "if fuel drops below $2, set the fuel budget to $400",
        "Tell the forum the park overcharged us, once I calm down",
        "tell my husband to set an alarm for 5am",
    ]);
    // Said of when it happened, or asked politely, it is acted on.
    assert_eq!(meant("odometer was 187,902 when we filled in Ceduna yday, 88 ltrs"), Some("add_fuel_entry"));
    assert_eq!(meant("set a timer for 10 minutes if you could"), Some("set_timer_or_alarm"));
}

#[test]
fn prices_listed_or_scoffed_at_are_not_purchases() {
    assert_none_writes(&[
        "Fuel was $2.29 at Roma, $2.19 at Charleville and $2.39 at Quilpie",
        "Diesel: Katherine $2.15, Mataranka $2.25, Larrimah $2.49",
        "campsite prices: Lake Argyle $55, El Questro $40",
        "$80 for a powered site, they're dreaming",
    ]);
    // Paid at two places is two purchases, not a price list: PAM asks rather than guessing one.
    assert!(!writes("paid $40 at Coles and $20 at Bunnings"));
    assert_eq!(meant("paid $40 at Coles and $20 at Bunnings"), Some("create_expense"));
}

#[test]
fn money_that_is_not_income_is_not_recorded_as_income() {
    assert_none_writes(&[
        "i'm owed $450 from the last caretaking gig but they havent paid",
        "transferred $500 from savings to my everyday account",
        "I refunded the buyer 50",
        "Mate got paid $2000 for a week at the mine, jealous much",
    ]);
    // Goods returned for a refund are money back (income, by the corpus's rule).
    assert_eq!(meant("got $40 back from Bunnings for the hose I returned"), Some("record_income"));
}

#[test]
fn a_count_at_a_price_each_is_logged_as_the_total() {
    let amount = |s: &str| call(s).map(|(_, a)| a["amount"].as_f64().unwrap_or_default());
    assert_eq!(amount("bought 2 pies at $6 each"), Some(12.0));
    assert_eq!(amount("just paid for 3 nights at the caravan park, $42 a night"), Some(126.0));
    assert_eq!(amount("bought 3 bags of ice at $4.50 each"), Some(13.5));
    assert_eq!(amount("paid 2 x $15 for entry to the national park"), Some(30.0));
    assert_eq!(amount("Bought 2x $8 coffees this morning"), Some(16.0));
    // The amount paid outweighs the price each.
    assert_eq!(amount("4 nights at $35, paid $140 at checkout"), Some(140.0));
    // A model year is no price.
    assert_eq!(amount("bought a 2019 Jayco for 50000"), Some(50000.0));
    assert_eq!(amount("Bought a twenty twenty Jayco for fifty thousand"), Some(50000.0));
}

#[test]
fn several_items_in_one_message_are_offered_as_one_total_not_guessed() {
    for (s, total) in [
        ("spent 85 on groceries and 40 on grog at the bottlo", 125.0),
        ("Add it up for me: 45 fuel, 30 groceries", 75.0),
        ("Two sites, 45 dollars and 50", 95.0),
        ("paid 40 for the site and 12 for firewood", 52.0),
    ] {
        let u = understand(s, today());
        let Action::Clarify { question, candidate: Some(("create_expense", args)) } = &u.action else {
            panic!("{s}: {:?}", u.action)
        };
        assert_eq!(args["amount"].as_f64(), Some(total), "{s}");
        assert!(question.contains("one at a time"), "{s}: {question}");
    }
    // The currency said goes with the sum, so a "yes" cannot store euros as the user's own money.
    let u = understand("€45 fuel and €30 groceries", today());
    let Action::Clarify { candidate: Some((_, args)), .. } = &u.action else { panic!("{:?}", u.action) };
    assert_eq!(args["currency"], "EUR");
    // A total said outright is the amount.
    assert_eq!(
        call("flat white 5.20, banana bread 6, total 11.20").map(|(_, a)| a["amount"].clone()),
        Some(11.2.into())
    );
}

#[test]
fn names_periods_and_categories_said_plainly() {
    let arg = |s: &str, key: &str| call(s).map(|(_, a)| a[key].clone()).unwrap_or_default();
    assert_eq!(arg("set an alarm for 7 tomorrow called check out", "label"), "check out");
    assert_eq!(arg("set an alarm for 5am labelled fishing", "label"), "fishing");
    assert_eq!(arg("alarm for 6.45 tomorrow pls, call it pack up", "label"), "pack up");
    assert_eq!(arg("set entertainment budget to $100 per fortnight", "monthly_limit"), 216.67);
    assert_eq!(arg("just paid 2 hundred for the gas fitter", "category"), "repairs");
    assert_eq!(arg("Add markets to my calendar for Sunday 8am", "title"), "markets");
    assert_eq!(arg("add to calendar - rego due friday", "title"), "rego due");
    assert_eq!(arg("Spent $54.20 on gas at the Chevron in Flagstaff", "location"), "Flagstaff");
    // "a breakdown of my expenses" is a split of spending, not a vehicle's breakdown.
    for s in ["give me a breakdown of my expenses", "show me a breakdown by category"] {
        let (tool, args) = call(s).unwrap_or_else(|| panic!("{s}"));
        assert_eq!(tool, "get_spending_summary");
        assert!(args.get("category").is_none(), "{s}: {args}");
    }
}

#[test]
fn a_limit_with_no_category_is_asked_about_not_set_on_other() {
    for s in ["limit my spending to $500 a week", "weekly spend limit 700 overall"] {
        let u = understand(s, today());
        let Action::Clarify { question, candidate: None } = &u.action else { panic!("{s}: {:?}", u.action) };
        assert!(question.contains("category"), "{s}: {question}");
    }
    // A post's remark about its readers is not its text.
    let u = understand("Tell my followers. They'll love it.", today());
    assert!(matches!(&u.action, Action::Clarify { question, .. } if question == "What should the post say?"));
}
