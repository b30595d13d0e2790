//! A post's text cleared of what belongs to the order around it.

use crate::analysis::Analysis;
use crate::text::Text;

/// A post's text without what belongs to the order around it: the question mark of a polite request
/// ("could you post that the Gibb is open?") and an order after it ("… drive slow. post it pls").
pub(super) fn trimmed(a: &Analysis, content: String) -> Option<String> {
    let mut content = content;
    let c = Text::new(&content);
    // The last sentence, when it only points back to post: "post it pls", "share that".
    if let Some(cut) = (1..c.len()).rev().find(|&k| c.sentence_break_before(k))
        && c.len() - cut <= 5
        && c.tokens[cut..].iter().any(|w| w.is_any(&["it", "that", "this"]))
        && c.tokens[cut..].iter().any(|w| w.is_any(&["post", "share", "put", "pop", "stick", "publish"]))
    {
        content = c.folded[..c.tokens[cut].span.start].trim().to_string();
    }
    content = without_order_left_over(content);
    let asked = a.text.tokens.first().is_some_and(|w| w.is_any(&["can", "could", "would", "will"]))
        && a.text.tokens.get(1).is_some_and(|w| w.is_any(&["you", "u", "ya"]));
    let c = Text::new(&content);
    let question_of_its_own = c.tokens.first().is_some_and(|w| {
        w.is_any(crate::speech_act::WH) || w.is_any(&["anyone", "anybody", "does", "is", "are", "do", "has"])
    });
    if asked && !question_of_its_own {
        content = content.trim_end_matches(['?', ' ']).to_string();
    }
    // Only what belongs to the order left ("would ya", "for me would ya", "one too", "with the forum would
    // ya", "when you get a chance"): courtesy, whom it is for and where it goes — no text.
    let courtesy = order_words_only(&content);
    (content.split_whitespace().count() >= 2 && !courtesy).then_some(content)
}

/// Whether a text holds only words an order to post leaves around its text.
pub(super) fn order_words_only(content: &str) -> bool {
    Text::new(content).tokens.iter().all(|w| w.is_punct() || w.is_any(ORDER_LEFTOVERS))
}

/// Words an order to post leaves around its text that are never a post's own.
#[rustfmt::skip]
const ORDER_LEFTOVERS: &[&str] = &[
    "would", "could", "will", "can", "ya", "you", "u", "ye", "please", "pls", "plz", "thanks", "ta", "mate", "eh",
    "yeah", "cheers", "love", "thx", "for", "me", "us", "one", "too", "as", "well", "if", "want", "when", "get", "a",
    "chance", "with", "on", "to", "in", "the", "forum", "group", "page", "feed", "community", "board", "everyone",
    "all", "that", "this", "it", "now", "later", "again", "also", "just", "ok", "okay",
];

/// The text without what the order left at its start: a stray mark (", roadworks on the Bruce" from "put
/// this on the feed: heads up, roadworks…"), the asking ("asking if anyone's got…" is "anyone's got…"),
/// the saying ("just say thanks to everyone…"), or where it goes, told before "know" ("let everyone on the
/// feed know the park has a deal").
fn without_order_left_over(content: String) -> String {
    let c = Text::new(&content);
    let t = &c.tokens;
    let mut k = 0;
    while t.get(k).is_some_and(|w| w.is_any(&[",", "-", ":", ";"])) {
        k += 1;
    }
    if t.get(k).is_some_and(|w| w.is("asking")) {
        if t.get(k + 1).is_some_and(|w| w.is_any(&["if", "whether"])) {
            k += 2;
        } else if t.get(k + 1).is_some_and(|w| w.is_any(crate::speech_act::WH)) {
            k += 1;
        }
    }
    let say = if t.get(k).is_some_and(|w| w.is("just")) { k + 1 } else { k };
    if t.get(say).is_some_and(|w| w.is("say")) && t.len() > say + 2 {
        k = say + 1 + usize::from(t.get(say + 1).is_some_and(|w| w.is("that")));
    }
    // "the other rvers on the app that the bridge is down to one lane": the audience told, then the text.
    if let Some(that) = (k + 1..t.len().min(k + 8)).find(|&j| t[j].is("that"))
        && t[k..that].iter().any(|w| {
            w.is_any(&[
                "rvers",
                "people",
                "folks",
                "travellers",
                "travelers",
                "campers",
                "members",
                "everyone",
                "everybody",
                "app",
                "forum",
                "community",
                "group",
                "feed",
                "nomads",
                "caravanners",
            ])
        })
        && t[k..that].iter().all(|w| !w.is_punct())
        && t.len() > that + 2
    {
        k = that + 1;
    }
    if t.get(k).is_some_and(|w| w.is_any(&["on", "in"]))
        && let Some(know) = (k + 1..t.len().min(k + 5)).find(|&j| t[j].is("know"))
        && t[k + 1..know].iter().any(|w| w.is_any(&["feed", "forum", "page", "board", "group", "app", "community"]))
    {
        k = know + 1 + usize::from(t.get(know + 1).is_some_and(|w| w.is("that")));
    }
    // "…whale watching this week plz": courtesy at the end is the order's, not the post's.
    let mut end = t.len();
    while end > k + 2 && t[end - 1].is_any(&["plz", "pls", "please", "thx", "thanks", "ta"]) {
        end -= 1;
    }
    match (t.get(k), end < t.len()) {
        (Some(first), true) => c.folded[first.span.start..t[end - 1].span.end].trim().to_string(),
        (Some(first), false) if k > 0 => c.folded[first.span.start..].trim().to_string(),
        _ => content,
    }
}
