//! Everyday words that are no name, for casing a title's first word.

use super::canonical;

/// Whether a lower-case word is an everyday word (a vocabulary word or a common English word), as
/// opposed to a name. Used to lower-case a title's first word only when it is not a name.
pub fn is_common_word(word: &str) -> bool {
    const COMMON: &[&str] = &[
        "appointment",
        "meeting",
        "lunch",
        "dinner",
        "breakfast",
        "call",
        "birthday",
        "party",
        "check",
        "inspection",
        "service",
        "test",
        "flight",
        "ferry",
        "tour",
        "haircut",
        "dentist",
        "doctor",
        "vet",
        "physio",
        "blood",
        "hearing",
        "van",
        "car",
        "pay",
        "renew",
        "book",
        "pick",
        "drop",
        "visit",
        "leave",
        "market",
        "markets",
        "flu",
        "shot",
        "rego",
        "tyre",
        "gas",
        "water",
        "oil",
        "happy",
        "church",
        "golf",
        "bowls",
        "swim",
    ];
    COMMON.contains(&word) || canonical(word).is_some()
}
