//! Sentences from the 2026-12-03 review of the rules for messages told in unusual ways (a preamble before
//! the request, a note after a remark, a name opening a line, prices said aloud, alarm times written
//! short): each rule's false friends change nothing, and the requests it was written for are read right.
//! Written for these tests; none is in the corpus.

mod common;

use common::*;

#[test]
fn requests_in_unusual_shapes_are_acted_on() {
    for (s, tool) in [
        ("need a 6 minute timer for soft boiled eggs", "set_timer_or_alarm"),
        ("tea's steeping, 4 minute timer", "set_timer_or_alarm"),
        ("generator's running, ping me in 45 min to turn it off", "set_timer_or_alarm"),
        ("alarm tmrw 530", "set_timer_or_alarm"),
        ("vet sat 10am for Bella's jabs", "create_calendar_event"),
        ("I'm so mad. Tell the forum the park charged us for power that never worked", "create_post"),
        ("want to give the community a heads up that the Coles in Katherine is out of bread", "create_post"),
        ("Centrelink came in yesterday, $980", "record_income"),
        // The plainest report, whatever rare word it holds.
        ("I spent $8 on a sausage roll", "create_expense"),
        ("I spent $12 on a pie at Bakery Hill", "create_expense"),
        ("we cancelled the trailer rego and got 188 refunded", "record_income"),
        ("the fella in Broome only wanted 140 to fix the pump. Log that please", "create_expense"),
    ] {
        assert_eq!(call(s).map(|(t, _)| t), Some(tool), "{s}: {:?}", call(s));
    }
}

#[test]
fn values_said_the_way_people_say_them() {
    let arg = |s: &str, key: &str| call(s).map(|(_, a)| a[key].clone()).unwrap_or_default();
    assert_eq!(arg("filled up 82L diesel at 2.09", "price_per_unit"), 2.09);
    assert_eq!(arg("put in seventy litres at a dollar ninety nine", "price_per_unit"), 1.99);
    assert_eq!(arg("y'all I just paid eighty-seven dollars and twelve cents for groceries", "amount"), 87.12);
    assert_eq!(arg("two coffees and a banana bread at the bakery in Bright, seventeen fifty", "amount"), 17.5);
    assert_eq!(arg("paid 40 for the site at Mission Beach, no wait, it was 45", "amount"), 45.0);
    assert_eq!(arg("Spent 60 on diesel, oops, and 15 on a pie", "amount"), 60.0);
    assert_eq!(arg("could you knock 50 off the dining budget, make it 250", "monthly_limit"), 250.0);
    assert_eq!(arg("timer for three quarters of an hour", "duration_seconds"), 2700);
    assert_eq!(arg("set me an alarm for seven fifteen please", "time"), "07:15");
    assert_eq!(arg("appt w/ mechanic fri 730am", "start"), "2026-11-27T07:30:00");
    assert_eq!(
        arg("Plan our route from Savannah to Charleston, then up to Myrtle Beach", "destination"),
        "Myrtle Beach"
    );
    assert_eq!(arg("i need a route planned from Rockhampton to Longreach under 800 dollars", "budget"), 800.0);
}

#[test]
fn an_alarm_bought_is_no_alarm_to_set() {
    // A bare note of a thing, a price and a shop is read like "grocerys @ foodland 84.3": logged or asked
    // about as an expense, never an alarm.
    for s in ["Smoke alarm 2 pack 25 bucks at Bunnings", "bought a new smoke alarm at Bunnings for 25"] {
        assert_eq!(meant(s), Some("create_expense"), "{s}");
    }
    assert_none_writes(&["need a smoke alarm battery, they're 12 bucks at Bunnings"]);
}

#[test]
fn their_false_friends_change_nothing() {
    assert_none_writes(&[
        // "can I get …" asks to be given something only with no money in it.
        "Can I get a refund of 80 from the caravan park",
        "Could I get paid 300 for house-sitting in January",
        "could I get 2 nights at the showgrounds for 60",
        // The mail, not the community.
        "I need the post office hours for Longreach",
        "I need to post a parcel to mum in Perth",
        // Orders to the community taken back, or not to it at all.
        "Tell the group the dump point is fixed. Actually wait, I'll check first",
        "Put the chairs out for everyone before the sausage sizzle",
        "Can you post to the group? Or is that too much",
        "let everyone sleep in tomorrow",
        // A change by an amount is not the new limit.
        "Knock 20 off the food budget",
        "Reduce the fuel budget by 50",
        // Volumes that are not fuel.
        "5L of coolant for 30 at Repco",
        "mate just filled his jayco tank w 40L of water at the tap, free, lucky",
        // Someone else paying, habits, signs, remarks.
        "Bill paid $30 for the bait",
        "we set the tyres to 50 psi for the corrugations",
        "I usually let the eggs go for 7 minutes, comes out jammy",
        "camp kitchen sign: 'Set a timer! BBQ bookings 30 mins max'",
        "we sat at the pub for 3 hours",
        "post from last night — deleted, too ranty",
        "Expense: $0 — the ferry was free for seniors today haha",
        // A price gone up is no budget; a wish with an excuse, or a rough sum, asks for nothing.
        "Fuel's gone up to 2.30, track it",
        "I'd love to post a photo of the sunset but I'm flat out",
        "Tank's about 80L, at 2.15 so roughly 172",
    ]);
    // Fees are money going out, whoever charged them.
    assert_ne!(call("Etsy fees were $12 this month").map(|(t, _)| t), Some("record_income"));
}

#[test]
fn money_near_a_trip_is_its_budget_only_when_said_so() {
    for s in [
        "Plan a trip to Broome, fuel will be around $400",
        "Plan a trip from Perth to Esperance, last time it cost us $900",
        "Plan a trip to Hobart, ferry is $600 return",
    ] {
        let (tool, args) = call(s).expect("a trip");
        assert_eq!(tool, "plan_trip");
        assert!(args.get("budget").is_none(), "{s}: {args}");
    }
    let (_, args) =
        call("Plan a trip to Adelaide, last time we spent a night in Mildura and hated it").expect("a trip");
    assert!(args.get("stops").is_none(), "{args}");
}
