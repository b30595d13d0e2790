//! Answers to the offline brain's own questions. When its last reply was a question about the user's
//! message before ("Do you want me to log $40 for fuel as an expense?", "How much was it?"), the new
//! message is read as the answer: a "yes" makes the call it offered, a detail ("$40") is read together
//! with the earlier message. Understanding is deterministic, so reading the earlier message again gives
//! the question it was asked — nothing needs to be stored between turns.

use chrono::NaiveDate;
use pam_nlu::{Action, Understanding, understand};

use crate::transcript::{Message, Role};

const YES: &[&str] = &[
    "yes",
    "yep",
    "yeah",
    "yea",
    "ya",
    "sure",
    "ok",
    "okay",
    "please",
    "do it",
    "go ahead",
    "yes please",
    "correct",
    "righto",
    "too right",
    "absolutely",
    "y",
    "sounds good",
    "that's right",
    "go for it",
    "affirmative",
];

/// Words that take a "yes" back: "yeah nah" is Australian for no, "please don't", "ok no", "sure, not yet".
const NO: &[&str] = &[
    "no",
    "nah",
    "nope",
    "not",
    "don't",
    "dont",
    "never",
    "cancel",
    "stop",
    "wait",
    "hold",
    "later",
    "n't",
    "skip",
    "forget",
    "nvm",
    "nevermind",
    "jk",
    "kidding",
];

/// Yeses that hold a word of refusal: "sure, no worries", "yep, no problem", "why not".
const YES_WITH_NO: &[&str] = &["no worries", "no problem", "no probs", "no dramas", "why not"];

fn is_yes(text: &str) -> bool {
    let folded = text.trim().replace(['\u{2019}', '\u{2018}'], "'").to_lowercase();
    // A question back ("ok why?") is no yes.
    if folded.contains('?') {
        return false;
    }
    let mut t = folded.trim_end_matches(['.', '!']).to_string();
    for phrase in YES_WITH_NO {
        t = t.replace(phrase, "ok");
    }
    let words: Vec<&str> =
        t.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '.' | '!')).filter(|w| !w.is_empty()).collect();
    let denied = words.iter().any(|w| NO.contains(w) || w.ends_with("n't"));
    !denied
        && (YES.contains(&t.as_str())
            || YES.iter().any(|y| t.starts_with(&format!("{y} ")) && words.len() <= 3)
            || (words.len() <= 3 && words.first().is_some_and(|w| YES.contains(w))))
}

/// The reading of the newest user message, taking the brain's last question into account.
pub fn read(messages: &[Message], today: NaiveDate) -> Understanding {
    let texts: Vec<(Role, String)> =
        messages.iter().map(|m| (m.role, m.text())).filter(|(_, t)| !t.trim().is_empty()).collect();
    let now = texts.last().map(|(_, t)| t.clone()).unwrap_or_default();
    let direct = understand(&now, today);
    // [.., user: earlier, assistant: question, user: now]
    let [.., (Role::User, earlier), (Role::Assistant, asked), (Role::User, _)] = texts.as_slice() else {
        return direct;
    };
    let before = understand(earlier, today);
    let Action::Clarify { question, candidate } = &before.action else { return direct };
    if question != asked {
        return direct;
    }
    if is_yes(&now)
        && let Some((tool, arguments)) = candidate
    {
        return Understanding { action: Action::Call { tool, arguments: arguments.clone() }, ..before };
    }
    // A detail: read it with the earlier message, unless the new message stands on its own.
    if matches!(direct.action, Action::Call { .. }) {
        return direct;
    }
    let together = understand(&format!("{earlier} {now}"), today);
    match together.action {
        Action::Call { .. } => together,
        _ => direct,
    }
}

#[cfg(test)]
mod tests {
    use super::is_yes;

    #[test]
    fn a_yes_is_a_yes_and_a_yes_taken_back_is_not() {
        for yes in ["yes", "Yep!", "yes please", "sure, go ahead", "ok do it", "go for it", "righto"] {
            assert!(is_yes(yes), "{yes}");
        }
        for yes in ["sure, why not", "yep, no worries", "sure, no problem"] {
            assert!(is_yes(yes), "{yes}");
        }
        for no in [
            "yeah nah",
            "please don't",
            "ok no",
            "sure, not yet",
            "no",
            "yes but wait",
            "nah",
            "ok, cancel",
            "please skip it",
            "ok forget it",
            "ok nvm",
            "ok jk",
            "ok why?",
            "ok don\u{2019}t",
        ] {
            assert!(!is_yes(no), "{no}");
        }
        assert!(!is_yes("yes I spent 40 on fuel and 20 on bait"), "a long answer is a new message, not a yes");
    }
}
