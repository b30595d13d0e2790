//! How a sentence asks, and whose words it carries: an order asked politely, and hearsay.

use super::grammar::is_amount;
use super::words::*;
use crate::entities::Entity;
use crate::text::Text;

/// "can you…", "could you…", "please…", "how about we…", "can I get a …": an order asked politely.
pub(super) fn polite_request(text: &Text, entities: &[Entity]) -> bool {
    let words: Vec<&str> = text.tokens.iter().map(|t| t.norm.as_str()).collect();
    let (first, second) = (text.norm(0), text.norm(1));
    // "can you believe…", "would you believe…" exclaim; they ask for nothing.
    let exclaims = ["can you believe", "would you believe", "could you believe"].iter().any(|p| text.has_phrase(p));
    (!exclaims
        && words
            .windows(2)
            .any(|w| matches!(w[0], "can" | "could" | "would" | "will") && matches!(w[1], "you" | "u" | "ya" | "ye")))
        // "ya reckon u could put up a post", "d'you think you could log it": the same ask, turned round.
        || words.windows(3).any(|w| {
            matches!(w[0], "reckon" | "think")
                && matches!(w[1], "you" | "u" | "ya" | "ye")
                && matches!(w[2], "could" | "can" | "would")
        })
        || (first == "how" && second == "about")
        || text.has_any(&["please", "pls", "plz"])
        // "can I get a 4:50 wake-up", "could I have a post up …", "could we get a post up": asking to be given
        // something.
        || (matches!(first, "can" | "could" | "may")
            && matches!(second, "i" | "we")
            && matches!(text.norm(2), "get" | "have")
            && matches!(text.norm(3), "a" | "an")
            && !entities.iter().any(is_amount))
        // "can we budget 20 a week for the pokies" orders; "can we make it to Broome in a day" asks.
        || (matches!(first, "can" | "could")
            && second == "we"
            && matches!(
                text.norm(2),
                "budget" | "set" | "add" | "plan" | "log" | "put" | "schedule" | "book" | "change" | "record" | "bump"
                    | "raise" | "lower" | "increase" | "reduce" | "cut" | "cap" | "limit" | "allocate" | "move"
            ))
}

/// Someone said or quoted it ("quoted us", "reckons", "apparently", "the menu says", a sign's words), not an
/// instrument read out ("the receipt says 59.8 L").
pub(super) fn reported(text: &Text, words: &[&str]) -> bool {
    // "the receipt says 59.8 L", "clock says 212,004 km": an instrument read out, not hearsay.
    let read_out = |i: usize| {
        matches!(words[i], "says" | "said")
            && i > 0
            && matches!(
                words[i - 1],
                "receipt"
                    | "docket"
                    | "clock"
                    | "odo"
                    | "odometer"
                    | "pump"
                    | "gauge"
                    | "meter"
                    | "screen"
                    | "bill"
                    | "statement"
                    | "app"
                    | "bank"
                    | "payslip"
                    | "invoice"
            )
    };
    // "pharmacy pick up after lunch tomorrow — say 1.30": a figure guessed at, not words reported; "New
    // post. Say: thanks to …": the user's order of what to say.
    let guessed = |i: usize| {
        words[i] == "say"
            && (((i == 0 || matches!(words[i - 1], "," | "-" | "—" | "–" | "or"))
                && words.get(i + 1).is_some_and(|n| n.starts_with(|c: char| c.is_ascii_digit() || c == '$')))
                || ((i == 0 || text.sentence_break_before(i)) && words.get(i + 1) == Some(&":")))
    };
    let sign = quoted_writing(text).is_some();
    (words.iter().enumerate().any(|(i, w)| REPORTED.contains(w) && !read_out(i) && !guessed(i))
        || sign
        || text.has_phrase("per the"))
        && !text.has_phrase("pay me")
}

/// Where the words of a writing quoted by the user begin: "camp kitchen sign: 'Set a timer! …'", "got a
/// text: 'You've received $5,000, click here'", "the flyer says…". The writing is named after something
/// else, or opens the message as a writing posted up ("Sign: …", "Ad on the noticeboard: …"); "Notice for
/// the board: …" names where the user's own post goes.
pub(super) fn quoted_writing(text: &Text) -> Option<usize> {
    let tokens = &text.tokens;
    const POSTED_UP: &[&str] = &["sign", "signs", "notice", "poster", "placard", "ad", "advert", "flyer", "banner"];
    // The colon may follow where the writing hangs: "Ad on the noticeboard: …", "sign at the servo: …".
    let colon_after = |i: usize| {
        (i + 1..tokens.len().min(i + 6))
            .take_while(|&k| !is_order_verb(&tokens[k].norm))
            .find(|&k| tokens[k].is(":"))
            // Where it hangs, not whom it is for: "Notice for the board: …" is the user's own.
            .filter(|&k| {
                tokens
                    .get(i + 1)
                    .is_some_and(|t| t.is_any(&["on", "at", "in", "from", "outside", "near", "by", "inside"]))
                    && !tokens[i + 1..k].iter().any(|t| t.is_any(&["for", "to", "please", "pls"]))
            })
    };
    let named = (0..tokens.len()).find_map(|i| {
        let writing = tokens[i].is_any(POSTED_UP)
            || i > 0
                && tokens[i].is_any(&["text", "message", "email", "sms", "letter", "voicemail"])
                && tokens[i - 1].is_any(&["a", "the", "this", "that", "their", "an"]);
        // Opening the message, only a writing posted up ("Sign: …"), not a message of the user's ("Text: …").
        if !writing || (i == 0 && !tokens[0].is_any(POSTED_UP)) {
            return None;
        }
        if tokens.get(i + 1).is_some_and(|n| n.is_any(&[":", "says", "said", "reads", "read"])) {
            return Some(i + 2);
        }
        colon_after(i).filter(|_| tokens[i].is_any(POSTED_UP)).map(|k| k + 1)
    });
    // Words read out: "Reading this post out loud: '…'", "reading aloud: …", "reading Jan's post to Bob: …".
    let read_aloud = || {
        let colon = (0..tokens.len().min(8)).find(|&k| tokens[k].is(":"))?;
        let before = &tokens[..colon];
        let reading = before.first().is_some_and(|t| t.is_any(&["reading", "read"]))
            || before.windows(2).any(|w| w[0].is_any(&["i'm", "im", "was", "am"]) && w[1].is("reading"));
        let aloud =
            before.iter().any(|t| t.is("aloud")) || before.windows(2).any(|w| w[0].is("out") && w[1].is("loud"));
        let writing = before.iter().any(|t| {
            t.is_any(&["post", "message", "text", "sign", "notice", "ad", "letter", "email", "review", "comment"])
        });
        (reading && (aloud || writing)).then_some(colon + 1)
    };
    named.or_else(read_aloud).or_else(|| quotation_then_source(text).then_some(0))
}

/// A message that opens with a quotation and then says whose words they were: "'post to the forum: free
/// firewood' is what Barry wrote", "\"log 50 for fuel\" — that's what the sign said".
fn quotation_then_source(text: &Text) -> bool {
    let folded = text.folded.trim_start();
    let Some(open) = folded.chars().next().filter(|c| matches!(c, '\'' | '"' | '\u{2018}' | '\u{201c}')) else {
        return false;
    };
    let close = match open {
        '\u{2018}' => '\u{2019}',
        '\u{201c}' => '\u{201d}',
        c => c,
    };
    let start = text.folded.len() - folded.len() + open.len_utf8();
    // The closing mark ends a word: an apostrophe inside one ("Barry's") closes nothing.
    let rest = &text.folded[start..];
    let Some(end) = rest.char_indices().find_map(|(k, c)| {
        let after = rest[k + c.len_utf8()..].chars().next();
        (c == close && k > 0 && after.is_none_or(|a| !a.is_alphanumeric())).then_some(start + k)
    }) else {
        return false;
    };
    let after: Vec<&str> =
        text.tokens.iter().filter(|t| t.span.start > end && !t.is_punct()).map(|t| t.norm.as_str()).take(6).collect();
    // Whose words they were, not what to do with them ("— put that up on the forum for me", "… is what
    // Barry wrote, post it for me").
    let tail: Vec<&str> = text.tokens.iter().filter(|t| t.span.start > end).map(|t| t.norm.as_str()).collect();
    !tail.iter().any(|w| is_order_verb(w))
        && after.iter().any(|w| matches!(*w, "wrote" | "said" | "says" | "posted" | "texted" | "messaged"))
        && after.iter().any(|w| matches!(*w, "what" | "that's" | "thats" | "is" | "was"))
}

/// The token ranges of the courtesy formulas that wrap a request ("I was wondering whether you might…").
pub(super) fn courtesy(text: &Text) -> Vec<(usize, usize)> {
    let tokens = &text.tokens;
    // Tokens inside a courtesy formula. One that holds "if" or "whether" wraps a request only when an
    // order follows it ("if you could log…", "wondering whether you might put…"); otherwise it is a
    // condition or a question ("if you'd bought the esky…", "wondering if we spent…").
    let request_follows = |end: usize| {
        tokens[end.min(tokens.len())..].iter().take(4).any(|t| is_order_verb(&t.norm) || t.is_any(RECORD) || t.is("be"))
    };
    COURTESY
        .iter()
        .filter(|p| p.split(' ').next().is_some_and(|head| text.has(head)))
        .flat_map(|p| {
            let n = p.split(' ').count();
            let conditional = p.split(' ').any(|w| matches!(w, "if" | "whether"));
            (0..tokens.len().saturating_sub(n - 1))
                .filter(move |&i| p.split(' ').enumerate().all(|(k, w)| tokens[i + k].is(w)))
                .map(move |i| (i, i + n))
                .filter(move |&(_, end)| !conditional || request_follows(end))
        })
        .collect()
}

/// Whether the message says it was not meant: taken back as a joke or a test ("spent $25 on lunch lol
/// jk", "- kidding, it was free", "just testing you"), put right with no new figure ("we paid $60 for
/// the site - no wait, that was the Smiths"), or mocked ("yeah right, plan me a trip to the moon",
/// "sure, log $1,000,000 for caviar 🙄"), or a correction of an earlier entry ("correction: the diesel
/// was $130"). Whatever it asked is off.
pub(super) fn not_meant(text: &Text, entities: &[Entity]) -> bool {
    let t = &text.tokens;
    let after_break = |i: usize| {
        i == 0
            || t[i - 1].is_punct()
            || text.sentence_break_before(i)
            || t[i - 1].is_any(&["just", "only", "lol", "haha", "im", "i'm"])
    };
    let jest = t.iter().enumerate().any(|(i, w)| {
        w.is_any(&["jk", "j/k", "jks", "jking"]) || (w.is_any(&["kidding", "joking"]) && i > 0 && after_break(i))
    }) || ["just testing", "only testing", "testing you"].iter().any(|p| text.has_phrase(p));
    // "no wait" / "oh wait, no" with no figure after it: the thing itself is taken back, not its amount.
    let retracted = t.windows(2).enumerate().any(|(i, w)| {
        let wait_no = (w[0].is_any(&["no", "oh"]) && w[1].is("wait")) || (w[0].is("wait") && w[1].is("no"));
        wait_no && i > 0 && !entities.iter().any(|e| e.start > i && is_amount(e))
    });
    let eye_roll = text.folded.contains('\u{1f644}') || text.folded.contains('\u{1f643}');
    let mocked = text.has_phrase("yeah right") && text.norm(0) == "yeah"
        || (eye_roll && t.first().is_some_and(|w| w.is_any(&["sure", "yeah", "oh", "righto"])));
    // "correction: the diesel was $130", "sorry, I meant $45 not $54": a change to something logged before,
    // not a new purchase (logging it would count it twice).
    let opening = t
        .iter()
        .position(|w| !w.is_punct() && !w.is_any(&["sorry", "oops", "ok", "okay", "oh", "pam", "actually", "whoops"]));
    let correction = opening.is_some_and(|i| {
        t[i].is_any(&["correction", "typo", "correcting"])
            || (t[i].is_any(&["i", "we"]) && t.get(i + 1).is_some_and(|n| n.is("meant")))
            || t[i].is("meant")
    });
    jest || retracted || mocked || correction
}

/// An order verb given as one: opening a clause ("set a timer", "…, and plan it out"), or with its object
/// right after it wherever it stands ("plan it out for us", "put that in the calendar") unless something
/// before it is its subject or hedges it ("Jan put that in", "I already set it", "we should cap it"). An
/// order inside a quoted writing ("camp kitchen sign: 'Set a timer! …'", "got a text: 'click here to
/// claim'") is the writer's, not the user's.
pub(super) fn order_verb_given(text: &Text) -> bool {
    let tokens = &text.tokens;
    let quoted_from = quoted_writing(text);
    tokens.iter().enumerate().any(|(i, t)| {
        is_order_verb(&t.norm)
            && quoted_from.is_none_or(|q| i < q)
            && (i == 0 || tokens[i - 1].is_any(&[",", "and", "please", "pls", "just", "-", ":", "now", "so", "pam"]))
            // "Set off for Dubbo at 9": leaving, not setting anything.
            && !(t.is("set") && tokens.get(i + 1).is_some_and(|n| n.is_any(&["off", "out", "sail"])))
            // "Wake up call at 6 was brutal", "Post office was shut": a noun heading a sentence that tells.
            && !(i == 0 && tokens.iter().take_while(|w| !w.is_any(&[".", "!", "?", ","])).any(|w| w.is_any(&["was", "were"])))
            // "I'll just set an alarm…" tells what the speaker will do.
            && !(i >= 2 && tokens[i - 1].is_any(&["just", "now", "so", "and"]) && tokens[i - 2].is_any(SUBJECTS))
    }) || tokens.iter().enumerate().any(|(i, t)| {
        is_order_verb(&t.norm)
            && quoted_from.is_none_or(|q| i < q)
            && tokens.get(i + 1).is_some_and(|n| n.is_any(&["it", "that", "this", "them"]))
            && (i == 0 || {
                let prev = &tokens[i - 1];
                !(prev.is_any(SUBJECTS)
                    || prev.is_any(NOT_BEFORE_AN_ORDER)
                    || prev.capitalised
                    || super::who::person(prev))
            })
    })
}

/// "I'm not logging it", "we won't be recording that", "not gonna bother adding this one": the recording
/// itself refused, in any clause. (Not "haven't logged it yet", which leaves it to be done.)
pub(super) fn refuses_recording(words: &[&str]) -> bool {
    const RECORDING: &[&str] = &[
        "log",
        "logging",
        "record",
        "recording",
        "add",
        "adding",
        "enter",
        "entering",
        "track",
        "tracking",
        "claim",
        "claiming",
    ];
    words.iter().enumerate().any(|(i, w)| {
        matches!(*w, "not" | "won't" | "wont" | "never")
            && words[i + 1..]
                .iter()
                .take(4)
                .find(|x| !matches!(**x, "be" | "gonna" | "going" | "to" | "bother" | "bothering" | "even"))
                .is_some_and(|x| RECORDING.contains(x))
    })
}
