//! Offline language understanding: what a traveller asked, without a language model. A sentence is
//! tokenised, its values found (money, volumes, distances, durations, times, days), its speech act read
//! (a report, an order, a question, a supposition, someone else's doing), its intent classified by a
//! small model trained from the labelled corpus in `corpus/`, and its slots filled for that intent.
//! `understand` decides what to do: call a tool, ask one short question, or answer in words. The
//! offline brain (in `brain`) turns that into tool calls and replies.
//!
//! A leaf crate: no database, no HTTP, no LLM.

// Outside data never reaches an unwrap: failures are errors, not panics (tests may unwrap).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod analysis;
pub mod arguments;
pub mod concepts;
pub mod corpus;
pub mod entities;
pub mod eval;
mod evidence;
pub mod intents;
pub mod model;
pub mod numbers;
pub mod places;
mod remarks;
pub mod reply;
pub mod slots;
pub mod speech_act;
pub mod spelling;
pub mod text;
pub mod thresholds;
pub mod understand;
pub mod vocabulary;

pub use understand::{Action, Understander, Understanding, understand};
