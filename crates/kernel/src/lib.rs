//! The vocabulary every domain shares, and nothing else: ids and the caller, `Money` and `Currency`, the
//! user's locale and clock, `Page`, `Patch<T>`, text checks, the domain error (no HTTP in it), the tool
//! machinery PAM's registry is built from, and the audit log every domain writes to.
//!
//! Depends on `store` (a tool's context carries the database) and on no domain.

// Outside data never reaches an unwrap: failures are errors, not panics (tests may unwrap).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod audit;
pub mod caller;
pub mod error;
pub mod export;
pub mod locale;
pub mod money;
pub mod owned;
pub mod page;
pub mod patch;
pub mod period;
pub mod schema_rules;
pub mod text;
pub mod timestamp;
pub mod tool;

pub use caller::Caller;
pub use error::{DomainError, FieldError};
pub use locale::{Clock, Locale, Locales, Units};
pub use money::{Currency, Money};
pub use page::{ListMeta, Page, PageQuery};
pub use patch::Patch;
pub use period::Period;
pub use tool::{NoArguments, Tool, ToolContext, ToolError, ToolOutput, UiAction};
