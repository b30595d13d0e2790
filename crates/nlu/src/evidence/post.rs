//! The evidence a post needs: the order to post it, judged apart from the text to post.

use crate::analysis::Analysis;
use crate::slots;
use crate::speech_act::SpeechAct;
use crate::text::Text;
use serde_json::Value;

/// The speech act that decides a write. A post is judged on the order alone: its content may well
/// ask or deny ("does anyone know a mechanic?", "no dramas").
pub(crate) fn act_for(intent: &str, a: &Analysis) -> SpeechAct {
    if intent == "create_post"
        && let Some(content) = slots::fill(intent, a, chrono::NaiveDate::MIN).get("content").and_then(Value::as_str)
        && a.text.folded.contains(content)
    {
        // The order is the text without its content: before it, after it (a text that comes first: "Lost
        // a pair of glasses at the camp kitchen - can you stick that on the community page?"), or both
        // (a quote: `post "BBQ at 6" - actually no, hold off`).
        let order = order_around(a, content);
        // "ask the forum if …": the "if" opens the question to post, not a condition on the order.
        let order = match order.trim_end().rsplit_once(' ') {
            Some((head, "if" | "whether")) if head.split_whitespace().any(|w| w.eq_ignore_ascii_case("ask")) => {
                head.to_string()
            }
            _ => order,
        };
        let order = Text::new(&order);
        let entities = crate::entities::scan(&order.tokens);
        let mut act = SpeechAct::of(&order, &entities);
        // The text taken back after it ("the dump point is fixed. Actually wait, I'll check first").
        let content_text = Text::new(content);
        let taken_back = [
            "actually wait",
            "no wait",
            "hold on",
            "hang on",
            "second thought",
            "scratch that",
            "never mind",
            "not posting",
            "forget it",
            "forget that",
        ]
        .iter()
        .any(|p| content_text.has_phrase(p))
            // "don't post it", "dont post that yet" — not advice to post ("don't post your rego online").
            || content_text.tokens.windows(2).enumerate().any(|(i, w)| {
                w[0].is_any(&["don't", "dont"])
                    && w[1].is("post")
                    && content_text.tokens.get(i + 2).is_none_or(|n| n.is_any(&["it", "that", "this", "anything", "yet", "."]))
            })
            || content_text.has_any(&["jk", "j/k", "kidding"])
            || crate::speech_act::SARCASM_TAGS.iter().any(|p| a.text.has_phrase(p))
            || refused(&content_text)
            || put_off(&content_text);
        if taken_back {
            act.negated = true;
            return act;
        }
        // "i'd hate the forum to know that we got lost", "I'd rather the group didn't hear": a dread, no order.
        if order.has_any(&["hate", "dread", "afraid", "rather", "embarrassed", "mortified", "worried", "scared"]) {
            act.imperative = false;
            act.negated = true;
            return act;
        }
        // An order quoted from someone else ("'post to the forum: …' is what Barry wrote").
        if crate::speech_act::order_quoted(&a.text) {
            act.imperative = false;
            act.reported = true;
            return act;
        }
        // "post on the forum says the LTVA is $180": the post is the subject of what it says, one read.
        if content_text.tokens.first().is_some_and(|w| {
            w.is_any(&["says", "said", "reckons", "reckoned", "mentions", "mentioned", "claims", "claimed", "shows"])
        }) {
            act.imperative = false;
            act.reported = true;
            return act;
        }
        // Only an order to post posts: "post: …", "write a post saying…" — not "Jan's post about…", nor
        // an order of another kind ("read a great post about…").
        // A label is made of words of posting only and names the post ("post:", "new post -", "community
        // post:", "post to the group -"): not a post already there ("latest forum post:", "read the
        // community post:", "reply to forum post:") nor a place alone ("forum: so rude").
        let labelled = slots::post::label_mark(&order.tokens).is_some_and(|mark| mark + 1 == order.len());
        let verb_at = |i: usize| {
            let before = |k: usize| i.checked_sub(k).map(|j| &order.tokens[j]);
            i == 0
                || before(1).is_some_and(|t| t.is_punct() || t.is_any(&["and", "please", "pls", "just", "pam", "so", "to"]))
                // "I wanna post…", not "someone's gotta post…".
                || (before(1).is_some_and(|t| t.is_any(&["wanna", "gotta"]))
                    && before(2).is_some_and(|t| t.is_any(&["i", "we"])))
                || before(1).is_some_and(|t| t.is_any(&["lemme", "wanna"]))
        };
        let posting = act.polite_request
            // "I'd be grateful if you could share…" — courtesy around a verb of posting, not "I'd like to
            // read Jan's post".
            || (act.courteous && order.tokens.iter().any(|t| t.is_any(POSTING_VERBS)))
            || order.tokens.iter().enumerate().any(|(i, t)| t.is_any(POSTING_VERBS) && verb_at(i));
        // "warn everyone …", "holler at the group that …": an order to tell the community is one to post.
        let told_to_everyone = slots::post::order_to_everyone(&order).is_some() && !act.question && !act.negated;
        // "can the forum know that …", "i'd like the group to know …", "can the group be told that …": the
        // community asked to hear it, the text after.
        let asked_politely = order.tokens.first().is_some_and(|t| t.is_any(&["can", "could", "would", "will"]));
        let wished = [
            "i'd like",
            "id like",
            "i'd love",
            "i want",
            "we'd like",
            "we want",
            "we'd love",
            "i would like",
            "i need",
            "we need",
        ]
        .iter()
        .any(|p| order.has_phrase(p));
        let audience_asked = (asked_politely || wished)
            && order.tokens.iter().enumerate().any(|(i, t)| {
                t.is_any(&[
                    "forum",
                    "group",
                    "community",
                    "feed",
                    "board",
                    "everyone",
                    "everybody",
                    "followers",
                    "members",
                ]) && order.tokens[i + 1..order.len().min(i + 4)]
                    .iter()
                    .any(|n| n.is_any(&["know", "told", "hear", "see", "weigh", "chime"]))
            })
            && !(act.negated || act.hypothetical || act.future || act.deferred || act.relayed)
            // "can the forum know that i'm here?": whether they can know, asked — not a text to post. (A
            // wish's text may ask: "I'd like the group to weigh in: panels or blankets?")
            && !(asked_politely && content.contains('?'));
        // "post from last night — deleted", "post from the group: happy hour at 5": a post already made,
        // named by its day or by who made it, is no order.
        let earlier_post = order.tokens.windows(2).enumerate().any(|(i, w)| {
            let by = order.tokens[i + 2..].iter().find(|t| !t.is_any(&["the", "my", "our", "a"]));
            w[0].is_any(&["post", "posts"])
                && w[1].is("from")
                && (entities.iter().any(|e| e.start == i + 2)
                    || by.is_some_and(|t| {
                        t.capitalised
                            || crate::speech_act::person(t)
                            || t.is_any(&["group", "forum", "community", "club", "admin", "admins", "park", "council"])
                    }))
        });
        if earlier_post {
            act.imperative = false;
            act.declarative = true;
            return act;
        }
        if (told_to_everyone || audience_asked) && !act.hypothetical && !act.future {
            // The order may open a later sentence ("I'm so mad. Tell the forum …"): it is still an order.
            act.imperative = true;
            act.declarative = false;
        }
        if audience_asked && asked_politely {
            act.polite_request = true;
        }
        // "can I get a post up …", "I want a post on the board …": a want of a post.
        let wants_a_post = crate::speech_act::WANTS.iter().any(|p| order.has_phrase(p))
            && order
                .tokens
                .iter()
                .enumerate()
                .any(|(i, t)| t.is_any(&["post", "thread"]) && !slots::post::postal(&order, i));
        if !((act.imperative && posting)
            || told_to_everyone
            || audience_asked
            || (wants_a_post && !act.negated)
            || labelled
            || order.tokens.first().is_some_and(|t| t.is_any(&["post", "new", "community", "draft"])))
        {
            act.imperative = false;
            act.declarative = true;
        }
        return act;
    }
    a.act
}

/// A text that refuses the post it follows: "post to the community: lol no", "…: no thanks", "…: nah not
/// gonna bother", "…: later, not now", "…: actually don't, Jan will kill me".
fn refused(content: &Text) -> bool {
    let t = &content.tokens;
    let first = |k: usize| t.get(k).map(|w| w.norm.as_str()).unwrap_or("");
    let lead = usize::from(matches!(first(0), "lol" | "haha" | "hmm" | "um" | "uh"));
    matches!(first(lead), "nah" | "nope" | "nevermind")
        || (first(lead) == "no" && matches!(first(lead + 1), "" | "thanks" | "thank" | "," | "way" | "no"))
        || ["not gonna", "not going to", "actually don't", "actually dont", "maybe later", "not now", "later not now"]
            .iter()
            .any(|p| content.has_phrase(p))
}

/// A post's text that ends by putting the posting off: "…, once I calm down", "…, after we get signal".
fn put_off(content: &Text) -> bool {
    content.tokens.windows(4).any(|w| {
        w[0].is_punct()
            && w[1].is_any(&["once", "after", "until", "when"])
            && w[2].is_any(&["i", "we", "i'm", "we're", "im"])
            && !w[3].norm.ends_with("ed")
            && !w[3].is_any(&["was", "were", "got", "had", "left", "went", "came", "did"])
    })
}

/// A post told of as seen, read or there already: "I saw a post saying…", "read on the forum that…",
/// "came across a post that…", "there's a post saying…".
/// Judged on the order, not the text to post ("gotta get a warning out, there's been break-ins").
pub(crate) fn post_seen(a: &Analysis, content: &str) -> bool {
    const SEEN: &[&str] =
        &["saw", "seen", "see", "read", "reading", "noticed", "spotted", "found", "heard", "across", "says", "said"];
    let order = Text::new(&order_around(a, content));
    let t = &order.tokens;
    order.has_any(SEEN)
        || t.windows(2).any(|w| w[0].is("there") && w[1].is_any(&["was", "is", "'s", "are", "were"]))
        || t.iter().any(|w| w.is_any(&["there's", "theres"]))
}

/// The message without the post's text: the order to post it, before the text, after it, or both.
fn order_around(a: &Analysis, content: &str) -> String {
    match a.text.folded.rfind(content) {
        Some(cut) => format!("{} {}", &a.text.folded[..cut], &a.text.folded[cut + content.len()..]),
        None => a.text.folded.clone(),
    }
}

/// Verbs of an order to post something.
const POSTING_VERBS: &[&str] = &[
    "post",
    "write",
    "draft",
    "share",
    "put",
    "publish",
    "make",
    "create",
    "send",
    "tell",
    "let",
    "announce",
    "shout",
    "pop",
    "chuck",
    "whack",
    "bung",
    "start",
    "give",
    "compose",
    "type",
    "prepare",
    "knock",
    "throw",
    "spread",
    "broadcast",
    "stick",
    "fire",
];

/// Around a post's text, a word that orders a post and nothing that names one already there: "PSA -
/// …", "that one's for the forum", "gotta get a warning out to the community, …" — not "latest forum
/// post: …", "read the community post: …", "yesterday i posted to the community: …", "the forum knows
/// that …", "forum: so rude". The text is three words at least: "so rude" is a reaction, not a post.
pub(crate) fn post_ordered_around(a: &Analysis, content: &str) -> bool {
    const CUES: &[&str] = &[
        "post",
        "psa",
        "announcement",
        "draft",
        "share",
        "put",
        "write",
        "tell",
        "let",
        "announce",
        "broadcast",
        "shout",
        "spread",
        "warn",
        "pop",
        "stick",
        "chuck",
        "whack",
        "bung",
        "throw",
        "send",
        "publish",
        "get",
        "for",
        "heads",
        "know",
    ];
    const THERE_ALREADY: &[&str] = &[
        "latest",
        "old",
        "read",
        "reply",
        "replied",
        "posted",
        "saw",
        "seen",
        "knows",
        "must",
        "surely",
        "wrote",
        "from",
        "last",
        "previous",
        "someone's",
        "his",
        "her",
        "their",
        "your",
        "update",
        "thread",
    ];
    if Text::new(content).tokens.iter().filter(|t| !t.is_punct()).count() < 3 {
        return false;
    }
    let order = Text::new(&order_around(a, content));
    // "that post", "that thread": one named already there ("that one's for the forum" points at the text).
    let that_one =
        order.tokens.windows(2).any(|w| w[0].is("that") && w[1].is_any(&["post", "posts", "thread", "update"]));
    order.has_any(CUES) && !order.has_any(THERE_ALREADY) && !that_one
}
