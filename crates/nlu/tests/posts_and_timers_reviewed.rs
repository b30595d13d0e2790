//! From the ninth fresh review: an order to post before a colon posts whatever the text talks about,
//! advice in a post is not the order taken back, the audience and courtesy around a post's text are cut,
//! run-together numbers and quarter hours are read, a drive's length is no timer, and an event's name
//! loses "is" and "in calendar".

mod common;

use common::*;
use serde_json::json;

fn content(s: &str) -> String {
    let (tool, args) = call(s).unwrap_or_else(|| panic!("{s}: no call"));
    assert_eq!(tool, "create_post", "{s}");
    args["content"].as_str().unwrap_or_default().to_string()
}

#[test]
fn an_order_to_post_before_a_colon_posts_even_a_weather_text() {
    assert_eq!(
        content("share to the community pls: rain forecast for Karijini this weekend, campgrounds might close"),
        "rain forecast for Karijini this weekend, campgrounds might close"
    );
    assert_eq!(
        content("post to the community: rain forecast for Broome tomorrow"),
        "rain forecast for Broome tomorrow"
    );
    // A forecast asked for is still a forecast.
    assert_eq!(call("rain forecast for Broome tomorrow").map(|c| c.0), Some("get_weather_forecast"));
    // Advice not to post something is a text to post; taking the post back is not.
    assert_eq!(meant("forum post - don't post your rego online, scammers"), Some("create_post"));
    assert_none_writes(&["post: the dump point is fixed. actually don't post that"]);
}

#[test]
fn the_audience_and_courtesy_around_a_post_are_not_its_text() {
    assert_eq!(
        content("tell the other rvers on the app that the bridge at Katherine is down to one lane"),
        "the bridge at Katherine is down to one lane"
    );
    assert_eq!(
        content("post that Merimbula has whale watching this week plz"),
        "Merimbula has whale watching this week"
    );
}

#[test]
fn run_together_numbers_and_quarter_hours_are_read() {
    let timer =
        |s: &str| call(s).map(|(tool, args)| (tool, args["duration_seconds"].clone(), args.get("label").cloned()));
    assert_eq!(timer("alarm in fortyfive minutes plz"), Some(("set_timer_or_alarm", json!(2700), None)));
    assert_eq!(timer("set a timer for an hour and a quarter"), Some(("set_timer_or_alarm", json!(4500), None)));
    assert_eq!(
        timer("timer for 10 mins for the eggs would ya"),
        Some(("set_timer_or_alarm", json!(600), Some(json!("eggs"))))
    );
}

#[test]
fn a_drive_length_told_is_no_timer() {
    assert_none_writes(&["2 hours to Bourke", "an hour to Bourke"]);
    assert_eq!(meant("remind me in 2 hours to call Bourke"), Some("set_timer_or_alarm"));
}

#[test]
fn an_event_name_loses_the_verb_and_the_calendar_said_without_the() {
    let title = |s: &str| call(s).map(|(_, args)| args["title"].clone());
    assert_eq!(
        title("the rego inspection is next wednesday at 9, can you put it in the calendar before i forget"),
        Some(json!("rego inspection"))
    );
    assert_eq!(title("put the kids' video call in calendar for Sunday at 5pm"), Some(json!("kids' video call")));
}

#[test]
fn the_community_asked_to_hear_something_is_a_post_a_dread_of_it_is_not() {
    assert_eq!(
        content("can the forum know that the free camp near Gundagai has been shut by council"),
        "the free camp near Gundagai has been shut by council"
    );
    assert_eq!(
        content("i'd like the forum to know that the self-check-in at the national park campground doesn't take cards"),
        "the self-check-in at the national park campground doesn't take cards"
    );
    assert_eq!(
        content(
            "Can the group be told that the Ceduna quarantine bin took all our fruit so eat it before you get there"
        ),
        "the Ceduna quarantine bin took all our fruit so eat it before you get there"
    );
    assert_none_writes(&[
        "i'd hate the forum to know that we got lost",
        "does the group know that the bridge is out?",
        "the group knows that the bridge is out",
    ]);
}

#[test]
fn a_post_already_there_a_place_alone_or_a_refusal_is_no_order_to_post() {
    assert_none_writes(&[
        "latest forum post: some fella complaining about the caravan park",
        "read the community post: bloke lost his dog at Karumba",
        "yesterday i posted to the community: roadworks near Katherine",
        "reply to forum post: no idea mate",
        "forum: so rude",
        "old forum post: free camps near Mildura",
        "forum update: the mods deleted my thread",
        "the forum knows that the bridge is out",
        "the forum must know that the dump point is fixed",
        "post to the community: lol no",
        "post to the community: no thanks",
        "post to the forum: nah not gonna bother",
        "post to the group - later, not now",
        "can the forum know that i'm here? privacy thing",
    ]);
    // Labels and orders that do name a new post still post.
    assert_eq!(
        content("post to the forum: free firewood at site 4, help yourselves"),
        "free firewood at site 4, help yourselves"
    );
    assert_eq!(
        content("new post - free firewood at site 4, help yourselves"),
        "free firewood at site 4, help yourselves"
    );
    assert_eq!(content("post: no fires tonight, total fire ban"), "no fires tonight, total fire ban");
}

#[test]
fn a_memory_kept_or_pay_from_now_on_records_nothing() {
    assert_none_writes(&[
        "dont let me forget how bad friday at 10 was",
        "don't let me forget we were at the vet on friday at 10",
        "from now on i'm earning 900 a week from the caretaking gig",
    ]);
}
