//! Orders addressed to the community with no word of posting in them ("warn everyone the causeway is under
//! water", "let my followers know …"), and the text they tell.

use super::{ends_in_frame, rest_from};
use crate::analysis::Analysis;
use crate::text::Text;

/// The people who follow the user's posts: "tell my followers …".
pub(super) const FOLLOWERS: &[&str] = &["followers", "subscribers", "mob", "members"];

/// Who a post is for when an order names no post: the community as a whole.
const AUDIENCE: &[&str] = &[
    "everyone",
    "everybody",
    "folks",
    "group",
    "community",
    "members",
    "forum",
    "y'all",
    "people",
    "mob",
    "followers",
];

/// Verbs of telling people something, which open an order to tell the community. A short list on
/// purpose: a sentence opening with anything else ("Glad everyone made it", "Dad tells everyone …",
/// "Morning everyone, …", "Remind me to warn everyone …") is not taken for such an order.
const TELLING: &[&str] = &[
    "warn",
    "alert",
    "holler",
    "inform",
    "notify",
    "tell",
    "shout",
    "yell",
    "spread",
    "put",
    "get",
    "broadcast",
    "announce",
    "let",
    // "ask the forum if anyone has a spare fan belt": the question is the post.
    "ask",
];

/// An order addressed to the community, with no word of posting in it: "warn everyone the causeway is
/// under water", "holler at the group that the dump point is fixed", "put the word out that our dog
/// is missing". Returns where what is to be told starts: after the audience (or "the word out"). The
/// sentence opens with a verb of telling (after "please", "pls", "just" or "pam"), no verb told in the
/// past comes before the audience, and "put" only puts "the word out".
pub(crate) fn order_to_everyone(t: &Text) -> Option<usize> {
    let told = |w: &crate::text::Token| crate::speech_act::is_finite(&w.norm) || w.norm.ends_with("ed");
    // The verb opens the message or a sentence of it ("I'm so mad. Tell the forum the park charged us …").
    let opens = |k: usize| k == 0 || t.sentence_break_before(k) || t.tokens[k - 1].norm.ends_with('.');
    let start = (0..t.len())
        .filter(|&k| opens(k))
        .find_map(|k| {
            let start = (k..t.len()).find(|&i| {
                !t.tokens[i]
                    .is_any(&["please", "pls", "just", "pam", ",", "wanna", "can", "could", "would", "you", "u", "ya"])
            })?;
            t.tokens[start].is_any(TELLING).then_some(start)
        })
        // Or after a short greeting or preamble: "quick one, broadcast to everyone on here that …".
        .or_else(|| {
            let comma = (1..t.len().min(5)).find(|&k| t.tokens[k].is(","))?;
            t.tokens.get(comma + 1).filter(|w| w.is_any(TELLING)).map(|_| comma + 1)
        })?;
    let verb = &t.tokens[start];
    for j in start + 1..t.len().min(start + 6) {
        let w = &t.tokens[j];
        if told(w) || w.is_any(&["?"]) {
            return None;
        }
        if w.norm == "word" && t.tokens.get(j + 1).is_some_and(|n| n.is_any(&["out", "around", "round"])) {
            return Some(j + 2);
        }
        // "spread the word: the bridge is closed"
        if w.norm == "word" && t.tokens.get(j + 1).is_some_and(|n| n.is_any(&[":", "-", "that"])) {
            return Some(j + 1);
        }
        // "put" and "get" tell only when they put something out ("get that out to the group"), and
        // "let" only lets them know ("let people on the app know").
        if w.is_any(AUDIENCE)
            && (!verb.is_any(&["put", "get"])
                || (t.tokens[start + 1..j].iter().any(|x| x.is("out"))
                    && t.tokens[start + 1..j].iter().any(|x| x.is_any(&["word", "that", "this", "it"]))))
            && (!verb.is("let") || t.tokens[j..t.len().min(j + 5)].iter().any(|x| x.is("know")))
        {
            return Some(j + 1);
        }
    }
    None
}

/// The text of an order told to everyone ([`order_to_everyone`]), after an opening "that", colon, comma or
/// dash: at least two words, in a sentence that asks nothing. (The text itself may well be a statement
/// — "warn everyone the causeway is under water" —, so whether the order stands is judged on the order
/// alone, in `evidence::act_for`.)
pub(super) fn told_to_everyone(a: &Analysis) -> Option<String> {
    let t = &a.text;
    let mut k = order_to_everyone(t)?;
    // Asking everyone: the text is a question, opened by "if", "whether" or a question word.
    let asking = t.tokens[..k].iter().any(|w| w.is("ask"));
    if a.act.question && !asking {
        return None;
    }
    // "broadcast to everyone on here that …", "tell the group on the app that …".
    if let Some(that) = (k..t.len().min(k + 5)).find(|&j| t.tokens[j].is("that"))
        && t.tokens[k..that]
            .iter()
            .all(|w| w.is_any(&["on", "in", "here", "the", "app", "group", "page", "forum", "board"]))
    {
        k = that;
    }
    while k < t.len()
        && (t.tokens[k].is_any(&["that", ":", "-", ","]) || (asking && t.tokens[k].is_any(&["if", "whether"])))
    {
        k += 1;
    }
    let words = t.tokens[k.min(t.len())..].iter().filter(|w| !w.is_punct()).count();
    if words < 2 || (!asking && t.tokens[k..].iter().any(|w| w.is_any(&["?"]))) || ends_in_frame(t, k) {
        return None;
    }
    rest_from(t, k)
}
