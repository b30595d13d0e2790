//! The fuel log: fill-ups (any two of volume, price per unit and total give the third), fuel use
//! between full fills, and spending per period. Stored in litres, thousandths per litre and cents;
//! shown in the user's units.

pub mod amounts;
mod consumption;
mod entry;
mod query;
mod stats;

use pam_kernel::DomainError;
use pam_store::with_db;
use uuid::Uuid;

use crate::WheelsState;

pub use consumption::{Interval, full_to_full, learned_l_per_100km, relearn};
pub(crate) use entry::MAX_ODOMETER_KM;
pub use entry::{FuelEntry, FuelEntryUpdate, NewFuelEntry, create, create_in, delete, get, update};
pub use query::{FuelFilter, FuelList, all, list};
pub use stats::{FuelStats, FuelStatsQuery, StatsPeriod, stats, stats_in};

/// The price per litre of the user's latest fill-up paid in their current currency, in thousandths of
/// it (a fuel price's own precision: $1.899/L). Fills in another currency (before the user moved, or
/// changed the setting) are no price for a trip costed in this one.
pub async fn last_price_per_litre_milli(state: &WheelsState, user_id: Uuid) -> Result<Option<i64>, DomainError> {
    let currency = state.locales.of(user_id).await?.currency;
    let price: Option<i64> = with_db!(&state.db, |pool| {
        sqlx::query_scalar(
            "SELECT price_per_litre_milli FROM fuel_log WHERE user_id = $1 AND currency = $2 \
             ORDER BY fill_date DESC, created_at DESC, id DESC LIMIT 1",
        )
        .bind(user_id)
        .bind(&currency)
        .fetch_optional(pool)
        .await
    })?;
    Ok(price)
}
