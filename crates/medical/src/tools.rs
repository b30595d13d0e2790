//! PAM's medical tools: read-only, and answering only when the user has allowed PAM to use their
//! medical data (their privacy settings); otherwise each refuses, saying how to allow it. A tool's answer
//! goes to the model, which is why consent is asked here and not on the REST routes (the user reading
//! their own records).

use pam_kernel::{DomainError, NoArguments, Tool, ToolContext, ToolOutput};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::MedicalState;
use crate::consent::ensure_shared;
use crate::medications::{self, MedicationFilter};
use crate::records::{self, RecordFilter, RecordType};
use crate::{emergency, redact::redacted_debug};

#[derive(Deserialize, ToSchema)]
pub struct MedicalRecordsInput {
    pub record_type: Option<RecordType>,
    /// At most this many, newest first (1–50, default 20).
    pub limit: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
pub struct MedicalSearchInput {
    /// Text to find in the records' titles, summaries, doctors, facilities and tags.
    pub query: String,
    pub record_type: Option<RecordType>,
    /// At most this many (1–50, default 20).
    pub limit: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
pub struct MedicationsInput {
    /// Only medications still taken (default true).
    pub active_only: Option<bool>,
}

redacted_debug!(MedicalRecordsInput, MedicalSearchInput, MedicationsInput);

fn tool_limit(limit: Option<i64>) -> Result<i64, DomainError> {
    match limit.unwrap_or(20) {
        l @ 1..=50 => Ok(l),
        _ => Err(DomainError::invalid(&["body", "limit"], "must be between 1 and 50")),
    }
}

pub fn tools(state: &MedicalState) -> Vec<Tool> {
    vec![
        Tool::with_state(
            state.clone(),
            "get_medical_records",
            "The user's medical records (prescriptions, results, notes), newest first. Only when the user has \
            allowed PAM to use their medical data.",
            false,
            |state: MedicalState, ctx: ToolContext, input: MedicalRecordsInput| async move {
                ensure_shared(&state, ctx.user_id).await?;
                let filter = RecordFilter {
                    q: None,
                    record_type: input.record_type,
                    limit: Some(tool_limit(input.limit)?),
                    offset: None,
                };
                ToolOutput::data(records::list(&state, ctx.user_id, &filter).await?)
            },
        ),
        Tool::with_state(
            state.clone(),
            "search_medical_records",
            "Find the user's medical records containing some text. Only when the user has allowed PAM to use \
            their medical data.",
            false,
            |state: MedicalState, ctx: ToolContext, input: MedicalSearchInput| async move {
                ensure_shared(&state, ctx.user_id).await?;
                if input.query.trim().is_empty() {
                    return Err(DomainError::invalid(&["body", "query"], "must not be blank"));
                }
                let filter = RecordFilter {
                    q: Some(input.query),
                    record_type: input.record_type,
                    limit: Some(tool_limit(input.limit)?),
                    offset: None,
                };
                ToolOutput::data(records::list(&state, ctx.user_id, &filter).await?)
            },
        ),
        Tool::with_state(
            state.clone(),
            "get_medications",
            "The user's medications (those still taken, unless active_only is false). Only when the user has \
            allowed PAM to use their medical data.",
            false,
            |state: MedicalState, ctx: ToolContext, input: MedicationsInput| async move {
                ensure_shared(&state, ctx.user_id).await?;
                let active = input.active_only.unwrap_or(true).then_some(true);
                let filter = MedicationFilter { active, limit: Some(100), offset: None };
                ToolOutput::data(medications::list(&state, ctx.user_id, &filter).await?)
            },
        ),
        Tool::with_state(
            state.clone(),
            "get_emergency_info",
            "The user's emergency card: blood type, allergies, conditions, emergency contacts, doctor, \
            insurance. Only when the user has allowed PAM to use their medical data.",
            false,
            |state: MedicalState, ctx: ToolContext, _: NoArguments| async move {
                ensure_shared(&state, ctx.user_id).await?;
                ToolOutput::data(emergency::get(&state, ctx.user_id).await?)
            },
        ),
    ]
}
