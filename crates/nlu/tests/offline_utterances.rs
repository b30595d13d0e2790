//! The offline brain against a table of travellers' requests (Australian and American phrasing): each
//! row names the tool it should call and the arguments that matter. Passing bar: 95%.

use chrono::NaiveDate;
use pam_nlu::intent::{Intent, understand};
use serde_json::{Value, json};

/// (utterance, tool or "say", expected arguments (subset))
fn table() -> Vec<(&'static str, &'static str, Value)> {
    vec![
        // Logging expenses: amounts, categories, dates, places.
        (
            "I spent $42.50 on diesel yesterday",
            "create_expense",
            json!({"amount": 42.5, "category": "fuel", "date": "2026-11-24"}),
        ),
        (
            "I spent $42.50 on diesel at Dubbo yesterday",
            "create_expense",
            json!({"amount": 42.5, "category": "fuel", "location": "Dubbo", "date": "2026-11-24"}),
        ),
        ("spent forty bucks on coffee", "create_expense", json!({"amount": 40.0, "category": "dining"})),
        ("Paid AUD 120 for the caravan park", "create_expense", json!({"amount": 120.0, "category": "campground"})),
        (
            "paid 120 aud at the caravan park last Friday",
            "create_expense",
            json!({"amount": 120.0, "category": "campground", "date": "2026-11-20"}),
        ),
        ("$85 at the servo", "create_expense", json!({"amount": 85.0, "category": "fuel"})),
        ("Dropped $230 on groceries at Woolies", "create_expense", json!({"amount": 230.0, "category": "groceries"})),
        ("groceries $67.20", "create_expense", json!({"amount": 67.2, "category": "groceries"})),
        ("spent $15 on fish and chips", "create_expense", json!({"amount": 15.0, "category": "dining"})),
        ("bought $60 of petrol this morning", "create_expense", json!({"amount": 60.0, "category": "fuel"})),
        ("paid $1,200 for rego", "create_expense", json!({"amount": 1200.0, "category": "registration"})),
        ("rego renewal cost $845.60", "create_expense", json!({"amount": 845.6, "category": "registration"})),
        (
            "spent $45 on gas in Flagstaff",
            "create_expense",
            json!({"amount": 45.0, "category": "fuel", "location": "Flagstaff"}),
        ),
        (
            "paid $38 for an RV park in Moab on the 3rd",
            "create_expense",
            json!({"amount": 38.0, "category": "campground", "location": "Moab", "date": "2026-11-03"}),
        ),
        ("Log $12 for laundry", "create_expense", json!({"amount": 12.0, "category": "utilities"})),
        ("add an expense of $99 for new tyres", "create_expense", json!({"amount": 99.0, "category": "maintenance"})),
        (
            "mechanic charged me $450 to fix the alternator",
            "create_expense",
            json!({"amount": 450.0, "category": "repairs"}),
        ),
        ("$18.50 for the dump station", "create_expense", json!({"amount": 18.5, "category": "utilities"})),
        ("spent a hundred dollars on souvenirs", "create_expense", json!({"amount": 100.0, "category": "shopping"})),
        ("spent twenty five dollars on lunch", "create_expense", json!({"amount": 25.0, "category": "dining"})),
        ("paid $32 for the ferry", "create_expense", json!({"amount": 32.0, "category": "transport"})),
        (
            "tolls cost $14.20 today",
            "create_expense",
            json!({"amount": 14.2, "category": "transport", "date": "2026-11-25"}),
        ),
        ("spent $55 at the pharmacy", "create_expense", json!({"amount": 55.0, "category": "health"})),
        ("vet bill was $180", "create_expense", json!({"amount": 180.0, "category": "health"})),
        ("$70 for Starlink", "create_expense", json!({"amount": 70.0, "category": "internet"})),
        ("paid my phone bill $45", "create_expense", json!({"amount": 45.0, "category": "phone"})),
        ("spent $120 on tour tickets", "create_expense", json!({"amount": 120.0, "category": "entertainment"})),
        ("insurance premium $310", "create_expense", json!({"amount": 310.0, "category": "insurance"})),
        ("spent $25 on propane", "create_expense", json!({"amount": 25.0, "category": "fuel"})),
        ("filled the gas bottle for $28", "create_expense", json!({"amount": 28.0, "category": "utilities"})),
        (
            "spent $64 at Coles yesterday",
            "create_expense",
            json!({"amount": 64.0, "category": "groceries", "date": "2026-11-24"}),
        ),
        (
            "paid $40 for a powered site at Mudgee",
            "create_expense",
            json!({"amount": 40.0, "category": "campground", "location": "Mudgee"}),
        ),
        (
            "spent $9 on coffees on Monday",
            "create_expense",
            json!({"amount": 9.0, "category": "dining", "date": "2026-11-23"}),
        ),
        (
            "spent $80 on diesel 3 days ago",
            "create_expense",
            json!({"amount": 80.0, "category": "fuel", "date": "2026-11-22"}),
        ),
        (
            "I paid $35 for the camp site on 3 March",
            "create_expense",
            json!({"amount": 35.0, "category": "campground", "date": "2026-03-03"}),
        ),
        (
            "spent $50 on dinner at the pub the day before yesterday",
            "create_expense",
            json!({"amount": 50.0, "category": "dining", "date": "2026-11-23"}),
        ),
        ("spent US$30 on a KOA site", "create_expense", json!({"amount": 30.0, "category": "campground"})),
        ("spent 80 on diesel", "create_expense", json!({"amount": 80.0, "category": "fuel"})),
        ("we spent $200 at Walmart on supplies", "create_expense", json!({"amount": 200.0})),
        ("got a car wash for $15", "create_expense", json!({"amount": 15.0, "category": "maintenance"})),
        (
            "spent $27 on parking in Sydney",
            "create_expense",
            json!({"amount": 27.0, "category": "transport", "location": "Sydney"}),
        ),
        ("paid $150 for the oil change", "create_expense", json!({"amount": 150.0, "category": "maintenance"})),
        ("spent $11.40 on unleaded", "create_expense", json!({"amount": 11.4, "category": "fuel"})),
        ("breakfast was $22", "create_expense", json!({"amount": 22.0, "category": "dining"})),
        ("spent $300 on a new windscreen", "create_expense", json!({"amount": 300.0, "category": "repairs"})),
        ("spent $19 on a museum visit", "create_expense", json!({"amount": 19.0, "category": "entertainment"})),
        ("paid $60 at the doctor", "create_expense", json!({"amount": 60.0, "category": "health"})),
        ("spent $5 on showers", "create_expense", json!({"amount": 5.0, "category": "utilities"})),
        ("spent $33 at Bunnings", "create_expense", json!({"amount": 33.0, "category": "shopping"})),
        ("spent $48 on takeaway pizza", "create_expense", json!({"amount": 48.0, "category": "dining"})),
        // Spending summaries.
        ("How much have I spent this month?", "get_spending_summary", json!({"days": 25})),
        ("how much did I spend this week", "get_spending_summary", json!({"days": 3})),
        ("what have I spent in the last 7 days?", "get_spending_summary", json!({"days": 7})),
        ("how much did we spend today", "get_spending_summary", json!({"days": 1})),
        ("show my spending summary", "get_spending_summary", json!({"days": 30})),
        ("How much have I spent in the past 2 weeks?", "get_spending_summary", json!({"days": 14})),
        ("what did I spend last week", "get_spending_summary", json!({"days": 7})),
        ("total spent so far this month?", "get_spending_summary", json!({"days": 25})),
        ("how much have we spent this year", "get_spending_summary", json!({"days": 329})),
        ("what did we spend over the last 30 days", "get_spending_summary", json!({"days": 30})),
        // Budgets.
        ("how's my budget looking?", "compare_vs_budget", json!({})),
        ("am I over budget?", "compare_vs_budget", json!({})),
        ("how am I tracking this month", "compare_vs_budget", json!({})),
        ("check my budgets", "compare_vs_budget", json!({})),
        ("Set my fuel budget to $400", "update_budget", json!({"category": "fuel", "monthly_limit": 400.0})),
        (
            "set a grocery budget of $600 a month",
            "update_budget",
            json!({"category": "groceries", "monthly_limit": 600.0}),
        ),
        (
            "change my dining budget to 250 dollars",
            "update_budget",
            json!({"category": "dining", "monthly_limit": 250.0}),
        ),
        (
            "make my caravan park budget $900",
            "update_budget",
            json!({"category": "campground", "monthly_limit": 900.0}),
        ),
        ("increase the gas budget to $500", "update_budget", json!({"category": "fuel", "monthly_limit": 500.0})),
        ("will I be on track by the end of the month?", "predict_end_of_month", json!({})),
        ("forecast my spending", "predict_end_of_month", json!({})),
        ("where can I save money?", "find_savings_opportunities", json!({})),
        ("am I overspending anywhere", "find_savings_opportunities", json!({})),
        // Income.
        ("my pension of $1,044.80 came in today", "record_income", json!({"amount": 1044.8, "type": "pension"})),
        ("got paid $500 for camp hosting", "record_income", json!({"amount": 500.0})),
        ("earned $120 selling photos", "record_income", json!({"amount": 120.0})),
        // Trips.
        ("plan a trip from Brisbane to Cairns", "plan_trip", json!({"origin": "Brisbane", "destination": "Cairns"})),
        (
            "Plan a trip from Sydney to Melbourne via the coast",
            "plan_trip",
            json!({"origin": "Sydney", "destination": "Melbourne"}),
        ),
        ("route from Denver to Moab", "plan_trip", json!({"origin": "Denver", "destination": "Moab"})),
        ("drive from Perth to Broome next week", "plan_trip", json!({"origin": "Perth", "destination": "Broome"})),
        ("plan my trip to Alice Springs", "plan_trip", json!({"destination": "Alice Springs"})),
        ("we're heading to Uluru from Adelaide", "plan_trip", json!({"origin": "Adelaide", "destination": "Uluru"})),
        (
            "how far is it from Darwin to Katherine?",
            "estimate_travel_time",
            json!({"origin": "Darwin", "destination": "Katherine"}),
        ),
        (
            "plan a trip from Austin to San Antonio",
            "plan_trip",
            json!({"origin": "Austin", "destination": "San Antonio"}),
        ),
        // Fuel.
        ("how much fuel for 450 km?", "calculate_gas_cost", json!({"distance_km": 450.0})),
        ("what's the fuel cost for 1200km", "calculate_gas_cost", json!({"distance_km": 1200.0})),
        ("how much gas for 300 miles", "calculate_gas_cost", json!({"distance_km": 482.8})),
        (
            "filled up 65 litres for $118.30",
            "add_fuel_entry",
            json!({"volume": 65.0, "unit": "litres", "total": 118.3}),
        ),
        ("put 80L of diesel in at Longreach", "add_fuel_entry", json!({"volume": 80.0, "station": "Longreach"})),
        (
            "filled the tank with 20 gallons for $74",
            "add_fuel_entry",
            json!({"volume": 20.0, "unit": "gallons", "total": 74.0}),
        ),
        // Maintenance.
        ("when is my next service?", "get_maintenance_schedule", json!({})),
        ("what maintenance is due", "get_maintenance_schedule", json!({})),
        // Calendar.
        ("what's on this week?", "get_calendar_events", json!({})),
        ("show my calendar", "get_calendar_events", json!({})),
        ("add a vet appointment to the calendar for the 3rd", "create_calendar_event", json!({})),
        ("schedule a booking for the ferry on Friday", "create_calendar_event", json!({})),
        // Timers.
        ("set a timer for 10 minutes", "set_timer_or_alarm", json!({"duration_seconds": 600})),
        (
            "remind me in 20 minutes to check the tyres",
            "set_timer_or_alarm",
            json!({"duration_seconds": 1200, "label": "check the tyres"}),
        ),
        ("set a timer for 2 hours", "set_timer_or_alarm", json!({"duration_seconds": 7200})),
        // Posts.
        (
            "draft a post about our week at Cape Le Grand",
            "create_post",
            json!({"content": "our week at Cape Le Grand", "status": "draft"}),
        ),
        ("write a post about the sunset at Monkey Mia", "create_post", json!({"status": "draft"})),
        // Greetings, help, and what offline cannot do.
        ("hello", "say", json!({})),
        ("G'day PAM", "say", json!({})),
        ("what can you do?", "say", json!({})),
        ("help", "say", json!({})),
        ("what's the weather in Broome tomorrow?", "say", json!({})),
        ("tell me a joke", "say", json!({})),
    ]
}

fn check(utterance: &str, tool: &str, expected: &Value, today: NaiveDate) -> Result<(), String> {
    match (understand(utterance, today), tool) {
        (Intent::Say(_), "say") => Ok(()),
        (Intent::Say(text), _) => Err(format!("said {text:?}, expected {tool}")),
        (Intent::Tool { name, .. }, "say") => Err(format!("called {name}, expected a direct answer")),
        (Intent::Tool { name, arguments }, _) => {
            if name != tool {
                return Err(format!("called {name} {arguments}, expected {tool}"));
            }
            for (key, want) in expected.as_object().expect("object") {
                let got = &arguments[key];
                let same = match (got.as_f64(), want.as_f64()) {
                    (Some(a), Some(b)) => (a - b).abs() < 0.001,
                    _ => got == want,
                };
                if !same {
                    return Err(format!("{key} = {got}, expected {want} (all: {arguments})"));
                }
            }
            Ok(())
        }
    }
}

#[test]
fn the_offline_brain_understands_at_least_95_percent_of_the_table() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let rows = table();
    assert!(rows.len() >= 100, "the table has {} rows", rows.len());
    let failures: Vec<String> = rows
        .iter()
        .filter_map(|(u, tool, args)| check(u, tool, args, today).err().map(|e| format!("{u:?}: {e}")))
        .collect();
    let passed = rows.len() - failures.len();
    let rate = passed as f64 / rows.len() as f64;
    println!("offline brain: {passed}/{} ({:.1}%)", rows.len(), rate * 100.0);
    for f in &failures {
        println!("  miss: {f}");
    }
    assert!(rate >= 0.95, "{} misses:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn every_tool_the_brain_calls_is_in_its_list() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let corpus = include_str!("../corpus/utterances.jsonl");
    let texts = corpus
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter_map(|row| row["text"].as_str().map(str::to_string))
        .chain(table().into_iter().map(|(u, _, _)| u.to_string()));
    for text in texts {
        if let Intent::Tool { name, .. } = understand(&text, today) {
            assert!(pam_nlu::intent::TOOLS.contains(&name), "{text:?} → {name}, which is not in intent::TOOLS");
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

    /// Whatever a person (or a fuzzer) types, understanding it never panics.
    #[test]
    fn any_text_is_understood_without_panicking(text in "\\PC{0,200}") {
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let _ = understand(&text, today);
        let _ = pam_nlu::amount::find(&text);
        let _ = pam_nlu::dates::find(&text, today);
        let _ = pam_nlu::phrases::route(&text);
    }

    /// Sentences shaped like requests, with extreme numbers and case-changing letters in them.
    #[test]
    fn request_shaped_text_with_extreme_values_never_panics(
        amount in proptest::num::i64::ANY,
        days in proptest::num::i64::ANY,
        place in "[İẞKıa-zA-Z ]{0,20}",
        unit in proptest::sample::select(vec!["days", "weeks", "km", "litres", "miles", "minutes", "hours"]),
    ) {
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        for text in [
            format!("I spent ${amount} on diesel {days} {unit} ago at {place}"),
            format!("plan a trip FROM {place} TO {place} in {days} {unit}"),
            format!("set a timer for {days} {unit}"),
            format!("filled up {amount} {unit} for ${days}"),
            format!("how much fuel for {amount} {unit} from {place}"),
        ] {
            let _ = understand(&text, today);
        }
    }
}
