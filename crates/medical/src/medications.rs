//! Medications the user takes (or took): name, dose, how often, refills. Their own only; never logged.

use chrono::{DateTime, NaiveDate, Utc};
use pam_kernel::text::PlausibleDate;
use pam_kernel::{DomainError, FieldError, ListMeta, Page, Patch, text};
use pam_store::with_db;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::redact::redacted_debug;
use crate::{MedicalState, store_error};

#[derive(Clone, Deserialize, ToSchema)]
pub struct NewMedication {
    #[schema(
        example = "Metformin",
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub name: String,
    /// As on the label ("500 mg").
    #[schema(max_length = 100)]
    pub dosage: Option<String>,
    /// "twice daily", "as needed".
    #[schema(max_length = 100)]
    pub frequency: Option<String>,
    #[schema(max_length = 200)]
    pub prescribed_by: Option<String>,
    #[schema(value_type = Option<PlausibleDate>)]
    pub start_date: Option<NaiveDate>,
    /// When the next refill is due.
    #[schema(value_type = Option<PlausibleDate>)]
    pub refill_date: Option<NaiveDate>,
    /// Default true.
    pub active: Option<bool>,
    #[schema(max_length = 2000)]
    pub notes: Option<String>,
}

/// Partial update: fields present replace, `null` clears an optional one.
#[derive(Default, Deserialize, ToSchema)]
pub struct MedicationUpdate {
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub name: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>, max_length = 100)]
    pub dosage: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>, max_length = 100)]
    pub frequency: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>, max_length = 200)]
    pub prescribed_by: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<PlausibleDate>)]
    pub start_date: Patch<NaiveDate>,
    #[serde(default)]
    #[schema(value_type = Option<PlausibleDate>)]
    pub refill_date: Patch<NaiveDate>,
    pub active: Option<bool>,
    #[serde(default)]
    #[schema(value_type = Option<String>, max_length = 2000)]
    pub notes: Patch<String>,
}

#[derive(Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Medication {
    pub id: Uuid,
    pub name: String,
    pub dosage: Option<String>,
    pub frequency: Option<String>,
    pub prescribed_by: Option<String>,
    pub start_date: Option<NaiveDate>,
    pub refill_date: Option<NaiveDate>,
    pub active: bool,
    pub notes: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct MedicationList {
    pub medications: Vec<Medication>,
    #[serde(flatten)]
    pub meta: ListMeta,
}

#[derive(Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MedicationFilter {
    /// Only those still taken (true) or only past ones (false); both when left out.
    pub active: Option<bool>,
    /// 1–1000, default 50.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

redacted_debug!(NewMedication, MedicationUpdate, Medication, MedicationList, MedicationFilter);

const COLUMNS: &str =
    "id, name, dosage, frequency, prescribed_by, start_date, refill_date, active, notes, created_at, updated_at";

/// Checks every field, each problem at its own field; messages never repeat the value.
fn check(m: NewMedication) -> Result<NewMedication, DomainError> {
    let mut errors = Vec::new();
    let mut note = |field: &str, msg: String| errors.push(FieldError::new(&["body", field], msg, "value_error"));
    let name = match text::optional_text(Some(m.name), 200) {
        Ok(Some(n)) => Some(n),
        Ok(None) => {
            note("name", "must not be blank".into());
            None
        }
        Err(msg) => {
            note("name", msg);
            None
        }
    };
    let dosage = text::optional_text(m.dosage, 100).map_err(|msg| note("dosage", msg)).ok();
    let frequency = text::optional_text(m.frequency, 100).map_err(|msg| note("frequency", msg)).ok();
    let prescribed_by = text::optional_text(m.prescribed_by, 200).map_err(|msg| note("prescribed_by", msg)).ok();
    let notes = text::optional_text(m.notes, 2000).map_err(|msg| note("notes", msg)).ok();
    for (field, date) in [("start_date", m.start_date), ("refill_date", m.refill_date)] {
        if let Some(Err(msg)) = date.map(text::plausible_date) {
            note(field, msg);
        }
    }
    match (name, dosage, frequency, prescribed_by, notes) {
        (Some(name), Some(dosage), Some(frequency), Some(prescribed_by), Some(notes)) if errors.is_empty() => {
            Ok(NewMedication { name, dosage, frequency, prescribed_by, notes, ..m })
        }
        _ => Err(DomainError::Invalid(errors)),
    }
}

pub async fn create(state: &MedicalState, user_id: Uuid, input: NewMedication) -> Result<Medication, DomainError> {
    let m = check(input)?;
    let now = Utc::now();
    with_db!(&state.db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "INSERT INTO medical_medications (id, user_id, name, dosage, frequency, prescribed_by, start_date, \
             refill_date, active, notes, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) \
             RETURNING {COLUMNS}"
        )))
        .bind(Uuid::now_v7())
        .bind(user_id)
        .bind(&m.name)
        .bind(&m.dosage)
        .bind(&m.frequency)
        .bind(&m.prescribed_by)
        .bind(m.start_date)
        .bind(m.refill_date)
        .bind(m.active.unwrap_or(true))
        .bind(&m.notes)
        .bind(now)
        .fetch_one(pool)
        .await
    })
    .map_err(store_error)
}

pub async fn get(state: &MedicalState, user_id: Uuid, id: Uuid) -> Result<Medication, DomainError> {
    let found: Option<Medication> = with_db!(&state.db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM medical_medications WHERE id = $1 AND user_id = $2"
        )))
        .bind(id)
        .bind(user_id)
        .fetch_optional(pool)
        .await
    })
    .map_err(store_error)?;
    found.ok_or_else(|| DomainError::not_found("Medication"))
}

/// The user's medications, those still taken first, then by name.
pub async fn list(
    state: &MedicalState,
    user_id: Uuid,
    filter: &MedicationFilter,
) -> Result<MedicationList, DomainError> {
    let page = Page::parse(filter.limit, filter.offset)?;
    let (medications, total): (Vec<Medication>, i64) = with_db!(&state.db, |pool| {
        let rows = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM medical_medications WHERE user_id = $1 AND ($2 IS NULL OR active = $2) \
             ORDER BY active DESC, lower(name), id LIMIT $3 OFFSET $4"
        )))
        .bind(user_id)
        .bind(filter.active)
        .bind(page.limit)
        .bind(page.offset)
        .fetch_all(pool)
        .await?;
        let total = sqlx::query_scalar(
            "SELECT count(*) FROM medical_medications WHERE user_id = $1 AND ($2 IS NULL OR active = $2)",
        )
        .bind(user_id)
        .bind(filter.active)
        .fetch_one(pool)
        .await?;
        Ok::<_, sqlx::Error>((rows, total))
    })
    .map_err(store_error)?;
    Ok(MedicationList { medications, meta: page.meta(total) })
}

pub async fn update(
    state: &MedicalState,
    user_id: Uuid,
    id: Uuid,
    u: MedicationUpdate,
) -> Result<Medication, DomainError> {
    let current = get(state, user_id, id).await?;
    let m = check(NewMedication {
        name: u.name.unwrap_or(current.name),
        dosage: u.dosage.apply(current.dosage),
        frequency: u.frequency.apply(current.frequency),
        prescribed_by: u.prescribed_by.apply(current.prescribed_by),
        start_date: u.start_date.apply(current.start_date),
        refill_date: u.refill_date.apply(current.refill_date),
        active: Some(u.active.unwrap_or(current.active)),
        notes: u.notes.apply(current.notes),
    })?;
    let updated: Option<Medication> = with_db!(&state.db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "UPDATE medical_medications SET name = $3, dosage = $4, frequency = $5, prescribed_by = $6, start_date = $7, \
             refill_date = $8, active = $9, notes = $10, updated_at = $11 WHERE id = $1 AND user_id = $2 \
             RETURNING {COLUMNS}"
        )))
        .bind(id)
        .bind(user_id)
        .bind(&m.name)
        .bind(&m.dosage)
        .bind(&m.frequency)
        .bind(&m.prescribed_by)
        .bind(m.start_date)
        .bind(m.refill_date)
        .bind(m.active.unwrap_or(true))
        .bind(&m.notes)
        .bind(Utc::now())
        .fetch_optional(pool)
        .await
    })
    .map_err(store_error)?;
    updated.ok_or_else(|| DomainError::not_found("Medication"))
}

pub async fn delete(state: &MedicalState, user_id: Uuid, id: Uuid) -> Result<(), DomainError> {
    let n = with_db!(&state.db, |pool| {
        sqlx::query("DELETE FROM medical_medications WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })
    .map_err(store_error)?;
    if n == 0 { Err(DomainError::not_found("Medication")) } else { Ok(()) }
}

/// Every medication of the user, oldest first (the account export).
pub async fn all(state: &MedicalState, user_id: Uuid) -> Result<Vec<Medication>, DomainError> {
    with_db!(&state.db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM medical_medications WHERE user_id = $1 ORDER BY created_at, id"
        )))
        .bind(user_id)
        .fetch_all(pool)
        .await
    })
    .map_err(store_error)
}
