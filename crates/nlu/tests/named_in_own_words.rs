//! Sentences from a fifth fresh reader's review (2026-12-04): numbers that name something (a phone, a
//! postcode, a flight, a battery's volts), dates written with slashes, read orders with a report inside,
//! advice asked about spending — none may change data — and what a user names in their own words: the
//! thing bought when no category word names it, and a budget's category the user keeps.

mod common;

use common::*;
use serde_json::json;

#[test]
fn numbers_that_name_or_measure_something_are_no_money() {
    assert_none_writes(&[
        "call the caravan park on 0412 345 678",
        "their number is 1300 555 123",
        "flight number QF 432",
        "postcode 4830",
        "take exit 41 off the interstate",
        "batteries at 12.6 volts this morning",
    ]);
    // The words that only look like one still take money after them.
    assert_eq!(meant("phone 60"), Some("create_expense"));
    assert_eq!(meant("paid 140 for the room in Broome"), Some("create_expense"));
}

#[test]
fn a_read_asked_for_or_advice_sought_logs_nothing() {
    assert_none_writes(&[
        "list everything i spent over $100 this month",
        "show me what we spent over $50 last week",
        "would you spend $300 on a new mattress?",
        "could you pay $90 for a tyre that old?",
    ]);
    assert_eq!(call("list everything i spent over $100 this month").map(|c| c.0), Some("get_spending_summary"));
    // A polite request to record it is still a request.
    assert_eq!(meant("could you log $30 for lunch"), Some("create_expense"));
}

#[test]
fn reports_without_the_usual_words_are_logged() {
    // "we paid", "I paid": the user paying is never income, and a report, not a question.
    let (tool, args) = call("i paid 75 for the hot air balloon ride deposit").unwrap();
    assert_eq!((tool, args["amount"].as_f64()), ("create_expense", Some(75.0)));
    assert_eq!(meant("we paid two hundred bucks for the rv storage this month"), Some("create_expense"));
    // A diary entry with no "I".
    assert_eq!(meant("just spent $27 at the laundrette in cairns"), Some("create_expense"));
    assert_eq!(meant("dropped 85 at the servo"), Some("create_expense"));
    // Money got for work done or for old things sold is income; money got "for the site" is a price.
    assert_eq!(meant("got 90 bucks for helping a bloke fix his solar"), Some("record_income"));
    assert_eq!(meant("just got 85 bucks for the old camp chairs"), Some("record_income"));
    assert_eq!(meant("got $40 for the site"), Some("create_expense"));
    assert_eq!(meant("got $20 for parking"), Some("create_expense"));
}

#[test]
fn numbers_said_half_in_digits_add_up() {
    let (_, args) = call("we spent 4 hundred and twenty on the new gas struts").unwrap();
    assert_eq!(args["amount"], json!(420));
    let (_, args) = call("spent 2 thousand 3 hundred on new tyres").unwrap();
    assert_eq!(args["amount"], json!(2300));
}

#[test]
fn dates_written_with_slashes_are_days() {
    // Day first, as Australians write it; the other order only when it alone makes a date.
    let (tool, args) = call("stick in the diary: car rego due 11/10").unwrap();
    assert_eq!(tool, "create_calendar_event");
    assert_eq!(args["start"], json!("2027-10-11"));
    let (tool, args) = call("24/11 - chemist - 18.60").unwrap();
    assert_eq!((tool, &args["date"], &args["amount"]), ("create_expense", &json!("2026-11-24"), &json!(18.6)));
    let (_, args) = call("spent $40 on diesel 11/23").unwrap();
    assert_eq!(args["date"], json!("2026-11-23"));
    // A fraction is no date.
    assert_eq!(call("filled 1/2 a tank, 40L, $80").unwrap().1.get("date"), None);
}

#[test]
fn the_thing_bought_describes_an_expense_no_category_names() {
    let description = |s: &str| call(s).map(|(_, a)| a["description"].as_str().unwrap_or_default().to_string());
    assert_eq!(description("bought a new kettle 45").as_deref(), Some("kettle"));
    assert_eq!(description("paid 30 for a haircut").as_deref(), Some("haircut"));
    assert_eq!(description("spent 80 on a new esky").as_deref(), Some("esky"));
    assert_eq!(description("new fridge 1150").as_deref(), Some("fridge"));
    // A category word still names it.
    assert_eq!(description("spent $25 on lunch").as_deref(), Some("lunch"));
}

#[test]
fn a_budget_takes_the_users_own_category() {
    let budget = |s: &str| call(s).map(|(t, a)| (t, a["category"].as_str().unwrap_or_default().to_string()));
    assert_eq!(budget("please make the pet budget 60 a month"), Some(("update_budget", "pet".to_string())));
    assert_eq!(
        budget("give me a $150 fortnightly limit on booze and smokes"),
        Some(("update_budget", "booze and smokes".to_string()))
    );
    assert_eq!(budget("allow myself two hundred a month for hobbies"), Some(("update_budget", "hobbies".to_string())));
    // An overall limit still has no category to go to: PAM asks which.
    for s in ["Set my total monthly budget to $3000", "budget 2k a month for everything", "set the budget at 400"] {
        assert!(call(s).is_none(), "{s} set a budget: {:?}", call(s));
    }
}

#[test]
fn a_month_named_on_its_own_is_that_month() {
    let summary = |s: &str| call(s).filter(|c| c.0 == "get_spending_summary").map(|c| c.1);
    // Today is 25 November 2026: June is this year's, December last year's.
    assert_eq!(summary("how much did we spend in June").unwrap()["month"], json!("2026-06"));
    let args = summary("how much on campgrounds in march").unwrap();
    assert_eq!((&args["month"], &args["category"]), (&json!("2026-03"), &json!("campground")));
    assert_eq!(summary("spending report for december").unwrap()["month"], json!("2025-12"));
    assert_eq!(summary("what did we spend in june 2025").unwrap()["month"], json!("2025-06"));
    // This month and the last keep their names; a day of a month is no month.
    assert_eq!(summary("how much did I spend in November so far").unwrap()["period"], json!("this_month"));
    assert_eq!(summary("how much did I spend in November so far").unwrap().get("month"), None);
    assert_eq!(call("spent 40 on diesel on June 3").map(|c| c.0), Some("create_expense"));
}

#[test]
fn english_words_are_not_read_as_typos_of_money_words() {
    // "convert" was read as "concert", an entertainment expense.
    assert!(!writes("convert £200 to AUD"));
    let u = pam_nlu::understand("convert £200 to AUD", today());
    assert_ne!(u.slots.get("category"), Some(&json!("entertainment")));
}
