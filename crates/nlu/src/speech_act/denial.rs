//! Whether the sentence denies, calls off or refuses what it mentions: "don't log it", "skip the
//! coffee", "we didn't go to Maccas in the end, so no 30 bucks", "haven't paid it yet" — and not a
//! limit ("not a cent more"), a purpose ("so I don't forget") or one figure set against another.

use super::grammar::is_amount;
use super::voice;
use super::words::*;
use crate::entities::Entity;
use crate::text::Text;

/// `money_clause` and `first_clause` are token ranges: a denial counts in the amount's clause, or in the
/// first clause when the user is its subject.
pub(super) fn negated(
    text: &Text,
    entities: &[Entity],
    words: &[&str],
    money_clause: (usize, usize),
    first_clause: (usize, usize),
) -> bool {
    let tokens = &text.tokens;
    let (first, second) = (text.norm(0), text.norm(1));
    let in_money_clause = |i: usize| (money_clause.0..money_clause.1).contains(&i);
    let in_first_clause = |i: usize| (first_clause.0..first_clause.1).contains(&i);
    let remark_ends = |k: usize| {
        words.get(k).is_none_or(|w| matches!(*w, "," | "." | "!" | "but" | "though" | "lol" | "haha" | "eh" | "mate"))
    };
    // "skip it", "forget the coffee" call off when they open a clause; "the truck stop" does not.
    let clause_start = |i: usize| {
        i == 0 || tokens[i - 1].is_any(CLAUSE_BREAKS) || tokens[i - 1].is_any(&["just", "please", "pls", "oh", "nah"])
    };
    // "not a cent more", "shouldn't cost us more than $15", "so we dont spend over 70": a limit — but
    // not a denial of money spent ("haven't spent more than $20", "almost paid over $90").
    let limit_after = |i: usize| {
        let ahead = &tokens[i + 1..];
        ahead.iter().take(4).position(|t| t.is_any(&["more", "over", "exceed", "above"])).is_some_and(|k| {
            !ahead[..k].iter().any(|t| t.is_any(USER_SPENDING) || t.is_any(&["paid", "spent", "spend", "pay"]))
        })
    };
    // "so I don't forget", "so we don't double up": a purpose, not a denial.
    // "don't let me forget the gas bottle swap", "dont let us sleep in": asking for help, not denying.
    let purpose = |i: usize| {
        (i >= 2 && tokens[i - 2].is_any(&["so", "lest"]))
            || (tokens.get(i + 1).is_some_and(|t| t.is("let"))
                && tokens.get(i + 2).is_some_and(|t| t.is_any(&["me", "us"]))
                // Not a memory kept ("dont let me forget how bad friday was", "…we were at the vet").
                && !tokens.get(i + 4).is_some_and(|t| {
                    t.is_any(&["how", "what", "that", "we", "i", "it", "when", "where", "who", "this", "those"])
                }))
    };
    // "for the night we didn't use", "the tent I didn't need": a clause about a thing named, not a denial
    // of what the sentence tells.
    let relative = |i: usize| {
        i >= 3
            && matches!(words[i - 1], "we" | "i")
            && !tokens[i - 2].is_punct()
            && !NEGATION.contains(&words[i - 2])
            && matches!(words[i - 3], "the" | "that" | "those" | "a" | "an")
    };
    let called_off = words
        .iter()
        .enumerate()
        .any(|(i, w)| {
            // "don't log it", "we don't need that recorded" — not "so the neighbours don't fuss".
            let dont = matches!(*w, "don't" | "dont")
                && (clause_start(i)
                    || tokens[i - 1].is_any(&["i", "we", "you", "no", "and", "actually", "but"])
                    || tokens.get(i + 1).is_some_and(|n| n.is_any(RECORD) || n.is_any(&["bother", "count", "include"])));
            (dont && !limit_after(i) && !purpose(i)) || *w == "nah" || (CALL_OFF.contains(w) && clause_start(i) && !purpose(i))
        })
        || CALL_OFF_PHRASES.iter().chain(SARCASM_TAGS).any(|p| text.has_phrase(p))
        || voice::refuses_recording(words)
        || (first == "no" && second == ",")
        // "~~bait 12~~": struck out.
        || text.folded.contains("~~")
        || (first == "wait" && text.len() > 1)
        || voice::not_meant(text, entities);
    // A denial counts in the amount's clause, or in the first clause when the user is its subject
    // ("we didn't go to Maccas in the end, so no 30 bucks"), not in a side remark ("bulk billing
    // wasn't on, so the GP charged us $95"); "no $30" denies the amount itself.
    let self_first = (first_clause.0..first_clause.1).any(|i| tokens[i].is_any(SELF_SUBJECT));
    called_off
        || words.iter().enumerate().any(|(i, w)| {
            NEGATION.contains(w)
                && (in_money_clause(i) || (self_first && in_first_clause(i)))
                // "I almost forgot, set an alarm…": the forgetting nearly happened, not the order.
                && !(matches!(*w, "almost" | "nearly") && words.get(i + 1) == Some(&"forgot"))
                && !(*w == "not" && words.get(i + 1) == Some(&"sure"))
                // "120 lol not much but add it", "not bad for a day's work": a remark on the amount.
                // A remark closes its clause: not "there's not much point logging it".
                && !(*w == "not"
                    && match words.get(i + 1).copied() {
                        Some("much" | "bad" | "cheap" | "great" | "huge" | "many") => remark_ends(i + 2),
                        Some("a") => words.get(i + 2).is_some_and(|m| matches!(*m, "lot" | "fortune")) && remark_ends(i + 3),
                        _ => false,
                    })
                // "make it 550 not 500": one figure set against another, nothing denied.
                && !(*w == "not"
                    && entities.iter().any(|e| is_amount(e) && e.end() == i)
                    && entities.iter().any(|e| is_amount(e) && e.start == i + 1))
                && !limit_after(i)
                && !purpose(i)
                && !relative(i)
        })
        || entities.iter().any(|e| is_amount(e) && e.start > 0 && tokens[e.start - 1].is("no"))
        // "we nearly spent $120 on dinner": a purchase that did not happen.
        || words.windows(2).any(|w| w[0] == "nearly" && PAID_OUT.contains(&w[1]))
        // "got the bill for the tyres, $880, haven't paid it yet": a bill still to pay, in any clause.
        || text.has("unpaid")
        || (words.windows(2).any(|w| NEGATION.contains(&w[0]) && matches!(w[1], "paid" | "pay" | "settled"))
            && text.has_any(&["yet", "still", "until", "till", "til"]))
}
