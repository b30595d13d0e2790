//! Who a user is to others, and what their privacy settings allow: read through a handle the server
//! backs with the profiles domain (so this crate depends on no other domain), and the rules built on
//! it that more than one service shares — who counts as a friend, whose card a viewer may see.

use std::sync::Arc;

use futures::future::BoxFuture;
use pam_kernel::DomainError;
use pam_store::with_db;
use uuid::Uuid;

use crate::SocialState;

/// Who may see a user's card (the profiles domain's `profile_visibility`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProfileVisibility {
    Public,
    Friends,
    Private,
}

impl ProfileVisibility {
    /// From the profiles domain's name for it; an unknown name is read as the most private.
    pub fn from_name(name: &str) -> ProfileVisibility {
        match name {
            "public" => ProfileVisibility::Public,
            "friends" => ProfileVisibility::Friends,
            _ => ProfileVisibility::Private,
        }
    }
}

/// Who may send a user direct messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AllowMessages {
    Everyone,
    Friends,
    Nobody,
}

impl AllowMessages {
    /// From the profiles domain's name for it; an unknown name is read as the most private.
    pub fn from_name(name: &str) -> AllowMessages {
        match name {
            "everyone" => AllowMessages::Everyone,
            "friends" => AllowMessages::Friends,
            _ => AllowMessages::Nobody,
        }
    }
}

/// The parts of a user's privacy settings this domain obeys.
#[derive(Clone, Copy, Debug)]
pub struct Privacy {
    pub profile_visibility: ProfileVisibility,
    /// Whether others may see where they are (nearby RVers).
    pub location_sharing: bool,
    pub allow_messages: AllowMessages,
}

/// What a user's card may show: never their email, exact position or settings.
#[derive(Clone, Debug, Default)]
pub struct Person {
    pub display_name: Option<String>,
    pub region: Option<String>,
    pub profile_image_url: Option<String>,
    pub travel_style: Vec<String>,
    pub interests: Vec<String>,
}

/// Where people and their privacy come from (the profiles domain). `None` when there is no such user.
pub trait PeopleSource: Send + Sync {
    fn privacy(&self, user_id: Uuid) -> BoxFuture<'_, Result<Option<Privacy>, DomainError>>;
    fn person(&self, user_id: Uuid) -> BoxFuture<'_, Result<Option<Person>, DomainError>>;
}

#[derive(Clone)]
pub struct People(Arc<dyn PeopleSource>);

impl People {
    pub fn new(source: Arc<dyn PeopleSource>) -> People {
        People(source)
    }

    /// The user's privacy settings; 404 when there is no such user.
    pub async fn privacy(&self, user_id: Uuid) -> Result<Privacy, DomainError> {
        self.0.privacy(user_id).await?.ok_or_else(|| DomainError::not_found("User"))
    }

    /// The user's privacy settings, or `None` when there is no such user (a row being deleted).
    pub async fn privacy_if_any(&self, user_id: Uuid) -> Result<Option<Privacy>, DomainError> {
        self.0.privacy(user_id).await
    }

    pub async fn person_if_any(&self, user_id: Uuid) -> Result<Option<Person>, DomainError> {
        self.0.person(user_id).await
    }

    pub async fn person(&self, user_id: Uuid) -> Result<Person, DomainError> {
        self.0.person(user_id).await?.ok_or_else(|| DomainError::not_found("User"))
    }
}

/// Whether `a` follows `b`.
pub async fn follows(state: &SocialState, a: Uuid, b: Uuid) -> Result<bool, DomainError> {
    let n: i64 = with_db!(&state.db, |pool| {
        sqlx::query_scalar("SELECT count(*) FROM user_follows WHERE user_id = $1 AND followed_id = $2")
            .bind(a)
            .bind(b)
            .fetch_one(pool)
            .await
    })?;
    Ok(n > 0)
}

/// Friends are people who follow each other.
pub async fn are_friends(state: &SocialState, a: Uuid, b: Uuid) -> Result<bool, DomainError> {
    let n: i64 = with_db!(&state.db, |pool| {
        sqlx::query_scalar(
            "SELECT count(*) FROM user_follows WHERE (user_id = $1 AND followed_id = $2) \
             OR (user_id = $2 AND followed_id = $1)",
        )
        .bind(a)
        .bind(b)
        .fetch_one(pool)
        .await
    })?;
    Ok(n == 2)
}

/// Whether `viewer` may see `owner`'s card: always their own; a public profile to anyone, a friends-only
/// one to friends, a private one to nobody else.
pub async fn card_visible(
    state: &SocialState,
    viewer: Uuid,
    owner: Uuid,
    privacy: &Privacy,
) -> Result<bool, DomainError> {
    Ok(match privacy.profile_visibility {
        _ if viewer == owner => true,
        ProfileVisibility::Public => true,
        ProfileVisibility::Friends => are_friends(state, viewer, owner).await?,
        ProfileVisibility::Private => false,
    })
}

/// The name `viewer` may be shown for `owner`: their display name when their card is visible to them.
pub async fn name_for(state: &SocialState, viewer: Uuid, owner: Uuid) -> Result<Option<String>, DomainError> {
    let privacy = state.people.privacy(owner).await?;
    if !card_visible(state, viewer, owner, &privacy).await? {
        return Ok(None);
    }
    Ok(state.people.person(owner).await?.display_name)
}

/// A database error on a write that references another row: the row it named is gone (deleted
/// between the check and the write), which the caller reports as `missing`.
pub fn gone_or_internal(err: sqlx::Error, missing: &str) -> DomainError {
    match &err {
        sqlx::Error::Database(db) if db.is_foreign_key_violation() => DomainError::not_found(missing),
        _ => err.into(),
    }
}
