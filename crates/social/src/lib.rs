//! Social (SPEC §4): posts (drafts published explicitly, public / followers / private), comments,
//! likes, follows, blocks, direct messages, groups, community events, shared locations, nearby RVers and
//! the public user card, with their PAM tools; each face (service, routes, tools) calls the same services.
//!
//! Needs from elsewhere: who a user is to others and what their privacy settings allow, through the
//! [`People`] handle, which the server backs with the profiles domain — this crate never reads that
//! domain's tables.

// Outside data never reaches an unwrap: failures are errors, not panics (tests may unwrap).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod blocks;
pub mod cards;
pub mod comments;
pub mod events;
pub mod export;
pub mod follows;
pub mod groups;
pub mod likes;
pub mod locations;
pub mod messages;
pub mod people;
pub mod posts;
pub mod routes_community;
pub mod routes_people;
pub mod routes_posts;
pub mod tools;
pub mod tools_people;

use axum::extract::FromRef;
use pam_platform::cache::InvalidateOnDrop;
use pam_store::Db;
use pam_web::Authn;
use utoipa_axum::router::OpenApiRouter;

pub use people::{AllowMessages, People, PeopleSource, Person, Privacy, ProfileVisibility};

/// What this domain's services need.
#[derive(Clone)]
pub struct SocialState {
    pub db: Db,
    pub people: People,
    /// Published posts for the following feed, dropped on every write to them.
    pub posts: posts::PostCache,
    /// Whom each viewer follows and each author's shared posts: the following feed's total.
    pub totals: posts::TimelineTotals,
}

impl SocialState {
    /// Made before an account is deleted, kept until the deletion ends however it ends (done, failed,
    /// or cancelled with its request): drops every cached post and timeline total here and on every
    /// other instance, since the cascade changes posts and follows of people nobody names.
    pub fn account_deletion(&self) -> AccountDeletion {
        let (follows, shared) = self.totals.account_deleting();
        AccountDeletion { _posts: self.posts.account_deleting(), _follows: follows, _shared: shared }
    }
}

/// See [`SocialState::account_deletion`]: its work is done when it is dropped.
#[must_use = "the caches are dropped when this guard goes"]
pub struct AccountDeletion {
    _posts: InvalidateOnDrop<std::sync::Arc<posts::StoredPost>>,
    _follows: InvalidateOnDrop<std::sync::Arc<[uuid::Uuid]>>,
    _shared: InvalidateOnDrop<i64>,
}

pub fn router<S>() -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
    SocialState: FromRef<S>,
    Authn: FromRef<S>,
{
    use pam_kernel::schema_rules::state;
    let mut router = OpenApiRouter::new()
        .merge(routes_posts::router())
        .merge(routes_people::router())
        .merge(routes_community::router());
    state::<events::NewEvent>(router.get_openapi_mut());
    state::<locations::NewSharedLocation>(router.get_openapi_mut());
    router
}
