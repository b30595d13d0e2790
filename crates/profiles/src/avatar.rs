//! Profile pictures: uploaded as multipart, recognised by their bytes (never by the declared type),
//! stored under `DATA_DIR/uploads/<user id>/`, served back at `/api/v1/uploads/<user id>/<file>`.

use std::path::Path;

use axum::extract::Multipart;
use pam_web::AppError;
use uuid::Uuid;

pub const MAX_AVATAR_BYTES: usize = 5 * 1024 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageKind {
    Png,
    Jpeg,
    Gif,
    Webp,
}

impl ImageKind {
    /// Recognises an image by its magic bytes.
    pub fn sniff(bytes: &[u8]) -> Option<ImageKind> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(ImageKind::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(ImageKind::Jpeg)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(ImageKind::Gif)
        } else if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(ImageKind::Webp)
        } else {
            None
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ImageKind::Png => "png",
            ImageKind::Jpeg => "jpg",
            ImageKind::Gif => "gif",
            ImageKind::Webp => "webp",
        }
    }

    pub fn from_extension(ext: &str) -> Option<ImageKind> {
        match ext {
            "png" => Some(ImageKind::Png),
            "jpg" => Some(ImageKind::Jpeg),
            "gif" => Some(ImageKind::Gif),
            "webp" => Some(ImageKind::Webp),
            _ => None,
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            ImageKind::Png => "image/png",
            ImageKind::Jpeg => "image/jpeg",
            ImageKind::Gif => "image/gif",
            ImageKind::Webp => "image/webp",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageField {
    Profile,
    Partner,
}

impl ImageField {
    fn parse(raw: &str) -> Result<ImageField, AppError> {
        match raw.trim() {
            "profile_image" => Ok(ImageField::Profile),
            "partner_profile_image" => Ok(ImageField::Partner),
            _ => Err(AppError::invalid(
                &["body", "field_type"],
                "Input should be 'profile_image' or 'partner_profile_image'",
            )),
        }
    }
    pub fn column(self) -> &'static str {
        match self {
            ImageField::Profile => "profile_image_url",
            ImageField::Partner => "partner_profile_image_url",
        }
    }
}

pub struct Upload {
    pub field: ImageField,
    pub kind: ImageKind,
    pub bytes: Vec<u8>,
}

/// Reads the `file` and `field_type` parts, enforcing the size limit while streaming.
pub async fn read_upload(mut multipart: Multipart) -> Result<Upload, AppError> {
    let mut file: Option<Vec<u8>> = None;
    let mut field = ImageField::Profile;
    let bad_form = |e: axum::extract::multipart::MultipartError| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            AppError::PayloadTooLarge("Image is larger than 5 MB".into())
        } else {
            AppError::BadRequest(format!("Malformed multipart body: {}", e.body_text()))
        }
    };
    while let Some(mut part) = multipart.next_field().await.map_err(bad_form)? {
        match part.name() {
            Some("file") => {
                let mut buf = Vec::new();
                while let Some(chunk) = part.chunk().await.map_err(bad_form)? {
                    if buf.len() + chunk.len() > MAX_AVATAR_BYTES {
                        return Err(AppError::PayloadTooLarge("Image is larger than 5 MB".into()));
                    }
                    buf.extend_from_slice(&chunk);
                }
                file = Some(buf);
            }
            Some("field_type") => field = ImageField::parse(&part.text().await.map_err(bad_form)?)?,
            _ => {}
        }
    }
    let bytes = file.ok_or_else(|| AppError::invalid(&["body", "file"], "Field required"))?;
    let kind = ImageKind::sniff(&bytes)
        .ok_or_else(|| AppError::UnsupportedMediaType("The file is not a PNG, JPEG, GIF or WebP image".into()))?;
    Ok(Upload { field, kind, bytes })
}

/// The most files one user's folder may hold. A user has two pictures (the replaced ones are deleted),
/// so this only stops a folder filling with leftovers.
pub const MAX_FILES_PER_USER: usize = 8;

/// Our files in the user's folder.
async fn stored_names(dir: &Path) -> Result<Vec<String>, AppError> {
    let mut names = Vec::new();
    let Ok(mut entries) = tokio::fs::read_dir(dir).await else { return Ok(names) };
    while let Some(entry) = entries.next_entry().await.map_err(|e| AppError::Internal(e.into()))? {
        let name = entry.file_name().to_string_lossy().into_owned();
        if parse_stored_name(&name).is_some() {
            names.push(name);
        }
    }
    Ok(names)
}

/// Writes the image under the user's folder; returns the file name. `in_use` are the URLs the profile
/// shows now: when the folder is full, the files it does not show (left by an interrupted upload or a
/// cleared picture) are removed to make room.
pub async fn store(uploads_dir: &Path, user_id: Uuid, upload: &Upload, in_use: &[&str]) -> Result<String, AppError> {
    let dir = uploads_dir.join(user_id.to_string());
    tokio::fs::create_dir_all(&dir).await.map_err(|e| AppError::Internal(e.into()))?;
    let names = stored_names(&dir).await?;
    if names.len() >= MAX_FILES_PER_USER {
        for name in names.iter().filter(|n| !in_use.iter().any(|u| u.ends_with(&format!("/{n}")))) {
            let _ = tokio::fs::remove_file(dir.join(name)).await;
        }
        if stored_names(&dir).await?.len() >= MAX_FILES_PER_USER {
            return Err(AppError::Conflict(format!("At most {MAX_FILES_PER_USER} pictures can be stored per account")));
        }
    }
    let prefix = match upload.field {
        ImageField::Profile => "profile",
        ImageField::Partner => "partner",
    };
    let name = format!("{prefix}-{}.{}", Uuid::new_v4().simple(), upload.kind.extension());
    // Written to a temporary name and renamed, so a reader never sees half a file.
    let tmp = dir.join(format!(".{name}.tmp"));
    tokio::fs::write(&tmp, &upload.bytes).await.map_err(|e| AppError::Internal(e.into()))?;
    tokio::fs::rename(&tmp, dir.join(&name)).await.map_err(|e| AppError::Internal(e.into()))?;
    Ok(name)
}

/// Deletes the picture a new upload replaced, when it is one of ours (a URL this module made for this user).
pub async fn remove_replaced(uploads_dir: &Path, user_id: Uuid, old_url: Option<&str>, new_url: &str) {
    let prefix = format!("/api/v1/uploads/{user_id}/");
    let Some(name) = old_url.filter(|u| *u != new_url).and_then(|u| u.strip_prefix(prefix.as_str())) else { return };
    if parse_stored_name(name).is_none() {
        return;
    }
    let path = uploads_dir.join(user_id.to_string()).join(name);
    if let Err(e) = tokio::fs::remove_file(&path).await
        && e.kind() != std::io::ErrorKind::NotFound
    {
        tracing::warn!(user.id = %user_id, error = %e, "could not delete a replaced picture");
    }
}

/// A stored file's kind when `name` is one this module could have written (no path tricks).
pub fn parse_stored_name(name: &str) -> Option<ImageKind> {
    let (stem, ext) = name.rsplit_once('.')?;
    let (prefix, id) = stem.split_once('-')?;
    let ok = matches!(prefix, "profile" | "partner") && id.len() == 32 && id.chars().all(|c| c.is_ascii_hexdigit());
    if ok { ImageKind::from_extension(ext) } else { None }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_recognised_by_content() {
        assert_eq!(ImageKind::sniff(b"\x89PNG\r\n\x1a\n...."), Some(ImageKind::Png));
        assert_eq!(ImageKind::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(ImageKind::Jpeg));
        assert_eq!(ImageKind::sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some(ImageKind::Webp));
        assert_eq!(ImageKind::sniff(b"<svg xmlns=..."), None);
        assert_eq!(ImageKind::sniff(b"%PDF-1.4"), None);
    }

    #[test]
    fn only_our_own_file_names_are_served() {
        assert_eq!(parse_stored_name("profile-0123456789abcdef0123456789abcdef.png"), Some(ImageKind::Png));
        assert_eq!(parse_stored_name("../secret_key"), None);
        assert_eq!(parse_stored_name("profile-../../x.png"), None);
        assert_eq!(parse_stored_name("profile-0123456789abcdef0123456789abcdef.exe"), None);
    }
}
