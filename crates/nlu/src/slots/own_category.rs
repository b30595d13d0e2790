//! A budget category in the user's own words, when no known category word names it ("make the pet
//! budget 60 a month", "a $150 fortnightly limit on booze and smokes"). Budgets take any category the
//! user keeps (SPEC: categories are the user's words), so PAM need not ask which one was meant.

use crate::analysis::Analysis;

/// The nouns of a limit.
const LIMIT_NOUNS: &[&str] = &[
    "budget",
    "limit",
    "allowance",
    "cap",
    "ceiling",
    "spending",
    "spend",
    "kitty",
    "allocation",
    "allow",
    "allowing",
];

/// Words that are no category: periods, totals, owners, articles and the limit's own words.
#[rustfmt::skip]
const NOT_A_CATEGORY: &[&str] = &[
    "the", "a", "an", "my", "our", "your", "this", "that", "it", "its", "new", "same", "whole", "entire",
    "total", "overall", "all", "everything", "combined", "general", "main", "household", "monthly", "weekly",
    "yearly", "annual", "fortnightly", "daily", "month", "week", "year", "fortnight", "day", "per", "each",
    "every", "me", "us", "myself", "ourselves", "spending", "spend", "budget", "budgets", "limit", "limits",
    "cap", "allowance", "set", "make", "put", "change", "bump", "drop", "up", "down", "to", "at", "of", "for",
    "on", "and", "pam", "please", "pls", "can", "you", "u", "i", "we", "want", "would", "like", "need", "is",
    "be", "should", "now", "from", "today", "tomorrow", "next", "rest", "then", "so", "just", "let's", "lets",
    "outgoings", "expenses", "costs", "money", "bills", "stuff", "things", "categories", "category", "thanks",
    "mate", "ok", "okay", "right", "only", "max", "maximum", "limit's", "budget's", "new", "too", "much",
];

/// The user's name for the budget's category, one or two words (joined with "and" when two are named:
/// "booze and smokes").
pub(crate) fn own_category(a: &Analysis) -> Option<String> {
    let t = &a.text;
    let in_entity = |i: usize| a.entities.iter().any(|e| e.covers(i));
    // Not a month, a day or a person ("the budget for January", "an allowance for Jake", "for the kids").
    let word = |i: usize| {
        i < t.len()
            && !t.tokens[i].is_punct()
            && !in_entity(i)
            && t.tokens[i].norm.chars().all(|c| c.is_alphabetic() || c == '-')
            && !t.tokens[i].is_any(NOT_A_CATEGORY)
            && (i == 0 || !t.tokens[i].capitalised)
            && crate::entities::calendar::month(&t.tokens[i].norm).is_none()
            && crate::entities::calendar::weekday(&t.tokens[i].norm).is_none()
            && !crate::speech_act::person(&t.tokens[i])
    };
    let phrase =
        |first: usize, last: usize| -> String { (first..=last).map(|i| t.norm(i)).collect::<Vec<_>>().join(" ") };
    for n in (0..t.len()).filter(|&i| t.tokens[i].is_any(LIMIT_NOUNS)) {
        // "the pet budget", "my booze limit": the word before the noun (a period word may sit between).
        let mut k = n;
        while k > 0 && t.tokens[k - 1].is_any(&["monthly", "weekly", "yearly", "fortnightly", "annual"]) {
            k -= 1;
        }
        if k > 0 && word(k - 1) {
            let first = if k > 1 && word(k - 2) { k - 2 } else { k - 1 };
            return Some(phrase(first, k - 1));
        }
        // "a limit on booze and smokes", "budget for hobbies", "spending on alcohol": the words after.
        let mut j = n + 1;
        // Past the figure and its period: "a $150 fortnightly limit", "budget 2k a month for hobbies".
        while j < t.len() && !t.tokens[j].is_any(&["on", "for"]) && !word(j) && j <= n + 6 {
            j += 1;
        }
        if j < t.len() && t.tokens[j].is_any(&["on", "for"]) && word(j + 1) {
            let first = j + 1;
            let last = if t.norm(first + 1) == "and" && word(first + 2) {
                first + 2
            } else if word(first + 1) {
                first + 1
            } else {
                first
            };
            return Some(phrase(first, last));
        }
    }
    None
}
