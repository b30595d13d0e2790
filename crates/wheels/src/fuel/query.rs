//! Reading the fuel log: filtered pages with their totals, and the whole log for the export.

use chrono::NaiveDate;
use pam_kernel::money::Amount;
use pam_kernel::{DomainError, ListMeta, Money, Page};
use pam_store::with_db;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::entry::{FuelEntry, FuelRow};
use crate::WheelsState;

/// Which fill-ups to list (the REST query and the `get_fuel_log` tool's arguments).
#[derive(Debug, Default, Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
pub struct FuelFilter {
    /// Only this vehicle's fills.
    pub vehicle_id: Option<Uuid>,
    /// `YYYY-MM-DD`, inclusive.
    pub start_date: Option<NaiveDate>,
    /// `YYYY-MM-DD`, inclusive.
    pub end_date: Option<NaiveDate>,
    /// 1–1000, default 50.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FuelList {
    pub fuel_entries: Vec<FuelEntry>,
    #[serde(flatten)]
    pub meta: ListMeta,
    /// What all matching fills cost.
    #[schema(value_type = Amount)]
    pub total_amount: Money,
}

/// A page of rows with the totals of all matches (window functions run before LIMIT: one round trip).
#[derive(sqlx::FromRow)]
struct ListedRow {
    #[sqlx(flatten)]
    row: FuelRow,
    total_count: i64,
    matching_cents: i64,
}

/// Newest fills first.
pub async fn list(state: &WheelsState, user_id: Uuid, filter: &FuelFilter) -> Result<FuelList, DomainError> {
    let page = Page::parse(filter.limit, filter.offset)?;
    if let (Some(s), Some(e)) = (filter.start_date, filter.end_date)
        && s > e
    {
        return Err(DomainError::invalid(&["query", "start_date"], "must not be after end_date"));
    }
    let units = state.locales.of(user_id).await?.units;
    const MATCHES: &str = "user_id = $1 AND ($2 IS NULL OR vehicle_id = $2) \
         AND ($3 IS NULL OR fill_date >= $3) AND ($4 IS NULL OR fill_date <= $4)";
    let rows_sql = format!(
        "SELECT *, count(*) OVER () AS total_count, CAST(SUM(total_cents) OVER () AS BIGINT) AS matching_cents \
         FROM fuel_log WHERE {MATCHES} ORDER BY fill_date DESC, created_at DESC, id DESC LIMIT $5 OFFSET $6"
    );
    let rows: Vec<ListedRow> = with_db!(&state.db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(rows_sql))
            .bind(user_id)
            .bind(filter.vehicle_id)
            .bind(filter.start_date)
            .bind(filter.end_date)
            .bind(page.limit)
            .bind(page.offset)
            .fetch_all(pool)
            .await
    })?;
    let (total, total_cents) = match rows.first() {
        Some(first) => (first.total_count, first.matching_cents),
        // An empty page (no matches, or an offset past the end) still reports the totals.
        None => {
            let totals_sql =
                format!("SELECT count(*), CAST(COALESCE(SUM(total_cents), 0) AS BIGINT) FROM fuel_log WHERE {MATCHES}");
            with_db!(&state.db, |pool| {
                sqlx::query_as(sqlx::AssertSqlSafe(totals_sql))
                    .bind(user_id)
                    .bind(filter.vehicle_id)
                    .bind(filter.start_date)
                    .bind(filter.end_date)
                    .fetch_one(pool)
                    .await
            })?
        }
    };
    Ok(FuelList {
        fuel_entries: rows.into_iter().map(|r| r.row.shown(units)).collect(),
        meta: page.meta(total),
        total_amount: Money::from_cents(total_cents),
    })
}

/// Every fill of a user, oldest first (the account export).
pub async fn all(state: &WheelsState, user_id: Uuid) -> Result<Vec<FuelEntry>, DomainError> {
    let units = state.locales.of(user_id).await?.units;
    let rows: Vec<FuelRow> = with_db!(&state.db, |pool| {
        sqlx::query_as("SELECT * FROM fuel_log WHERE user_id = $1 ORDER BY fill_date, created_at, id")
            .bind(user_id)
            .fetch_all(pool)
            .await
    })?;
    Ok(rows.into_iter().map(|r| r.shown(units)).collect())
}
