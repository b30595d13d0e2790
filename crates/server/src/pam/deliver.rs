//! Push delivery: this instance sends the pushes that are due (timers, reminders, alerts in the push
//! outbox) for the users whose sockets it holds. It claims them in one atomic update, so a push goes out
//! once even with several instances, and hands each to the push bus: with Redis that reaches every
//! socket of the user, on this instance and on the others, once each; without it, this instance's
//! sockets. One whose user has no socket here any more is put back for the next connect. A socket
//! that connects is served at once (a timer that went off while the app was closed arrives on the next
//! connect, if it is less than an hour late). A socket busy with a chat turn keeps the push until the
//! turn's reply has gone (the socket's own rule).

use std::time::Duration;

use chrono::Utc;
use pam_platform::outbox;

use crate::state::AppState;

/// Most pushes taken in one look; more are taken at once on the next.
const BATCH: i64 = 500;

/// Delivers due pushes until `stop` resolves.
pub async fn run(state: AppState, stop: impl std::future::Future<Output = ()>) {
    let hub = state.pam.hub.clone();
    let poll = state.config.push_poll;
    let mut stop = std::pin::pin!(stop);
    loop {
        let full = deliver_due(&state).await;
        if full {
            continue;
        }
        tokio::select! {
            _ = &mut stop => break,
            _ = tokio::time::sleep(poll) => {}
            _ = hub.connected.notified() => {}
        }
    }
}

/// One look: returns whether a full batch went out (so there may be more).
async fn deliver_due(state: &AppState) -> bool {
    let hub = &state.pam.hub;
    let users = hub.users();
    if users.is_empty() {
        return false;
    }
    let due = match outbox::claim_due(&state.db, &users, Utc::now(), BATCH).await {
        Ok(d) => d,
        Err(e) => {
            tracing::warn!(error = %e, "could not look for due pushes");
            tokio::time::sleep(Duration::from_secs(1)).await;
            return false;
        }
    };
    let full = due.len() as i64 >= BATCH;
    for push in due {
        if hub.holds(push.user_id) {
            tracing::debug!(push.kind = %push.kind, user.id = %push.user_id, "push delivered");
            state.pushes.publish(push.user_id, push.frame.0);
        } else {
            // The socket closed between the look and the send: due again for the next connect.
            if let Err(e) = outbox::unclaim(&state.db, push.id).await {
                tracing::warn!(error = %e, push.id = %push.id, "could not put back an undelivered push");
            }
        }
    }
    full
}
