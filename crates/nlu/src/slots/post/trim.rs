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
    let asked = a.text.tokens.first().is_some_and(|w| w.is_any(&["can", "could", "would", "will"]))
        && a.text.tokens.get(1).is_some_and(|w| w.is_any(&["you", "u", "ya"]));
    let c = Text::new(&content);
    let question_of_its_own = c.tokens.first().is_some_and(|w| {
        w.is_any(crate::speech_act::WH) || w.is_any(&["anyone", "anybody", "does", "is", "are", "do", "has"])
    });
    if asked && !question_of_its_own {
        content = content.trim_end_matches(['?', ' ']).to_string();
    }
    (content.split_whitespace().count() >= 2).then_some(content)
}
