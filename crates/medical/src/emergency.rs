//! The emergency card: blood type, allergies, conditions, who to call, the user's doctor and insurer —
//! one per user, replaced whole (`PUT`). Never logged.

use chrono::{DateTime, Utc};
use pam_kernel::text::ListItem;
use pam_kernel::{DomainError, FieldError, text};
use pam_store::with_db;
use serde::{Deserialize, Serialize};
use sqlx::types::Json as SqlJson;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::redact::redacted_debug;
use crate::{MedicalState, store_error};

#[derive(Clone, Serialize, Deserialize, ToSchema)]
pub struct EmergencyContact {
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub name: String,
    #[schema(max_length = 100)]
    pub relationship: Option<String>,
    #[schema(
        min_length = 1,
        max_length = 50,
        pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub phone: String,
}

#[derive(Clone, Serialize, Deserialize, ToSchema)]
pub struct PrimaryDoctor {
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub name: String,
    #[schema(max_length = 50)]
    pub phone: Option<String>,
    #[schema(max_length = 200)]
    pub practice: Option<String>,
}

#[derive(Clone, Serialize, Deserialize, ToSchema)]
pub struct InsuranceDetails {
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub provider: String,
    #[schema(max_length = 100)]
    pub policy_number: Option<String>,
    #[schema(max_length = 50)]
    pub phone: Option<String>,
}

/// The whole card as the user sends it (`PUT` replaces what was there).
#[derive(Clone, Default, Deserialize, ToSchema)]
pub struct EmergencyInfoInput {
    /// A+, A-, B+, B-, AB+, AB-, O+ or O- (any case); blank for none.
    #[schema(
        pattern = r"^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*(([ABab]|[Aa][Bb]|[Oo])[+-])?[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$",
        example = "O+"
    )]
    pub blood_type: Option<String>,
    /// At most 50, each at most 100 characters.
    #[serde(default)]
    #[schema(value_type = Vec<ListItem>, max_items = 50)]
    pub allergies: Vec<String>,
    /// At most 50, each at most 100 characters.
    #[serde(default)]
    #[schema(value_type = Vec<ListItem>, max_items = 50)]
    pub medical_conditions: Vec<String>,
    #[serde(default)]
    #[schema(max_items = 10)]
    pub emergency_contacts: Vec<EmergencyContact>,
    pub primary_doctor: Option<PrimaryDoctor>,
    pub insurance: Option<InsuranceDetails>,
    #[schema(max_length = 2000)]
    pub notes: Option<String>,
}

/// The card as stored; an empty card (`updated_at` null) until the user fills it in.
#[derive(Clone, Default, Serialize, ToSchema)]
pub struct EmergencyInfo {
    pub blood_type: Option<String>,
    pub allergies: Vec<String>,
    pub medical_conditions: Vec<String>,
    pub emergency_contacts: Vec<EmergencyContact>,
    pub primary_doctor: Option<PrimaryDoctor>,
    pub insurance: Option<InsuranceDetails>,
    pub notes: Option<String>,
    pub updated_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct EmergencyRow {
    blood_type: Option<String>,
    allergies: SqlJson<Vec<String>>,
    medical_conditions: SqlJson<Vec<String>>,
    emergency_contacts: SqlJson<Vec<EmergencyContact>>,
    primary_doctor: Option<SqlJson<PrimaryDoctor>>,
    insurance: Option<SqlJson<InsuranceDetails>>,
    notes: Option<String>,
    updated_at: DateTime<Utc>,
}

redacted_debug!(EmergencyContact, PrimaryDoctor, InsuranceDetails, EmergencyInfoInput, EmergencyInfo, EmergencyRow);

impl From<EmergencyRow> for EmergencyInfo {
    fn from(r: EmergencyRow) -> EmergencyInfo {
        EmergencyInfo {
            blood_type: r.blood_type,
            allergies: r.allergies.0,
            medical_conditions: r.medical_conditions.0,
            emergency_contacts: r.emergency_contacts.0,
            primary_doctor: r.primary_doctor.map(|j| j.0),
            insurance: r.insurance.map(|j| j.0),
            notes: r.notes,
            updated_at: Some(r.updated_at),
        }
    }
}

const BLOOD_TYPES: [&str; 8] = ["A+", "A-", "B+", "B-", "AB+", "AB-", "O+", "O-"];

/// Collects the problems of one card, each at its field.
struct Problems(Vec<FieldError>);

impl Problems {
    fn note(&mut self, loc: &[&str], msg: impl Into<String>) {
        self.0.push(FieldError::new(loc, msg, "value_error"));
    }

    /// Trimmed text that must be there, at most `max` characters (the message never repeats it).
    fn required(&mut self, loc: &[&str], raw: String, max: usize) -> String {
        match text::optional_text(Some(raw), max) {
            Ok(Some(t)) => t,
            Ok(None) => {
                self.note(loc, "must not be blank");
                String::new()
            }
            Err(m) => {
                self.note(loc, m);
                String::new()
            }
        }
    }

    fn optional(&mut self, loc: &[&str], raw: Option<String>, max: usize) -> Option<String> {
        text::optional_text(raw, max).unwrap_or_else(|m| {
            self.note(loc, m);
            None
        })
    }
}

fn check(input: EmergencyInfoInput) -> Result<EmergencyInfoInput, DomainError> {
    let mut p = Problems(Vec::new());
    let blood_type = match input.blood_type.map(|b| b.trim().to_ascii_uppercase()).filter(|b| !b.is_empty()) {
        Some(b) if BLOOD_TYPES.contains(&b.as_str()) => Some(b),
        Some(_) => {
            p.note(&["body", "blood_type"], format!("must be one of {}", BLOOD_TYPES.join(", ")));
            None
        }
        None => None,
    };
    let mut lists = Vec::new();
    for (field, items) in [("allergies", input.allergies), ("medical_conditions", input.medical_conditions)] {
        lists.push(text::tag_list(items).unwrap_or_else(|m| {
            p.note(&["body", field], m);
            Vec::new()
        }));
    }
    let medical_conditions = lists.pop().unwrap_or_default();
    let allergies = lists.pop().unwrap_or_default();
    if input.emergency_contacts.len() > 10 {
        p.note(&["body", "emergency_contacts"], "at most 10 contacts");
    }
    let mut emergency_contacts = Vec::new();
    for (i, c) in input.emergency_contacts.into_iter().take(10).enumerate() {
        let i = i.to_string();
        let at = |field: &'static str| ["body", "emergency_contacts", i.as_str(), field];
        emergency_contacts.push(EmergencyContact {
            name: p.required(&at("name"), c.name, 200),
            relationship: p.optional(&at("relationship"), c.relationship, 100),
            phone: p.required(&at("phone"), c.phone, 50),
        });
    }
    let primary_doctor = input.primary_doctor.map(|d| PrimaryDoctor {
        name: p.required(&["body", "primary_doctor", "name"], d.name, 200),
        phone: p.optional(&["body", "primary_doctor", "phone"], d.phone, 50),
        practice: p.optional(&["body", "primary_doctor", "practice"], d.practice, 200),
    });
    let insurance = input.insurance.map(|i| InsuranceDetails {
        provider: p.required(&["body", "insurance", "provider"], i.provider, 200),
        policy_number: p.optional(&["body", "insurance", "policy_number"], i.policy_number, 100),
        phone: p.optional(&["body", "insurance", "phone"], i.phone, 50),
    });
    let notes = p.optional(&["body", "notes"], input.notes, 2000);
    if !p.0.is_empty() {
        return Err(DomainError::Invalid(p.0));
    }
    Ok(EmergencyInfoInput {
        blood_type,
        allergies,
        medical_conditions,
        emergency_contacts,
        primary_doctor,
        insurance,
        notes,
    })
}

/// The user's card, or an empty one.
pub async fn get(state: &MedicalState, user_id: Uuid) -> Result<EmergencyInfo, DomainError> {
    let row: Option<EmergencyRow> = with_db!(&state.db, |pool| {
        sqlx::query_as(
            "SELECT blood_type, allergies, medical_conditions, emergency_contacts, primary_doctor, insurance, notes, \
             updated_at FROM medical_emergency_info WHERE user_id = $1",
        )
        .bind(user_id)
        .fetch_optional(pool)
        .await
    })
    .map_err(store_error)?;
    Ok(row.map(EmergencyInfo::from).unwrap_or_default())
}

/// Replaces the card (creating it the first time) in one statement, so two saves cannot interleave.
pub async fn put(state: &MedicalState, user_id: Uuid, input: EmergencyInfoInput) -> Result<EmergencyInfo, DomainError> {
    let c = check(input)?;
    let row: EmergencyRow = with_db!(&state.db, |pool| {
        sqlx::query_as(
            "INSERT INTO medical_emergency_info (user_id, blood_type, allergies, medical_conditions, emergency_contacts, \
             primary_doctor, insurance, notes, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (user_id) DO UPDATE SET blood_type = excluded.blood_type, allergies = excluded.allergies, \
             medical_conditions = excluded.medical_conditions, emergency_contacts = excluded.emergency_contacts, \
             primary_doctor = excluded.primary_doctor, insurance = excluded.insurance, notes = excluded.notes, \
             updated_at = excluded.updated_at \
             RETURNING blood_type, allergies, medical_conditions, emergency_contacts, primary_doctor, insurance, notes, \
             updated_at",
        )
        .bind(user_id)
        .bind(&c.blood_type)
        .bind(SqlJson(&c.allergies))
        .bind(SqlJson(&c.medical_conditions))
        .bind(SqlJson(&c.emergency_contacts))
        .bind(c.primary_doctor.as_ref().map(SqlJson))
        .bind(c.insurance.as_ref().map(SqlJson))
        .bind(&c.notes)
        .bind(Utc::now())
        .fetch_one(pool)
        .await
    })
    .map_err(store_error)?;
    Ok(row.into())
}

/// The card for the account export: absent when never filled in.
pub async fn for_export(state: &MedicalState, user_id: Uuid) -> Result<Option<EmergencyInfo>, DomainError> {
    let info = get(state, user_id).await?;
    Ok(info.updated_at.is_some().then_some(info))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blood_types_and_contacts_are_checked_at_their_fields() {
        let input = EmergencyInfoInput {
            blood_type: Some("Z+".into()),
            emergency_contacts: vec![EmergencyContact { name: "Jo".into(), relationship: None, phone: " ".into() }],
            ..EmergencyInfoInput::default()
        };
        let Err(DomainError::Invalid(errors)) = check(input) else { panic!("should be refused") };
        let fields: Vec<String> = errors.iter().map(|e| e.field_path()).collect();
        assert_eq!(fields, ["blood_type", "emergency_contacts.0.phone"]);
        let ok = check(EmergencyInfoInput { blood_type: Some(" ab- ".into()), ..EmergencyInfoInput::default() });
        assert_eq!(ok.ok().and_then(|c| c.blood_type).as_deref(), Some("AB-"));
    }
}
