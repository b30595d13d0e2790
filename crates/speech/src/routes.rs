//! `/api/v1/tts/*` and `/api/v1/voice/transcribe` (SPEC §6). Synthesis answers audio bytes with
//! `X-Engine` (which engine spoke), `X-Cache-Hit` (`true` when the clip was kept from before) and
//! `X-Duration` (seconds of audio; left out of a stream still being produced), plus `X-Voice`.

use axum::body::Body;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, FromRef, Multipart, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use pam_web::{AppError, AuthUser, Authn, ErrorBody, Json, MaybeUser, ValidationErrorBody};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::SpeechState;
use crate::chain::{SpeakRequest, Spoken};
use crate::engine::Voice;
use crate::format::{AudioFormat, OutputFormat};
use crate::listen::SpeechStatus;
use crate::upload::{UPLOAD_BODY_LIMIT, form, read_audio};

pub fn router<S>() -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
    SpeechState: FromRef<S>,
    Authn: FromRef<S>,
{
    OpenApiRouter::new()
        .routes(routes!(synthesize))
        .routes(routes!(synthesize_stream))
        .routes(routes!(voices))
        .routes(routes!(status))
        // Recordings are the one speech body above axum's default 2 MB; the limit is set on that route.
        .merge(OpenApiRouter::new().routes(routes!(transcribe)).layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SynthesizeRequest {
    /// 1–5000 characters, with something that can be spoken. Markdown, links, emoji and money
    /// ("$42.50") are read naturally.
    #[schema(
        min_length = 1,
        max_length = 5000,
        pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]",
        example = "Fuel is cheaper in Dubbo"
    )]
    pub text: String,
    /// A voice from `GET /api/v1/tts/voices`; an engine that lacks it uses its own default. Letters,
    /// digits and `- _ + .`, at most 100, not starting with `-`.
    #[schema(pattern = r"^[A-Za-z0-9_+.][A-Za-z0-9_+.-]{0,99}$")]
    pub voice_id: Option<String>,
    /// `wav` (default), `mp3` or `ogg`.
    pub format: Option<OutputFormat>,
    /// 0.25–4.0 (default 1.0).
    #[schema(minimum = 0.25, maximum = 4.0)]
    pub speed: Option<f64>,
}

impl From<SynthesizeRequest> for SpeakRequest {
    fn from(r: SynthesizeRequest) -> SpeakRequest {
        SpeakRequest { text: r.text, voice: r.voice_id, format: r.format.unwrap_or_default(), speed: r.speed }
    }
}

/// The headers that say what happened.
pub fn speech_headers(
    format: AudioFormat,
    engine: &str,
    voice: &str,
    cached: bool,
    duration: Option<f64>,
) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(format.content_type()));
    let mut put = |name: &'static str, value: String| {
        if let Ok(v) = HeaderValue::from_str(&value) {
            h.insert(HeaderName::from_static(name), v);
        }
    };
    put("x-engine", engine.to_string());
    put("x-voice", voice.to_string());
    put("x-cache-hit", cached.to_string());
    if let Some(seconds) = duration {
        put("x-duration", format!("{seconds:.3}"));
    }
    h
}

fn audio_response(spoken: Spoken) -> Response {
    let headers = speech_headers(spoken.format, spoken.engine, &spoken.voice, spoken.cached, spoken.duration);
    (headers, spoken.audio).into_response()
}

/// Speak a text. The engines form a chain (as `/api/v1/tts/status` lists it): a failing engine is
/// skipped for a cool-down and the next answers; a format none of them writes is a 422 naming the ones
/// they do.
#[utoipa::path(post, path = "/api/v1/tts/synthesize", tag = "speech", security(("bearer" = [])),
    request_body = SynthesizeRequest,
    responses(
        (status = 200, description = "The audio",
            content((Vec<u8> = "audio/wav"), (Vec<u8> = "audio/mpeg"), (Vec<u8> = "audio/ogg")),
            headers(("X-Engine" = String, description = "espeak-ng, openai or elevenlabs"),
                ("X-Cache-Hit" = bool, description = "true when the clip was kept from an identical request"),
                ("X-Duration" = f64, description = "Seconds of audio"),
                ("X-Voice" = String, description = "The voice used"))),
        (status = 401, body = ErrorBody), (status = 422, body = ValidationErrorBody),
        (status = 429, description = "A rate limit, or the user's usage limit when only a paid engine could answer",
            body = ErrorBody),
        (status = 503, description = "No engine could speak right now", body = ErrorBody), pam_web::doc::BodyRefused))]
async fn synthesize(
    State(state): State<SpeechState>,
    user: AuthUser,
    Json(body): Json<SynthesizeRequest>,
) -> Result<Response, AppError> {
    let paid = state.ledger.paid_allowed(user.id).await;
    let spoken = state.speech.synthesize(&body.into(), paid).await?;
    state.ledger.book(user.id, None, spoken.usage.as_ref()).await;
    Ok(audio_response(spoken))
}

/// Speak a text, sent chunk by chunk while it is produced (a cached clip in one piece). `X-Duration`
/// is there only for a cached clip; a streamed WAV's header carries "unknown length" sizes, as any
/// streamed WAV does.
#[utoipa::path(post, path = "/api/v1/tts/synthesize/stream", tag = "speech", security(("bearer" = [])),
    request_body = SynthesizeRequest,
    responses(
        (status = 200, description = "The audio, chunked",
            content((Vec<u8> = "audio/wav"), (Vec<u8> = "audio/mpeg"), (Vec<u8> = "audio/ogg")),
            headers(("X-Engine" = String), ("X-Cache-Hit" = bool), ("X-Voice" = String))),
        (status = 401, body = ErrorBody), (status = 422, body = ValidationErrorBody), (status = 429, body = ErrorBody),
        (status = 503, body = ErrorBody), pam_web::doc::BodyRefused))]
async fn synthesize_stream(
    State(state): State<SpeechState>,
    user: AuthUser,
    Json(body): Json<SynthesizeRequest>,
) -> Result<Response, AppError> {
    let paid = state.ledger.paid_allowed(user.id).await;
    let spoken = state.speech.stream(&body.into(), paid).await?;
    state.ledger.book(user.id, None, spoken.usage.as_ref()).await;
    let headers = speech_headers(spoken.format, spoken.engine, &spoken.voice, spoken.cached, spoken.duration);
    Ok((headers, Body::from_stream(spoken.body)).into_response())
}

#[derive(Serialize, ToSchema)]
struct VoiceList {
    voices: Vec<Voice>,
    total: usize,
}

/// Every voice of every engine in the chain (espeak-ng's as the program lists them).
#[utoipa::path(get, path = "/api/v1/tts/voices", tag = "speech", responses((status = 200, body = VoiceList)))]
async fn voices(State(state): State<SpeechState>) -> Json<VoiceList> {
    let voices = state.speech.voices().await;
    Json(VoiceList { total: voices.len(), voices })
}

/// The engines in order, whether each is answering or cooling down, and the cache. Engines' last
/// errors are shown to admins only (a provider's error may quote a masked key).
#[utoipa::path(get, path = "/api/v1/tts/status", tag = "speech", responses((status = 200, body = SpeechStatus)))]
async fn status(State(state): State<SpeechState>, caller: MaybeUser) -> Json<SpeechStatus> {
    let mut status = state.speech.status().await;
    if !caller.0.is_some_and(|u| u.is_admin) {
        for engine in status.tts.iter_mut().chain(status.stt.iter_mut()) {
            engine.last_error = None;
        }
    }
    Json(status)
}

#[derive(ToSchema)]
#[allow(dead_code)] // describes the multipart form for OpenAPI only
struct RecordingForm {
    /// WAV, MP3, Ogg, WebM or FLAC, at most 10 MB; recognised by its content. `audio` is accepted too.
    #[schema(format = Binary, value_type = String)]
    file: Vec<u8>,
    /// The spoken language when known: an ISO 639 code, two or three lower-case letters (blank: unknown).
    /// (A form field is text: never null.)
    #[schema(
        value_type = String,
        required = false,
        example = "en",
        pattern = r"^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*([a-z]{2,3}[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*)?$"
    )]
    language: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TranscribeResponse {
    pub text: String,
    pub language: Option<String>,
    /// Seconds of audio, when known.
    pub duration: Option<f64>,
    pub engine: String,
}

/// Text from a recording, through the OpenAI-compatible transcription service configured
/// (`STT_BASE_URL`, or OpenAI with `OPENAI_API_KEY`); 503 saying so when there is none.
#[utoipa::path(post, path = "/api/v1/voice/transcribe", tag = "speech", security(("bearer" = [])),
    request_body(content = RecordingForm, content_type = "multipart/form-data"),
    responses((status = 200, body = TranscribeResponse),
        (status = 400, body = ErrorBody, description = "A multipart body that cannot be read"),
        (status = 401, body = ErrorBody), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, body = ValidationErrorBody),
        (status = 429, description = "A rate limit, or the user's usage limit (transcription is paid)", body = ErrorBody),
        (status = 503, description = "No speech-to-text engine is configured or answering", body = ErrorBody)))]
async fn transcribe(
    State(state): State<SpeechState>,
    user: AuthUser,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Json<TranscribeResponse>, AppError> {
    // Said before the upload is read: no file makes a missing service work.
    if !state.speech.has_stt() {
        return Err(AppError::Unavailable(crate::listen::STT_NOT_CONFIGURED.into()));
    }
    let upload = read_audio(form(multipart)?, &["language"]).await?;
    let paid = state.ledger.paid_allowed(user.id).await;
    let heard = state.speech.transcribe(&upload.audio, upload.fields.get("language").map(String::as_str), paid).await?;
    state.ledger.book(user.id, None, heard.usage.as_ref()).await;
    Ok(Json(TranscribeResponse {
        text: heard.text,
        language: heard.language,
        duration: heard.duration,
        engine: heard.engine.to_string(),
    }))
}
