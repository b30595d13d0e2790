//! Greetings the openers used to hide, farewells taken for hellos, and the seams between sentences: an
//! order after a remark, a name that ends with its sentence, an order asked back with nothing after it.

mod common;

use common::*;
use pam_nlu::{Action, understand};

fn intent(text: &str) -> &'static str {
    understand(text, today()).intent
}

fn reply(text: &str) -> String {
    match understand(text, today()).action {
        Action::Reply { text } => text,
        other => panic!("{text}: {other:?}"),
    }
}

#[test]
fn a_greeting_with_nothing_to_do_is_answered_as_one() {
    for s in [
        "Hello PAM, it's my first time talking to you",
        "hola amiga",
        "howzit",
        "hullo hullo",
        "gday pam, hows the van life treating ya",
        "well look who it is, hi pam",
        "good morning, how are ya",
        "hi there, good to see you",
    ] {
        assert_eq!(intent(s), "greeting", "{s}");
    }
    // A request after the greeting is the request; a town named Hay is no greeting.
    assert_eq!(call("g'day pam, spent $30 on diesel this morning").map(|c| c.0), Some("create_expense"));
    assert_ne!(intent("Hay → Balranald → Mildura done ✅"), "greeting");
    // A value in it is no greeting alone.
    assert_ne!(intent("hi pam the $55 campsite I mentioned is already in there right?"), "greeting");
}

#[test]
fn a_farewell_is_not_taken_for_a_hello() {
    for s in ["goodbye pam", "good chat, ttyl", "see you later pam"] {
        assert_eq!(intent(s), "none", "{s}");
        assert_eq!(reply(s), "See you down the road!", "{s}");
    }
}

#[test]
fn narration_and_a_need_denied_order_nothing() {
    // A verb opening a later sentence is not taken for an order (tried and dropped: narration such as
    // "Set off for Dubbo at 9." or "Wake up call at 6 was brutal." would set things).
    assert_none_writes(&[
        "Post office was shut. Set off for Dubbo at 9.",
        "Slept badly. Wake up call at 6 was brutal.",
        "Wake up call at 6 was brutal",
        "I spent 30 on ice. we don't need to count it",
        "paid 80 for the site. we don't need to know about it",
        "yo, nah don't log that",
        "morning, Bazza got a new awning for 1200",
        "mate of mine paid $90 for a powered site last night",
    ]);
    assert_ne!(intent("yo, nah don't log that"), "greeting");
    let (tool, _) = call("could we get a post up: what are your favourite dog-friendly camps in Victoria?").unwrap();
    assert_eq!(tool, "create_post");
}

#[test]
fn an_order_with_a_question_mark_is_asked_about_and_one_without_is_done() {
    let (tool, args) =
        call("what's the best way to get the caravan from Cairns down to Airlie, plan it for me").unwrap();
    assert_eq!(tool, "plan_trip");
    assert_eq!(args["destination"], "Airlie");
    // Asked, not done: it may be a scoff.
    assert!(call("Mission for Friday: Esperance to Norseman, then on to Kalgoorlie. Map it?").is_none());
    for s in ["set my grocery budget to $5 a month?", "plan a trip to Bali on our pension?"] {
        assert!(call(s).is_none(), "{s}");
        assert!(meant(s).is_some(), "{s}");
    }
    assert!(call("plan a trip to Bali? on our pension? you're hilarious PAM").is_none());
    assert!(call("wake me at 4am? sure, and I'll run a marathon before brekkie").is_none());
}

#[test]
fn a_place_name_ends_with_its_sentence_and_keeps_its_particles() {
    let (_, args) = call("Mission for Friday: Esperance to Norseman, then on to Kalgoorlie. Map it for me").unwrap();
    assert_eq!(args["destination"], "Kalgoorlie");
    // An abbreviation's full stop ends no name; an acronym ends one.
    let (_, args) = call("Plan a trip to St. Kilda from Geelong").unwrap();
    assert_eq!(args["destination"], "St. Kilda");
    let (_, args) = call("plan a trip to broome ASAP").unwrap();
    assert_eq!(args["destination"], "Broome");
    let (_, args) =
        call("Hey PAM, we'll be going from Spokane to Coeur d'Alene then Missoula, can you do us a route?").unwrap();
    assert_eq!(args["stops"][0], "Coeur d'Alene");
    assert_eq!(args["destination"], "Missoula");
}

#[test]
fn four_figure_times_after_an_alarm_label() {
    let (tool, args) = call("alarm: 0510 tmrw (ferry)").unwrap();
    assert_eq!(tool, "set_timer_or_alarm");
    assert_eq!(args["time"], "05:10");
    // Four figures before their day stay an amount ("rent 1500 tomorrow" is no 3 pm event).
    for s in ["rent 1500 tomorrow", "van payment 1500 tomorrow"] {
        if let Some((_, args)) = call(s) {
            assert!(
                args.get("time").is_none() && !args["start"].as_str().unwrap_or("").contains("15:00"),
                "{s}: {args}"
            );
        }
    }
}

#[test]
fn one_place_asked_about_is_the_drive_from_where_the_user_is() {
    for (s, place) in
        [("how far r we from Townsville", "Townsville"), ("rough ETA to mt buller from here?", "Mt Buller")]
    {
        let (tool, args) = call(s).unwrap();
        assert_eq!(tool, "estimate_travel_time", "{s}");
        assert_eq!(args["destination"], place, "{s}");
        assert!(args.get("origin").is_none(), "{s}: {args}");
    }
}

#[test]
fn money_paid_back_is_in_and_a_figure_guessed_at_is_no_hearsay() {
    let (tool, args) = call("grandson paid back the NZ$200 we lent him in Rotorua").unwrap();
    assert_eq!(tool, "record_income");
    assert_eq!(args["amount"], 200.0);
    // The user paying back is no income.
    assert!(meant("we paid back the 200 mum lent us") != Some("record_income"));
    assert_eq!(meant("pharmacy pick up after lunch tomorrow — say 1.30"), Some("create_calendar_event"));
    let (_, args) = call("dentist tomorrow, say 2.30").unwrap();
    assert_eq!(args["start"], "2026-11-26T14:30:00");
    // The user paying a debt back is no income.
    assert_none_writes(&[
        "paid mum back 100 today",
        "paid back the loan 500",
        "paid back my sister 300 yesterday",
        "I gave back the 40 Sue lent me",
        "we sent back the 200 Dave lent us",
        "the bank sent back the transfer, so we lent Dave 200 in cash",
        "gave Sue 100 after she paid back the other 50",
    ]);
    assert_none_writes(&["they say $50 for a site at Broome", "the ranger said 40 bucks a night, say 1.30 check-in"]);
}

#[test]
fn company_kept_and_a_clause_about_a_thing_do_not_hide_a_report() {
    let (tool, args) = call("mini golf with the grandkids in Victor Harbor, 48 but the smiles were free").unwrap();
    assert_eq!(tool, "create_expense");
    assert_eq!(args["amount"], 48.0);
    let (tool, args) = call("we got $45 back from the caravan park for the night we didn't use").unwrap();
    assert_eq!(tool, "record_income");
    assert_eq!(args["amount"], 45.0);
    // A limit that "should be budgeted" is set like one that "should be" a budget.
    assert_eq!(meant("The insurance should be budgeted at $3,200 for the year"), Some("update_budget"));
    // Still someone else's, still denied.
    assert_none_writes(&[
        "the grandkids spent 48 on mini golf with their mates",
        "we didn't spend 40 at the pub in the end",
        "we did not get the $45 back for the night we didn't use",
    ]);
}

#[test]
fn four_figures_led_by_a_nought_are_a_time_wherever_they_stand() {
    let (tool, args) = call("remind me 0730 tomorrow take meds").unwrap();
    assert_eq!(tool, "create_calendar_event");
    assert_eq!(args["start"], "2026-11-26T07:30:00");
    assert_eq!(meant("0600 tomorrow"), Some("set_timer_or_alarm"));
}
