//! Black-box API tests: the real app on a random port, against fresh SQLite and Postgres databases.

mod fakes;
mod helpers;
mod tokens;

mod admin;
mod asyncapi;
mod auth;
mod calendar;
mod conformance;
mod errors;
mod guards;
mod health;
mod idempotency;
mod jwks;
mod knowledge;
mod layout;
mod many_instances;
mod medical;
mod metrics;
mod migrations;
mod openapi_constraints;
mod pam;
mod pam_guards;
mod pam_ws;
mod profiles;
mod pushes;
mod reliability;
mod shop;
mod shutdown;
mod social;
mod speech;
mod wheels_tools;
mod wheels_trips;
mod wheels_vehicles;
mod wins;
mod wins_reports;
