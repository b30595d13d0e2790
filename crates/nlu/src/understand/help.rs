//! Help is about using PAM and the app ("how do I log fuel", "how do I change the currency to NZD"); a
//! how-to about anything else ("how do I make damper", "how do you get red dirt out of carpet") is an
//! open question, which offline PAM cannot answer.

use crate::text::Text;

/// Words of the app and what it keeps: a how-to with one of them is a question about using PAM.
#[rustfmt::skip]
const APP_WORDS: &[&str] = &[
    "this", "app", "use", "using", "you", "u", "pam", "here", "log", "logging", "record", "add", "enter",
    "delete", "edit", "undo", "export", "share", "sync", "ask", "talk", "set", "setting", "settings", "change",
    "switch", "see", "find", "post", "posts", "community", "forum", "group", "expense", "expenses", "entry",
    "entries", "income", "pension", "budget", "budgets", "calendar", "event", "events", "timer", "alarm",
    "reminder", "reminders", "fuel", "fill", "fill-up", "odometer", "trip", "trips", "route", "stop", "stops",
    "weather", "travel", "currency", "miles", "litres", "gallons", "category", "categories", "notifications",
    "account", "password", "vehicle", "amount", "date", "typed", "entered", "spent", "spending", "mode", "screen",
    "data", "tracking", "track", "dollars", "savings", "costs", "it", "started", "remove", "back", "turn",
    "sign", "pin", "theme", "upload", "photo", "receipt", "payment", "support", "total", "summary", "work", "works",
    "offline", "reset", "login", "logout", "last",
];

/// A how-to question ("how do I …", "how to …", "what's the difference between …") that names nothing of
/// the app: not help, whatever the classifier made of its form.
pub(super) fn how_to_outside_the_app(t: &Text) -> bool {
    // The words besides the asking ("how do you" holds a "you" of its own).
    [
        "how do i",
        "how do you",
        "how do u",
        "how do we",
        "how does",
        "how can i",
        "how can you",
        "how would i",
        "how should i",
        "how to",
        "difference between",
    ]
    .iter()
    .find_map(|p| t.find_phrase(p).map(|at| at..at + p.split(' ').count()))
    .is_some_and(|asking| !t.tokens.iter().enumerate().any(|(i, w)| !asking.contains(&i) && w.is_any(APP_WORDS)))
}
