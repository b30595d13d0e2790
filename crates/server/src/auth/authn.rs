//! The application's [`Authenticator`]: a bearer token (built-in or Supabase) verified, then resolved to
//! a live account through the identity cache. Routes in every crate reach it through `pam_web::Authn`.

use std::sync::Arc;
use std::time::Duration;

use futures::future::BoxFuture;
use pam_kernel::Caller;
use pam_platform::cache::{Cache, Invalidations};
use pam_store::Db;
use pam_web::{AppError, Authenticator};
use uuid::Uuid;

use super::identity::{self, CachedIdentity};
use super::token::TokenService;

/// How long a resolved identity is trusted without asking the database again (the bound on staleness
/// if an invalidation from another instance is ever lost).
pub const IDENTITY_TTL: Duration = Duration::from_secs(30);

pub struct AuthService {
    pub db: Db,
    pub tokens: TokenService,
    /// Live accounts seen recently, so an authenticated request costs no identity query. Dropped on
    /// deletion (on every instance); a role changed by the `admin` command is seen within
    /// [`IDENTITY_TTL`].
    pub identities: Cache<CachedIdentity>,
}

/// The identity cache's name on the invalidation bus (a process without the cache, the admin command,
/// announces to it by name).
pub const IDENTITY_CACHE: &str = "identity";

impl AuthService {
    pub fn new(db: Db, tokens: TokenService, bus: Arc<dyn Invalidations>) -> AuthService {
        AuthService { db, tokens, identities: Cache::new(IDENTITY_CACHE, 100_000, IDENTITY_TTL, bus) }
    }

    /// Verifies a token and resolves it to a live account (the extractors and the WebSocket handshake).
    pub async fn caller(&self, token: &str) -> Result<Caller, AppError> {
        let verified = self.tokens.verify(token).await?;
        identity::resolve_cached(self, &verified).await
    }

    /// Forgets a cached identity (after deletion or a role change), here and on every other instance.
    pub fn forget(&self, user_id: Uuid) {
        self.identities.invalidate(&user_id);
    }
}

impl Authenticator for AuthService {
    fn authenticate<'a>(&'a self, token: &'a str) -> BoxFuture<'a, Result<Caller, AppError>> {
        Box::pin(self.caller(token))
    }
}
