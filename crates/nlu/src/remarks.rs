//! Remarks around a request: small talk before or after what is asked ("What a day! Spent $60 on a new
//! hose", "Kids are finally asleep. Plan a trip from Geelong to Apollo Bay"). The corpus has few such
//! messages, so the model is also trained on requests after its own remarks (`augment`), and a message
//! read whole as nothing to do is read again without its remarks (`request_among_remarks`).

use chrono::NaiveDate;

use crate::analysis::Analysis;
use crate::corpus::Example;
use crate::intents;
use crate::understand::{Action, Understander, Understanding};

/// Lines told after a remark or a greeting: every second line of the training set that asks for
/// something (or is a trap), again, after one of the set's own small-talk or greeting lines ("What a view
/// this morning. Spent $40 on diesel"), with its own label. People often say something else first; the
/// corpus has few such lines, and without these the model learned that a story means `none`. The traps get
/// the same treatment so that a remark before a sentence does not make it a request either. (Every second
/// line, traps and greetings included, was best on cross-validation: right tool 6,202 → 6,222 of 6,632,
/// trap writes 3 → 2; every line: 6,216 but 6 trap writes.)
pub(crate) fn augment(examples: &[&Example]) -> Vec<Example> {
    const EVERY: usize = 2;
    let remarks: Vec<&str> = examples
        .iter()
        .filter(|e| matches!(e.intent.as_str(), "none" | "greeting") && !e.negative)
        .map(|e| e.text.trim())
        .filter(|t| {
            let a = Analysis::new(t);
            a.entities.is_empty() && !a.act.question && !a.act.imperative && (3..=12).contains(&a.words.len())
        })
        .collect();
    if remarks.is_empty() {
        return Vec::new();
    }
    examples
        .iter()
        .filter(|e| e.negative || !matches!(e.intent.as_str(), "none" | "greeting" | "help"))
        .enumerate()
        .filter(|(i, _)| i % EVERY == 0)
        .map(|(i, e)| {
            // A fixed, well-spread choice of remark: the model must come out the same on every start.
            let remark = remarks[(i * 7919) % remarks.len()];
            let joiner = if remark.ends_with(['.', '!', '?']) { " " } else { ". " };
            Example { text: format!("{remark}{joiner}{}", e.text), ..(*e).clone() }
        })
        .collect()
}

/// A message read whole, or, when it holds one request among remarks, from that sentence: the sentence
/// alone decides when the whole said nothing to do, when both mean the same tool (its values are the
/// sentence's own: a title without the greeting), and when the whole would write but the sentence alone
/// would not.
pub(crate) fn read_with_remarks(u: &Understander, text: &str, today: NaiveDate) -> Understanding {
    let whole = u.read(text, today);
    let Some(sentence) = request_among_remarks(u, text, today) else { return whole };
    let alone = u.read(sentence, today);
    let tool = |u: &Understanding| match &u.action {
        Action::Call { tool, .. } => Some(*tool),
        Action::Clarify { candidate: Some((tool, _)), .. } => Some(*tool),
        _ => None,
    };
    let whole_writes = matches!(&whole.action, Action::Call { tool, .. } if intents::is_write(tool));
    match (&whole.action, &alone.action) {
        (Action::Reply { .. }, Action::Reply { .. }) => whole,
        (Action::Reply { .. }, _) => alone,
        (_, Action::Reply { .. }) if whole_writes => alone,
        _ if tool(&whole).is_some() && tool(&whole) == tool(&alone) => alone,
        _ => whole,
    }
}

/// The one sentence of a message that is not a remark, when every other sentence is one: a sentence
/// PAM would do nothing with on its own, with no value in it (no amount, day or time), about no one else,
/// that asks, supposes, denies, quotes, puts off or orders nothing. That sentence read alone is what the
/// message asks ("What a morning. Add a dentist appointment tomorrow at 3pm" gets the title "dentist
/// appointment", not "What a"). Anything that could bear on the request — a "jk", "don't log it", "Dave's
/// news:", "remember last year?", "the bloke next door" — is no remark, and then the message is read whole.
pub(crate) fn request_among_remarks<'t>(u: &Understander, text: &'t str, today: NaiveDate) -> Option<&'t str> {
    let sentences = sentences(text);
    if !(2..=4).contains(&sentences.len()) {
        return None;
    }
    let mut request = None;
    for s in sentences {
        if remark(u, s, today) {
            continue;
        }
        if request.is_some() {
            return None;
        }
        request = Some(s);
    }
    request
}

/// The sentences of a message: ended by ".", "!", "?" or "…" before a space, or by a line break (so
/// "$4.50" and "a.m." stay whole unless a space follows).
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let next_space = chars.get(k + 1).is_none_or(|(_, n)| n.is_whitespace());
        if c == '\n' || (matches!(c, '.' | '!' | '?' | '…') && next_space) {
            let end = i + c.len_utf8();
            if text[start..end].trim().chars().any(char::is_alphanumeric) {
                out.push(text[start..end].trim());
            }
            start = end;
        }
    }
    if text[start..].trim().chars().any(char::is_alphanumeric) {
        out.push(text[start..].trim());
    }
    // "Been raining all week, anyway, spent $30 on board games": "anyway" turns from a remark to the point.
    out.into_iter()
        .flat_map(|s| {
            let lower = s.to_lowercase();
            match ["anyway,", "anyways,", "anyhow,"].iter().find_map(|m| lower.find(m).map(|at| (at, m.len()))) {
                Some((at, len)) if at > 0 && s.is_char_boundary(at) && s.is_char_boundary(at + len) => {
                    vec![s[..at].trim(), s[at + len..].trim()]
                }
                _ => vec![s],
            }
        })
        .filter(|s| s.chars().any(char::is_alphanumeric))
        .collect()
}

fn remark(u: &Understander, sentence: &str, today: NaiveDate) -> bool {
    let a = Analysis::new(sentence);
    let act = &a.act;
    // "What a day!", "How good is this!": exclaimed, not asked.
    let exclaimed =
        sentence.trim_end().ends_with('!') || (a.text.norm(0) == "what" && matches!(a.text.norm(1), "a" | "an"));
    // Someone who could be the subject a next sentence leaves out ("Sarah went to town. Spent $200"): a
    // person or a name — a place named ("Just got to Port Augusta.") and "mate" ("Cheers mate.") are not.
    let place = crate::places::place(&a.text, &a.entities).unwrap_or_default().to_lowercase();
    let someone = a.text.tokens.iter().enumerate().any(|(i, t)| {
        (i > 0 && t.capitalised && !place.split(' ').any(|w| w == t.norm))
            || (crate::speech_act::person(t) && !t.is("mate"))
            || t.norm.ends_with("'s")
    });
    // Small talk to the classifier ("Payday!" is not), and nothing PAM would do on its own. A single word
    // is a greeting ("Morning!") or else the request's own label ("Lunch. $31. Gundagai.", "eggs. 7
    // minutes"), and a spending word names what the request is about ("bloody tolls. 8.50 on the Gateway").
    let words = a.text.tokens.iter().filter(|t| !t.is_punct()).count();
    let small_talk = || match u.top_intent(&a).0 {
        "greeting" => true,
        "none" => words > 1 && crate::slots::category(&a).is_none(),
        _ => false,
    };
    let nothing_to_do = || matches!(u.read(sentence, today).action, Action::Reply { .. });
    // "Kidding, it was free.", "No wait, wrong one.", "Nah, skip it.": they bear on the request even where,
    // opening their own sentence, the speech act does not count them.
    let takes_back = a.text.tokens.iter().any(|t| {
        t.is_any(&["kidding", "joking", "jk", "jks", "wait", "no", "nah", "nope", "not", "never"])
            || t.is_any(crate::speech_act::CALL_OFF)
    });
    a.entities.is_empty()
        && !takes_back
        && !someone
        && (exclaimed || !act.question)
        && !(act.negated
            || act.hypothetical
            || act.future
            || act.deferred
            || act.reported
            || act.third_party
            || act.others_act
            || act.relayed
            || act.imperative
            || act.polite_request
            || act.record_order)
        && small_talk()
        && nothing_to_do()
}
