//! The public user card (`/social/users/{id}`): what others see of a user — their name, picture,
//! travel style and interests, and how they connect — never their email, position or settings. A
//! private profile's card is "not found" to others, a friends-only one to anyone but friends, and
//! anyone's to a person they blocked or who blocked them.

use pam_kernel::DomainError;
use pam_store::with_db;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::blocks::blockers;
use crate::people::{card_visible, follows};
use crate::posts::VISIBLE;
use crate::{SocialState, follows as follow_rows};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserCard {
    pub id: Uuid,
    pub display_name: Option<String>,
    pub region: Option<String>,
    pub profile_image_url: Option<String>,
    pub travel_style: Vec<String>,
    pub interests: Vec<String>,
    pub followers_count: i64,
    pub following_count: i64,
    /// Published posts the caller may see.
    pub posts_count: i64,
    /// Whether the caller follows them.
    pub is_following: bool,
    /// Whether they follow the caller.
    pub follows_you: bool,
}

pub async fn card(state: &SocialState, viewer: Uuid, user_id: Uuid) -> Result<UserCard, DomainError> {
    let privacy = state.people.privacy(user_id).await?;
    // A block either way hides the card exactly as a private profile does.
    if !card_visible(state, viewer, user_id, &privacy).await? || !blockers(state, viewer, user_id).await?.is_empty() {
        return Err(DomainError::not_found("User"));
    }
    let person = state.people.person(user_id).await?;
    let (followers_count, following_count) = follow_rows::counts(state, user_id).await?;
    let posts_count: i64 = with_db!(&state.db, |pool| {
        sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT count(*) FROM social_posts p WHERE p.user_id = $2 AND p.status = 'published' AND {VISIBLE}"
        )))
        .bind(viewer)
        .bind(user_id)
        .fetch_one(pool)
        .await
    })?;
    Ok(UserCard {
        id: user_id,
        display_name: person.display_name,
        region: person.region,
        profile_image_url: person.profile_image_url,
        travel_style: person.travel_style,
        interests: person.interests,
        followers_count,
        following_count,
        posts_count,
        is_following: follows(state, viewer, user_id).await?,
        follows_you: follows(state, user_id, viewer).await?,
    })
}
