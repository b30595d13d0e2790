//! Replies built from tool results: plain sentences with the numbers the tools returned (never
//! invented), saying what was understood — the period, the amount and currency, the date, the
//! category — so a misunderstanding shows at once.

use chrono::{Datelike, NaiveDate};
use serde_json::Value;

use super::last_user_text;
use crate::transcript::{Block, Message, Role};

fn money(v: &Value, currency: &str) -> String {
    let amount = v.as_f64().or_else(|| v.as_str().and_then(|s| s.parse().ok())).unwrap_or(0.0);
    let symbol = match currency {
        "AUD" | "USD" | "NZD" | "CAD" | "" => "$",
        "GBP" => "£",
        "EUR" => "€",
        _ => "",
    };
    let text = format!("{symbol}{amount:.2}");
    if symbol.is_empty() { format!("{text} {currency}") } else { text }
}

/// "Tuesday 24 November" (with the year when it is not this year); "today", "yesterday".
fn day(v: &Value, today: NaiveDate) -> Option<String> {
    let d = NaiveDate::parse_from_str(v.as_str()?, "%Y-%m-%d").ok()?;
    Some(if d == today {
        "today".into()
    } else if today.pred_opt() == Some(d) {
        "yesterday".into()
    } else if d.year() == today.year() {
        d.format("%A %-d %B").to_string()
    } else {
        d.format("%A %-d %B %Y").to_string()
    })
}

/// "1–25 November", "16–22 November", "28 October – 3 November".
fn span(start: &Value, end: &Value) -> Option<String> {
    let s = NaiveDate::parse_from_str(start.as_str()?, "%Y-%m-%d").ok()?;
    let e = NaiveDate::parse_from_str(end.as_str()?, "%Y-%m-%d").ok()?;
    Some(if s == e {
        e.format("%-d %B").to_string()
    } else if s.month() == e.month() && s.year() == e.year() {
        format!("{}–{}", s.day(), e.format("%-d %B"))
    } else {
        format!("{} – {}", s.format("%-d %B"), e.format("%-d %B"))
    })
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or("")
}

fn describe(name: &str, data: &Value, said: Option<&pam_nlu::Understanding>, today: NaiveDate) -> String {
    let currency = str_of(data, "currency");
    let slot = |k: &str| said.and_then(|u| u.slots.get(k));
    match name {
        "create_expense" => {
            let mut s = format!("Logged {} for {}", money(&data["amount"], currency), str_of(data, "category"));
            if let Some(loc) = data["location"].as_str() {
                s.push_str(&format!(" at {loc}"));
            }
            if let Some(d) = day(&data["date"], today) {
                s.push_str(&format!(", dated {d}"));
            }
            if let Some(named) = slot("currency").and_then(Value::as_str).filter(|c| *c != currency) {
                s.push_str(&format!(" (you said {named}; your expenses are kept in {currency})"));
            }
            s.push('.');
            s
        }
        "record_income" => {
            let mut s =
                format!("Recorded {} of income from {}", money(&data["amount"], currency), str_of(data, "source"));
            if let Some(d) = day(&data["date"], today) {
                s.push_str(&format!(", dated {d}"));
            }
            s.push('.');
            s
        }
        "get_spending_summary" => {
            let when = match (data["period"].as_str(), span(&data["start_date"], &data["end_date"])) {
                (Some(p), Some(span)) => format!("{} ({span})", p.replace('_', " ")),
                (None, Some(span)) => format!("over the last {} days ({span})", data["days"]),
                _ => "lately".into(),
            };
            if data["category"].is_object() {
                let c = &data["category"];
                return format!(
                    "You've spent {} on {} {when}, over {} expense{}.",
                    money(&c["amount"], currency),
                    str_of(c, "category"),
                    c["count"],
                    if c["count"] == 1 { "" } else { "s" }
                );
            }
            let mut s = format!("You've spent {} {when}", money(&data["expenses"], currency));
            if let Some(top) = data["categories"].as_array().and_then(|c| c.first()) {
                s.push_str(&format!(
                    ", most of it on {} ({})",
                    str_of(top, "category"),
                    money(&top["amount"], currency)
                ));
            }
            if data["income"].as_f64().unwrap_or(0.0) > 0.0 {
                s.push_str(&format!(". Income in that time: {}", money(&data["income"], currency)));
            }
            s.push('.');
            s
        }
        "compare_vs_budget" => {
            let mut items = data["items"].as_array().cloned().unwrap_or_default();
            if items.is_empty() {
                return "You haven't set any budgets yet. Try \"limit groceries to $600 a month\".".into();
            }
            // Asked about one category: answer about that one when it has a budget.
            if let Some(asked) = slot("category").and_then(Value::as_str) {
                let matching: Vec<Value> =
                    items.iter().filter(|i| str_of(i, "category").eq_ignore_ascii_case(asked)).cloned().collect();
                if matching.is_empty() {
                    return format!("You don't have a {asked} budget yet. Try \"set my {asked} budget to $400\".");
                }
                items = matching;
            }
            let parts: Vec<String> = items
                .iter()
                .map(|i| {
                    format!(
                        "{}: {} of {} ({}%, {})",
                        str_of(i, "category"),
                        money(&i["spent"], currency),
                        money(&i["monthly_limit"], currency),
                        i["percent_used"],
                        str_of(i, "status")
                    )
                })
                .collect();
            format!("This month so far — {}.", parts.join("; "))
        }
        "update_budget" => {
            let mut s = format!(
                "Your {} budget is now {} a month",
                str_of(data, "category"),
                money(&data["monthly_limit"], currency)
            );
            if let (Some(period), Some(amount)) =
                (slot("period").and_then(Value::as_str).filter(|p| *p != "month"), slot("amount"))
            {
                s.push_str(&format!(" ({} a {period}, as budgets are kept per month)", money(amount, currency)));
            }
            s.push('.');
            s
        }
        "predict_end_of_month" => format!(
            "At this pace you'll spend about {} this month ({} so far, {} of {} days).",
            money(&data["projected_total"], currency),
            money(&data["spent_so_far"], currency),
            data["days_elapsed"],
            data["days_in_month"]
        ),
        "find_savings_opportunities" => {
            let list = data["opportunities"].as_array().cloned().unwrap_or_default();
            if list.is_empty() {
                return "Nothing stands out: you're within your budgets and your usual spending.".into();
            }
            let parts: Vec<String> = list.iter().take(3).map(|o| str_of(o, "detail").to_string()).collect();
            format!("{} Potential saving: {}.", parts.join(" "), money(&data["total_potential_savings"], currency))
        }
        "set_timer_or_alarm" => {
            format!("Timer set{}.", data["label"].as_str().map(|l| format!(" for {l}")).unwrap_or_default())
        }
        "create_post" => "I've drafted that post; it stays a draft until you publish it.".into(),
        _ => format!("Done: {}.", name.replace('_', " ")),
    }
}

/// The reply to the latest round of tool results.
pub fn compose(messages: &[Message], today: NaiveDate) -> String {
    let Some(results) = messages.last() else { return String::new() };
    let calls = messages.iter().rev().find(|m| m.role == Role::Assistant);
    let said = last_user_text(messages).map(|t| pam_nlu::understand(&t, today));
    let mut sentences = Vec::new();
    for block in &results.blocks {
        let Block::ToolResult { tool_use_id, content, is_error } = block else { continue };
        let name = calls.and_then(|m| m.tool_uses().find(|(id, _, _)| id == tool_use_id)).map(|(_, n, _)| n);
        let name = name.unwrap_or("that");
        if *is_error {
            sentences.push(format!("I couldn't do that: {content}"));
            continue;
        }
        let data: Value = serde_json::from_str(content).unwrap_or(Value::String(content.clone()));
        if data["confirmation_required"] == true {
            sentences.push(format!(
                "{} Shall I go ahead?",
                data["summary"].as_str().unwrap_or("This needs your confirmation.")
            ));
            continue;
        }
        sentences.push(describe(name, &data, said.as_ref(), today));
    }
    sentences.join(" ")
}
