//! From a sixth fresh review (2026-12-04): events that run over several days, posts labelled as
//! posts, and a post read rather than ordered.

mod common;

use common::*;
use serde_json::{Value, json};

#[test]
fn an_event_over_several_days_keeps_its_first_and_last() {
    // Today is Wednesday 25 November 2026.
    let span = |s: &str| {
        let (tool, args) = call(s).unwrap_or_else(|| panic!("{s}: no call"));
        assert_eq!(tool, "create_calendar_event", "{s}");
        (args["start"].as_str().unwrap_or_default().to_string(), args["end"].as_str().map(str::to_string), args)
    };
    let (start, end, args) = span("create event: RV rally in Quartzsite Jan 18-26");
    assert_eq!((start.as_str(), end.as_deref()), ("2027-01-18", Some("2027-01-26")));
    assert_eq!(args["all_day"], json!(true));
    let (start, end, _) = span("book in the rally from the 8th to the 12th");
    assert_eq!((start.as_str(), end.as_deref()), ("2026-12-08", Some("2026-12-12")));
    let (start, end, _) = span("put the Birdsville races in the calendar, 5th to 7th of september");
    assert_eq!((start.as_str(), end.as_deref()), ("2027-09-05", Some("2027-09-07")));
    // Across the end of a month; the bare first day is no part of the title.
    let (start, end, args) = span("add the rally 28th to the 2nd");
    assert_eq!((start.as_str(), end.as_deref()), ("2026-11-28", Some("2026-12-02")));
    assert_eq!(args["title"], json!("rally"));
    // One day stays one day.
    let (start, end, _) = span("put the dentist on the 3rd in the calendar");
    assert_eq!((start.as_str(), end), ("2026-12-03", None));
}

#[test]
fn a_message_labelled_as_a_post_is_posted_whatever_its_text_asks() {
    let (tool, args) = call("Post: Has anyone done the Oodnadatta Track in a Jayco? How did it go?").unwrap();
    assert_eq!(tool, "create_post");
    assert_eq!(args["content"], json!("Has anyone done the Oodnadatta Track in a Jayco? How did it go?"));
    let (tool, args) = call("draft: 'Anyone want to split a bulk order of LED globes?'").unwrap();
    assert_eq!((tool, &args["content"]), ("create_post", &json!("Anyone want to split a bulk order of LED globes?")));
}

#[test]
fn a_post_that_says_something_is_one_read() {
    assert_none_writes(&[
        "post on the forum says Quartzsite LTVA is $180 for the season",
        "a post in the group said the Gibb is shut again",
        "post from the ranger reckons the track reopens Friday",
    ]);
}

#[test]
fn a_habit_of_the_past_and_a_bill_of_someone_named_write_nothing() {
    assert_none_writes(&[
        "we used to spend 50 bucks a week on groceries in the eighties",
        "used to pay $30 a night at that park",
        "Gwens grocery bill at Coles was $212 this week, for two people!",
        "Jims blood pressure was 140 over 90 at the chemist",
    ]);
    // A shop's name is no one's possessive.
    assert_eq!(meant("Woolies grocery bill was $212"), Some("create_expense"));
    assert_eq!(meant("got used to paying $40 a night, paid 40 at Kalbarri today"), Some("create_expense"));
}

#[test]
fn what_a_review_of_these_rules_found_is_read_right() {
    // A figure after a scaled one is a count or a date of its own.
    let (_, args) = call("spent 3 hundred on tyres 25/11").unwrap();
    assert_eq!((&args["amount"], &args["date"]), (&json!(300), &json!("2026-11-25")));
    // Numbers beside a slash are no money: a date that is no date, a fraction, "24/7".
    assert_none_writes(&["lunch 31/11", "groceries 30/2", "I spent 1/2 a tank"]);
    assert_eq!(call("fuel 24/7 servo 80").map(|c| c.1["amount"].clone()), Some(json!(80)));
    // No span where the last day comes first, or where a count follows the dash.
    for s in ["put the rally in the calendar Jan 18-17", "add bbq on the 5th - 6 people coming"] {
        assert_eq!(call(s).and_then(|c| c.1.get("end").cloned()), None, "{s}");
    }
    // A month: the year before with "last year"; none for a span from it, a year to come or a sale.
    let month = |s: &str| call(s).and_then(|c| c.1.get("month").cloned());
    assert_eq!(month("how much did we spend in March last year"), Some(json!("2025-03")));
    for s in [
        "how much have we spent since June",
        "how much did we spend in June 2027",
        "what did we spend on the jan sale stuff",
    ] {
        assert_eq!(month(s), None, "{s}");
    }
    // A month or a person is no budget category.
    for s in ["set the budget for January to 500", "make the budget for Jake 50 a week"] {
        let category = call(s).map(|c| c.1["category"].clone());
        assert!(!matches!(category, Some(Value::String(ref c)) if c == "january" || c == "jake"), "{s}: {category:?}");
    }
    // Time spent and pay to oneself are no spending.
    assert!(!writes("spent the arvo working, got 200 for mowing"));
    assert_ne!(meant("I paid myself 2000 from the business"), Some("create_expense"));
}
