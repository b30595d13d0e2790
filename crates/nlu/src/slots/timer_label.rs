//! A timer's label, cut from what the user wrote (an event's title is in `phrases.rs`).

use super::phrases::cut;
use crate::analysis::Analysis;
use crate::entities::Kind;

/// What a timer is for: "to check the tyres" → "check the tyres", "for the eggs" → "eggs", "9 minute timer
/// on the snags" → "snags", "so I remember to turn the hot water off" → "turn the hot water off", "pasta
/// timer, 9 minutes" → "pasta".
pub fn timer_label(a: &Analysis) -> Option<String> {
    let t = &a.text;
    let anchor = a.entities.iter().find(|e| matches!(e.kind, Kind::Duration { .. } | Kind::Time(_)))?;
    // A name given outright: "called check out", "labelled fishing", "call it pack up".
    let named = (0..t.len()).find_map(|k| {
        if t.tokens[k].is_any(&["called", "labelled", "labeled", "named", "titled"]) {
            Some(k + 1)
        } else if t.tokens[k].is_any(&["call", "name", "label"]) && t.norm(k + 1) == "it" {
            Some(k + 2)
        } else {
            None
        }
    });
    if let Some(k) = named {
        let end = (k..t.len())
            .find(|&j| t.tokens[j].is_any(&[",", "?", "!", "."]) || a.entities.iter().any(|e| e.start == j))
            .unwrap_or(t.len());
        if end > k {
            return cut(t, k, end);
        }
    }
    // An errand anywhere: "remind me to…", "nudge me to…", "so I remember to…", "reminder to…".
    let errand = (1..t.len()).find(|&k| {
        t.tokens[k].is("to")
            && t.tokens[k - 1].is_any(&["me", "us", "remember", "reminder", "forget"])
            && !a.entities.iter().any(|e| e.start == k + 1)
            // "remember to set an alarm for 6": the errand is the alarm itself, not what it is for.
            && !(t.tokens.get(k + 1).is_some_and(|w| w.is_any(&["set", "start", "put", "make"]))
                && t.tokens[k + 1..t.len().min(k + 5)].iter().any(|w| w.is_any(&["timer", "alarm"])))
    });
    let start = match errand {
        Some(k) => Some(k + 1),
        None => after_the_time(a, anchor.end()),
    };
    if let Some(k) = start {
        let k = skip_articles(t, k);
        let mut end = (k..t.len())
            .find(|&j| t.tokens[j].is_any(&[",", "?", "!", "."]) || a.entities.iter().any(|e| e.start == j))
            .unwrap_or(t.len());
        // "…to check the oven in 10 minutes": the word joining the time goes with it.
        if end > k + 1
            && a.entities.iter().any(|e| e.start == end)
            && t.tokens[end - 1].is_any(&["in", "at", "for", "by", "on"])
        {
            end -= 1;
        }
        // "…for the eggs would ya", "…for the roast please": courtesy after the label is not part of it.
        while end > k
            && t.tokens[end - 1].is_any(&[
                "please", "pls", "plz", "thanks", "thx", "ta", "cheers", "mate", "ya", "you", "would", "could", "lol",
            ])
        {
            end -= 1;
        }
        return cut(t, k, end);
    }
    // "timer for the pizza 14 min": what it is for, between the timer and its time.
    if let Some(timer) = (0..anchor.start).find(|&k| t.tokens[k].is_any(&["timer", "alarm"]))
        && t.tokens.get(timer + 1).is_some_and(|w| w.is("for"))
        && anchor.start > timer + 2
        && (timer + 2..anchor.start).all(|j| t.tokens[j].norm.chars().all(char::is_alphabetic))
    {
        return cut(t, skip_articles(t, timer + 2), anchor.start);
    }
    // "pasta timer, 9 minutes", "egg timer for 4 minutes": the words naming the timer.
    let timer = (1..t.len()).find(|&k| t.tokens[k].is_any(&["timer", "alarm"]))?;
    let from = skip_articles(t, 0);
    let named = (from..timer).all(|j| {
        let w = &t.tokens[j];
        w.norm.chars().all(char::is_alphabetic)
            && !w.is_any(&[
                "set",
                "start",
                "put",
                "make",
                "an",
                "a",
                "me",
                "us",
                "can",
                "you",
                "please",
                "pls",
                "i",
                "countdown",
            ])
            && !crate::speech_act::is_finite(&w.norm)
            && !a.entities.iter().any(|e| e.covers(j))
    });
    if named { cut(t, from, timer) } else { None }
}

/// The label's first word after the time, when a word that introduces one follows it: "…for 11pm tonight
/// to turn the genny off", "…at 3:30 in the afternoon to call…", "…on the timer for the damper".
fn after_the_time(a: &Analysis, mut k: usize) -> Option<usize> {
    let t = &a.text;
    let skippable = |j: usize| {
        t.tokens[j].is_any(&[
            "timer",
            "alarm",
            "countdown",
            "please",
            "pls",
            "tonight",
            "today",
            "tomorrow",
            "in",
            "the",
            "afternoon",
            "morning",
            "evening",
            "arvo",
            "on",
            "clock",
            "a",
            "o'clock",
            "oclock",
        ]) || a.entities.iter().any(|e| e.covers(j) && !matches!(e.kind, Kind::Money(_)))
    };
    // A few words closing the sentence after the time name what it is for: "timer 20m pasta", "timer
    // for 8 mins, noodles" (not "…, thanks", nor a clause: "…, it's in the oven").
    let closing = |from: usize| {
        let rest = &t.tokens[from.min(t.len())..];
        (1..=3).contains(&rest.len())
            && rest.iter().all(|w| {
                w.norm.chars().all(|c| c.is_alphabetic() || c == '\'')
                    && !w.is_any(&[
                        "thanks", "thx", "ta", "cheers", "mate", "pam", "please", "pls", "now", "ok", "okay", "asap",
                        "sharp", "lol", "haha", "love", "darl", "then", "go", "thank", "you",
                    ])
                    && !w.is_any(crate::speech_act::SUBJECTS)
                    && !crate::speech_act::is_finite(&w.norm)
            })
    };
    while k < t.len() {
        if closing(k) && !skippable(k) && !t.tokens[k].is_any(&["for", "to", "on", "so"]) {
            return Some(k);
        }
        if t.tokens[k].is_any(&[",", "-"]) && closing(k + 1) {
            return Some(k + 1);
        }
        // "a timer, hour n a half, for the corned beef": the label after a comma, introduced.
        if t.tokens[k].is_any(&[",", "-"]) && t.tokens.get(k + 1).is_some_and(|n| n.is("for")) {
            k += 1;
            continue;
        }
        // "on the snags" introduces a label; "on the timer/clock" does not.
        if t.tokens[k].is("on")
            && let Some(next) = t.tokens.get(skip_articles(t, k + 1))
            && !next.is_any(&["timer", "clock", "for", "to"])
        {
            return Some(k + 1);
        }
        // "for me will ya": no label.
        if t.tokens[k].is_any(&["to", "for"]) && !t.tokens.get(k + 1).is_some_and(|n| n.is_any(&["me", "us"])) {
            return Some(k + 1);
        }
        if !skippable(k) {
            return None;
        }
        k += 1;
    }
    None
}

/// The first word after any "the" or "my".
fn skip_articles(t: &crate::text::Text, mut k: usize) -> usize {
    while k + 1 < t.len() && t.tokens[k].is_any(&["the", "my"]) {
        k += 1;
    }
    k
}
