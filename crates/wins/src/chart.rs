//! The monthly spending chart: stacked bars by category (drawn by `pam_chart`).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use pam_kernel::DomainError;
use pam_kernel::Money;
use pam_kernel::locale::{month_bounds, month_key, months_back};
use uuid::Uuid;

use pam_chart::{COLOURS, stacked_bars};

use crate::WinsState;
use crate::category;
use crate::expenses;

pub struct MonthlySpending {
    pub currency: String,
    /// `YYYY-MM` labels, oldest first.
    pub months: Vec<String>,
    /// Per category (the user's own, largest first; past the palette's size the rest as "Other"):
    /// amount per month.
    pub series: Vec<(String, Vec<Money>)>,
}

pub async fn monthly_spending(state: &WinsState, user_id: Uuid, months: u32) -> Result<MonthlySpending, DomainError> {
    if !(1..=24).contains(&months) {
        return Err(DomainError::invalid(&["query", "months"], "must be between 1 and 24"));
    }
    let locale = state.locales.of(user_id).await?;
    let today = locale.today();
    let first: NaiveDate = months_back(today, months - 1);
    let (_, last) = month_bounds(today);
    let labels: Vec<String> = (0..months).rev().map(|n| month_key(months_back(today, n))).collect();
    // Keyed by the folded category, named by its latest spelling.
    let mut totals: BTreeMap<String, (String, Vec<Money>)> = BTreeMap::new();
    for e in expenses::in_range(state, user_id, first, last).await? {
        let month = month_key(e.date);
        let Some(index) = labels.iter().position(|l| *l == month) else { continue };
        let slot = totals
            .entry(category::key(&e.category))
            .or_insert_with(|| (e.category.clone(), vec![Money::ZERO; labels.len()]));
        slot.0.clone_from(&e.category);
        if let Some(cell) = slot.1.get_mut(index) {
            *cell = *cell + e.amount;
        }
    }
    let mut series: Vec<(String, Vec<Money>)> = totals.into_values().collect();
    series.sort_by_key(|(name, amounts)| (std::cmp::Reverse(amounts.iter().copied().sum::<Money>()), name.clone()));
    if series.len() > COLOURS {
        let rest = series.split_off(COLOURS - 1);
        let mut other = vec![Money::ZERO; labels.len()];
        for (_, amounts) in rest {
            for (o, a) in other.iter_mut().zip(amounts) {
                *o = *o + a;
            }
        }
        series.push(("Other".into(), other));
    }
    Ok(MonthlySpending { currency: locale.currency, months: labels, series })
}

/// Renders the SVG document.
pub fn render_svg(data: &MonthlySpending) -> Result<String, DomainError> {
    let series: Vec<(String, Vec<f64>)> = data
        .series
        .iter()
        .map(|(name, amounts)| (name.clone(), amounts.iter().map(|m| m.as_f64()).collect()))
        .collect();
    stacked_bars(
        &format!("Monthly spending by category ({})", data.currency),
        &data.months,
        &series,
        &format!("Spent ({})", data.currency),
    )
}
