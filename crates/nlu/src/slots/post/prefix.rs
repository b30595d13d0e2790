//! The last way to find a post's text: what follows an order made only of words of ordering a post
//! ("PAM post this for me wifi code at the office has changed", "put this up for everybody watch out
//! for the potholes", "write something for my followers about waking up to kangaroos").

use super::{ends_in_frame, rest_from};
use crate::analysis::Analysis;

/// Words an order to post is made of: who is asked, the verb, the post, where it goes and for whom.
#[rustfmt::skip]
const ORDER_WORDS: &[&str] = &[
    "pam", "hey", "ok", "okay", "yo", "can", "could", "would", "will", "you", "ya", "u", "please", "pls", "plz",
    "just", "i", "i'd", "we", "like", "to", "want", "wanna", "need", "gotta", "help", "me", "us", "my", "our",
    "for", "4", "the", "a", "an", "this", "it", "something", "somethin", "up", "out", "there", "on", "in", "onto",
    "and", "quick", "short", "little", "new", "thread", "note", "message", "blurb", "update", "word", "everyone",
    "everybody", "all", "folks", "people", "community", "group", "forum", "feed", "page", "board", "noticeboard",
    "app", "side", "of", "members", "followers", "gang", "mob", "crew", "fam", "y'all", "wheels", "wins", "&",
    "know", "post", "posts",
];

/// Words that make an order one to post: the post, where it goes, or the people it is for.
#[rustfmt::skip]
const PUBLIC: &[&str] = &[
    "post", "posts", "thread", "blurb", "update", "everyone", "everybody", "folks", "people", "community", "group",
    "forum", "feed", "page", "board", "noticeboard", "members", "followers", "gang", "mob", "crew", "fam", "y'all",
];

/// Verbs of posting: one must open the order ("put this up…"), after who is asked ("PAM, post…").
#[rustfmt::skip]
const VERBS: &[&str] = &[
    "post", "put", "write", "share", "draft", "make", "start", "pop", "stick", "chuck", "whack", "bung", "throw",
    "send", "announce", "broadcast", "spread", "shout", "let", "tell", "get",
];

/// What may open the text after the order: a colon, a dash, "that", "saying", "about".
const OPENERS: &[&str] = &[":", "-", ",", "that", "saying", "about", "re"];

pub(super) fn after_order_words(a: &Analysis) -> Option<String> {
    let t = &a.text;
    let mut k = 0;
    let mut verb = false;
    while k < t.len() && (t.tokens[k].is_any(ORDER_WORDS) || t.tokens[k].is_any(VERBS)) {
        // A verb, not a noun ("I need the post office hours"): no article before it, and no mail.
        verb |= t.tokens[k].is_any(VERBS)
            && !(k > 0 && t.tokens[k - 1].is_any(&["the", "a", "an", "my", "our", "this", "that", "your"]))
            && !super::postal(t, k);
        k += 1;
    }
    // The order must say it is for the community: a post, where it goes, for whom, or "out there" —
    // not "Put the chairs out for everyone before the sausage sizzle", whose order stops at "Put the".
    let prefix = &t.tokens[..k];
    let public =
        prefix.iter().any(|w| w.is_any(PUBLIC)) || prefix.windows(2).any(|w| w[0].is("out") && w[1].is("there"));
    if !verb || !public {
        return None;
    }
    if t.tokens.get(k).is_some_and(|w| w.is_any(OPENERS)) {
        k += 1;
    }
    let rest = t.tokens.get(k..)?;
    // Two words at least, and not a question or a pointer to text said elsewhere.
    let words = rest.iter().filter(|w| !w.is_punct()).count();
    // Nor a thing to share that ends by naming where ("share our photo of the Bungle Bungles with the
    // community"): that is what to share, not the text.
    (words >= 2
        && !rest.iter().any(|w| w.is("?"))
        && !rest[0].is_any(&["it", "this", "that", "them"])
        && !ends_in_frame(t, k))
    .then(|| rest_from(t, k))
    .flatten()
}

/// An order to post made only of words of ordering, then a colon or a dash, then the text ("share to the
/// community pls: rain forecast for Karijini this weekend, campgrounds might close"): whatever the text
/// talks about, the message asks for it to be posted.
pub(crate) fn order_then_colon(a: &Analysis) -> bool {
    let t = &a.text;
    let Some(mark) = t.tokens.iter().position(|w| w.is_any(&[":", "-"])) else { return false };
    let order = &t.tokens[..mark];
    let verb = order.iter().enumerate().any(|(k, w)| {
        w.is_any(VERBS) && !(k > 0 && order[k - 1].is_any(&["the", "a", "an", "my", "our", "this", "that", "your"]))
    });
    !order.is_empty()
        && order.iter().all(|w| w.is_any(ORDER_WORDS) || w.is_any(VERBS))
        && verb
        && order.iter().any(|w| w.is_any(PUBLIC))
        && t.tokens[mark + 1..].iter().filter(|w| !w.is_punct()).count() >= 3
        && !crate::speech_act::order_quoted(t)
}
