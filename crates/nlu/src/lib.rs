//! Offline language understanding: what a traveller asked, without a model — the intent (which tool)
//! and its slots (amounts, dates, places, distances, volumes, durations) — and the spending vocabulary
//! it shares with the money domain. The offline brain (in `brain`) turns it into tool calls and replies.
//!
//! A leaf crate: no database, no HTTP, no LLM.

pub mod amount;
pub mod dates;
pub mod intent;
pub mod phrases;
pub mod vocabulary;
