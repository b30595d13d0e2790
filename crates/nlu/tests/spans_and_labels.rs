//! From a sixth fresh review (2026-12-04): events that run over several days, posts labelled as
//! posts, and a post read rather than ordered.

mod common;

use common::*;
use serde_json::json;

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
