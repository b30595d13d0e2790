//! What was bought, in the user's words, for an expense no category word names ("spent 80 on a new
//! esky" is logged as "esky", not as "other").

use crate::analysis::Analysis;

/// Words after which the thing bought is named.
const OPENERS: &[&str] = &["on", "for", "bought", "buy", "purchased", "ordered", "grabbed", "got"];

/// Words passed over before the thing: articles, owners, counts and kinds of newness.
#[rustfmt::skip]
const LEAD: &[&str] = &[
    "a", "an", "the", "some", "new", "another", "our", "my", "us", "me", "ourselves", "myself", "two", "three",
    "second-hand", "secondhand", "used", "few", "couple", "of", "pair", "brand", "replacement", "spare",
    "little", "big", "nice", "cheap", "proper", "decent", "whole", "lot", "bunch", "set", "box",
];

/// Words that end the thing, or show no thing was named ("paid for it").
#[rustfmt::skip]
const ENDS: &[&str] = &[
    "at", "in", "from", "for", "on", "to", "with", "and", "or", "by", "yesterday", "today", "tonight",
    "tomorrow", "this", "last", "cost", "costs", "was", "were", "is", "are", "it", "its", "it's", "that",
    "which", "because", "but", "so", "coz", "cause", "when", "while", "after", "before", "pls", "please",
    "thanks", "lol", "off", "all", "each", "up", "total", "them", "one", "ones", "something", "stuff", "bits",
    "things", "everything", "anything", "here", "there", "now", "just", "again", "too", "as", "well", "back",
    "i", "we", "you", "he", "she", "they", "can", "could", "would", "will", "pam", "mate", "dollars", "bucks",
    "quid", "cents", "a", "an", "the", "what", "how", "then", "ago", "morning", "arvo", "night", "nights",
    "day", "days", "week", "weeks", "hour", "hours", "dropped", "paid", "spent", "blew", "forked", "shelled",
    "splashed", "out", "worth", "only", "about", "around", "roughly", "like",
    // The order to record it ("add expense 9.99 netflix").
    "add", "log", "expense", "record", "track",
];

/// The thing bought, named after "on", "for" or a verb of buying, or beside the amount in a short note
/// ("new fridge 1150"); at most three words.
pub(crate) fn bought(a: &Analysis) -> Option<String> {
    let t = &a.text;
    let in_entity = |i: usize| a.entities.iter().any(|e| e.covers(i));
    let word = |i: usize| {
        let w = &t.tokens[i];
        !w.is_punct()
            && !in_entity(i)
            && w.norm.chars().any(char::is_alphabetic)
            && !w.is_any(ENDS)
            && !w.is_any(crate::speech_act::USER_SPENDING)
    };
    let run_from = |start: usize| -> Option<String> {
        let first = (start..t.len()).find(|&i| !t.tokens[i].is_any(LEAD))?;
        let words: Vec<&str> = (first..t.len()).take_while(|&i| word(i)).take(3).map(|i| t.norm(i)).collect();
        (!words.is_empty()).then(|| words.join(" "))
    };
    let after_opener = (0..t.len()).filter(|&i| t.tokens[i].is_any(OPENERS)).find_map(|i| run_from(i + 1));
    after_opener.or_else(|| {
        // A note: the words right before the amount ("new fridge 1150"), or right after it ("1150 fridge").
        let amount = a.entities.iter().find(|e| super::is_amount(a, e))?;
        let before: Vec<usize> = (0..amount.start).rev().take_while(|&i| word(i) || t.tokens[i].is_any(LEAD)).collect();
        let before = before.into_iter().rev().skip_while(|&i| t.tokens[i].is_any(LEAD)).collect::<Vec<_>>();
        if !before.is_empty() && before.len() <= 3 && before.iter().all(|&i| word(i)) {
            return Some(before.iter().map(|&i| t.norm(i)).collect::<Vec<_>>().join(" "));
        }
        run_from(amount.end())
    })
}
