//! PAM by voice (SPEC §6), over the speech service and the one turn pipeline:
//!
//! - `POST /api/v1/pam/voice {text}`: PAM's reply spoken, in the existing front end's shape
//!   (`{audio: [bytes as integers], duration, cached, engine, fallback_used}`). A token is optional;
//!   without one the edge limits the caller by address, only engines that cost nothing answer (there
//!   is nobody whose cap could hold a paid call), and nothing is booked.
//! - `POST /api/v1/voice/conversation` (multipart recording): transcript → the same turn as typed chat
//!   (so "I spent forty dollars on diesel" logs the expense exactly as if typed) → the reply spoken.

use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use base64::Engine;
use pam_speech::listen::STT_NOT_CONFIGURED;
use pam_speech::routes::SynthesizeRequest;
use pam_speech::upload::{UPLOAD_BODY_LIMIT, form, read_audio};
use pam_speech::{OutputFormat, SpeakRequest};
use pam_web::error::{AppError, ErrorBody, ValidationErrorBody};
use pam_web::extract::Json;
use pam_web::{AuthUser, MaybeUser};
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::turn::{self, ChatRequest, Refusal};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(pam_voice))
        .merge(OpenApiRouter::new().routes(routes!(conversation)).layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)))
}

#[derive(Serialize, ToSchema)]
struct PamVoice {
    /// The audio file's bytes, each as an integer (the front end builds a Blob from them).
    audio: Vec<u8>,
    /// Seconds of audio.
    duration: Option<f64>,
    cached: bool,
    /// `espeak-ng`, `openai` or `elevenlabs`.
    engine: String,
    /// An engine other than the first choice answered.
    fallback_used: bool,
    /// `wav` unless asked otherwise.
    format: String,
}

/// Speak PAM's reply (the front end's voice contract). Token optional.
#[utoipa::path(post, path = "/api/v1/pam/voice", tag = "speech", security((), ("bearer" = [])),
    request_body = SynthesizeRequest,
    responses((status = 200, body = PamVoice), (status = 422, body = ValidationErrorBody),
        (status = 429, body = ErrorBody), (status = 503, body = ErrorBody),
            pam_web::doc::Unauthorized, pam_web::doc::BodyRefused))]
async fn pam_voice(
    State(state): State<AppState>,
    caller: MaybeUser,
    Json(body): Json<SynthesizeRequest>,
) -> Result<Json<PamVoice>, AppError> {
    let speech = &state.domains.speech;
    let paid = match &caller.0 {
        Some(user) => speech.ledger.paid_allowed(user.id).await,
        None => false,
    };
    let spoken = speech.speech.synthesize(&body.into(), paid).await?;
    if let Some(user) = &caller.0 {
        speech.ledger.book(user.id, None, spoken.usage.as_ref()).await;
    }
    Ok(Json(PamVoice {
        duration: spoken.duration,
        cached: spoken.cached,
        engine: spoken.engine.to_string(),
        fallback_used: spoken.fallback_used,
        format: spoken.format.as_str().to_string(),
        audio: spoken.audio.to_vec(),
    }))
}

#[derive(ToSchema)]
#[allow(dead_code)] // describes the multipart form for OpenAPI only
struct ConversationForm {
    /// The recording: WAV, MP3, Ogg, WebM or FLAC, at most 10 MB, recognised by content (`audio` too).
    #[schema(format = Binary, value_type = String)]
    file: Vec<u8>,
    /// Continue this conversation (else the latest, as chat does); `session_id` is accepted too. (A form
    /// field is text: never null.)
    #[schema(value_type = String, required = false)]
    conversation_id: Option<String>,
    /// The chat context as JSON (location, timezone, …), as chat takes it.
    #[schema(value_type = String, required = false)]
    context: Option<String>,
    #[schema(value_type = String, required = false)]
    message_id: Option<String>,
    /// The spoken language when known: an ISO 639 code, two or three lower-case letters (blank: unknown).
    #[schema(
        value_type = String,
        required = false,
        example = "en",
        pattern = r"^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*([a-z]{2,3}[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*)?$"
    )]
    language: Option<String>,
    /// The reply's voice.
    #[schema(value_type = String, required = false)]
    voice_id: Option<String>,
    /// The reply's format: `wav` (default, also when blank), `mp3` or `ogg`, in any case.
    #[schema(
        value_type = String,
        required = false,
        example = "wav",
        pattern = r"^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*([wW][aA][vV]|[mM][pP]3|[oO][gG][gG])?[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    format: Option<String>,
}

#[derive(Serialize, ToSchema)]
struct VoiceConversation {
    /// What was heard.
    transcript: String,
    /// PAM's reply, as text.
    response: String,
    #[schema(value_type = Vec<Object>)]
    ui_actions: Value,
    /// The reply spoken; null when no engine could speak it (the turn still happened).
    audio_base64: Option<String>,
    audio_format: Option<String>,
    audio_duration: Option<f64>,
    tts_engine: Option<String>,
    stt_engine: String,
    language: Option<String>,
    conversation_id: Value,
    message_id: Value,
    /// Where the reply came from (`offline`, `claude`, …), as chat says.
    source: Value,
    /// False, or the human message of a failed turn (as chat).
    #[schema(value_type = crate::pam::ws::protocol::ReplyError)]
    error: Value,
}

fn field<'a>(fields: &'a std::collections::BTreeMap<String, String>, name: &str) -> Option<&'a str> {
    fields.get(name).map(|v| v.trim()).filter(|v| !v.is_empty())
}

/// Talk to PAM: a recording in, PAM's answer out as text and audio. The transcript goes through the
/// same turn as typed chat, so tools run as they would for the typed words.
#[utoipa::path(post, path = "/api/v1/voice/conversation", tag = "speech", security(("bearer" = [])),
    request_body(content = ConversationForm, content_type = "multipart/form-data"),
    responses((status = 200, body = VoiceConversation),
        (status = 400, body = ErrorBody, description = "A multipart body that cannot be read"),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "`conversation_id` names no conversation of the caller's"),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ValidationErrorBody),
        (status = 429, description = "A rate limit, or the user's usage limit (transcription is paid)", body = ErrorBody),
        (status = 503, description = "No speech-to-text engine is configured or answering", body = ErrorBody)))]
async fn conversation(
    State(state): State<AppState>,
    user: AuthUser,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Json<VoiceConversation>, AppError> {
    let speech = &state.domains.speech;
    if !speech.speech.has_stt() {
        return Err(AppError::Unavailable(STT_NOT_CONFIGURED.into()));
    }
    let names = ["conversation_id", "session_id", "context", "message_id", "language", "voice_id", "format"];
    let upload = read_audio(form(multipart)?, &names).await?;
    let fields = &upload.fields;
    let format = match field(fields, "format") {
        None => OutputFormat::Wav,
        Some(f) => serde_json::from_value(json!(f.to_ascii_lowercase()))
            .map_err(|_| AppError::invalid(&["body", "format"], "must be wav, mp3 or ogg"))?,
    };
    let mut context = match field(fields, "context") {
        None => json!({}),
        Some(c) => serde_json::from_str::<Value>(c)
            .ok()
            .filter(Value::is_object)
            .ok_or_else(|| AppError::invalid(&["body", "context"], "must be a JSON object"))?,
    };
    context["input_mode"] = json!("voice");

    let paid = speech.ledger.paid_allowed(user.id).await;
    let heard = speech.speech.transcribe(&upload.audio, field(fields, "language"), paid).await?;
    // Booked at once: the turn below may take a while, and a caller who hangs up meanwhile ends this
    // handler; the transcription has been paid for whatever becomes of the turn.
    speech.ledger.book(user.id, None, heard.usage.as_ref()).await;
    if heard.text.trim().is_empty() {
        return Err(AppError::invalid(&["body", "file"], "No speech was recognised in the recording"));
    }
    let request = ChatRequest {
        message: Some(heard.text.clone()),
        context: Some(context),
        conversation_id: field(fields, "conversation_id").map(str::to_string),
        session_id: field(fields, "session_id").map(str::to_string),
        message_id: field(fields, "message_id").map(str::to_string),
        ..ChatRequest::default()
    };
    let input = request.parse(None).map_err(|refusal| match refusal {
        Refusal::Empty => AppError::invalid(&["body", "file"], "No speech was recognised in the recording"),
        Refusal::TooLong => AppError::invalid(
            &["body", "file"],
            format!("The recording holds more than one message can ({} characters)", turn::MAX_MESSAGE_CHARS),
        ),
    });
    let reply = match input {
        Ok(input) => turn::run(&state, &user, input, turn::no_events()).await,
        Err(e) => Err(e),
    };
    let reply = reply?;
    let conversation_id = reply["conversation_id"].as_str().and_then(|s| s.parse().ok());
    let text = reply["response"].as_str().unwrap_or_default().to_string();
    let audio = speak_reply(&state, user.id, conversation_id, &text, field(fields, "voice_id"), format).await;
    Ok(Json(VoiceConversation {
        transcript: heard.text,
        response: text,
        ui_actions: reply["ui_actions"].clone(),
        audio_base64: audio.as_ref().map(|a| base64::engine::general_purpose::STANDARD.encode(&a.audio)),
        audio_format: audio.as_ref().map(|a| a.format.as_str().to_string()),
        audio_duration: audio.as_ref().and_then(|a| a.duration),
        tts_engine: audio.as_ref().map(|a| a.engine.to_string()),
        stt_engine: heard.engine.to_string(),
        language: heard.language,
        conversation_id: reply["conversation_id"].clone(),
        message_id: reply["message_id"].clone(),
        source: reply["source"].clone(),
        error: reply["error"].clone(),
    }))
}

/// The reply spoken, or `None` when no engine could (the turn has run and its reply is still given).
async fn speak_reply(
    state: &AppState,
    user_id: Uuid,
    conversation_id: Option<Uuid>,
    text: &str,
    voice: Option<&str>,
    format: OutputFormat,
) -> Option<pam_speech::Spoken> {
    let speech = &state.domains.speech;
    // Asked again: the turn may just have used up what was left under the cap.
    let paid = speech.ledger.paid_allowed(user_id).await;
    // A reply longer than one synthesis may hold is spoken up to a sentence end within it.
    let text = pam_speech::speakable::clip_at_sentence(text, pam_speech::chain::MAX_TEXT_CHARS);
    let request = SpeakRequest { text, voice: voice.map(str::to_string), format, speed: None };
    match speech.speech.synthesize(&request, paid).await {
        Ok(spoken) => {
            speech.ledger.book(user_id, conversation_id, spoken.usage.as_ref()).await;
            Some(spoken)
        }
        Err(e) => {
            tracing::warn!(error = %e, "the reply could not be spoken");
            None
        }
    }
}
