//! Helpers shared by the behaviour tests: what the offline brain does with a sentence.
// Each test file uses its own subset of these.
#![allow(dead_code)]

use chrono::NaiveDate;
use pam_nlu::intents;
use pam_nlu::{Action, understand};
use serde_json::Value;

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

pub fn call(text: &str) -> Option<(&'static str, Value)> {
    match understand(text, today()).action {
        Action::Call { tool, arguments } => Some((tool, arguments)),
        _ => None,
    }
}

/// The write PAM does, or asks "do you want me to…" about: what it took the sentence to mean.
pub fn meant(text: &str) -> Option<&'static str> {
    match understand(text, today()).action {
        Action::Call { tool, .. } => Some(tool),
        Action::Clarify { candidate: Some((tool, _)), .. } => Some(tool),
        _ => None,
    }
}

pub fn writes(text: &str) -> bool {
    call(text).is_some_and(|(tool, _)| intents::is_write(tool))
}

/// Each of these sentences changes nothing.
pub fn assert_none_writes(sentences: &[&str]) {
    for s in sentences {
        assert!(!writes(s), "{s} wrote: {:?}", call(s));
    }
}
