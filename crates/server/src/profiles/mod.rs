//! Profiles, settings and privacy (SPEC §4 "Profiles & settings").

pub mod account;
pub mod avatar;
pub mod fields;
pub mod routes;
pub mod service;
pub mod settings;
pub mod tools;
