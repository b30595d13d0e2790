//! A message opened by a label naming it a post ("Post: has anyone done the Oodnadatta in a Jayco?",
//! "New forum post - free firewood at site 22", "post to the group - dump point fixed"): the one word
//! list and the one test that both the post's evidence and the trap gate's exception use.

use crate::analysis::Analysis;
use crate::text::Token;

/// Words a label to post is made of: the post, where it goes, for whom, and courtesy.
#[rustfmt::skip]
const LABEL_WORDS: &[&str] = &[
    "post", "draft", "psa", "announcement", "broadcast", "share", "new", "quick", "community", "forum", "group",
    "feed", "page", "board", "to", "on", "the", "for", "everyone", "please", "pls", "pam", "hey", "ok", "okay", "it",
    "this", "a",
];

/// Words of which a label needs one: what names the message a post. A place alone ("forum: so rude")
/// is no label.
const POST_WORDS: &[&str] = &["post", "draft", "psa", "announcement", "broadcast", "share"];

/// The index of the colon or dash that ends a label opening `tokens`, when they open with one. A post
/// already there is no label: "latest forum post:", "read the community post:", "reply to forum post:"
/// hold words that are not a label's.
pub(crate) fn label_mark(tokens: &[Token]) -> Option<usize> {
    let mark = tokens.iter().position(|w| w.is_any(&[":", "-"]))?;
    let label = &tokens[..mark];
    (label.iter().all(|w| w.is_any(LABEL_WORDS)) && label.iter().any(|w| w.is_any(POST_WORDS))).then_some(mark)
}

/// A message opened by a short label, or by an order to post made only of words of ordering
/// ([`super::order_then_colon`]), with a text of more than three words after it: the user's own order
/// to post, however much the text after it asks or tells.
pub(crate) fn labelled_post(a: &Analysis) -> bool {
    let t = &a.text;
    super::order_then_colon(a)
        || (label_mark(&t.tokens).is_some_and(|mark| mark < 5 && t.len() - mark > 3)
            && !crate::speech_act::order_quoted(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labelled(s: &str) -> bool {
        labelled_post(&Analysis::new(s))
    }

    #[test]
    fn a_label_of_posting_words_opens_a_post() {
        assert!(labelled("Post: has anyone done the Oodnadatta in a Jayco?"));
        assert!(labelled("New forum post - free firewood at site 22 tonight"));
        assert!(labelled("post to the group - dump point at Bourke is fixed"));
        assert!(labelled("PSA: the Nullarbor roadhouse is out of diesel again"));
    }

    #[test]
    fn a_place_alone_or_a_post_already_there_is_no_label() {
        assert!(!labelled("forum: so rude, people are awful there"));
        assert!(!labelled("latest forum post: the dump point at Bourke is fixed"));
        assert!(!labelled("reply to forum post: dump point fixed apparently"));
        assert!(!labelled("post: yes"), "too short a text to be a post");
    }
}
