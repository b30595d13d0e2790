//! The account export (SPEC §4 `/users/{id}/export`) is assembled from each domain's own part: a map of
//! named sections. Each domain also lists the tables it keeps user rows in, so the server can check
//! that no table is left out.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::DomainError;

/// Named sections of the export (`"expenses": [...]`, `"profile": {...}`).
#[derive(Default)]
pub struct Sections(Map<String, Value>);

impl Sections {
    pub fn new() -> Sections {
        Sections(Map::new())
    }

    pub fn add(&mut self, name: &str, value: impl Serialize) -> Result<(), DomainError> {
        let value = serde_json::to_value(value).map_err(|e| DomainError::internal("export", e))?;
        self.0.insert(name.to_string(), value);
        Ok(())
    }

    pub fn into_map(self) -> Map<String, Value> {
        self.0
    }
}

/// A table holding user rows, and the export section its rows appear under.
#[derive(Clone, Copy, Debug)]
pub struct OwnedTable {
    pub table: &'static str,
    pub section: &'static str,
}

pub const fn owned(table: &'static str, section: &'static str) -> OwnedTable {
    OwnedTable { table, section }
}
