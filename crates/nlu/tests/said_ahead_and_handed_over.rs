//! Sentences from a third fresh reader's review (2026-12-03, night): money told in the present with a
//! day ahead, corrections of an earlier entry, bills not yet paid, money handed to someone else, and
//! numbers that measure something — none may change data — and the everyday forms of a report that
//! must still be logged (a greeting before it, "worth every cent", a bill someone took in).

mod common;

use common::*;

#[test]
fn money_told_in_the_present_with_a_day_ahead_has_not_changed_hands() {
    assert_none_writes(&[
        "I'm getting paid $800 next Friday for the caretaking job",
        "I get paid $800 on Friday",
        "the pension comes in Thursday, $1,150",
        "pension due Friday, 1144",
        "my super pays out $2,000 on the 1st",
        "I'm paying $200 for the service on Friday",
        "paying the park $150 on Sunday",
        "we're paying $60 for the site on Thursday",
        "hopefully the refund of $60 comes through soon",
    ]);
    // Told in the past, the same day is the last one, and it is logged.
    assert_eq!(meant("paid $60 for the site on Thursday"), Some("create_expense"));
    assert_eq!(meant("pension came in Thursday, $1,150"), Some("record_income"));
    assert_eq!(meant("got paid $800 on Friday"), Some("record_income"));
}

#[test]
fn corrections_unpaid_bills_loans_and_measures_write_nothing() {
    assert_none_writes(&[
        // A correction of something logged before would count it twice.
        "I meant $45 not $54 for the groceries",
        "correction: the diesel was $130",
        "got the bill for the tyres, $880, haven't paid it yet",
        // Money out is no income; money lent is still the user's.
        "gave Dave $100 for his share of the fuel",
        "I lent Dave $100",
        "the van weighs 2,800 kg loaded",
        "we got 120 mm of rain last night",
    ]);
    // A correction inside the report itself is logged with the new figure.
    assert_eq!(
        call("paid 40 for the site at Mission Beach, no wait, it was 45").map(|(_, a)| a["amount"].clone()),
        Some(45.into())
    );
}

#[test]
fn a_report_after_a_greeting_or_judged_after_the_fact_is_logged() {
    assert_eq!(
        meant("G'day Pam, hope you're well. Just paid the power bill at the park, $23.50. Cheers"),
        Some("create_expense")
    );
    assert_eq!(meant("hope you're well. paid $23.50 for power"), Some("create_expense"));
    assert_eq!(
        meant("we shouted ourselves a pub dinner in Birdsville for our anniversary, $96 and worth every cent"),
        Some("create_expense")
    );
    // The user paid, whoever took the van in; a doctor's fee is the user's to pay.
    assert_eq!(meant("hubby got the tyres rotated, cost us 60 bucks"), Some("create_expense"));
    assert_eq!(
        call("Doctor's gap fee was 42 bucks yesterday arvo").map(|(_, a)| a["category"].clone()),
        Some("health".into())
    );
    // Income named by its kind ("Age pension"), not by someone who earned it.
    assert_eq!(meant("Age pension landed. 1,029.70"), Some("record_income"));
    assert_eq!(meant("Veterans pension in, 1432"), Some("record_income"));
    assert_eq!(meant("remote work pay hit today, $4,150 after tax"), Some("record_income"));
    // Someone else's pension is still theirs.
    assert!(!writes("Dad's pension came in, 1,100"));
}

#[test]
fn filling_a_jerry_can_is_a_fill_up_and_buying_one_is_not() {
    assert_eq!(meant("jerry can top up, 20L, $41"), Some("add_fuel_entry"));
    assert_eq!(meant("put 40 litres in the jerry cans for the genny"), Some("add_fuel_entry"));
    assert_eq!(meant("the van took 98 litres at the BP, $2.11 per litre, can you log it"), Some("add_fuel_entry"));
    assert_ne!(meant("bought a 20L jerry can for $35"), Some("add_fuel_entry"));
    assert_ne!(meant("5L of coolant for 30"), Some("add_fuel_entry"));
}

#[test]
fn a_statement_that_mentions_the_night_is_no_goodbye() {
    let said = |text: &str| match pam_nlu::understand(text, pam_nlu::eval::reference_today()).action {
        pam_nlu::Action::Reply { text } => text,
        other => panic!("{text}: {other:?}"),
    };
    assert!(!said("we got 120 mm of rain last night").contains("down the road"));
    assert!(said("good night pam").contains("down the road"));
    assert!(said("thanks heaps").contains("No worries"));
}

#[test]
fn amounts_said_as_slang_or_with_a_trailing_code() {
    let amount = |text: &str| call(text).map(|(_, a)| a["amount"].clone());
    assert_eq!(amount("paid a tenner for a shower at the roadhouse"), Some(10.into()));
    assert_eq!(amount("paid a fiver for a coffee"), Some(5.into()));
    assert_eq!(amount("Dropped 2 hundy on a new water pump for the van"), Some(200.into()));
    assert_eq!(amount("3 hundy on tyres"), Some(300.into()));
    let (_, args) = call("spent $50 USD on gas in Vegas").expect("logged");
    assert_eq!(args["currency"], "USD", "the code after the amount says whose dollars");
}

#[test]
fn everyday_reports_and_questions_read_right() {
    // A sentence about the tank is no one else's fill-up.
    assert_eq!(meant("Tank was empty, filled 110 litres at 2.15 a litre"), Some("add_fuel_entry"));
    // An obligation met is a payment made.
    assert_eq!(meant("had to pay 120 for a tow out of the sand"), Some("create_expense"));
    // A spending breakdown is a split of spending, not a vehicle breakdown.
    let (tool, args) = call("Spending breakdown for last week").expect("a read");
    assert_eq!(tool, "get_spending_summary");
    assert_eq!(args.get("category"), None);
    // The month before this one is last month.
    let (_, args) = call("what did I spend in October on fuel").expect("a read");
    assert_eq!(args["period"], "last_month");
    // A dash between two places is a route.
    let (_, args) = call("Plan a trip Townsville - Mt Isa").expect("a plan");
    assert_eq!((args["origin"].as_str(), args["destination"].as_str()), (Some("Townsville"), Some("Mt Isa")));
}
