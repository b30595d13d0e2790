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

/// The `limit` / `offset` query of a list, as clients send it (checked by [`Page::parse`]).
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// 1–1000, default 50.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    /// 0 or more, default 0.
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

impl PageQuery {
    pub fn page(&self) -> Result<Page, DomainError> {
        Page::parse(self.limit, self.offset)
    }
}

/// The part of SPEC §2's list envelope every list shares, beside its items under their plural name
/// (`{"expenses": [...], "total": 120, "limit": 50, "offset": 0}`): flattened into each list type.
#[derive(Debug, Clone, Copy, serde::Serialize, utoipa::ToSchema, PartialEq, Eq)]
pub struct ListMeta {
    /// How many items match, across all pages.
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

impl Page {
    /// The envelope's numbers for this page of `total` matches.
    pub fn meta(self, total: i64) -> ListMeta {
        ListMeta { total, limit: self.limit, offset: self.offset }
    }
}
