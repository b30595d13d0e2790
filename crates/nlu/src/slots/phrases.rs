//! An event's title, cut from what the user wrote (a timer's label is in `timer_label.rs`, a post's
//! content in `post/`).

use crate::analysis::Analysis;
use crate::entities::Kind;
use crate::text::Text;

/// Words that order or frame an event rather than name it.
const EVENT_FRAME: &[&str] = &[
    "wanna",
    "remember",
    "add",
    "put",
    "schedule",
    "pencil",
    "in",
    "please",
    "pls",
    "can",
    "could",
    "you",
    "u",
    "new",
    "event",
    "calendar",
    "entry",
    "a",
    "an",
    "the",
    "reminder",
    "for",
    "my",
    "i've",
    "ive",
    "got",
    "i",
    "have",
    "need",
    "to",
    "be",
    "at",
    "set",
    "up",
    "remind",
    "me",
    "about",
    "pop",
    "book",
    "make",
    "create",
    "on",
    "it",
    "ok",
    "hey",
    "pam",
    ":",
    ",",
    "-",
    "appointment",
    "with",
    "there's",
    "there",
    "is",
    "and",
    // The order said otherwise: "stick a reminder in…", "I should like a reminder…", "I need reminding…",
    // "jot down…", "chuck it in the diary, mate".
    "stick",
    "chuck",
    "jot",
    "down",
    "reminding",
    "should",
    "like",
    "i'd",
    "id",
    "want",
    "diary",
    "mate",
    "note",
    // "don't let me forget the gas bottle swap".
    "don't",
    "dont",
    "let",
    "forget",
];
/// Words that sit before a day or time and go with it ("on Friday", "at 10", "next Tuesday").
const TIME_JOINERS: &[&str] = &["on", "at", "for", "next", "this", "by", "the", "from", "of", "in", "coming", "@"];
/// Tail phrases that ask to save rather than name ("pop it in the calendar", "add it").
const SAVE_TAILS: &[&str] = &[
    "pop it in the calendar",
    "pop it in",
    "put it in the calendar",
    "put it in",
    "add it to the calendar",
    "add it to my calendar",
    "add to calendar",
    "add it",
    "can you add it",
    "on the calendar",
    "in the calendar",
    "to the calendar",
    "to my calendar",
    "in my calendar",
    "on my calendar",
    "to calendar",
    "in calendar",
    "on calendar",
    "into the calendar",
    "into my calendar",
    "in our calendar",
    "in the diary",
    "in my diary",
];

fn is_time_token(a: &Analysis, k: usize) -> bool {
    a.entities.iter().any(|e| e.covers(k) && matches!(e.kind, Kind::Day(_) | Kind::Time(_)))
        || a.text.tokens[k].is_any(&[
            "morning",
            "arvo",
            "afternoon",
            "evening",
            "tonight",
            "noon",
            "midday",
            "am",
            "pm",
        ])
}

/// The text between two token indexes as written, joined (None when empty).
pub(super) fn cut(text: &Text, from: usize, to: usize) -> Option<String> {
    if from >= to {
        return None;
    }
    let s =
        text.slice(from, to - 1).trim().trim_matches(|c: char| matches!(c, ',' | ':' | '-' | '.' | '\'' | '"')).trim();
    (!s.is_empty()).then(|| s.to_string())
}

/// Token ranges of the sentence with day and time words (and their joiners) taken out.
fn keep_ranges(a: &Analysis, from: usize, to: usize) -> Vec<(usize, usize)> {
    let mut drop = vec![false; a.text.len()];
    for k in from..to {
        if is_time_token(a, k) {
            drop[k] = true;
            // "on the 3rd", "at 10am", "next Tuesday": the joiners before go too.
            let mut j = k;
            while j > from && a.text.tokens[j - 1].is_any(TIME_JOINERS) {
                drop[j - 1] = true;
                j -= 1;
            }
        }
    }
    let mut ranges = Vec::new();
    let mut start = None;
    for k in from..=to {
        let keep = k < to && !drop.get(k).copied().unwrap_or(true) && !a.text.tokens[k].is_any(&[",", ":"]);
        match (keep, start) {
            (true, None) => start = Some(k),
            (false, Some(s)) => {
                ranges.push((s, k));
                start = None;
            }
            _ => {}
        }
    }
    ranges
}

/// What an event is called: "dentist", "mum's birthday lunch", "lunch with Sue", "KOA check-in".
pub fn event_title(a: &Analysis) -> Option<String> {
    let t = &a.text;
    let mut end = t.len();
    for tail in SAVE_TAILS {
        // A save phrase with only the order before it is the order, not a tail ("add to calendar - rego
        // due"); after the event's name it is one ("Add markets to my calendar for Sunday").
        if let Some(k) = t.find_phrase(tail)
            && (0..k).any(|j| !t.tokens[j].is_any(EVENT_FRAME))
        {
            end = end.min(k);
        }
    }
    // "remind me to pay the insurance on the 15th": the errand is the title.
    let mut start = 0;
    if let Some(r) = t.find_phrase("remind me")
        && let Some(to) = (r + 2..end).find(|&k| t.norm(k) == "to")
    {
        start = to + 1;
    } else if let Some(c) = (0..end).find(|&k| t.norm(k) == ":") {
        // "set a reminder for the 3rd: pay rego" names it after the colon.
        if keep_ranges(a, c + 1, end).iter().any(|(s, e)| e > s) {
            start = c + 1;
        }
    }
    // "an event called 'water tank flush'": the name given.
    if let Some(k) = (0..end).find(|&k| t.tokens[k].is_any(&["called", "named", "titled"])) {
        start = k + 1;
    } else if let Some(k) =
        (1..t.len()).find(|&k| t.norm(k) == "that" && t.tokens[k - 1].is_any(&["calendar", "diary", "down"]))
    {
        // "mark it down in the calendar that the grandkids arrive on the 20th": the event follows the save.
        start = k + 1;
        end = t.len();
    } else if start == 0
        && let Some(v) = (0..end.min(12)).rev().find(|&k| {
            t.tokens[k].is_any(&["schedule", "book", "pencil", "add", "put", "create", "make", "note", "mark", "enter"])
                && (0..k).all(|j| !t.tokens[j].capitalised || j == 0)
                && !(0..k).any(|j| is_time_token(a, j))
        })
    {
        // "I was wondering if you could schedule a video call with the grandkids": after the order.
        start = v + 1;
    }
    title_between(a, start, end)
        // "lodge tax return — put a reminder in for the 15th": nothing named after the order, so the name
        // is what came before it.
        .or_else(|| {
            // A dash or colon only: what comes before a comma may be courtesy ("Thanks heaps, put a reminder in …").
            let mark = (1..start).rev().find(|&k| t.tokens[k].is_any(&["-", ":"]))?;
            title_between(a, 0, mark)
        })
}

/// The event's name within tokens `start..end`: the first run of words that are neither a time nor a
/// word of ordering.
fn title_between(a: &Analysis, start: usize, end: usize) -> Option<String> {
    let t = &a.text;
    let ranges = keep_ranges(a, start, end);
    let mut parts: Vec<String> = Vec::new();
    for (s, e) in ranges {
        let mut s = s;
        while s < e && (t.tokens[s].is_any(EVENT_FRAME) && parts.is_empty()) {
            s += 1;
        }
        let mut e = e;
        // "the rego inspection is next wednesday": the verb before the day is no part of the name.
        while e > s && t.tokens[e - 1].is_any(&["on", "at", "for", "in", "to", "and", "with", "the", "is", "are"]) {
            e -= 1;
        }
        if let Some(p) = cut(t, s, e) {
            parts.push(p);
        }
        // The title is the first thing named; what follows a comma is usually the when or the ask.
        if !parts.is_empty() {
            break;
        }
    }
    let title = parts.join(" ");
    let title = lower_first(&title, a);
    (!title.is_empty()).then_some(title)
}

/// A sentence-initial capital is not a proper noun: "Dentist tomorrow" → "dentist".
fn lower_first(title: &str, a: &Analysis) -> String {
    let starts_sentence = a
        .text
        .tokens
        .first()
        .is_some_and(|t| a.text.folded[t.span.clone()].starts_with(title.split(' ').next().unwrap_or("")));
    let first = title.split(' ').next().unwrap_or("");
    let all_caps = first.len() > 1 && first.chars().all(|c| !c.is_lowercase());
    if starts_sentence && !all_caps && crate::vocabulary::is_common_word(&first.to_lowercase()) {
        let mut c = title.chars();
        return c.next().map(|f| f.to_lowercase().collect::<String>() + c.as_str()).unwrap_or_default();
    }
    title.to_string()
}
