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
fn an_order_after_a_remark_or_with_a_need_denied_beside_it_is_done() {
    let (tool, args) = call("I keep overspending at the servo. set fuel to 150 weekly and hold me to it").unwrap();
    assert_eq!(tool, "update_budget");
    assert_eq!(args["category"], "fuel");
    let (tool, args) =
        call("lower the entertainment budget to eighty dollars a month we don't need to see every museum in Texas")
            .unwrap();
    assert_eq!(tool, "update_budget");
    assert_eq!(args["monthly_limit"], 80.0);
    // What is not needed is the record itself: nothing is done.
    assert_none_writes(&[
        "we don't need to log that, $30 at the pub",
        "set the fuel budget to 150, actually we don't need to change it",
    ]);
    let (tool, _) = call("could we get a post up: what are your favourite dog-friendly camps in Victoria?").unwrap();
    assert_eq!(tool, "create_post");
}

#[test]
fn an_order_asked_back_is_a_scoff_only_when_talk_follows_the_question() {
    let (tool, args) =
        call("what's the best way to get the caravan from Cairns down to Airlie, plan it for me").unwrap();
    assert_eq!(tool, "plan_trip");
    assert_eq!(args["destination"], "Airlie");
    assert_eq!(
        call("Mission for Friday: Esperance to Norseman, then on to Kalgoorlie. Map it?").map(|c| c.0),
        Some("plan_trip")
    );
    assert!(call("plan a trip to Bali? on our pension? you're hilarious PAM").is_none());
    assert!(call("wake me at 4am? sure, and I'll run a marathon before brekkie").is_none());
}

#[test]
fn a_place_name_ends_with_its_sentence_and_keeps_its_particles() {
    let (_, args) = call("Mission for Friday: Esperance to Norseman, then on to Kalgoorlie. Map it?").unwrap();
    assert_eq!(args["destination"], "Kalgoorlie");
    let (_, args) =
        call("Hey PAM, we'll be going from Spokane to Coeur d'Alene then Missoula, can you do us a route?").unwrap();
    assert_eq!(args["stops"][0], "Coeur d'Alene");
    assert_eq!(args["destination"], "Missoula");
}

#[test]
fn four_figure_times_after_an_alarm_label_or_before_their_day() {
    let (tool, args) = call("alarm: 0510 tmrw (ferry)").unwrap();
    assert_eq!(tool, "set_timer_or_alarm");
    assert_eq!(args["time"], "05:10");
    let (tool, args) = call("1900 tonight dinner at the marina bistro").unwrap();
    assert_eq!(tool, "create_calendar_event");
    assert_eq!(args["start"], "2026-11-25T19:00:00");
    // An amount paid today stays an amount.
    let (tool, args) = call("paid 1200 today for the new tyres").unwrap();
    assert_eq!(tool, "create_expense");
    assert_eq!(args["amount"], 1200.0);
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
    assert_none_writes(&["they say $50 for a site at Broome", "the ranger said 40 bucks a night, say 1.30 check-in"]);
}
