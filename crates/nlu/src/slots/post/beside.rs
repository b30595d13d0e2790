//! A post's text beside its order, across a clause break: "make a community post, we're selling our
//! solar blankets", "Lost a pair of glasses at the camp kitchen - can you stick that on the community page?".

use super::{POSTING_WORDS, order_to_everyone, rest_from};
use crate::analysis::Analysis;
use crate::text::Text;

/// Whether a clause break (a colon, dash, comma, or the end of a sentence) comes before token `k`.
fn break_before(t: &Text, k: usize) -> bool {
    t.tokens.get(k).is_some_and(|token| token.is_any(&[":", "-", ","])) || t.sentence_break_before(k)
}

/// A post's text on the far side of a clause break from a short order to post it: after the order
/// ("make a community post, we're selling our solar blankets", "draft something for the members: need
/// recs on a park") or before an order that points back at it ("Lost a pair of glasses at the camp
/// kitchen - can you stick that on the community page?"). Whether the order stands is judged on the
/// order alone, in `evidence::act_for`.
pub(super) fn beside_the_order(a: &Analysis) -> Option<String> {
    const ORDER_LEN: usize = 12;
    let t = &a.text;
    let n = t.len();
    let breaks: Vec<usize> = (1..n).filter(|&k| break_before(t, k)).collect();
    let posting = |range: std::ops::Range<usize>| t.tokens[range].iter().any(|w| w.is_any(POSTING_WORDS));
    let text_from = |k: usize| {
        let k = (k..n).find(|&i| !t.tokens[i].is_any(&[":", "-", ",", "that"]))?;
        let words = t.tokens[k..].iter().filter(|w| !w.is_punct()).count();
        (words >= 2).then(|| rest_from(t, k)).flatten()
    };
    // The order last, pointing back ("share that with everyone pls", "put this up on the forum").
    // Not a question about a post ("can you check whether Jan already put that on the forum?").
    if let Some(&k) = breaks.last()
        && n - k <= ORDER_LEN
        && t.tokens[k..].iter().any(|w| w.is_any(&["that", "this", "it"]))
        && !t.tokens[k..].iter().any(|w| w.is_any(&["whether", "if", "check", "did", "already", "has", "was"]))
        && posting(k..n)
    {
        let content = t.folded.get(..t.tokens[k].span.start)?.trim().trim_end_matches([',', '-', ':', ' ']).trim();
        return (content.split_whitespace().count() >= 2).then(|| content.to_string());
    }
    // The order last, naming only whom to tell ("Road closed at Wyndham, water over the causeway. Tell the
    // community please").
    if let Some(&k) = breaks.last()
        && n - k <= ORDER_LEN
        && let Some(start) = (k..n).find(|&i| !t.tokens[i].is_punct())
        && let Some(clause) = t.folded.get(t.tokens[start].span.start..).map(Text::new)
        && let Some(told) = order_to_everyone(&clause)
        && clause.tokens[told..].iter().all(|w| {
            w.is_punct()
                || w.is_any(&[
                    "please", "pls", "know", "asap", "thanks", "now", "on", "in", "the", "app", "here", "page",
                ])
        })
    {
        let content = t.folded.get(..t.tokens[k].span.start)?.trim().trim_end_matches([',', '-', ':', '.', ' ']).trim();
        return (content.split_whitespace().count() >= 2).then(|| content.to_string());
    }
    // The order first: the first break after a short clause that posts. A question there is only the
    // order's own ("Can you post a question to the group for me? Where's the best place …").
    let &k = breaks.iter().find(|&&k| k <= ORDER_LEN && posting(0..k))?;
    let asked_order = t.tokens.first().is_some_and(|w| w.is_any(&["can", "could", "would", "will"]))
        && t.tokens.get(1).is_some_and(|w| w.is_any(&["you", "u", "ya"]))
        && t.tokens[k - 1].is("?");
    if t.tokens[..k].iter().any(|w| w.is("?")) && !(asked_order && t.tokens[..k - 1].iter().all(|w| !w.is("?"))) {
        return None;
    }
    // "Can you post to the group? Or is that too much": a second thought, not the text.
    if asked_order && t.tokens.get(k).is_some_and(|w| w.is_any(&["or", "is", "would", "nah", "actually"])) {
        return None;
    }
    text_from(k)
}
