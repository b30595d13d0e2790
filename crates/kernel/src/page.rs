//! `limit` / `offset` (SPEC §2: limit defaults to 50, at most 1000; above is 422).

use crate::error::DomainError;

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 1000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page {
    pub limit: i64,
    pub offset: i64,
}

impl Page {
    pub fn parse(limit: Option<i64>, offset: Option<i64>) -> Result<Page, DomainError> {
        let limit = limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(DomainError::invalid(&["query", "limit"], format!("must be between 1 and {MAX_LIMIT}")));
        }
        let offset = offset.unwrap_or(0);
        if offset < 0 {
            return Err(DomainError::invalid(&["query", "offset"], "must be 0 or more"));
        }
        Ok(Page { limit, offset })
    }
}
