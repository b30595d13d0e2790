//! Replies built from tool results: plain sentences, with the numbers the tools returned (never invented).

use serde_json::Value;

use crate::transcript::{Block, Message, Role};

fn money(v: &Value, currency: &str) -> String {
    let amount = v.as_f64().unwrap_or(0.0);
    let symbol = match currency {
        "AUD" | "USD" | "NZD" | "CAD" | "" => "$",
        "GBP" => "£",
        "EUR" => "€",
        _ => "",
    };
    let text = format!("{symbol}{amount:.2}");
    if symbol.is_empty() { format!("{text} {currency}") } else { text }
}

fn describe(name: &str, input: &Value, data: &Value) -> String {
    let currency = data["currency"].as_str().unwrap_or("");
    match name {
        "create_expense" => {
            let mut s = format!(
                "Logged {} for {}",
                money(&data["amount"], currency),
                data["category"].as_str().unwrap_or("that")
            );
            if let Some(loc) = data["location"].as_str() {
                s.push_str(&format!(" at {loc}"));
            }
            if let Some(date) = data["date"].as_str() {
                s.push_str(&format!(", dated {date}"));
            }
            s.push('.');
            s
        }
        "get_spending_summary" => {
            let days = data["days"].as_i64().unwrap_or(30);
            let mut s = format!(
                "You've spent {} over the last {days} day{}",
                money(&data["expenses"], currency),
                if days == 1 { "" } else { "s" }
            );
            if let Some(top) = data["categories"].as_array().and_then(|c| c.first()) {
                s.push_str(&format!(
                    ", most of it on {} ({})",
                    top["category"].as_str().unwrap_or("?"),
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
            let items = data["items"].as_array().cloned().unwrap_or_default();
            if items.is_empty() {
                return "You haven't set any budgets yet. Try \"set my fuel budget to $400\".".into();
            }
            let parts: Vec<String> = items
                .iter()
                .map(|i| {
                    format!(
                        "{}: {} of {} ({}%, {})",
                        i["category"].as_str().unwrap_or("?"),
                        money(&i["spent"], currency),
                        money(&i["monthly_limit"], currency),
                        i["percent_used"],
                        i["status"].as_str().unwrap_or("?")
                    )
                })
                .collect();
            format!("This month so far — {}.", parts.join("; "))
        }
        "update_budget" => format!(
            "Your {} budget is now {} a month.",
            data["category"].as_str().unwrap_or("?"),
            money(&data["monthly_limit"], currency)
        ),
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
            let parts: Vec<String> =
                list.iter().take(3).map(|o| o["detail"].as_str().unwrap_or("").to_string()).collect();
            format!("{} Potential saving: {}.", parts.join(" "), money(&data["total_potential_savings"], currency))
        }
        "record_income" => format!(
            "Recorded {} of income from {}.",
            money(&data["amount"], currency),
            data["source"].as_str().unwrap_or("?")
        ),
        "set_timer_or_alarm" => {
            format!("Timer set{}.", data["label"].as_str().map(|l| format!(" for {l}")).unwrap_or_default())
        }
        "create_post" => "I've drafted that post; it stays a draft until you publish it.".into(),
        _ => {
            let _ = input;
            format!("Done: {}.", name.replace('_', " "))
        }
    }
}

/// The reply to the latest round of tool results.
pub fn compose(messages: &[Message]) -> String {
    let Some(results) = messages.last() else { return String::new() };
    let calls = messages.iter().rev().find(|m| m.role == Role::Assistant);
    let mut sentences = Vec::new();
    for block in &results.blocks {
        let Block::ToolResult { tool_use_id, content, is_error } = block else { continue };
        let call = calls.and_then(|m| m.tool_uses().find(|(id, _, _)| id == tool_use_id));
        let (name, input) = call.map(|(_, n, i)| (n, i.clone())).unwrap_or(("that", Value::Null));
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
        sentences.push(describe(name, &input, &data));
    }
    sentences.join(" ")
}
