//! A post's text, cut from what the user wrote: what follows the order to post it, or the post's frame.

mod beside;
mod label;
mod prefix;
mod told;
mod trim;

use crate::analysis::Analysis;
use crate::text::Text;
pub(crate) use label::{label_mark, labelled_post};
pub(crate) use prefix::order_then_colon;
pub(crate) use told::order_to_everyone;
use told::{FOLLOWERS, told_to_everyone};

/// A post's text without the order to post it: "draft a post saying the Bourke free camp is flooded" →
/// "the Bourke free camp is flooded".
pub fn post_content(a: &Analysis) -> Option<String> {
    let content = match quoted(a) {
        Some(q) => q,
        None => {
            let found =
                opened_content(a).or_else(|| beside::beside_the_order(a)).or_else(|| prefix::after_order_words(a))?;
            match trim::trimmed(a, found.clone()) {
                Some(c) => c,
                // Only the order's own words after it ("pop that on the group page would ya"): the text is
                // the one the order points back to.
                None if trim::order_words_only(&found) => {
                    beside::beside_the_order(a).and_then(|c| trim::trimmed(a, c))?
                }
                None => return None,
            }
        }
    };
    // "Tell my followers. They'll love it.": a remark on the post to come, not its text.
    let c = Text::new(&content);
    let remark = c.tokens.iter().filter(|t| !t.is_punct()).count() <= 6
        && c.tokens.first().is_some_and(|w| {
            w.is_any(&["they'll", "they", "they'd", "they're", "everyone", "everybody", "people", "folks", "you'll"])
        })
        && c.has_any(&["it", "this", "that"]);
    (!remark).then_some(content)
}

/// What follows the order to post, opened by a word ("saying", "about", "that"), a colon or a dash, or
/// the post's frame.
fn opened_content(a: &Analysis) -> Option<String> {
    let t = &a.text;
    // "the best advice from this group": where something came from, not where the post goes.
    let source =
        |k: usize| k >= 2 && t.tokens[k - 2].is("from") && t.tokens[k - 1].is_any(&["this", "the", "our", "that"]);
    let Some(post) = (0..t.len()).filter(|&k| !postal(t, k) && !source(k)).find(|&k| {
        t.tokens[k].is_any(&[
            "post",
            "posting",
            "share",
            "publish",
            "update",
            "board",
            "forum",
            "noticeboard",
            "group",
            "message",
            "notice",
        ]) || (t.tokens[k].is("heads") && t.norm(k + 1) == "up")
            || (t.tokens[k].is_any(&["tell", "let"])
                && t.tokens.get(k + 1).is_some_and(|n| {
                    n.is_any(&["the", "everyone", "people", "folks", "all"])
                        || (n.is_any(&["my", "our"]) && t.tokens.get(k + 2).is_some_and(|f| f.is_any(FOLLOWERS)))
                })
                // "let everyone know …", not "let everyone sleep in".
                && (t.tokens[k].is("tell") || t.tokens[k + 1..t.len().min(k + 6)].iter().any(|w| w.is("know"))))
    }) else {
        return told_to_everyone(a);
    };
    // "give the community a heads up that the Coles is out of bread".
    if t.tokens[post].is("heads") {
        let mut k = post + 2;
        // "heads up for the group: …", "heads up to everyone - …", "heads up post pls: …": who it is for.
        let colon = (k..t.len().min(k + 6)).find(|&j| t.tokens[j].is_any(&[":", "-"]));
        if let Some(c) = colon
            && t.tokens[k..c].iter().all(|w| {
                w.is_any(&[
                    "for",
                    "to",
                    "the",
                    "our",
                    "my",
                    "all",
                    "post",
                    "pls",
                    "please",
                    "everyone",
                    "everybody",
                    "folks",
                ]) || w.is_any(POST_FRAME)
            })
        {
            k = c;
        }
        if matches!(t.norm(k), "that" | "about" | ":" | "-") {
            k += 1;
        }
        let words = t.tokens[k.min(t.len())..].iter().filter(|w| !w.is_punct()).count();
        return if words >= 2 { rest_from(t, k) } else { None };
    }
    // "tell the community the track is closed": what follows the audience is the content.
    if t.tokens[post].is_any(&["tell", "let"]) {
        // The audience ("the community", "my followers", "everyone in the group") and "know"/"that";
        // a determiner only before an audience word ("tell the community the track is closed").
        const TOLD: &[&str] =
            &["everyone", "everybody", "community", "group", "folks", "people", "all", "know", "that", "forum", "mob"];
        let audience = |k: usize| t.tokens.get(k).is_some_and(|w| w.is_any(TOLD) || w.is_any(FOLLOWERS));
        let mut k = post + 1;
        while k < t.len()
            && (audience(k)
                || (t.tokens[k].is_any(&["the", "my", "our"]) && audience(k + 1))
                || (t.tokens[k].is_any(&["in", "on"])
                    && (audience(k + 1)
                        || (t.tokens.get(k + 1).is_some_and(|d| d.is_any(&["the", "our", "my"])) && audience(k + 2)))))
        {
            k += 1;
        }
        // "tell everyone on Wheels & Wins that …": where they are told, then the opening "that".
        if t.tokens.get(k).is_some_and(|w| w.is_any(&["on", "in", "at"]))
            && let Some(that) = (k + 1..t.len().min(k + 6)).find(|&j| t.tokens[j].is("that"))
        {
            k = that + 1;
        }
        // "let everyone know: happy hour's at 5", "tell the community - the Gibb is open".
        if t.tokens.get(k).is_some_and(|w| w.is_any(&[":", "-"])) {
            k += 1;
        }
        // Less than two words left ("… water over the causeway. Tell the community please"), or only
        // where they are told ("…, wanna let people on the app know"): the text is elsewhere.
        let rest = &t.tokens[k.min(t.len())..];
        let words = rest.iter().filter(|w| !w.is_punct()).count();
        let only_where = rest.iter().all(|w| {
            w.is_punct()
                || w.is_any(TOLD)
                || w.is_any(&[
                    "on", "in", "the", "app", "here", "page", "please", "pls", "thanks", "asap", "wheels", "wins", "&",
                ])
        });
        return if words >= 2 && !only_where { rest_from(t, k) } else { None };
    }
    // What opens the content: a colon or dash, "saying", "that says", "telling everyone", "that", "about".
    let mut k = post + 1;
    while k < t.len() {
        let w = t.norm(k);
        if matches!(w, ":" | "-" | ">") {
            k += 1;
            break;
        }
        // A question ends the order ("Can you post to the group? Or is that too much").
        if w == "?" {
            return None;
        }
        // "post that so the owner sees it", "post that for me": "that" stands for text said elsewhere.
        if w == "that"
            && t.tokens.get(k + 1).is_none_or(|n| {
                n.is_punct()
                    || n.is_any(&[
                        "so", "for", "please", "pls", "up", "on", "to", "in", "asap", "now", "thanks", "with", "onto",
                        "out",
                    ])
            })
        {
            return None;
        }
        if matches!(w, "saying" | "about" | "that") {
            k += 1;
            if t.norm(k) == "says" {
                k += 1;
            }
            break;
        }
        // "letting folks know the bore water's not drinkable".
        if matches!(w, "letting" | "let")
            && matches!(t.norm(k + 1), "everyone" | "people" | "folks" | "all" | "everybody")
            && t.norm(k + 2) == "know"
        {
            k += 3;
            if t.norm(k) == "that" {
                k += 1;
            }
            break;
        }
        // "a post to the mob warning them the corrugations …", "a heads up that the Coles is out of bread".
        if matches!(w, "warning" | "telling" | "reminding" | "asking")
            && matches!(t.norm(k + 1), "them" | "everyone" | "people" | "folks" | "all" | "everybody")
        {
            k += 2;
            if matches!(t.norm(k), "that" | "about") {
                k += 1;
            }
            break;
        }
        if w == "heads" && t.norm(k + 1) == "up" && matches!(t.norm(k + 2), "that" | "about" | ":" | "-") {
            k += 3;
            break;
        }
        if w == "telling" && matches!(t.norm(k + 1), "everyone" | "people" | "folks" | "all") {
            k += 2;
            if t.norm(k) == "that" {
                k += 1;
            }
            break;
        }
        if k > post + 6 {
            return unopened_content(a, post);
        }
        k += 1;
    }
    if k >= t.len() {
        return unopened_content(a, post);
    }
    rest_from(t, k)
}

/// The sentence as written from token `k` to its end, trimmed (None when nothing is left).
pub(super) fn rest_from(t: &Text, k: usize) -> Option<String> {
    let content = t.folded.get(t.tokens.get(k)?.span.start..)?.trim();
    (!content.is_empty()).then(|| content.to_string())
}

/// Where a post goes and for whom: "the forum", "the group page", "everyone".
const POST_FRAME: &[&str] = &[
    "forum",
    "group",
    "groups",
    "board",
    "noticeboard",
    "page",
    "community",
    "members",
    "everyone",
    "everybody",
    "folks",
    "people",
    "me",
    "us",
    "y'all",
    "feed",
];

/// Whether what follows the post word ends by naming where it goes ("share my location with the group",
/// "share the link in the forum"): then it is the thing to share, not the text of a post.
pub(super) fn ends_in_frame(t: &Text, from: usize) -> bool {
    let n = t.len();
    let last = |back: usize| n.checked_sub(back).filter(|&i| i >= from).map(|i| &t.tokens[i]);
    let prep = |w: Option<&crate::text::Token>| w.is_some_and(|w| w.is_any(&["in", "on", "to", "with", "onto"]));
    last(1).is_some_and(|w| w.is_any(POST_FRAME))
        && (prep(last(2)) || (last(2).is_some_and(|d| d.is_any(&["the", "our", "my", "all"])) && prep(last(3))))
}

/// A post's text with no word opening it ("make a post the dump point is shut", "post in the forum
/// thanks to whoever left firewood", "a community post for me, the park is open"): what follows the
/// post's frame (where it goes, for whom). Only in a sentence that is an order as a whole ("new post in
/// the group?" asks), and only text that is not a report about a post ("post in the group got 20
/// likes"): at least two words, not opening with a finite verb or a pronoun standing for text said
/// elsewhere ("post it up"), and no question in it.
fn unopened_content(a: &Analysis, post: usize) -> Option<String> {
    let t = &a.text;
    if !a.act.may_order() || a.act.question {
        return None;
    }
    let frame_noun = |k: usize| {
        t.tokens.get(k).is_some_and(|n| n.is_any(POST_FRAME))
            || (t.tokens.get(k).is_some_and(|d| d.is_any(&["the", "a", "an", "our", "my", "all"]))
                && t.tokens.get(k + 1).is_some_and(|n| n.is_any(POST_FRAME)))
    };
    let mut k = post + 1;
    while k < t.len() {
        if frame_noun(k) {
            k += if t.tokens[k].is_any(POST_FRAME) { 1 } else { 2 };
        } else if (t.tokens[k].is_any(&["in", "on", "to", "for", "4", "onto", "with"]) && frame_noun(k + 1))
            || t.tokens[k].is_any(&["up", "out", "please", "pls", "plz"])
        {
            k += 1;
        } else {
            break;
        }
    }
    // A comma or dash after the frame opens the text: "draft a community post for me, the park is open".
    if k < t.len() && t.tokens[k].is_any(&[",", "-"]) {
        k += 1;
    }
    let words = t.tokens[k.min(t.len())..].iter().filter(|w| w.norm.chars().any(char::is_alphanumeric)).count();
    if words < 2
        // "share something with the community … found the best pie shop": the text comes later.
        || t.tokens[k].is_any(&["it", "this", "that", "them", "something", "somethin"])
        || crate::speech_act::is_finite(&t.tokens[k].norm)
        || t.tokens[k..].iter().any(|w| w.is_any(&["?"]))
        || ends_in_frame(t, k)
    {
        return None;
    }
    rest_from(t, k)
}

/// "post" as mail, not as a community post: "the post office", "post a parcel to mum".
pub(crate) fn postal(t: &Text, k: usize) -> bool {
    const MAIL: &[&str] = &["office", "box", "parcel", "letter", "mail", "card", "cards", "package", "cheque"];
    t.tokens.get(k + 1).is_some_and(|n| n.is_any(MAIL))
        || (t.tokens.get(k + 1).is_some_and(|n| n.is_any(&["a", "the", "my", "our", "this"]))
            && t.tokens.get(k + 2).is_some_and(|n| n.is_any(MAIL)))
}

/// Words that make a clause an order to post: the post, where it goes, or a verb only posting takes.
pub(super) const POSTING_WORDS: &[&str] = &[
    "followers",
    "feed",
    "post",
    "posts",
    "thread",
    "share",
    "publish",
    "announce",
    "broadcast",
    "forum",
    "board",
    "noticeboard",
    "community",
    "members",
    "group",
    "everyone",
    "everybody",
];

/// A post's text in quotes: "post 'heading to Tassie next month, who else is going?'". The quote is the
/// text whatever it says, so a question in it is the post's, not the user's.
fn quoted(a: &Analysis) -> Option<String> {
    let s = a.text.folded.as_str();
    let before_ok = |i: usize| s[..i].chars().next_back().is_none_or(|c| c.is_whitespace() || c == ':');
    let (open, quote) =
        s.char_indices().find(|&(i, c)| matches!(c, '"' | '\'' | '\u{201c}' | '\u{2018}') && before_ok(i))?;
    let close = match quote {
        '\u{201c}' => '\u{201d}',
        '\u{2018}' => '\u{2019}',
        q => q,
    };
    let inner_start = open + quote.len_utf8();
    // The closing quote ends a word: "it's" inside the quote does not close it.
    let end = s[inner_start..].char_indices().find(|&(i, c)| {
        c == close && s[inner_start + i + c.len_utf8()..].chars().next().is_none_or(|n| !n.is_alphanumeric())
    })?;
    let inner = s[inner_start..inner_start + end.0].trim();
    let order = format!("{} {}", &s[..open], &s[inner_start + end.0 + close.len_utf8()..]);
    // "draft: 'anyone want to split a bulk order?'": beside a quote, drafting is drafting a post.
    let ordered = Text::new(&order).tokens.iter().any(|w| w.is_any(POSTING_WORDS) || w.is("draft"));
    (ordered && inner.split_whitespace().count() >= 2).then(|| inner.to_string())
}
