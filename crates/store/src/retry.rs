//! Running a transaction again when Postgres ended it so another could go on.

/// True when Postgres ended the transaction so another could go on: a deadlock (40P01) or a
/// serialization failure (40001). Nothing of it was stored, so running it again is safe.
pub fn lost_to_another_transaction(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Database(db) => matches!(db.code().as_deref(), Some("40P01" | "40001")),
        _ => false,
    }
}

/// Runs a transaction (or one statement) again, up to three times in all, while Postgres ends it for
/// another ([`lost_to_another_transaction`]): for writes that lock rows in an order the caller does not
/// choose, such as the cascades of an account deletion.
pub async fn retry_lost_transactions<T, F, Fut>(mut attempt: F) -> Result<T, sqlx::Error>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, sqlx::Error>>,
{
    const ATTEMPTS: u32 = 3;
    let mut tries = 1;
    loop {
        match attempt().await {
            Err(e) if tries < ATTEMPTS && lost_to_another_transaction(&e) => {
                tracing::debug!(error = %e, tries, "transaction ended for another; running it again");
                tries += 1;
            }
            done => return done,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A database error with a given SQLSTATE, as Postgres would send it.
    #[derive(Debug)]
    struct Sqlstate(&'static str);

    impl std::fmt::Display for Sqlstate {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "sqlstate {}", self.0)
        }
    }

    impl std::error::Error for Sqlstate {}

    impl sqlx::error::DatabaseError for Sqlstate {
        fn message(&self) -> &str {
            self.0
        }
        fn code(&self) -> Option<std::borrow::Cow<'_, str>> {
            Some(self.0.into())
        }
        fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
            self
        }
        fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
            self
        }
        fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
            self
        }
        fn kind(&self) -> sqlx::error::ErrorKind {
            sqlx::error::ErrorKind::Other
        }
    }

    /// How many attempts `retry_lost_transactions` makes when each attempt fails with `codes` in turn
    /// (then succeeds), and whether it ended well.
    async fn attempts(codes: &[&'static str]) -> (usize, bool) {
        let tries = std::sync::atomic::AtomicUsize::new(0);
        let done = retry_lost_transactions(|| async {
            let n = tries.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            match codes.get(n) {
                Some(code) => Err(sqlx::Error::Database(Box::new(Sqlstate(code)))),
                None => Ok(()),
            }
        })
        .await;
        (tries.into_inner(), done.is_ok())
    }

    #[tokio::test]
    async fn a_transaction_ended_for_another_runs_again_at_most_three_times() {
        assert_eq!(attempts(&[]).await, (1, true));
        assert_eq!(attempts(&["40P01", "40001"]).await, (3, true), "a deadlock, then a serialization failure");
        assert_eq!(attempts(&["40P01", "40P01", "40P01"]).await, (3, false), "three tries, then the error");
        assert_eq!(attempts(&["23505"]).await, (1, false), "a unique violation is an answer, not a lost race");
    }
}
