//! What a traveller asked, understood without a model: the common requests of SPEC §5.6, each mapped
//! to the tool that does it (tool names of SPEC §5.5) and its arguments.

use chrono::{Datelike, NaiveDate};
use serde_json::{Value, json};

use crate::phrases::{distance_km, place, route};
use crate::vocabulary;
use crate::{amount, dates};

/// Every tool the offline brain can call. The server's tests hold each to its registry, and the names
/// `understand` emits to this list.
pub const TOOLS: &[&str] = &[
    "add_fuel_entry",
    "calculate_gas_cost",
    "compare_vs_budget",
    "create_calendar_event",
    "create_expense",
    "create_post",
    "estimate_travel_time",
    "find_savings_opportunities",
    "get_calendar_events",
    "get_maintenance_schedule",
    "get_spending_summary",
    "plan_trip",
    "predict_end_of_month",
    "record_income",
    "set_timer_or_alarm",
    "update_budget",
];

#[derive(Clone, Debug, PartialEq)]
pub enum Intent {
    /// Call one tool.
    Tool { name: &'static str, arguments: Value },
    /// Answer directly.
    Say(String),
}

const GREETINGS: &[&str] =
    &["hi", "hello", "hey", "g'day", "gday", "good morning", "good afternoon", "good evening", "howdy", "hiya"];

fn has_any(text: &str, needles: &[&str]) -> bool {
    needles.iter().any(|n| text.contains(n))
}

pub(crate) fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| c.is_whitespace() || matches!(c, ',' | '?' | '!' | '.')).filter(|w| !w.is_empty()).collect()
}

fn summary_days(lower: &str, today: NaiveDate) -> i64 {
    let ws = words(lower);
    for (i, w) in ws.iter().enumerate() {
        if (*w == "last" || *w == "past")
            && let Some(n) = ws.get(i + 1).and_then(|n| n.parse::<i64>().ok())
        {
            if ws.get(i + 2).is_some_and(|u| u.starts_with("week")) {
                return n * 7;
            }
            return n;
        }
    }
    if lower.contains("this month") || lower.contains("so far") && !lower.contains("week") {
        today.day() as i64
    } else if lower.contains("this week") {
        today.weekday().number_from_monday() as i64
    } else if lower.contains("today") {
        1
    } else if has_any(lower, &["last week", "past week", "this past week"]) {
        7
    } else if has_any(lower, &["this year", "so far this year"]) {
        today.ordinal() as i64
    } else {
        30
    }
}

fn cents_json(cents: i64) -> Value {
    json!(cents as f64 / 100.0)
}

/// Understands one message. `today` is the user's local date.
pub fn understand(original: &str, today: NaiveDate) -> Intent {
    let lower = original.to_lowercase();
    let lower = lower.trim();
    let ws = words(lower);
    let amount = amount::find(original);

    if ws.len() <= 4 && GREETINGS.iter().any(|g| lower.starts_with(g)) {
        return Intent::Say(
            "G'day! I'm PAM. I can log expenses, tell you what you've spent, check your budgets, plan a \
            trip between two places, and set timers — just ask."
                .into(),
        );
    }
    if lower == "help" || has_any(lower, &["what can you do", "how do i use", "what do you do"]) {
        return Intent::Say(HELP.into());
    }
    // Timers: "set a timer for 10 minutes", "remind me in 20 minutes to check the tyres".
    if has_any(lower, &["timer", "remind me in", "alarm"]) {
        let mut seconds = None;
        for (i, w) in ws.iter().enumerate() {
            if let Ok(n) = w.parse::<i64>() {
                let unit = ws.get(i + 1).copied().unwrap_or_default();
                let per = if unit.starts_with("hour") || unit.starts_with("hr") {
                    3600
                } else if unit.starts_with("sec") {
                    1
                } else {
                    60
                };
                // A number too large to be a duration is no timer at all.
                seconds = n.checked_mul(per).filter(|s| (1..=366 * 86_400).contains(s));
                break;
            }
        }
        if let Some(s) = seconds {
            let label = lower.split(" to ").nth(1).map(|l| l.trim_end_matches(['.', '!']).to_string());
            return Intent::Tool {
                name: "set_timer_or_alarm",
                arguments: json!({"duration_seconds": s, "label": label}),
            };
        }
        return Intent::Say("How long should the timer run? For example: \"set a timer for 10 minutes\".".into());
    }
    // Fill-ups: "filled up 60 litres for $110", "put 80L of diesel in".
    let litres = ws.iter().enumerate().find_map(|(i, w)| {
        let (num, unit) = match w.find(|c: char| c.is_alphabetic()) {
            Some(p) if p > 0 => (&w[..p], &w[p..]),
            _ => (*w, ws.get(i + 1).copied().unwrap_or_default()),
        };
        let n: f64 = num.parse().ok()?;
        (unit.starts_with("lit") || unit == "l" || unit.starts_with("gal")).then_some((n, unit.starts_with("gal")))
    });
    if let Some((volume, gallons)) = litres
        && has_any(
            lower,
            &["fill", "filled", "fuel", "diesel", "petrol", "gas", "put", "tank", "litres", "liters", "gallons"],
        )
    {
        let mut args =
            json!({"volume": volume, "unit": if gallons { "gallons" } else { "litres" }, "filled_to_top": true});
        if let Some(a) = &amount {
            args["total"] = cents_json(a.cents);
        }
        if let Some(p) = place(original) {
            args["station"] = json!(p);
        }
        if let Some(d) = dates::find(original, today) {
            args["date"] = json!(d.to_string());
        }
        return Intent::Tool { name: "add_fuel_entry", arguments: args };
    }
    // Budgets: "set my fuel budget to $400", "budget $600 a month for groceries".
    if lower.contains("budget")
        && has_any(lower, &["set", "make", "change", "update", "increase", "lower", "raise", "create"])
        && let Some(a) = &amount
    {
        let category = vocabulary::find_in_text(lower).map(|(c, _)| c).unwrap_or("other");
        return Intent::Tool {
            name: "update_budget",
            arguments: json!({"category": category, "monthly_limit": cents_json(a.cents)}),
        };
    }
    // Income: "got paid $500", "my pension of $1,044 came in".
    if let Some(a) = &amount
        && has_any(
            lower,
            &["earned", "got paid", "income", "pension", "wages", "salary", "received", "came in", "made $"],
        )
    {
        let kind = if lower.contains("pension") {
            "pension"
        } else if has_any(lower, &["salary", "wages"]) {
            "salary"
        } else {
            "other"
        };
        let source = if lower.contains("pension") { "Pension".to_string() } else { "Income".to_string() };
        let mut args = json!({"amount": cents_json(a.cents), "source": source, "type": kind});
        if let Some(d) = dates::find(original, today) {
            args["date"] = json!(d.to_string());
        }
        return Intent::Tool { name: "record_income", arguments: args };
    }
    let question = lower.ends_with('?')
        || ws.first().is_some_and(|w| {
            ["how", "what", "what's", "whats", "am", "did", "where", "show", "can", "tell"].contains(w)
        });
    // Logging an expense: an amount with a spending word or a category.
    let spending_word = has_any(
        lower,
        &[
            "spent",
            "spend",
            "paid",
            "pay",
            "bought",
            "cost",
            "costs",
            "charged",
            "expense",
            "log",
            "add",
            "put",
            "dropped",
            "forked out",
            "shelled out",
            "blew",
            "bucks on",
            "for the",
            "got ",
        ],
    );
    let found_category = vocabulary::find_in_text(lower);
    if let Some(a) = &amount
        && (spending_word || found_category.is_some())
        && (!question || has_any(lower, &["log", "add", "record"]))
    {
        let (category, said) = found_category.unwrap_or(("other", "expense"));
        let at = place(original);
        let mut description = said.to_string();
        if let Some(p) = &at {
            description = format!("{said} at {p}");
        }
        let mut args = json!({"amount": cents_json(a.cents), "category": category, "description": description});
        if let Some(d) = dates::find(original, today) {
            args["date"] = json!(d.to_string());
        }
        if let Some(p) = at {
            args["location"] = json!(p);
        }
        return Intent::Tool { name: "create_expense", arguments: args };
    }
    if has_any(lower, &["end of the month", "end of month", "on track", "project", "forecast", "predict"]) {
        return Intent::Tool { name: "predict_end_of_month", arguments: json!({}) };
    }
    if has_any(
        lower,
        &["where can i save", "save money", "cut back", "savings opportunit", "spending too much", "overspending"],
    ) {
        return Intent::Tool { name: "find_savings_opportunities", arguments: json!({}) };
    }
    if lower.contains("budget") || has_any(lower, &["how am i tracking", "am i over", "over budget", "under budget"]) {
        return Intent::Tool { name: "compare_vs_budget", arguments: json!({}) };
    }
    if has_any(
        lower,
        &[
            "how much have i spent",
            "how much did i spend",
            "what have i spent",
            "what did i spend",
            "my spending",
            "spending summary",
            "total spent",
            "how much i've spent",
            "how much have we spent",
            "how much did we spend",
            "spent so far",
            "expenses this",
            "expenses for",
            "show my expenses",
            "what did we spend",
        ],
    ) {
        return Intent::Tool { name: "get_spending_summary", arguments: json!({"days": summary_days(lower, today)}) };
    }
    if has_any(lower, &["maintenance", "service due", "oil change due", "due for a service", "when is my next service"])
    {
        return Intent::Tool { name: "get_maintenance_schedule", arguments: json!({}) };
    }
    if has_any(
        lower,
        &[
            "fuel cost",
            "gas cost",
            "cost in fuel",
            "cost in gas",
            "how much fuel",
            "how much gas",
            "how much diesel",
            "fuel for",
            "cost to drive",
        ],
    ) && let Some(km) = distance_km(lower)
    {
        return Intent::Tool { name: "calculate_gas_cost", arguments: json!({"distance_km": km}) };
    }
    if has_any(
        lower,
        &[
            "plan a trip",
            "plan trip",
            "plan my trip",
            "route from",
            "drive from",
            "driving from",
            "trip from",
            "trip to",
            "drive to",
            "head to",
            "heading to",
            "get to",
            "route to",
            "directions to",
            "how far",
        ],
    ) {
        if let Some((origin, destination)) = route(original) {
            let mut args = json!({"destination": destination});
            if let Some(o) = origin {
                args["origin"] = json!(o);
            }
            let name = if lower.contains("how far") { "estimate_travel_time" } else { "plan_trip" };
            return Intent::Tool { name, arguments: args };
        }
        return Intent::Say(
            "Where are you heading from and to? For example: \"plan a trip from Brisbane to Cairns\".".into(),
        );
    }
    if has_any(
        lower,
        &["calendar", "what's on", "whats on", "my events", "upcoming events", "appointments", "what have i got on"],
    ) && !has_any(lower, &["add", "put", "schedule", "book"])
    {
        return Intent::Tool { name: "get_calendar_events", arguments: json!({}) };
    }
    if has_any(lower, &["add ", "put ", "schedule", "book "])
        && has_any(lower, &["calendar", "appointment", "event", "reminder", "booking"])
    {
        let title = original.split_once(" for ").map(|(t, _)| t).unwrap_or(original);
        let title = title.trim_start_matches(|c: char| c.is_alphabetic() && !c.is_uppercase()).trim();
        let date = dates::find(original, today).unwrap_or(today);
        return Intent::Tool {
            name: "create_calendar_event",
            arguments: json!({"title": if title.is_empty() { original } else { title }, "start": format!("{date}T09:00:00")}),
        };
    }
    if has_any(lower, &["draft a post", "write a post", "post about", "draft post", "share a post", "make a post"]) {
        let content =
            original.split_once(" about ").map(|(_, c)| c.trim().to_string()).unwrap_or_else(|| original.to_string());
        return Intent::Tool { name: "create_post", arguments: json!({"content": content, "status": "draft"}) };
    }
    if amount.is_some() {
        return Intent::Say(
            "I see an amount there but I'm not sure what to do with it offline. Try \"I spent $20 on groceries\" \
            or \"set my fuel budget to $400\"."
                .into(),
        );
    }
    Intent::Say(format!("I'm running in offline mode, so I can't answer that one. {HELP}"))
}

pub const HELP: &str = "Offline I can: log an expense (\"I spent $42.50 on diesel yesterday\"), tell you what you've spent \
(\"how much have I spent this month?\"), check or set budgets, forecast the month, plan a trip between two named places, \
work out fuel cost for a distance, log a fill-up, show maintenance due, add or list calendar events, set a timer and \
draft a post. Weather, road conditions and open questions need an online model.";
