//! PAM's brain: model registry, provider-neutral transcript, providers behind one trait, the fallback
//! chain, the agent loop over a `Toolbox`, usage and cost, and the offline brain. It knows nothing of
//! expenses or trips beyond the words of the offline brain: the app gives it tools through `Toolbox`.

// Outside data never reaches an unwrap: failures are errors, not panics (tests may unwrap).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod agent;
pub mod offline;
pub mod provider;
pub mod registry;
pub mod stream;
pub mod transcript;
pub mod usage;
pub mod wire;
