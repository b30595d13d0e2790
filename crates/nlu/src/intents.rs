//! The intents the offline brain tells apart: one per tool it can call, plus greeting, help and none.

/// Every intent label, as in the corpus.
pub const LABELS: &[&str] = &[
    "create_expense",
    "record_income",
    "update_budget",
    "plan_trip",
    "add_fuel_entry",
    "create_calendar_event",
    "set_timer_or_alarm",
    "create_post",
    "get_spending_summary",
    "compare_vs_budget",
    "predict_end_of_month",
    "find_savings_opportunities",
    "calculate_gas_cost",
    "estimate_travel_time",
    "get_maintenance_schedule",
    "get_calendar_events",
    "get_weather_forecast",
    "greeting",
    "help",
    "none",
];

/// Intents that change data.
pub const WRITES: &[&str] = &[
    "create_expense",
    "record_income",
    "update_budget",
    "plan_trip",
    "add_fuel_entry",
    "create_calendar_event",
    "set_timer_or_alarm",
    "create_post",
];

/// Writes that record money or fuel the user says they spent or received: these need a report of a
/// thing done, never a question, a plan or someone else's purchase.
pub const MONEY_RECORDS: &[&str] = &["create_expense", "record_income", "add_fuel_entry"];

/// Intents that are answered in words, not by a tool.
pub const CONVERSATION: &[&str] = &["greeting", "help", "none"];

pub fn is_write(label: &str) -> bool {
    WRITES.contains(&label)
}

/// Every tool the offline brain can call (the intents that are not conversation). The server's tests
/// hold each to its tool registry.
pub fn tools() -> impl Iterator<Item = &'static str> {
    LABELS.iter().copied().filter(|l| !CONVERSATION.contains(l))
}

/// The label as it is written in the static list (for `&'static str` results).
pub fn label(name: &str) -> Option<&'static str> {
    LABELS.iter().copied().find(|l| *l == name)
}
