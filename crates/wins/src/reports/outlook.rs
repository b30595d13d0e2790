//! Looking ahead: this month's spending projected to its end, and where the user could save.

use chrono::Datelike;
use pam_kernel::locale::{month_bounds, month_key, months_back};
use pam_kernel::money::Amount;
use pam_kernel::{DomainError, Money};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::by_category;
use crate::{WinsState, budgets, category, expenses};

#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryForecast {
    pub category: String,
    #[schema(value_type = Amount)]
    pub spent_so_far: Money,
    #[schema(value_type = Amount)]
    pub projected: Money,
    pub monthly_limit: Option<Money>,
    pub projected_over_budget: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Forecast {
    pub month: String,
    pub currency: String,
    pub days_elapsed: u32,
    pub days_in_month: u32,
    #[schema(value_type = Amount)]
    pub spent_so_far: Money,
    #[schema(value_type = Amount)]
    pub projected_total: Money,
    #[schema(value_type = Option<Amount>)]
    pub total_budget: Option<Money>,
    pub categories: Vec<CategoryForecast>,
    /// How the projection was made.
    pub method: String,
}

fn project(spent: Money, elapsed: u32, days: u32) -> Money {
    let scaled = spent.cents().saturating_mul(i64::from(days)).saturating_add(i64::from(elapsed / 2));
    Money::from_cents(scaled / i64::from(elapsed.max(1)))
}

pub async fn forecast(state: &WinsState, user_id: Uuid) -> Result<Forecast, DomainError> {
    let locale = state.locales.of(user_id).await?;
    let today = locale.today();
    let (first, last) = month_bounds(today);
    let (elapsed, days) = (today.day(), last.day());
    let spent = expenses::in_range(state, user_id, first, today).await?;
    let budgets = budgets::all(state, user_id).await?;
    let categories: Vec<CategoryForecast> = by_category(&spent)
        .into_iter()
        .map(|(c, amount, _)| {
            let budget = budgets.iter().find(|b| category::key(&b.category) == category::key(&c));
            let limit = budget.map(|b| b.monthly_limit);
            let projected = project(amount, elapsed, days);
            CategoryForecast {
                // The budget's spelling when there is one, so the same category reads the same everywhere.
                category: budget.map_or(c, |b| b.category.clone()),
                spent_so_far: amount,
                projected,
                monthly_limit: limit,
                projected_over_budget: limit.is_some_and(|l| projected > l),
            }
        })
        .collect();
    let total: Money = spent.iter().map(|e| e.amount).sum();
    Ok(Forecast {
        month: month_key(today),
        currency: locale.currency,
        days_elapsed: elapsed,
        days_in_month: days,
        spent_so_far: total,
        projected_total: project(total, elapsed, days),
        total_budget: (!budgets.is_empty()).then(|| budgets.iter().map(|b| b.monthly_limit).sum()),
        categories,
        method: format!(
            "Linear projection: spending from the 1st to today ({elapsed} of {days} days) divided by the days elapsed, \
             times the days in the month. Early in a month the projection swings with each expense."
        ),
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SavingsOpportunity {
    pub category: String,
    /// `over_budget` or `above_average`.
    pub kind: &'static str,
    /// What could be saved this month by coming back to the budget or the usual level.
    #[schema(value_type = Amount)]
    pub amount: Money,
    pub detail: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SavingsOpportunities {
    pub month: String,
    pub currency: String,
    pub opportunities: Vec<SavingsOpportunity>,
    #[schema(value_type = Amount)]
    pub total_potential_savings: Money,
}

/// Categories this month (projected) above their budget or above their average of the three months
/// before; amounts from the user's own data only.
pub async fn savings_opportunities(state: &WinsState, user_id: Uuid) -> Result<SavingsOpportunities, DomainError> {
    let fc = forecast(state, user_id).await?;
    let locale = state.locales.of(user_id).await?;
    let today = locale.today();
    let history_start = months_back(today, 3);
    let history_end = months_back(today, 0).pred_opt().unwrap_or(today);
    let history = expenses::in_range(state, user_id, history_start, history_end).await?;
    let mut opportunities = Vec::new();
    for c in &fc.categories {
        if let Some(limit) = c.monthly_limit
            && c.projected > limit
        {
            let over = c.projected - limit;
            opportunities.push(SavingsOpportunity {
                category: c.category.clone(),
                kind: "over_budget",
                amount: over,
                detail: format!(
                    "{} is on track for {} this month against a budget of {}.",
                    c.category,
                    c.projected.to_decimal_string(),
                    limit.to_decimal_string()
                ),
            });
            continue;
        }
        let key = category::key(&c.category);
        let past: Money = history.iter().filter(|e| category::key(&e.category) == key).map(|e| e.amount).sum();
        if past.cents() == 0 {
            continue;
        }
        let average = Money::from_cents(past.cents() / 3);
        // Ten percent of slack: small wobbles are not an opportunity.
        if c.projected.cents().saturating_mul(10) > average.cents().saturating_mul(11) {
            opportunities.push(SavingsOpportunity {
                category: c.category.clone(),
                kind: "above_average",
                amount: c.projected - average,
                detail: format!(
                    "{} is on track for {} this month; the last three months averaged {}.",
                    c.category,
                    c.projected.to_decimal_string(),
                    average.to_decimal_string()
                ),
            });
        }
    }
    opportunities.sort_by_key(|o| std::cmp::Reverse(o.amount));
    Ok(SavingsOpportunities {
        month: fc.month,
        currency: fc.currency,
        total_potential_savings: opportunities.iter().map(|o| o.amount).sum(),
        opportunities,
    })
}
