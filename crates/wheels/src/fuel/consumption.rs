//! Fuel use measured from the log: from one full fill to the next, the fuel added (every fill after
//! the first full one, up to and including the second) over the distance between their odometer
//! readings. Partial fills and full fills without a reading in between still count their litres.

use chrono::NaiveDate;
use pam_kernel::DomainError;
use pam_store::with_db;
use serde::Serialize;
use uuid::Uuid;

use crate::WheelsState;
use crate::units::CONSUMPTION_RANGE;

/// How many recent full-to-full intervals the learned figure averages.
const RECENT_INTERVALS: usize = 5;
/// Shorter stretches say more about how the pump clicked off than about the vehicle.
const MIN_INTERVAL_KM: f64 = 50.0;

/// A fill as consumption needs it, in the order fills happened.
#[derive(Clone, Copy, Debug, sqlx::FromRow)]
pub struct Fill {
    pub vehicle_id: Option<Uuid>,
    pub fill_date: NaiveDate,
    pub odometer_km: Option<f64>,
    pub volume_litres: f64,
    pub total_cents: i64,
    pub filled_to_top: bool,
}

/// The stretch between two full fills with odometer readings.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Interval {
    pub vehicle_id: Option<Uuid>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub distance_km: f64,
    pub litres: f64,
}

impl Interval {
    pub fn l_per_100km(&self) -> f64 {
        self.litres / self.distance_km * 100.0
    }
}

/// The plausible full-to-full intervals of one vehicle's fills (given oldest first). An implausible one
/// — a fill left out of the log, a mistyped reading — is dropped rather than averaged in.
pub fn full_to_full(fills: &[Fill]) -> Vec<Interval> {
    let mut intervals = Vec::new();
    let mut anchor: Option<(NaiveDate, f64)> = None;
    let mut litres_since = 0.0;
    for fill in fills {
        if anchor.is_some() {
            litres_since += fill.volume_litres;
        }
        let (true, Some(reading)) = (fill.filled_to_top, fill.odometer_km) else { continue };
        if let Some((from, start)) = anchor {
            let interval = Interval {
                vehicle_id: fill.vehicle_id,
                from,
                to: fill.fill_date,
                distance_km: reading - start,
                litres: litres_since,
            };
            if interval.distance_km >= MIN_INTERVAL_KM && CONSUMPTION_RANGE.contains(&interval.l_per_100km()) {
                intervals.push(interval);
            }
        }
        anchor = Some((fill.fill_date, reading));
        litres_since = 0.0;
    }
    intervals
}

/// L/100 km over the recent intervals (weighted by distance, as the fuel was actually used).
pub fn learned_l_per_100km(intervals: &[Interval]) -> Option<f64> {
    let recent = intervals.iter().rev().take(RECENT_INTERVALS);
    let (litres, km) = recent.fold((0.0, 0.0), |(l, k), i| (l + i.litres, k + i.distance_km));
    Some(litres / km * 100.0).filter(|c| km > 0.0 && CONSUMPTION_RANGE.contains(c))
}

/// Every fill of the user's (of one vehicle, when given), oldest first.
pub(crate) async fn fills(
    state: &WheelsState,
    user_id: Uuid,
    vehicle_id: Option<Uuid>,
) -> Result<Vec<Fill>, DomainError> {
    let rows: Vec<Fill> = with_db!(&state.db, |pool| {
        sqlx::query_as(
            "SELECT vehicle_id, fill_date, odometer_km, volume_litres, total_cents, filled_to_top FROM fuel_log \
             WHERE user_id = $1 AND ($2 IS NULL OR vehicle_id = $2) ORDER BY fill_date, created_at, id",
        )
        .bind(user_id)
        .bind(vehicle_id)
        .fetch_all(pool)
        .await
    })?;
    Ok(rows)
}

/// Learns the vehicle's fuel use again from its whole log (so edits and deletions count too); no
/// plausible interval left clears the learned figure.
pub async fn relearn(state: &WheelsState, user_id: Uuid, vehicle_id: Uuid) -> Result<Option<f64>, DomainError> {
    let log = fills(state, user_id, Some(vehicle_id)).await?;
    let learned = learned_l_per_100km(&full_to_full(&log));
    with_db!(&state.db, |pool| {
        sqlx::query("UPDATE vehicles SET learned_l_per_100km = $3 WHERE id = $1 AND user_id = $2")
            .bind(vehicle_id)
            .bind(user_id)
            .bind(learned)
            .execute(pool)
            .await
            .map(|_| ())
    })?;
    Ok(learned)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fill(day: u32, odometer: Option<f64>, litres: f64, full: bool) -> Fill {
        Fill {
            vehicle_id: None,
            fill_date: NaiveDate::from_ymd_opt(2026, 3, day).unwrap(),
            odometer_km: odometer,
            volume_litres: litres,
            total_cents: 1,
            filled_to_top: full,
        }
    }

    #[test]
    fn partial_fills_count_toward_the_next_full_one() {
        let log = [
            fill(1, Some(10_000.0), 70.0, true),
            fill(3, None, 20.0, false),
            fill(5, Some(10_800.0), 100.0, true),
            fill(9, Some(11_300.0), 65.0, true),
        ];
        let intervals = full_to_full(&log);
        assert_eq!(intervals.len(), 2);
        assert_eq!((intervals[0].litres, intervals[0].distance_km), (120.0, 800.0));
        assert_eq!(intervals[0].l_per_100km(), 15.0);
        // (120 + 65) L over 1300 km.
        let learned = learned_l_per_100km(&intervals).unwrap();
        assert!((learned - 185.0 / 13.0).abs() < 1e-9);
    }

    #[test]
    fn implausible_or_unmeasured_stretches_are_left_out() {
        // A forgotten fill (800 km on 10 L), a reading going backwards, only one full fill.
        assert!(full_to_full(&[fill(1, Some(1000.0), 50.0, true), fill(2, Some(1800.0), 10.0, true)]).is_empty());
        assert!(full_to_full(&[fill(1, Some(1000.0), 50.0, true), fill(2, Some(900.0), 10.0, true)]).is_empty());
        assert!(full_to_full(&[fill(1, Some(1000.0), 50.0, true), fill(2, Some(1500.0), 60.0, false)]).is_empty());
        assert_eq!(learned_l_per_100km(&[]), None);
    }
}
