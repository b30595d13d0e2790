//! Audio uploads (multipart): the recording in field `file` (or `audio`, as some clients name it),
//! bounded while it streams in, and recognised by its bytes — a text file renamed `.wav` is refused
//! whatever its name or declared type. Shared by `/voice/transcribe` and the server's
//! `/voice/conversation`.

use std::collections::BTreeMap;

use axum::extract::Multipart;
use axum::extract::multipart::{MultipartError, MultipartRejection};
use axum::http::StatusCode;
use bytes::Bytes;
use pam_web::AppError;

use crate::format::AudioFormat;
use crate::stt::Audio;

/// SPEC §6: recordings up to 10 MB.
pub const MAX_AUDIO_BYTES: usize = 10 * 1024 * 1024;
/// The request body limit on upload routes: the recording plus the form's other fields.
pub const UPLOAD_BODY_LIMIT: usize = MAX_AUDIO_BYTES + 256 * 1024;
/// A text field (a JSON context, a conversation id) is never this long.
const MAX_FIELD_BYTES: usize = 64 * 1024;

pub struct AudioUpload {
    pub audio: Audio,
    /// The text fields the route asked for, as sent.
    pub fields: BTreeMap<String, String>,
}

fn too_large() -> AppError {
    AppError::PayloadTooLarge("Audio uploads are limited to 10 MB".into())
}

fn bad_form(e: MultipartError) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large()
    } else {
        AppError::BadRequest(format!("Malformed multipart body: {}", e.body_text()))
    }
}

/// The form itself: anything but `multipart/form-data` is 415.
pub fn form(multipart: Result<Multipart, MultipartRejection>) -> Result<Multipart, AppError> {
    multipart.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            AppError::UnsupportedMediaType("Expected a multipart/form-data body with the recording in `file`".into())
        }
    })
}

/// Reads the recording and the named text fields; other parts are skipped.
pub async fn read_audio(mut multipart: Multipart, text_fields: &[&str]) -> Result<AudioUpload, AppError> {
    let mut file: Option<Vec<u8>> = None;
    let mut fields = BTreeMap::new();
    while let Some(mut part) = multipart.next_field().await.map_err(bad_form)? {
        let name = part.name().unwrap_or_default().to_string();
        let is_file = name == "file" || name == "audio";
        let limit = if is_file { MAX_AUDIO_BYTES } else { MAX_FIELD_BYTES };
        if !is_file && !text_fields.contains(&name.as_str()) {
            continue;
        }
        let mut buf = Vec::new();
        while let Some(chunk) = part.chunk().await.map_err(bad_form)? {
            if buf.len() + chunk.len() > limit {
                return Err(if is_file { too_large() } else { AppError::invalid(&["body", &name], "is too long") });
            }
            buf.extend_from_slice(&chunk);
        }
        if is_file {
            // The first recording counts; a second is ignored rather than guessed between.
            file.get_or_insert(buf);
        } else {
            let text = String::from_utf8(buf).map_err(|_| AppError::invalid(&["body", &name], "must be UTF-8 text"))?;
            fields.insert(name, text);
        }
    }
    let bytes = file.ok_or_else(|| AppError::invalid(&["body", "file"], "Field required: the recording"))?;
    if bytes.is_empty() {
        return Err(AppError::invalid(&["body", "file"], "The recording is empty"));
    }
    let format = AudioFormat::sniff(&bytes).ok_or_else(|| {
        AppError::UnsupportedMediaType(
            "The file is not WAV, MP3, Ogg, WebM or FLAC audio (it is recognised by its content, not its name)".into(),
        )
    })?;
    Ok(AudioUpload { audio: Audio { bytes: Bytes::from(bytes), format }, fields })
}
