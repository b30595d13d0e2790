//! `pam-backend chat --user EMAIL`: PAM in the terminal, through the same turn pipeline.

use pam_kernel::Caller;
use pam_web::error::AppError;
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncWrite, AsyncWriteExt};

use super::turn::{self, ChatRequest};
use crate::state::AppState;

/// The account `who` names: a user id, or an email exactly one account has.
pub async fn user_for(state: &AppState, who: &str) -> Result<Caller, AppError> {
    let (id, email, role) = pam_profiles::service::find_account(&state.db, who).await?;
    Ok(Caller { id, email, is_admin: role == "admin" })
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
