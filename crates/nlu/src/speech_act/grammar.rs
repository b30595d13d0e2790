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
