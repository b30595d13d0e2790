//! Words the offline brain says without calling a tool: greetings, help, small talk, the one short
//! question it asks when it is unsure, and what it can do instead when it did nothing.

use serde_json::Value;

use crate::slots::Slots;
use crate::speech_act::SpeechAct;
use crate::text::Text;

pub const GREETING: &str = "G'day! I'm PAM. I can log expenses and fill-ups, tell you what you've spent, check and set \
budgets, plan a trip between two places, and set timers and reminders — just ask.";

pub const HELP: &str = "Offline I can: log an expense (\"I spent $42.50 on diesel yesterday\"), tell you what you've \
spent (\"how much have I spent this month?\"), check or set budgets (\"limit groceries to $600 a month\"), forecast \
the month, plan a trip between two named places, work out fuel cost for a distance, log a fill-up, show maintenance \
due, add or list calendar events, set a timer or alarm and draft a post. Open questions need an online model.";

/// A reply to thanks, goodbyes and chat that asks for nothing.
/// Only a short message is thanks or a goodbye: "we got 120 mm of rain last night" says no good night.
pub fn small_talk(text: &Text) -> String {
    let short = text.tokens.iter().filter(|t| !t.is_punct()).count() <= 6;
    if short && text.has_any(&["thanks", "thank", "ta", "cheers", "thx", "ty"]) {
        "No worries!".into()
    } else if short
        && (text.has_any(&["bye", "goodbye", "cya", "nite", "goodnight", "ttyl", "ttfn"])
            || text.has_phrase("good night")
            // "see you later", not "good to see you".
            || ((text.has_phrase("see ya") || text.has_phrase("see you"))
                && !text.has_phrase("to see you")
                && !text.has_phrase("to see ya"))
            || farewell_ending(text))
    {
        "See you down the road!".into()
    } else if text.len() <= 2 && text.has_any(&["ok", "okay", "cool", "yes", "yep", "righto", "sure", "lol", "nice"]) {
        "Righto.".into()
    } else {
        format!("I'm running offline, so I can't help with that one. {HELP}")
    }
}

/// Thanks or a farewell ("cheers", "goodbye pam"), which small talk answers in kind rather than with what
/// PAM can do.
pub fn thanks_or_farewell(text: &Text) -> bool {
    !small_talk(text).ends_with(HELP)
}

/// A message ending on "later" or "night" as a farewell does ("catch ya later", "night all" aside), not on a
/// rate or a time ("the campsite costs 25 a night", "we got in late last night").
fn farewell_ending(text: &Text) -> bool {
    let n = text.len();
    text.tokens.last().is_some_and(|t| t.is_any(&["later", "night"]))
        && !text.tokens.iter().any(|t| t.norm.chars().any(|c| c.is_ascii_digit()))
        && !(n >= 2
            && text.tokens[n - 2].is_any(&["a", "per", "each", "every", "last", "one", "the", "at", "tomorrow", "by"]))
}

pub fn price_question() -> String {
    "I can't look up prices while I'm offline. I can tell you what you've spent on something, check a budget, or \
    work out what fuel would cost for a distance."
        .into()
}

pub fn not_followed() -> String {
    format!("Sorry, I didn't follow that. {HELP}")
}

/// When a write was refused: say so, how to ask for it plainly, and what PAM can do.
pub fn nothing_done(intent: &str, act: &SpeechAct) -> String {
    let why = if act.negated {
        "Okay, I've left it alone"
    } else if act.third_party {
        "That sounds like someone else's, so I haven't recorded it"
    } else if (act.price_statement || act.reported) && intent == "create_expense" {
        "Good to know — I haven't logged that as a purchase"
    } else if act.hypothetical {
        "I haven't done anything, since it hasn't happened yet"
    } else {
        "I haven't changed anything"
    };
    format!(
        "{why}. If you did want {}, tell me plainly (for example \"{}\"), or ask me what you've spent, how your \
        budgets are going, or what fuel would cost for a trip.",
        wanted(intent),
        plainly(intent)
    )
}

/// What the user may have wanted done, in words.
fn wanted(intent: &str) -> &'static str {
    match intent {
        "create_expense" => "an expense logged",
        "record_income" => "income recorded",
        "add_fuel_entry" => "a fill-up logged",
        "update_budget" => "a budget set",
        "create_calendar_event" => "it in your calendar",
        "set_timer_or_alarm" => "a timer or an alarm",
        "plan_trip" => "a trip planned",
        "create_post" => "a post drafted",
        _ => "something done",
    }
}

/// A plain way to ask for the write.
fn plainly(intent: &str) -> &'static str {
    match intent {
        "record_income" => "I got paid $500 for house-sitting today",
        "add_fuel_entry" => "I put 60 litres of diesel in for $120",
        "update_budget" => "set my fuel budget to $400 a month",
        "create_calendar_event" => "add the dentist on Friday at 10am to my calendar",
        "set_timer_or_alarm" => "set a timer for 20 minutes",
        "plan_trip" => "plan a trip from Brisbane to Cairns",
        "create_post" => "draft a post saying the dump point is open",
        _ => "I spent $40 on diesel",
    }
}

/// The question to ask when a slot the tool needs is missing.
pub fn missing(intent: &str, slots: &Slots) -> Option<String> {
    let has = |k: &str| slots.contains_key(k);
    let q = match intent {
        "create_expense" | "record_income" if !has("amount") => "How much was it?",
        "update_budget" if !has("amount") => "What limit would you like, and per week, month or year?",
        // Budgets are kept per category: an "overall" limit has nowhere to go.
        "update_budget" if !has("category") && !has("own_category") => {
            "Budgets are kept per spending category. Which one is this limit for, for example groceries or fuel?"
        }
        "add_fuel_entry" if !has("volume") && !has("total") => {
            "How many litres (or gallons) did you put in, or what did it cost?"
        }
        "create_calendar_event" if !has("date") && !has("time") => "When is it? For example \"tomorrow at 10am\".",
        "create_calendar_event" if !has("title") => "What should I call it?",
        "set_timer_or_alarm" if !has("duration_seconds") && !has("time") => {
            "How long should the timer run, or what time should the alarm go off?"
        }
        "plan_trip" if !has("destination") => {
            "Where are you heading? For example \"plan a trip from Brisbane to Cairns\"."
        }
        "estimate_travel_time" if !has("destination") && !has("distance") => {
            "Where to, or how far? For example \"how far from Dubbo to Bourke\" or \"how long to drive 450 km\"."
        }
        "calculate_gas_cost" if !has("distance") && !has("destination") => {
            "How far is it, or where to? For example \"fuel cost for 450 km\"."
        }
        "create_post" if !has("content") => "What should the post say?",
        _ => return None,
    };
    Some(q.to_string())
}

fn money(v: Option<&Value>) -> String {
    v.and_then(Value::as_f64).map(|n| format!("${n:.2}")).unwrap_or_default()
}

/// The question to ask when unsure of a write that has everything it needs.
pub fn confirm_question(intent: &str, slots: &Slots) -> String {
    let s = |k: &str| slots.get(k).and_then(Value::as_str).unwrap_or("");
    match intent {
        "create_expense" if slots.contains_key("items") => {
            let items: Vec<String> =
                slots.get("items").and_then(Value::as_array).into_iter().flatten().map(|v| money(Some(v))).collect();
            format!(
                "That's {} — shall I log them together as one expense of {}? To log them apart, send them one at a time.",
                items.join(" and "),
                money(slots.get("amount"))
            )
        }
        "create_expense" => {
            let category = if s("category").is_empty() { String::new() } else { format!(" for {}", s("category")) };
            format!("Do you want me to log {}{category} as an expense?", money(slots.get("amount")))
        }
        "record_income" => format!("Do you want me to record {} as income?", money(slots.get("amount"))),
        "update_budget" => format!(
            "Do you want me to set your {} budget to {} a {}?",
            if slots.contains_key("category") { s("category") } else { s("own_category") },
            money(slots.get("amount")),
            s("period")
        ),
        "add_fuel_entry" => "Do you want me to log that fill-up?".into(),
        "create_calendar_event" => format!("Do you want me to add \"{}\" to your calendar?", s("title")),
        "set_timer_or_alarm" => "Do you want me to set that timer?".into(),
        "plan_trip" => format!("Do you want me to plan a trip to {}?", s("destination")),
        "create_post" => "Do you want me to draft that post?".into(),
        _ => "Shall I go ahead?".into(),
    }
}
