//! Turn claims: before a chat turn runs, its message is claimed in `pam_turns`, so a re-send (the same
//! `message_id`, or the same text within the re-send window) gets the first reply instead of running
//! again, and a user has one turn in flight at a time.
//!
//! A claim is a lease. It is finished with the reply, or released on every other exit — an error, a
//! panic (the [`TurnLease`] guard releases it when dropped) — and a claim whose worker vanished without
//! either (a killed process) is taken over once [`TURN_LEASE`] has passed. A takeover keeps the turn's
//! id, so the tools that already ran in it are replayed, not run again.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};
use std::time::Duration;

use chrono::{DateTime, SubsecRound, Utc};
use pam_kernel::DomainError;
use pam_store::{Db, is_unique_violation, with_db};
use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::types::Json as SqlJson;
use uuid::Uuid;

/// A message with no id, equal to one sent this recently, is that message re-sent.
pub const RESEND_WINDOW: chrono::Duration = chrono::Duration::seconds(45);
/// How long a claimed turn may run before another request may take it over (the model's turn deadline
/// is 25 s; tools and storing the reply fit well inside this).
pub const TURN_LEASE: chrono::Duration = chrono::Duration::seconds(60);
/// How long a re-send waits for the first copy's reply before answering 409.
const WAIT_FOR_SAME: Duration = Duration::from_secs(40);

/// The text's fingerprint for re-send detection. It depends on the conversation only when the client
/// named one: two copies of a message that named none (a first message, before either copy has a
/// conversation) must collide wherever they would land.
pub fn text_hash(text: &str, named_conversation: Option<Uuid>) -> String {
    let mut hasher = Sha256::new();
    if let Some(id) = named_conversation {
        hasher.update(id.as_bytes());
    }
    hasher.update(text.trim().as_bytes());
    hex::encode(hasher.finalize())
}

/// The outcome of claiming a turn.
pub enum Claim {
    /// This request runs the turn (a new one, or one taken over with its id and conversation).
    Run { lease: TurnLease, message_id: String, conversation_id: Uuid },
    /// An earlier request ran it: here is its reply.
    Replay(Value),
}

type TurnRow = (Uuid, String, Option<SqlJson<Value>>, Option<DateTime<Utc>>, Uuid);

/// A claim's timestamp, cut to the microsecond both databases keep, so it can be matched exactly: it
/// identifies this claim (a lease finished or released by a worker that lost it changes nothing).
fn claim_time() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// Requests of one user waiting in this process for a turn: past a few, more get their 429 at once
/// instead of polling the database too.
static WAITING: LazyLock<Mutex<HashMap<Uuid, usize>>> = LazyLock::new(Mutex::default);
const MAX_WAITING: usize = 3;

struct Waiting(Uuid);

impl Waiting {
    fn join(user_id: Uuid) -> Option<Waiting> {
        let mut waiting = WAITING.lock().unwrap_or_else(|p| p.into_inner());
        let n = waiting.entry(user_id).or_insert(0);
        if *n >= MAX_WAITING {
            return None;
        }
        *n += 1;
        Some(Waiting(user_id))
    }
}

impl Drop for Waiting {
    fn drop(&mut self) {
        let mut waiting = WAITING.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = waiting.get_mut(&self.0) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                waiting.remove(&self.0);
            }
        }
    }
}

fn busy(retry_after: Duration, message: &str) -> DomainError {
    DomainError::Busy { message: message.into(), retry_after_secs: retry_after.as_secs().clamp(1, 5) }
}

const STILL_ANSWERING: &str = "That message is still being answered; try again shortly";
const PREVIOUS_RUNNING: &str = "PAM is still answering your previous message; send this one when it has replied";

/// The message id of a recent turn with this text, if any (a re-send without an id).
async fn recent_with_text(db: &Db, user_id: Uuid, hash: &str) -> Result<Option<String>, DomainError> {
    Ok(with_db!(db, |pool| {
        sqlx::query_scalar(
            "SELECT message_id FROM pam_turns WHERE user_id = $1 AND text_hash = $2 AND created_at > $3 \
             ORDER BY created_at DESC LIMIT 1",
        )
        .bind(user_id)
        .bind(hash)
        .bind(Utc::now() - RESEND_WINDOW)
        .fetch_optional(pool)
        .await
    })?)
}

/// Claims the turn for `message_id` (or, without one, for the text within the re-send window).
/// `conversation_id` is where a new turn will be recorded (a taken-over turn keeps its own); `named` says
/// whether the client named that conversation. A re-send of a running turn waits for its reply; a new
/// message waits up to `wait_for_previous` for the user's running turn, then gets a 429.
pub async fn claim_turn(
    db: &Db,
    user_id: Uuid,
    conversation_id: Uuid,
    message_id: Option<&str>,
    text: &str,
    named: bool,
    wait_for_previous: Duration,
) -> Result<Claim, DomainError> {
    let hash = text_hash(text, named.then_some(conversation_id));
    let automatic = message_id.is_none();
    let mut message_id = match message_id {
        Some(id) => id.to_string(),
        // Two copies arriving together both miss the lookup; an id derived from the text and the
        // 45-second slot makes the second collide with the first.
        None => recent_with_text(db, user_id, &hash).await?.unwrap_or_else(|| {
            let slot = Utc::now().timestamp().div_euclid(RESEND_WINDOW.num_seconds());
            format!("auto-{}-{slot}", hash.get(..16).unwrap_or(&hash))
        }),
    };
    let same_deadline = tokio::time::Instant::now() + WAIT_FOR_SAME;
    let previous_deadline = tokio::time::Instant::now() + wait_for_previous;
    let mut waiting: Option<Waiting> = None;
    let mut pause = Duration::from_millis(50);
    loop {
        let turn_id = Uuid::now_v7();
        let claimed_at = claim_time();
        let inserted = with_db!(db, |pool| {
            sqlx::query(
                "INSERT INTO pam_turns (id, user_id, conversation_id, message_id, text_hash, status, created_at, claimed_at) \
                 VALUES ($1, $2, $3, $4, $5, 'running', $6, $6)",
            )
            .bind(turn_id)
            .bind(user_id)
            .bind(conversation_id)
            .bind(&message_id)
            .bind(&hash)
            .bind(claimed_at)
            .execute(pool)
            .await
            .map(|_| ())
        });
        match inserted {
            Ok(()) => {
                let lease = TurnLease::new(db, turn_id, claimed_at);
                return Ok(Claim::Run { lease, message_id, conversation_id });
            }
            Err(e) if is_unique_violation(&e) => {}
            Err(e) => return Err(e.into()),
        }
        // Either this message has a turn already, or another of the user's turns is in flight.
        let row: Option<TurnRow> = with_db!(db, |pool| {
            sqlx::query_as(
                "SELECT id, status, reply, claimed_at, conversation_id FROM pam_turns WHERE user_id = $1 AND message_id = $2",
            )
            .bind(user_id)
            .bind(&message_id)
            .fetch_optional(pool)
            .await
        })?;
        let now = Utc::now();
        let stale = |claimed: Option<DateTime<Utc>>| claimed.is_none_or(|at| at < now - TURN_LEASE);
        let deadline = match row {
            Some((_, status, Some(reply), _, _)) if status == "done" => return Ok(Claim::Replay(reply.0)),
            Some((id, status, _, claimed, conversation)) if status == "released" || stale(claimed) => {
                if let Some(lease) = take_over(db, id).await? {
                    return Ok(Claim::Run { lease, message_id, conversation_id: conversation });
                }
                // Another of the user's turns is running (the one-running index refused the takeover).
                release_stale_turns(db, user_id).await?;
                previous_deadline
            }
            Some(_) => same_deadline,
            None => {
                release_stale_turns(db, user_id).await?;
                // A copy of this text may have been claimed under another automatic id (the two
                // copies fell either side of a slot boundary): follow it instead of running again.
                if automatic
                    && let Some(recent) = recent_with_text(db, user_id, &hash).await?
                    && recent != message_id
                {
                    message_id = recent;
                    continue;
                }
                previous_deadline
            }
        };
        if tokio::time::Instant::now() >= deadline {
            return Err(if deadline == same_deadline {
                busy(Duration::from_secs(2), STILL_ANSWERING)
            } else {
                busy(wait_for_previous, PREVIOUS_RUNNING)
            });
        }
        if waiting.is_none() {
            waiting = Some(Waiting::join(user_id).ok_or_else(|| busy(wait_for_previous, PREVIOUS_RUNNING))?);
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(Duration::from_millis(500));
    }
}

/// Claims a released or stale turn for this request; None when someone else got it first (or another of
/// the user's turns is running, which the one-running-turn index refuses).
async fn take_over(db: &Db, turn_id: Uuid) -> Result<Option<TurnLease>, DomainError> {
    let claimed_at = claim_time();
    let taken = with_db!(db, |pool| {
        sqlx::query(
            "UPDATE pam_turns SET status = 'running', claimed_at = $2 WHERE id = $1 \
             AND (status = 'released' OR (status = 'running' AND (claimed_at IS NULL OR claimed_at < $3)))",
        )
        .bind(turn_id)
        .bind(claimed_at)
        .bind(claimed_at - TURN_LEASE)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    });
    match taken {
        Ok(1) => Ok(Some(TurnLease::new(db, turn_id, claimed_at))),
        Ok(_) => Ok(None),
        Err(e) if is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Releases the user's turns whose worker vanished, so they stop blocking new messages.
async fn release_stale_turns(db: &Db, user_id: Uuid) -> Result<(), DomainError> {
    with_db!(db, |pool| {
        sqlx::query(
            "UPDATE pam_turns SET status = 'released' WHERE user_id = $1 AND status = 'running' \
             AND (claimed_at IS NULL OR claimed_at < $2)",
        )
        .bind(user_id)
        .bind(Utc::now() - TURN_LEASE)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

/// The claim on a running turn. Finish it with the reply, or release it; dropped without either (a
/// panic, a cancelled task), it is released in the background. Both act only while the claim is still
/// this one: a worker whose lease was taken over changes nothing.
pub struct TurnLease {
    db: Db,
    pub turn_id: Uuid,
    claimed_at: DateTime<Utc>,
    settled: bool,
}

impl TurnLease {
    fn new(db: &Db, turn_id: Uuid, claimed_at: DateTime<Utc>) -> TurnLease {
        TurnLease { db: db.clone(), turn_id, claimed_at, settled: false }
    }

    /// Stores the reply: re-sends get it from now on. False when the lease had been lost.
    pub async fn finish(mut self, reply: &Value) -> Result<bool, DomainError> {
        let n = with_db!(&self.db, |pool| {
            sqlx::query(
                "UPDATE pam_turns SET status = 'done', reply = $3 WHERE id = $1 AND claimed_at = $2 AND status = 'running'",
            )
            .bind(self.turn_id)
            .bind(self.claimed_at)
            .bind(SqlJson(reply))
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        self.settled = true;
        if n == 0 {
            tracing::warn!(turn.id = %self.turn_id, "a turn finished after its lease was taken over; its reply was not stored");
        }
        Ok(n == 1)
    }

    /// Gives the turn up without a reply: a re-send runs it again (its finished tools are replayed).
    pub async fn release(mut self) {
        release(&self.db, self.turn_id, self.claimed_at).await;
        self.settled = true;
    }
}

async fn release(db: &Db, turn_id: Uuid, claimed_at: DateTime<Utc>) {
    let released = with_db!(db, |pool| {
        sqlx::query("UPDATE pam_turns SET status = 'released' WHERE id = $1 AND claimed_at = $2 AND status = 'running'")
            .bind(turn_id)
            .bind(claimed_at)
            .execute(pool)
            .await
            .map(|_| ())
    });
    if let Err(e) = released {
        tracing::warn!(turn.id = %turn_id, error = %e, "could not release a turn; its lease will expire");
    }
}

impl Drop for TurnLease {
    fn drop(&mut self) {
        if self.settled {
            return;
        }
        let (db, turn_id, claimed_at) = (self.db.clone(), self.turn_id, self.claimed_at);
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move { release(&db, turn_id, claimed_at).await });
        }
    }
}
