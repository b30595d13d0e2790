//! Plain orders the gate's doubt no longer holds up, orders asked back, money paid to
//! someone else, how-to questions about things outside the app, "how long" with no travel in it, a
//! word echoed back in scorn, and a question told as a statement ("the missus wants to know if…").

mod common;

use common::*;
use pam_nlu::{Action, reply, understand};

fn intent(text: &str) -> &'static str {
    understand(text, today()).intent
}

fn asks(text: &str) -> bool {
    matches!(understand(text, today()).action, Action::Clarify { .. })
}

/// Each sentence calls `tool` with its amount.
fn assert_amounts(tool: &str, cases: &[(&str, f64)]) {
    for (s, amount) in cases {
        let (called, args) = call(s).unwrap_or_else(|| panic!("{s}"));
        assert_eq!(called, tool, "{s}");
        assert_eq!(args["amount"].as_f64(), Some(*amount), "{s}");
    }
}

#[test]
fn a_plain_order_is_done_not_asked_about() {
    assert_eq!(
        call("write up a quick post about how much we loved the Bungle Bungles").map(|c| c.0),
        Some("create_post")
    );
    assert_eq!(
        call("can you post that we'll be at the Escapees rally in Livingston if anybody wants to meet up").map(|c| c.0),
        Some("create_post")
    );
    // The text to post may be a question of its own.
    let (tool, args) = call("draft a post: does anyone know a good mechanic in Longreach?").expect("a post");
    assert_eq!(tool, "create_post");
    assert_eq!(args["content"], "does anyone know a good mechanic in Longreach?");
    assert_eq!(
        call("write a post - anyone know a good auto sparky in Mt Isa? fridge has carked it").map(|c| c.0),
        Some("create_post")
    );
}

#[test]
fn an_order_asked_back_is_not_done() {
    // Its own question mark: asked about, never done (from the seventeenth review: "post that X is Y?" too).
    for s in [
        "write a post about the caravan park in Tea Gardens? I'd get sued",
        "post that the owner is a crook? I'd get sued",
        "post that the park is a dump? they'd sue me",
    ] {
        assert!(!writes(s), "{s}");
        assert!(asks(s), "{s}");
    }
    // A post whose own text asks is done.
    assert_eq!(call("post that we're at site 22, who's around for drinks?").map(|c| c.0), Some("create_post"));
    assert_none_writes(&[
        "plan a trip to Cairns? on our pension? you're dreaming",
        "oh yes, plan us a trip to the Maldives, we'll pay for it with the can refunds",
        "oh sure, set the grocery budget to 10 bucks and we'll eat grass",
    ]);
}

#[test]
fn money_paid_to_someone_else_is_not_the_users_income() {
    assert_none_writes(&[
        "the insurance paid out €800 to the other bloke, not us",
        "the lotto paid out 2 million to some bloke in Perth",
    ]);
    // The user paying someone is still the user's spending…
    assert_eq!(call("I paid $300 to the mechanic in Dubbo").map(|c| c.0), Some("create_expense"));
    assert_eq!(call("paid 45 to the caravan park for the night").map(|c| c.0), Some("create_expense"));
    assert_eq!(call("we just paid out 350 to the tow truck driver").map(|c| c.0), Some("create_expense"));
    // Nor a diary line of the user paying someone, nor an errand run before the spending (the
    // seventeenth review).
    assert_none_writes(&["then paid out 90 to the caravan park", "paid out 50 to Dave for the firewood"]);
    assert_eq!(call("Ducked out to Woolies and spent $85 on groceries").map(|c| c.0), Some("create_expense"));
    assert_eq!(call("Went up to Kmart, spent 45 on a kettle").map(|c| c.0), Some("create_expense"));
    // …and money paid to the user still income.
    let (tool, args) = call("the council finally reimbursed us 240 for the overcharged camp fees").expect("income");
    assert_eq!(tool, "record_income");
    assert_eq!(args["amount"], 240);
}

#[test]
fn a_how_to_outside_the_app_is_no_question_for_help() {
    for s in [
        "how do I make damper",
        "how do you get red dirt out of carpet",
        "what's the difference between a crocodile and an alligator",
        "how do i fix a squeaky door hinge",
    ] {
        assert_eq!(intent(s), "none", "{s}");
    }
    for s in
        ["how do I log fuel in this app", "how do u delete an expense", "i typed in the wrong amount how do i fix it"]
    {
        assert_eq!(intent(s), "help", "{s}");
        assert!(matches!(understand(s, today()).action, Action::Reply { text } if text == reply::HELP), "{s}");
    }
}

#[test]
fn how_long_with_no_travel_in_it_asks_for_no_destination() {
    for s in [
        "how long do you boil an egg for",
        "how long's left on the pasta timer?",
        "how long do I boil corn for, 8 minutes or 10?",
    ] {
        assert!(!asks(s), "{s}");
        assert_eq!(meant(s), None, "{s}");
    }
    // Travel still asks where to, or answers.
    assert!(asks("how far to the next town"));
    assert!(asks("how long will it take"));
    assert!(asks("how long does the ferry take"));
    assert_eq!(call("how long to get to Broome").map(|c| c.0), Some("estimate_travel_time"));
}

#[test]
fn a_word_echoed_back_in_scorn_asks_for_nothing() {
    for s in ["budget? what budget 😂", "savings?? what savings lol", "budget? what budget 😂 we're in Noosa"] {
        assert_eq!(intent(s), "none", "{s}");
        assert_eq!(meant(s), None, "{s}");
    }
    // A real question after the echo is answered, and so is one about the budget.
    assert_eq!(
        call("weather? what weather are we getting in Broome tomorrow").map(|c| c.0),
        Some("get_weather_forecast")
    );
    assert_eq!(call("what's left in the grocery budget?").map(|c| c.0), Some("compare_vs_budget"));
}

#[test]
fn a_question_told_as_a_statement_is_answered_with_a_read() {
    for (s, tool) in [
        (
            "the hubby wants to know what the diesel is going to cost getting to Katherine from Darwin",
            "calculate_gas_cost",
        ),
        ("my husband keeps asking what starlink has cost us this year", "get_spending_summary"),
        ("I cant remember if the ferry is this week or next", "get_calendar_events"),
    ] {
        assert_eq!(call(s).map(|c| c.0), Some(tool), "{s}");
    }
    // Wanting to know is no order to write.
    assert_none_writes(&[
        "hubby wants to know if we can set the grocery budget to 300",
        "my wife wants to know if I spent 40 on the fishing gear, I did",
    ]);
}

#[test]
fn money_taken_off_the_user_is_their_spending() {
    assert_amounts(
        "create_expense",
        &[("dentist took $260 off me", 260.0), ("the servo got 95 off us for diesel, robbery", 95.0)],
    );
    assert_none_writes(&[
        "the bloke tried to get 50 off us for a tow but we said no",
        "the caravan park will get 60 off us tomorrow",
        "Dave got 40 off me for his share of the fuel",
    ]);
}

#[test]
fn the_users_takings_and_sales_are_income() {
    assert_amounts(
        "record_income",
        &[
            ("made $340 at the market today selling my crochet", 340.0),
            ("did a DoorDash shift last night, cleared 87 bucks", 87.0),
            ("flogged three paintings at the Eumundi markets for 390 all up", 390.0),
            ("sold my old awning for 200", 200.0),
        ],
    );
    // Someone selling to the user, someone else's sale, a sale supposed, trips made: no income.
    assert_none_writes(&[
        "sold us his old awning for 200",
        "the bloke next door sold us his old awning for 200",
        "my brother sold his boat for 9000",
        "if we sold the second car for 8000 would that help",
        "made 40 trips to the tip this week",
    ]);
}
