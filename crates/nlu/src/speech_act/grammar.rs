//! The grammar the speech-act rules share: clauses, amounts, past tenses, years.

use super::words::*;
use crate::entities::{Entity, Kind};
use crate::text::Text;

/// Token ranges of the clauses.
pub(super) fn clauses(text: &Text) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, t) in text.tokens.iter().enumerate() {
        if t.is_any(CLAUSE_BREAKS) {
            if i > start {
                out.push((start, i));
            }
            start = i + 1;
        }
    }
    if start < text.len() {
        out.push((start, text.len()));
    }
    out
}

pub(super) fn is_amount(e: &Entity) -> bool {
    matches!(e.kind, Kind::Money(_) | Kind::Number { .. } | Kind::Volume { .. })
}

/// A past-tense verb by its ending ("dinged", "crossed"), not a name or an order verb.
pub(super) fn past_tense(text: &Text, i: usize) -> bool {
    let t = &text.tokens[i];
    t.norm.len() >= 5
        && t.norm.ends_with("ed")
        && t.norm.chars().all(char::is_alphabetic)
        && !(t.capitalised && i > 0)
        && !t.is_any(ADJECTIVAL)
        // "the boiled eggs", "a used awning", "for closed roads": an adjective.
        && !(i > 0 && text.tokens[i - 1].is_any(DETERMINERS))
}

/// A year as written: four digits from 1900 to 2099.
pub(crate) fn is_year(word: &str) -> bool {
    word.len() == 4 && word.chars().all(|c| c.is_ascii_digit()) && ("1900".."2100").contains(&word)
}

/// Past forms that do not end in "-ed".
const IRREGULAR_PAST: &[&str] = &[
    "was", "were", "got", "had", "broke", "did", "went", "came", "left", "paid", "spent", "bought", "filled", "put",
    "saw",
];

/// An order or a report put off until something else happens: "record income of $500 once the invoice
/// clears", "after dinner set a timer", "tell the forum, once I calm down", "if fuel drops below $2, set
/// the budget to $400". Nothing is to be done now. ("If you could…", "after 2 hours", "when is…?" are not.)
pub(super) fn deferred(text: &Text, entities: &[Entity]) -> bool {
    let t = &text.tokens;
    let subject = |i: usize| {
        t.get(i).is_some_and(|w| {
            w.is_any(&[
                "i", "we", "it", "they", "he", "she", "the", "my", "our", "that", "this", "its", "it's", "i'm",
                "we're", "im",
            ])
        })
    };
    let starts_clause = |i: usize| i == 0 || t[i - 1].is_punct() || t[i - 1].is_any(&["but", "and", "just", "only"]);
    let number_after = |i: usize| entities.iter().any(|e| e.start == i + 1);
    t.iter().enumerate().any(|(i, w)| {
        // "once the invoice clears", "when I get signal" (not "for when", nor a question "when is…").
        (w.is("once") && subject(i + 1))
            // A clause of its own with its verb in the present: "when I get signal", not "when we filled
            // up" (when it happened) nor "call the dealer when they open" (when the other thing happens).
            || (w.is("when")
                && i > 0
                && starts_clause(i)
                && subject(i + 1)
                && !(i + 2..i + 4).any(|k| k < t.len() && (past_tense(text, k) || t[k].is_any(IRREGULAR_PAST))))
            // "after dinner, set…", "after we eat": not "after 2 hours".
            || (w.is("after")
                && starts_clause(i)
                && !number_after(i)
                && t.get(i + 1).is_some_and(|n| !n.is_any(&["a", "an", "that", "this", "all", "last", "what", "yesterday", "today"])))
            // "if fuel drops below $2, set…": not "if you could…", "if possible".
            || (w.is_any(&["if", "unless"])
                && starts_clause(i)
                && !t.get(i + 1).is_some_and(|n| n.is_any(&["you", "u", "ya", "ye", "you'd", "youd", "you're", "possible", "poss", "that's", "thats", "ok", "okay"])))
    })
}

/// Money still to change hands, told in the present with a day that is not past: "I'm paying $200 for
/// the service on Friday", "I get paid $800 on Friday", "the pension comes in Thursday, $1,150", "pension
/// due Friday, 1144", "my super pays out $2,000 on the 1st". A weekday alone reads as the last one when
/// something is reported done; with the verb in the present it is the next one, and nothing has happened.
pub(super) fn told_ahead(text: &Text, entities: &[Entity]) -> bool {
    const PRESENT: &[&str] = &[
        "paying",
        "pay",
        "pays",
        "comes",
        "coming",
        "due",
        "receive",
        "receives",
        "receiving",
        "expect",
        "expecting",
        "lands",
        "arrives",
        "arriving",
        "hits",
        "goes",
    ];
    const GETTING: &[&str] = &["get", "gets", "getting"];
    let t = &text.tokens;
    let day_ahead = entities.iter().any(|e| match e.kind {
        Kind::Day(crate::entities::DayExpr::Weekday { last, .. }) => !last,
        Kind::Day(crate::entities::DayExpr::Offset(n)) => n > 0,
        Kind::Day(crate::entities::DayExpr::DayOfMonth(_) | crate::entities::DayExpr::MonthDay { .. }) => true,
        _ => false,
    });
    // "I get paid", "getting paid": "paid" after a present "get" is no past.
    let present_at = |i: usize| {
        (t[i].is_any(PRESENT) && !(i > 0 && t[i - 1].is_any(&["to", "had", "didn't", "didnt"])))
            || (t[i].is("paid") && i > 0 && t[i - 1].is_any(GETTING))
    };
    let past_at = |i: usize| {
        (t[i].is_any(IRREGULAR_PAST) || past_tense(text, i) || t[i].is_any(&["cost", "charged", "received", "landed"]))
            && !(t[i].is("paid") && i > 0 && t[i - 1].is_any(GETTING))
    };
    day_ahead && (0..t.len()).any(present_at) && !(0..t.len()).any(past_at)
}

/// A question told inside a statement: someone wanting to know, or the user not knowing, followed by
/// what is asked ("the missus wants to know if we're free Friday arvo", "I can't remember if the ferry
/// is this week or the one after", "my husband keeps asking what starlink has cost us").
pub(super) fn asked_within(text: &Text) -> bool {
    #[rustfmt::skip]
    const WANTING: &[&str] = &[
        "wants to know", "want to know", "wanna know", "like to know", "love to know", "keeps asking", "was asking",
        "is asking", "asked me", "can't remember", "cant remember", "don't remember", "dont remember", "not sure",
        "wondering", "i wonder", "no idea", "don't know", "dont know", "can't recall", "cant recall",
    ];
    const ASKED: &[&str] = &["if", "whether", "what", "when", "how", "where", "which", "who", "what's", "whats", "wat"];
    let t = &text.tokens;
    WANTING.iter().filter_map(|p| text.find_phrase(p).map(|at| at + p.split(' ').count())).any(|after| {
        // The asked part follows at once, or after one word ("keeps asking me what").
        t[after..].iter().take(2).any(|w| w.is_any(ASKED))
    })
}
