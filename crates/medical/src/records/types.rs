//! The shapes of a medical record: its kind, what a client sends to create or change one, what it gets
//! back, and the list filter.

use chrono::{DateTime, NaiveDate, Utc};
use pam_kernel::text::{Link, PlausibleDate, Tag};
use pam_kernel::{ListMeta, Patch};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = MedicalRecordType)]
pub enum RecordType {
    Prescription,
    LabResult,
    DoctorNote,
    Vaccination,
    Insurance,
    Imaging,
    #[default]
    Other,
}

impl RecordType {
    pub fn as_str(self) -> &'static str {
        match self {
            RecordType::Prescription => "prescription",
            RecordType::LabResult => "lab_result",
            RecordType::DoctorNote => "doctor_note",
            RecordType::Vaccination => "vaccination",
            RecordType::Insurance => "insurance",
            RecordType::Imaging => "imaging",
            RecordType::Other => "other",
        }
    }

    pub(super) fn from_stored(s: &str) -> RecordType {
        serde_json::from_value(serde_json::Value::from(s)).unwrap_or_default()
    }
}

#[derive(Clone, Deserialize, ToSchema)]
#[schema(as = NewMedicalRecord)]
pub struct NewRecord {
    /// Default `other`.
    #[serde(default)]
    pub record_type: RecordType,
    #[schema(
        example = "Blood test results",
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub title: String,
    #[schema(max_length = 10000)]
    pub summary: Option<String>,
    /// `YYYY-MM-DD` (1970–2100): when the test, visit or prescription was.
    #[schema(value_type = Option<PlausibleDate>)]
    pub record_date: Option<NaiveDate>,
    #[schema(max_length = 200)]
    pub doctor_name: Option<String>,
    #[schema(max_length = 200)]
    pub facility: Option<String>,
    #[serde(default)]
    #[schema(value_type = Vec<Tag>, max_items = 20)]
    pub tags: Vec<String>,
    #[schema(value_type = Option<Link>)]
    pub document_url: Option<String>,
}

/// Partial update: fields present replace, `null` clears an optional one.
#[derive(Default, Deserialize, ToSchema)]
#[schema(as = MedicalRecordUpdate)]
pub struct RecordUpdate {
    pub record_type: Option<RecordType>,
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub title: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>, max_length = 10000)]
    pub summary: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<PlausibleDate>)]
    pub record_date: Patch<NaiveDate>,
    #[serde(default)]
    #[schema(value_type = Option<String>, max_length = 200)]
    pub doctor_name: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>, max_length = 200)]
    pub facility: Patch<String>,
    #[schema(value_type = Option<Vec<Tag>>, max_items = 20)]
    pub tags: Option<Vec<String>>,
    #[serde(default)]
    #[schema(value_type = Option<Link>)]
    pub document_url: Patch<String>,
}

#[derive(Clone, Serialize, ToSchema)]
pub struct MedicalRecord {
    pub id: Uuid,
    pub record_type: RecordType,
    pub title: String,
    pub summary: Option<String>,
    pub record_date: Option<NaiveDate>,
    pub doctor_name: Option<String>,
    pub facility: Option<String>,
    pub tags: Vec<String>,
    pub document_url: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct MedicalRecordList {
    pub records: Vec<MedicalRecord>,
    #[serde(flatten)]
    pub meta: ListMeta,
}

/// `q` finds records whose title, summary, doctor, facility or tags contain it (any case).
#[derive(Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RecordFilter {
    /// At most 200 characters.
    #[param(max_length = 200)]
    pub q: Option<String>,
    pub record_type: Option<RecordType>,
    /// 1–1000, default 50.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}
