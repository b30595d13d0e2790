//! PAM backend: the server behind Wheels & Wins. `main.rs` is a thin CLI over this library; tests build
//! the same app through [`app::build_state`] and [`app::serve`] on a listener they bind themselves.
//!
//! This crate is the application: config, auth, the HTTP edge, PAM's turn pipeline and WebSocket, and
//! the assembly of the domain crates ([`domains`]) into one state and one router.

// Outside data never reaches an unwrap: failures are errors, not panics (tests may unwrap).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod account;
pub mod admin;
pub mod app;
pub mod asyncapi;
pub mod auth;
pub mod config;
pub mod domains;
pub mod health;
pub mod http;
pub mod jobs;
pub mod metrics;
pub mod pam;
pub mod speech;
pub mod state;
pub mod telemetry;
pub mod travel;
