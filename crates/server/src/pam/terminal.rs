//! `pam-backend chat --user EMAIL`: PAM in the terminal, through the same turn pipeline.

use pam_kernel::Caller;
use pam_store::with_db;
use pam_web::error::AppError;
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncWrite, AsyncWriteExt};
use uuid::Uuid;

use super::turn::{self, ChatRequest};
use crate::state::AppState;

pub async fn user_by_email(state: &AppState, email: &str) -> Result<Caller, AppError> {
    let email = email.trim().to_ascii_lowercase();
    let row: Option<(Uuid, String)> = with_db!(&state.db, |pool| {
        sqlx::query_as("SELECT id, role FROM profiles WHERE email = $1").bind(&email).fetch_optional(pool).await
    })?;
    let (id, role) = row.ok_or_else(|| AppError::NotFound(format!("No account with email {email}")))?;
    Ok(Caller { id, email: Some(email), is_admin: role == "admin" })
}

/// Reads lines, answers each; an empty line or end of input ends the session.
pub async fn run(
    state: &AppState,
    user: &Caller,
    input: impl AsyncBufRead + Unpin,
    mut output: impl AsyncWrite + Unpin,
) -> std::io::Result<()> {
    let mut lines = input.lines();
    output.write_all(b"PAM here. Type a message (empty line to quit).\n> ").await?;
    output.flush().await?;
    while let Some(line) = lines.next_line().await? {
        if line.trim().is_empty() {
            break;
        }
        let request = ChatRequest { message: Some(line), ..Default::default() };
        let text = match request.parse(None) {
            Ok(input) => match turn::run(state, user, input, turn::no_events()).await {
                Ok(reply) => reply["response"].as_str().unwrap_or_default().to_string(),
                Err(e) => format!("(error: {e})"),
            },
            Err(r) => format!("(error: {})", r.into_app_error()),
        };
        output.write_all(format!("{text}\n> ").as_bytes()).await?;
        output.flush().await?;
    }
    Ok(())
}
