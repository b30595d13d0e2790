//! One utterance taken apart once: tokens, entities, speech act, and the placeholder words the
//! classifier reads. Slot filling and the decision both work from this.

use crate::concepts;
use crate::entities::{self, Entity};
use crate::model;
use crate::speech_act::SpeechAct;
use crate::spelling;
use crate::text::Text;
use crate::vocabulary;

pub struct Analysis {
    pub text: Text,
    /// The message opened with a greeting ("hello pam, it's my first time here", "hola!"), which the
    /// openers taken off may have removed from `text`.
    pub greeted: bool,
    pub entities: Vec<Entity>,
    pub act: SpeechAct,
    /// Tokens with entities replaced by placeholders and capitalised names by `<cap>`.
    pub words: Vec<String>,
    /// The parts of hyphenated words, as extra features.
    pub extra_words: Vec<String>,
    /// The classifier's features, worked out once (the topic model and the gate both read them).
    features: std::sync::OnceLock<Vec<u64>>,
    /// A post's text, worked out once: the decision on a post asks for it several times.
    post: std::sync::OnceLock<Option<String>>,
}

/// Longer messages are cut here: nothing past the first few sentences changes what is asked, and
/// work per message stays bounded.
const MAX_CHARS: usize = 600;

/// Words that open a sentence without being part of what is asked ("um", "righto", "hey pam,").
const OPENERS: &[&str] = &[
    "um", "umm", "uh", "er", "erm", "righto", "right", "ok", "okay", "so", "well", "hey", "hi", "hello", "oi", "g'day",
    "gday", "yo", "pam", "mate", "hmm", "oh", "ah", "alright", "now", ",", "-", ":", "...", "!",
];

/// The sentence without its opening fillers and the vocative "pam", when enough is left to be a
/// request on its own ("hey pam, is Broome gonna be sunny tomorrow"); a greeting alone stays whole.
fn without_openers(text: Text) -> Text {
    // "Mate, can you…" calls the listener; "Mate got paid $2000" has a mate as its subject.
    let subject_mate = |i: usize| {
        text.tokens[i].is("mate")
            && text.tokens.get(i + 1).is_some_and(|n| {
                n.norm.ends_with("ed")
                    || n.is_any(&[
                        "got", "paid", "spent", "bought", "made", "reckons", "says", "said", "has", "had", "is", "was",
                        "of", "from",
                    ])
            })
    };
    // A greeting with its own mark ("morning, Bazza got a new awning…", "howdy! …") opens the message too;
    // not "morning tea at 10".
    let greeting = |i: usize| text.tokens[i].is_any(GREETINGS) && text.tokens.get(i + 1).is_some_and(|n| n.is_punct());
    let skip = text
        .tokens
        .iter()
        .enumerate()
        .take_while(|(i, t)| (t.is_any(OPENERS) || greeting(*i)) && !subject_mate(*i))
        .count();
    let left = text.tokens.len() - skip;
    if skip == 0 || left < 3 {
        return text;
    }
    match text.tokens.get(skip).and_then(|t| text.folded.get(t.span.start..)) {
        Some(rest) => Text::new(rest),
        None => text,
    }
}

/// Words that greet, in the languages travellers greet PAM in. A closed class: the classifier cannot
/// learn "hullo" or "howzit" from a few lines, and the openers taken off hide "hello" from it.
const GREETINGS: &[&str] = &[
    "hi",
    "hiya",
    "hello",
    "helo",
    "hullo",
    "hallo",
    "'ello",
    "ello",
    "hey",
    "heya",
    "heyo",
    "g'day",
    "gday",
    "gidday",
    "howdy",
    "hola",
    "ciao",
    "yo",
    "ayo",
    "howzit",
    "salutations",
    "greetings",
    "aloha",
    "bonjour",
    "namaste",
    "sup",
    "wassup",
    "morning",
    "mornin",
    "evening",
    "afternoon",
    "kia",
    "servus",
    "hej",
    "ahoy",
];

/// The message opens with a greeting word, or a greeting calls PAM by name ("well look who it is, hi pam").
fn opens_with_greeting(text: &Text) -> bool {
    let first = text.tokens.iter().position(|t| !t.is_punct());
    let greets = |i: usize| text.tokens.get(i).is_some_and(|t| t.is_any(GREETINGS));
    first.is_some_and(|i| greets(i) || (text.tokens[i].is("good") && greets(i + 1)))
        || (0..text.len()).any(|i| greets(i) && text.tokens.get(i + 1).is_some_and(|t| t.is("pam")))
}

impl Analysis {
    pub fn new(original: &str) -> Analysis {
        let cut = match original.char_indices().nth(MAX_CHARS) {
            Some((at, _)) => &original[..at],
            None => original,
        };
        let whole = Text::new(cut);
        let greeted = opens_with_greeting(&whole);
        let mut text = without_openers(whole);
        text.expand_texting(spelling::is_known_word);
        text.unshout(|w| spelling::is_common_word(w) || entities::calendar::weekday(w).is_some());
        let entities = entities::scan(&text.tokens);
        let act = SpeechAct::of(&text, &entities);
        let mut words = Vec::with_capacity(text.len());
        let mut extra_words = Vec::new();
        let mut i = 0;
        while i < text.len() {
            if let Some(e) = entities.iter().find(|e| e.start == i) {
                match e.placeholder() {
                    Some(p) => words.push(p.to_string()),
                    None => {
                        words.push("<day>".to_string());
                        words.extend(text.tokens[e.start..e.end()].iter().map(|t| t.norm.clone()));
                    }
                }
                i = e.end();
                continue;
            }
            let t = &text.tokens[i];
            // A capitalised word inside the sentence that is no known word is most likely a name
            // (a town, a person); names vary endlessly, so the classifier sees them as one token.
            let name = i > 0
                && t.capitalised
                && t.norm != "i"
                && !text.tokens[i - 1].is_any(&[".", "!", "?", ":"])
                && vocabulary::canonical(&t.norm).is_none()
                && entities::calendar::weekday(&t.norm).is_none()
                && entities::calendar::month(&t.norm).is_none();
            let word = if name {
                "<cap>".to_string()
            } else {
                spelling::correct(&t.norm).map(str::to_string).unwrap_or_else(|| t.norm.clone())
            };
            // "month-end", "end-of-month": the parts count as words too.
            if word.contains('-') && !word.starts_with('<') {
                for part in word.split('-').filter(|p| p.len() > 1) {
                    extra_words.push(part.to_string());
                }
            }
            words.push(word);
            i += 1;
        }
        Analysis {
            text,
            greeted,
            entities,
            act,
            words,
            extra_words,
            features: std::sync::OnceLock::new(),
            post: std::sync::OnceLock::new(),
        }
    }

    /// The word model's and the gate's features.
    pub fn features(&self) -> &[u64] {
        self.features.get_or_init(|| self.work_out_features())
    }

    /// The text a post would carry ([`crate::slots::post::post_content`]), worked out once.
    pub fn post_content(&self) -> Option<&str> {
        self.post.get_or_init(|| crate::slots::post::post_content(self)).as_deref()
    }

    fn work_out_features(&self) -> Vec<u64> {
        let words: Vec<&str> = self.words.iter().map(String::as_str).collect();
        // Word classes, alone and in neighbouring pairs ("k:pay k:cat" is "spent … on diesel").
        let mut extras: Vec<String> = self.act.features().map(str::to_string).collect();
        for part in &self.extra_words {
            extras.push(format!("w:{part}"));
            extras.extend(concepts::of(part).map(str::to_string));
        }
        let classes: Vec<Vec<&'static str>> = words.iter().map(|w| concepts::of(w).collect()).collect();
        let mut last: Vec<&str> = vec!["<s>"];
        for (w, cs) in words.iter().zip(&classes) {
            for c in cs {
                extras.push((*c).to_string());
                for l in &last {
                    extras.push(format!("{l}>{c}"));
                }
            }
            if !cs.is_empty() {
                last = cs.clone();
            } else if w.starts_with('<') {
                last = vec![w];
            }
        }
        // Money coming in: "paid me", "paid us back", "got paid", "was paid", "came through".
        let t = &self.text;
        for i in 0..t.len() {
            let (prev, this, next) = (if i > 0 { t.norm(i - 1) } else { "" }, t.norm(i), t.norm(i + 1));
            if matches!(this, "paid" | "pay" | "pays")
                && (matches!(next, "me" | "us") || matches!(prev, "got" | "was" | "were" | "been" | "get" | "getting"))
            {
                extras.push("k:receive".into());
                extras.push("k:paid_to_me".into());
            }
            if matches!(this, "came" | "come" | "landed") && matches!(next, "through" | "in") {
                extras.push("k:receive".into());
            }
        }
        model::features(&words, extras.iter().map(String::as_str))
    }

    /// Character 3- and 4-grams of each word (placeholders whole), for the character model.
    pub fn char_features(&self) -> Vec<u64> {
        let words: Vec<&str> = self.words.iter().map(String::as_str).collect();
        model::char_features(&words, self.act.features())
    }

    pub fn has_entity(&self, f: impl Fn(&entities::Kind) -> bool) -> bool {
        self.entities.iter().any(|e| f(&e.kind))
    }
}
