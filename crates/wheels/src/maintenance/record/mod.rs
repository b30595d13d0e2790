//! One maintenance record: its input, checks, storage and lists.

use chrono::{DateTime, NaiveDate, Utc};
use pam_kernel::text::{optional_text, plausible_date};
use pam_kernel::{DomainError, FieldError, Locale, Money, Page, Patch, Units};
use pam_store::with_db;
use uuid::Uuid;

use crate::fuel::MAX_ODOMETER_KM;
use crate::units::{DistanceUnit, reading_km, show_distance};
use crate::{WheelsState, vehicles};

mod types;

pub use types::*;

#[derive(Clone, sqlx::FromRow)]
pub(crate) struct MaintenanceRow {
    id: Uuid,
    user_id: Uuid,
    vehicle_id: Option<Uuid>,
    task: String,
    service_date: NaiveDate,
    odometer_km: Option<f64>,
    cost_cents: Option<i64>,
    currency: String,
    notes: Option<String>,
    next_due_date: Option<NaiveDate>,
    next_due_km: Option<f64>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl MaintenanceRow {
    pub(crate) fn shown(self, units: Units) -> MaintenanceRecord {
        let reading = |km: Option<f64>| km.map(|k| show_distance(k, units).value);
        MaintenanceRecord {
            id: self.id,
            user_id: self.user_id,
            vehicle_id: self.vehicle_id,
            task: self.task,
            date: self.service_date,
            mileage: reading(self.odometer_km),
            next_due_date: self.next_due_date,
            next_due_mileage: reading(self.next_due_km),
            odometer_unit: show_distance(0.0, units).unit,
            cost: self.cost_cents.map(Money::from_cents),
            currency: self.currency,
            notes: self.notes,
            mileage_km: self.odometer_km,
            next_due_km: self.next_due_km,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

/// What is stored, checked.
struct Checked {
    task: String,
    date: NaiveDate,
    odometer_km: Option<f64>,
    cost: Option<Money>,
    notes: Option<String>,
    next_due_date: Option<NaiveDate>,
    next_due_km: Option<f64>,
}

fn check(c: Checked, today: NaiveDate) -> Result<Checked, DomainError> {
    let mut errors: Vec<FieldError> = Vec::new();
    let mut field = |name: &str, r: Result<(), String>| {
        if let Err(m) = r {
            errors.push(FieldError::new(&["body", name], m, "value_error"));
        }
    };
    let task = optional_text(Some(c.task), 200).and_then(|t| t.ok_or_else(|| "must not be empty".to_string()));
    field("task", task.as_ref().map(|_| ()).map_err(Clone::clone));
    field("date", plausible_date(c.date));
    if c.date > today {
        field("date", Err(format!("must not be in the future (today is {today}); use next_due_date to plan one")));
    }
    if let Some(d) = c.next_due_date {
        field("next_due_date", plausible_date(d));
    }
    for (name, km) in [("mileage", c.odometer_km), ("next_due_mileage", c.next_due_km)] {
        let ok = km.is_none_or(|k| k.is_finite() && (0.0..=MAX_ODOMETER_KM).contains(&k));
        field(name, if ok { Ok(()) } else { Err("must be a reading from 0 to 5,000,000 km or miles".into()) });
    }
    if let (Some(done), Some(due)) = (c.odometer_km, c.next_due_km)
        && due <= done
    {
        field("next_due_mileage", Err("must be past the reading when it was done".into()));
    }
    let notes = optional_text(c.notes, 1000);
    field("notes", notes.as_ref().map(|_| ()).map_err(Clone::clone));
    match (task, notes) {
        (Ok(task), Ok(notes)) if errors.is_empty() => Ok(Checked { task, notes, ..c }),
        _ => Err(DomainError::Invalid(errors)),
    }
}

pub async fn create(
    state: &WheelsState,
    user_id: Uuid,
    input: NewMaintenance,
) -> Result<MaintenanceRecord, DomainError> {
    let locale = state.locales.of(user_id).await?;
    create_in(state, user_id, &locale, input).await
}

/// Records it with a locale the caller already has (a PAM turn's zone decides "today").
pub async fn create_in(
    state: &WheelsState,
    user_id: Uuid,
    locale: &Locale,
    input: NewMaintenance,
) -> Result<MaintenanceRecord, DomainError> {
    let today = locale.today();
    let unit = input.odometer_unit.unwrap_or(DistanceUnit::default_for(locale.units));
    let c = check(
        Checked {
            task: input.task,
            date: input.date.unwrap_or(today),
            odometer_km: input.mileage.map(|m| reading_km(m, unit)),
            cost: input.cost,
            notes: input.notes,
            next_due_date: input.next_due_date,
            next_due_km: input.next_due_mileage.map(|m| reading_km(m, unit)),
        },
        today,
    )?;
    let vehicle_id = vehicles::owned_or_primary(state, user_id, input.vehicle_id).await?;
    let now = Utc::now();
    let row: MaintenanceRow = with_db!(&state.db, |pool| {
        sqlx::query_as(
            "INSERT INTO maintenance_records (id, user_id, vehicle_id, task, service_date, odometer_km, cost_cents, \
             currency, notes, next_due_date, next_due_km, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING *",
        )
        .bind(Uuid::now_v7())
        .bind(user_id)
        .bind(vehicle_id)
        .bind(&c.task)
        .bind(c.date)
        .bind(c.odometer_km)
        .bind(c.cost.map(Money::cents))
        .bind(&locale.currency)
        .bind(&c.notes)
        .bind(c.next_due_date)
        .bind(c.next_due_km)
        .bind(now)
        .fetch_one(pool)
        .await
    })
    .map_err(vehicles::vehicle_gone)?;
    tracing::info!(user.id = %user_id, maintenance.id = %row.id, "maintenance recorded");
    Ok(row.shown(locale.units))
}

async fn get_row(state: &WheelsState, user_id: Uuid, id: Uuid) -> Result<MaintenanceRow, DomainError> {
    let row: Option<MaintenanceRow> = with_db!(&state.db, |pool| {
        sqlx::query_as("SELECT * FROM maintenance_records WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .fetch_optional(pool)
            .await
    })?;
    row.ok_or_else(|| DomainError::not_found("Maintenance record"))
}

pub async fn get(state: &WheelsState, user_id: Uuid, id: Uuid) -> Result<MaintenanceRecord, DomainError> {
    let row = get_row(state, user_id, id).await?;
    Ok(row.shown(state.locales.of(user_id).await?.units))
}

pub async fn update(
    state: &WheelsState,
    user_id: Uuid,
    id: Uuid,
    u: MaintenanceUpdate,
) -> Result<MaintenanceRecord, DomainError> {
    let current = get_row(state, user_id, id).await?;
    let locale = state.locales.of(user_id).await?;
    let unit = u.odometer_unit.unwrap_or(DistanceUnit::default_for(locale.units));
    let reading = |p: Patch<f64>, current: Option<f64>| match p {
        Patch::Value(m) => Some(reading_km(m, unit)),
        Patch::Null => None,
        Patch::Absent => current,
    };
    let c = check(
        Checked {
            task: u.task.unwrap_or(current.task),
            date: u.date.unwrap_or(current.service_date),
            odometer_km: reading(u.mileage, current.odometer_km),
            cost: u.cost.apply(current.cost_cents.map(Money::from_cents)),
            notes: u.notes.apply(current.notes),
            next_due_date: u.next_due_date.apply(current.next_due_date),
            next_due_km: reading(u.next_due_mileage, current.next_due_km),
        },
        locale.today(),
    )?;
    let vehicle_id = match u.vehicle_id {
        Patch::Value(v) => vehicles::owned_or_primary(state, user_id, Some(v)).await?,
        Patch::Null => None,
        Patch::Absent => current.vehicle_id,
    };
    let row: Option<MaintenanceRow> = with_db!(&state.db, |pool| {
        sqlx::query_as(
            "UPDATE maintenance_records SET vehicle_id = $3, task = $4, service_date = $5, odometer_km = $6, \
             cost_cents = $7, notes = $8, next_due_date = $9, next_due_km = $10, updated_at = $11 \
             WHERE id = $1 AND user_id = $2 RETURNING *",
        )
        .bind(id)
        .bind(user_id)
        .bind(vehicle_id)
        .bind(&c.task)
        .bind(c.date)
        .bind(c.odometer_km)
        .bind(c.cost.map(Money::cents))
        .bind(&c.notes)
        .bind(c.next_due_date)
        .bind(c.next_due_km)
        .bind(Utc::now())
        .fetch_optional(pool)
        .await
    })
    .map_err(vehicles::vehicle_gone)?;
    row.map(|r| r.shown(locale.units)).ok_or_else(|| DomainError::not_found("Maintenance record"))
}

pub async fn delete(state: &WheelsState, user_id: Uuid, id: Uuid) -> Result<(), DomainError> {
    pam_kernel::owned::delete(&state.db, "maintenance_records", id, user_id, "Maintenance record").await
}

/// Newest first.
pub async fn list(state: &WheelsState, user_id: Uuid, f: &MaintenanceFilter) -> Result<MaintenanceList, DomainError> {
    let page = Page::parse(f.limit, f.offset)?;
    if let (Some(s), Some(e)) = (f.start_date, f.end_date)
        && s > e
    {
        return Err(DomainError::invalid(&["query", "start_date"], "must not be after end_date"));
    }
    let units = state.locales.of(user_id).await?.units;
    const MATCHES: &str = "user_id = $1 AND ($2 IS NULL OR vehicle_id = $2) \
         AND ($3 IS NULL OR service_date >= $3) AND ($4 IS NULL OR service_date <= $4)";
    let rows_sql = format!(
        "SELECT * FROM maintenance_records WHERE {MATCHES} \
         ORDER BY service_date DESC, created_at DESC, id DESC LIMIT $5 OFFSET $6"
    );
    let totals_sql = format!(
        "SELECT count(*), CAST(COALESCE(SUM(cost_cents), 0) AS BIGINT) FROM maintenance_records WHERE {MATCHES}"
    );
    let (rows, (total, cents)): (Vec<MaintenanceRow>, (i64, i64)) = with_db!(&state.db, |pool| {
        let rows = sqlx::query_as(sqlx::AssertSqlSafe(rows_sql))
            .bind(user_id)
            .bind(f.vehicle_id)
            .bind(f.start_date)
            .bind(f.end_date)
            .bind(page.limit)
            .bind(page.offset)
            .fetch_all(pool)
            .await?;
        let totals = sqlx::query_as(sqlx::AssertSqlSafe(totals_sql))
            .bind(user_id)
            .bind(f.vehicle_id)
            .bind(f.start_date)
            .bind(f.end_date)
            .fetch_one(pool)
            .await?;
        Ok::<_, sqlx::Error>((rows, totals))
    })?;
    Ok(MaintenanceList {
        maintenance_records: rows.into_iter().map(|r| r.shown(units)).collect(),
        meta: page.meta(total),
        total_amount: Money::from_cents(cents),
    })
}

/// Every record of a user, oldest first (the account export and the schedule).
pub async fn all(state: &WheelsState, user_id: Uuid) -> Result<Vec<MaintenanceRecord>, DomainError> {
    let units = state.locales.of(user_id).await?.units;
    Ok(all_rows(state, user_id).await?.into_iter().map(|r| r.shown(units)).collect())
}

pub(super) async fn all_rows(state: &WheelsState, user_id: Uuid) -> Result<Vec<MaintenanceRow>, DomainError> {
    let rows: Vec<MaintenanceRow> = with_db!(&state.db, |pool| {
        sqlx::query_as("SELECT * FROM maintenance_records WHERE user_id = $1 ORDER BY service_date, created_at, id")
            .bind(user_id)
            .fetch_all(pool)
            .await
    })?;
    Ok(rows)
}
