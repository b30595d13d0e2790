//! PAM backend: the server behind Wheels & Wins. `main.rs` is a thin CLI over this library; tests build
//! the same app through [`app::build_state`] and [`app::serve`] on a listener they bind themselves.

pub mod app;
pub mod audit;
pub mod auth;
pub mod config;
pub mod error;
pub mod health;
pub mod http;
pub mod owned;
pub mod pam;
pub mod platform;
pub mod profiles;
pub mod state;
pub mod tools;
pub mod wins;
