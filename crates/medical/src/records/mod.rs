//! Medical records: prescriptions, results, doctors' notes and the like, each the user's own. Nothing
//! here logs a field (see the crate docs).

use chrono::{DateTime, NaiveDate, Utc};
use pam_kernel::{DomainError, FieldError, Page, text};
use pam_store::with_db;
use sqlx::types::Json as SqlJson;
use uuid::Uuid;

use crate::redact::redacted_debug;
use crate::{MedicalState, store_error};

mod types;

pub use types::*;

#[derive(sqlx::FromRow)]
struct RecordRow {
    id: Uuid,
    record_type: String,
    title: String,
    summary: Option<String>,
    record_date: Option<NaiveDate>,
    doctor_name: Option<String>,
    facility: Option<String>,
    tags: SqlJson<Vec<String>>,
    document_url: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

redacted_debug!(NewRecord, RecordUpdate, MedicalRecord, MedicalRecordList, RecordFilter, RecordRow, Checked);

impl From<RecordRow> for MedicalRecord {
    fn from(r: RecordRow) -> MedicalRecord {
        MedicalRecord {
            id: r.id,
            record_type: RecordType::from_stored(&r.record_type),
            title: r.title,
            summary: r.summary,
            record_date: r.record_date,
            doctor_name: r.doctor_name,
            facility: r.facility,
            tags: r.tags.0,
            document_url: r.document_url,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

const COLUMNS: &str = "id, record_type, title, summary, record_date, doctor_name, facility, tags, document_url, \
     created_at, updated_at";

/// A record's fields after their checks.
struct Checked {
    record_type: RecordType,
    title: String,
    summary: Option<String>,
    record_date: Option<NaiveDate>,
    doctor_name: Option<String>,
    facility: Option<String>,
    tags: Vec<String>,
    document_url: Option<String>,
}

/// Checks every field, each problem at its own field; messages never repeat the value.
fn check(r: NewRecord) -> Result<Checked, DomainError> {
    let mut errors = Vec::new();
    let mut note = |field: &str, msg: String| errors.push(FieldError::new(&["body", field], msg, "value_error"));
    let title = match text::optional_text(Some(r.title), 200) {
        Ok(Some(t)) => Some(t),
        Ok(None) => {
            note("title", "must not be blank".into());
            None
        }
        Err(m) => {
            note("title", m);
            None
        }
    };
    let summary = text::optional_text(r.summary, 10_000).map_err(|m| note("summary", m)).ok();
    let doctor_name = text::optional_text(r.doctor_name, 200).map_err(|m| note("doctor_name", m)).ok();
    let facility = text::optional_text(r.facility, 200).map_err(|m| note("facility", m)).ok();
    let tags = text::tags(r.tags).map_err(|m| note("tags", m)).ok();
    let document_url = text::url(r.document_url).map_err(|m| note("document_url", m)).ok();
    if let Some(date) = r.record_date
        && let Err(m) = text::plausible_date(date)
    {
        note("record_date", m);
    }
    match (title, summary, doctor_name, facility, tags, document_url) {
        (Some(title), Some(summary), Some(doctor_name), Some(facility), Some(tags), Some(document_url))
            if errors.is_empty() =>
        {
            Ok(Checked {
                record_type: r.record_type,
                title,
                summary,
                record_date: r.record_date,
                doctor_name,
                facility,
                tags,
                document_url,
            })
        }
        _ => Err(DomainError::Invalid(errors)),
    }
}

pub async fn create(state: &MedicalState, user_id: Uuid, input: NewRecord) -> Result<MedicalRecord, DomainError> {
    let c = check(input)?;
    let now = Utc::now();
    let row: RecordRow = with_db!(&state.db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "INSERT INTO medical_records (id, user_id, record_type, title, summary, record_date, doctor_name, facility, \
             tags, document_url, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) \
             RETURNING {COLUMNS}"
        )))
        .bind(Uuid::now_v7())
        .bind(user_id)
        .bind(c.record_type.as_str())
        .bind(&c.title)
        .bind(&c.summary)
        .bind(c.record_date)
        .bind(&c.doctor_name)
        .bind(&c.facility)
        .bind(SqlJson(&c.tags))
        .bind(&c.document_url)
        .bind(now)
        .fetch_one(pool)
        .await
    })
    .map_err(store_error)?;
    Ok(row.into())
}

pub async fn get(state: &MedicalState, user_id: Uuid, id: Uuid) -> Result<MedicalRecord, DomainError> {
    let row: Option<RecordRow> = with_db!(&state.db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM medical_records WHERE id = $1 AND user_id = $2"
        )))
        .bind(id)
        .bind(user_id)
        .fetch_optional(pool)
        .await
    })
    .map_err(store_error)?;
    row.map(MedicalRecord::from).ok_or_else(|| DomainError::not_found("Medical record"))
}

/// `%text%` for LIKE, with LIKE's own wildcards in the text taken literally.
fn contains_pattern(q: &str) -> String {
    let escaped: String = q
        .trim()
        .to_lowercase()
        .chars()
        .flat_map(|c| match c {
            '\\' | '%' | '_' => vec!['\\', c],
            other => vec![other],
        })
        .collect();
    format!("%{escaped}%")
}

const MATCHES: &str = "user_id = $1 AND ($2 IS NULL OR record_type = $2) AND ($3 IS NULL OR \
     lower(title) LIKE $3 ESCAPE '\\' OR lower(coalesce(summary, '')) LIKE $3 ESCAPE '\\' \
     OR lower(coalesce(doctor_name, '')) LIKE $3 ESCAPE '\\' OR lower(coalesce(facility, '')) LIKE $3 ESCAPE '\\' \
     OR lower(CAST(tags AS TEXT)) LIKE $3 ESCAPE '\\')";

/// The user's records, newest first (by the record's date, then when it was added).
pub async fn list(
    state: &MedicalState,
    user_id: Uuid,
    filter: &RecordFilter,
) -> Result<MedicalRecordList, DomainError> {
    let page = Page::parse(filter.limit, filter.offset)?;
    if filter.q.as_deref().is_some_and(|q| q.chars().count() > 200) {
        return Err(DomainError::invalid(&["query", "q"], "must be at most 200 characters"));
    }
    let q = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    let pattern = q.map(contains_pattern);
    let kind = filter.record_type.map(RecordType::as_str);
    let (rows, total): (Vec<RecordRow>, i64) = with_db!(&state.db, |pool| {
        let rows = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM medical_records WHERE {MATCHES} \
             ORDER BY record_date DESC NULLS LAST, created_at DESC, id LIMIT $4 OFFSET $5"
        )))
        .bind(user_id)
        .bind(kind)
        .bind(&pattern)
        .bind(page.limit)
        .bind(page.offset)
        .fetch_all(pool)
        .await?;
        let total =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM medical_records WHERE {MATCHES}")))
                .bind(user_id)
                .bind(kind)
                .bind(&pattern)
                .fetch_one(pool)
                .await?;
        Ok::<_, sqlx::Error>((rows, total))
    })
    .map_err(store_error)?;
    Ok(MedicalRecordList { records: rows.into_iter().map(MedicalRecord::from).collect(), meta: page.meta(total) })
}

pub async fn update(
    state: &MedicalState,
    user_id: Uuid,
    id: Uuid,
    u: RecordUpdate,
) -> Result<MedicalRecord, DomainError> {
    let current = get(state, user_id, id).await?;
    let c = check(NewRecord {
        record_type: u.record_type.unwrap_or(current.record_type),
        title: u.title.unwrap_or(current.title),
        summary: u.summary.apply(current.summary),
        record_date: u.record_date.apply(current.record_date),
        doctor_name: u.doctor_name.apply(current.doctor_name),
        facility: u.facility.apply(current.facility),
        tags: u.tags.unwrap_or(current.tags),
        document_url: u.document_url.apply(current.document_url),
    })?;
    let row: Option<RecordRow> = with_db!(&state.db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "UPDATE medical_records SET record_type = $3, title = $4, summary = $5, record_date = $6, doctor_name = $7, \
             facility = $8, tags = $9, document_url = $10, updated_at = $11 WHERE id = $1 AND user_id = $2 \
             RETURNING {COLUMNS}"
        )))
        .bind(id)
        .bind(user_id)
        .bind(c.record_type.as_str())
        .bind(&c.title)
        .bind(&c.summary)
        .bind(c.record_date)
        .bind(&c.doctor_name)
        .bind(&c.facility)
        .bind(SqlJson(&c.tags))
        .bind(&c.document_url)
        .bind(Utc::now())
        .fetch_optional(pool)
        .await
    })
    .map_err(store_error)?;
    row.map(MedicalRecord::from).ok_or_else(|| DomainError::not_found("Medical record"))
}

pub async fn delete(state: &MedicalState, user_id: Uuid, id: Uuid) -> Result<(), DomainError> {
    let n = with_db!(&state.db, |pool| {
        sqlx::query("DELETE FROM medical_records WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })
    .map_err(store_error)?;
    if n == 0 { Err(DomainError::not_found("Medical record")) } else { Ok(()) }
}

/// Every record of the user, oldest first (the account export).
pub async fn all(state: &MedicalState, user_id: Uuid) -> Result<Vec<MedicalRecord>, DomainError> {
    let rows: Vec<RecordRow> = with_db!(&state.db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM medical_records WHERE user_id = $1 ORDER BY created_at, id"
        )))
        .bind(user_id)
        .fetch_all(pool)
        .await
    })
    .map_err(store_error)?;
    Ok(rows.into_iter().map(MedicalRecord::from).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_in_a_search_are_literal() {
        assert_eq!(contains_pattern(" 50% Off_x\\ "), "%50\\% off\\_x\\\\%");
    }

    #[test]
    fn problems_are_reported_without_the_values() {
        let input = NewRecord {
            record_type: RecordType::Other,
            title: "  ".into(),
            summary: Some("x".repeat(10_001)),
            record_date: NaiveDate::from_ymd_opt(1900, 1, 1),
            doctor_name: None,
            facility: None,
            tags: vec![],
            document_url: Some("javascript:secret".into()),
        };
        let Err(DomainError::Invalid(errors)) = check(input) else { panic!("should be refused") };
        let fields: Vec<String> = errors.iter().map(|e| e.field_path()).collect();
        assert_eq!(fields, ["title", "summary", "document_url", "record_date"]);
        assert!(errors.iter().all(|e| !e.msg.contains("secret")));
    }
}
