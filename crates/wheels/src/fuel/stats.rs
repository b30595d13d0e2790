//! Fuel statistics for a period: spend, volume, fills, average price, and fuel use between full fills —
//! all in the user's units and currency.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use pam_kernel::money::Amount;
use pam_kernel::{DomainError, Locale, Money, Period, Units};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::consumption::{Fill, Interval, fills, full_to_full};
use crate::units::{LITRES_PER_US_GALLON, Shown, show_consumption, show_distance, show_volume};
use crate::{WheelsState, vehicles};

/// Calendar periods, counted as budgets are: this week (from Monday), this month, this year, or all time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatsPeriod {
    Week,
    #[default]
    Month,
    Year,
    All,
}

impl StatsPeriod {
    /// The period's first day; None for all time.
    fn start(self, today: NaiveDate) -> Option<NaiveDate> {
        match self {
            StatsPeriod::Week => Some(Period::ThisWeek.bounds(today).0),
            StatsPeriod::Month => Some(Period::ThisMonth.bounds(today).0),
            StatsPeriod::Year => Some(Period::ThisYear.bounds(today).0),
            StatsPeriod::All => None,
        }
    }
}

/// The REST query and the `get_fuel_stats` tool's arguments.
#[derive(Debug, Default, Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
pub struct FuelStatsQuery {
    /// `week`, `month` (default), `year` or `all`.
    pub period: Option<StatsPeriod>,
    /// Only this vehicle's fills.
    pub vehicle_id: Option<Uuid>,
}

/// A price per litre or per US gallon.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct UnitPrice {
    pub value: f64,
    /// `L` or `gal`.
    pub per: &'static str,
}

/// One full-to-full stretch, in the user's units.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeasuredStretch {
    pub vehicle_id: Option<Uuid>,
    pub from_date: NaiveDate,
    pub to_date: NaiveDate,
    pub distance: Shown,
    pub volume: Shown,
    pub consumption: Shown,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FuelStats {
    pub period: StatsPeriod,
    /// None for all time.
    pub start_date: Option<NaiveDate>,
    pub end_date: NaiveDate,
    pub currency: String,
    #[schema(value_type = Amount)]
    pub spend: Money,
    pub volume: Shown,
    pub fill_count: i64,
    /// Spend ÷ volume; None without fills.
    pub average_price: Option<UnitPrice>,
    /// Fuel use over the full-to-full stretches that ended in the period; None without any.
    pub consumption: Option<Shown>,
    /// The distance those stretches cover.
    pub measured_distance: Option<Shown>,
    pub stretches: Vec<MeasuredStretch>,
}

pub async fn stats(state: &WheelsState, user_id: Uuid, q: &FuelStatsQuery) -> Result<FuelStats, DomainError> {
    let locale = state.locales.of(user_id).await?;
    stats_in(state, user_id, &locale, q).await
}

/// The statistics with a locale the caller already has (a PAM turn's zone decides "this week").
pub async fn stats_in(
    state: &WheelsState,
    user_id: Uuid,
    locale: &Locale,
    q: &FuelStatsQuery,
) -> Result<FuelStats, DomainError> {
    if q.vehicle_id.is_some() {
        vehicles::owned_or_primary(state, user_id, q.vehicle_id).await?;
    }
    let log = fills(state, user_id, q.vehicle_id).await?;
    let period = q.period.unwrap_or_default();
    Ok(summarise(&log, period, locale.today(), locale))
}

fn summarise(log: &[Fill], period: StatsPeriod, today: NaiveDate, locale: &Locale) -> FuelStats {
    let units = locale.units;
    let start = period.start(today);
    let in_period = |d: NaiveDate| start.is_none_or(|s| d >= s) && d <= today;
    let counted: Vec<&Fill> = log.iter().filter(|f| in_period(f.fill_date)).collect();
    let spend: Money = counted.iter().map(|f| Money::from_cents(f.total_cents)).sum();
    let litres: f64 = counted.iter().map(|f| f.volume_litres).sum();
    let average_price = (litres > 0.0).then(|| {
        let per_litre = spend.as_f64() / litres;
        let (value, per) = match units {
            Units::Metric => (per_litre, "L"),
            Units::Imperial => (per_litre * LITRES_PER_US_GALLON, "gal"),
        };
        UnitPrice { value: (value * 1000.0).round() / 1000.0, per }
    });

    // Each vehicle's fills make their own stretches; a stretch counts in the period it ended in.
    let mut by_vehicle: BTreeMap<Option<Uuid>, Vec<Fill>> = BTreeMap::new();
    for fill in log {
        by_vehicle.entry(fill.vehicle_id).or_default().push(*fill);
    }
    let mut stretches: Vec<Interval> =
        by_vehicle.values().flat_map(|fills| full_to_full(fills)).filter(|i| in_period(i.to)).collect();
    stretches.sort_by_key(|i| (i.to, i.from));
    let (stretch_litres, km) = stretches.iter().fold((0.0, 0.0), |(l, k), i| (l + i.litres, k + i.distance_km));
    let measured = km > 0.0;

    FuelStats {
        period,
        start_date: start,
        end_date: today,
        currency: locale.currency.clone(),
        spend,
        volume: show_volume(litres, units),
        fill_count: counted.len() as i64,
        average_price,
        consumption: measured.then(|| show_consumption(stretch_litres / km * 100.0, units)),
        measured_distance: measured.then(|| show_distance(km, units)),
        stretches: stretches
            .iter()
            .map(|i| MeasuredStretch {
                vehicle_id: i.vehicle_id,
                from_date: i.from,
                to_date: i.to,
                distance: show_distance(i.distance_km, units),
                volume: show_volume(i.litres, units),
                consumption: show_consumption(i.l_per_100km(), units),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fill(date: &str, odometer: f64, litres: f64, cents: i64) -> Fill {
        Fill {
            vehicle_id: None,
            fill_date: date.parse().unwrap(),
            odometer_km: Some(odometer),
            volume_litres: litres,
            total_cents: cents,
            filled_to_top: true,
        }
    }

    #[test]
    fn a_month_counts_its_fills_and_the_stretches_that_ended_in_it() {
        let log = [
            fill("2026-02-27", 10_000.0, 60.0, 12_000),
            fill("2026-03-04", 10_500.0, 60.0, 11_400),
            fill("2026-03-10", 11_100.0, 66.0, 13_200),
        ];
        let today = "2026-03-12".parse().unwrap();
        let s = summarise(&log, StatsPeriod::Month, today, &Locale::default());
        assert_eq!(s.start_date, Some("2026-03-01".parse().unwrap()));
        assert_eq!((s.fill_count, s.spend), (2, Money::from_cents(24_600)));
        // Both stretches ended in March: 126 L over 1100 km.
        assert_eq!(s.stretches.len(), 2);
        assert_eq!(s.consumption.unwrap().value, 11.5);
        assert_eq!(s.average_price.unwrap().value, 1.952);
        let imperial = Locale { units: Units::Imperial, ..Locale::default() };
        let all = summarise(&log, StatsPeriod::All, today, &imperial);
        assert_eq!(all.fill_count, 3);
        assert_eq!(all.volume.unit, "gal");
        assert_eq!(all.average_price.unwrap().per, "gal");
    }
}
