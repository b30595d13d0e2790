//! This domain's part of the account export: every row the user has in its tables.

use pam_kernel::DomainError;
use pam_kernel::export::{OwnedTable, Sections, owned};
use uuid::Uuid;

use crate::{WinsState, alerts, budgets, expenses, income, savings};

pub const TABLES: &[OwnedTable] = &[
    owned("expenses", "expenses"),
    owned("budgets", "budgets"),
    owned("income_entries", "income"),
    owned("pam_savings_events", "savings"),
    owned("budget_alerts", "budget_alerts"),
];

pub async fn export(state: &WinsState, user_id: Uuid) -> Result<Sections, DomainError> {
    let mut out = Sections::new();
    out.add("expenses", expenses::all(state, user_id).await?)?;
    out.add("budgets", budgets::all(state, user_id).await?)?;
    out.add("income", income::all(state, user_id).await?)?;
    out.add("savings", savings::all(state, user_id).await?)?;
    out.add("budget_alerts", alerts::all(state, user_id).await?)?;
    Ok(out)
}
