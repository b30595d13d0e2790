//! Social's PAM tools for people and places: follow, message (confirmed first, quoting the message),
//! share a location, find RVers nearby, host a community event. A position the user does not give is
//! the one the chat context reports ("here").

use pam_kernel::{DomainError, Page, Tool, ToolContext, ToolOutput};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::events::{self, NewEvent};
use crate::locations::{self, NearbyQuery, NewSharedLocation};
use crate::messages::{self, NewMessage};
use crate::people::name_for;
use crate::tools::{excerpt, reload};
use crate::{SocialState, follows};

#[derive(Debug, Deserialize, ToSchema)]
pub struct FollowInput {
    /// The user to follow (e.g. a post's `user_id`).
    pub person_id: Uuid,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ShareLocationInput {
    /// What to call it (default "Current location").
    pub name: Option<String>,
    /// Default: where the user is now.
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub description: Option<String>,
    /// Everyone nearby may see it (rounded to about a kilometre); otherwise only friends. Default false.
    pub is_public: Option<bool>,
    /// For how long (default 24, at most 720).
    pub expires_in_hours: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NearbyInput {
    /// Default: where the user is now.
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// Default 50, at most 500.
    pub radius_km: Option<f64>,
}

/// The position given, else the chat's; neither is a field error the model can act on.
fn position(ctx: &ToolContext, lat: Option<f64>, lng: Option<f64>) -> Result<(f64, f64), DomainError> {
    match (lat, lng, ctx.position) {
        (Some(lat), Some(lng), _) => Ok((lat, lng)),
        (None, None, Some(here)) => Ok(here),
        _ => Err(DomainError::invalid(
            &["body", "latitude"],
            "give latitude and longitude; the chat does not say where the user is",
        )),
    }
}

pub fn tools(state: &SocialState) -> Vec<Tool> {
    vec![
        Tool::with_state(
            state.clone(),
            "follow_user",
            "Follow another user for the user (their followers-only posts then show in the feed); refused across a \
            block.",
            true,
            |state, ctx, input: FollowInput| async move {
                let followed = follows::follow(&state, ctx.user_id, input.person_id).await?;
                let action = reload("user", input.person_id, "followed user");
                ToolOutput::changed(followed, action)
            },
        ),
        Tool::with_state(
            state.clone(),
            "message_friend",
            "Send a direct message as the user (the user confirms the exact text first). The recipient's privacy \
            settings decide who may message them, and nobody may across a block (either of them blocked the other).",
            true,
            |state, ctx, input: NewMessage| async move {
                let sent = messages::send(&state, ctx.user_id, input).await?;
                let action = reload("message", sent.id, excerpt(&sent.message, 60));
                ToolOutput::changed(sent, action)
            },
        )
        .confirmed_with(state.clone(), |state: SocialState, ctx: ToolContext, input: NewMessage| async move {
            let message = messages::check_text(&input.message)?;
            // Refusals (no such user, not accepted) are said before the user is asked, not after.
            messages::may_message(&state, ctx.user_id, input.recipient_id).await?;
            let to = name_for(&state, ctx.user_id, input.recipient_id).await?.unwrap_or_else(|| "them".into());
            Ok(format!("Send {to} this message: \"{message}\"?"))
        }),
        Tool::with_state(
            state.clone(),
            "share_location",
            "Share where the user is (or a given point) for a while: with everyone nearby (is_public) or with \
            friends. Others only ever see it rounded to about a kilometre. Needs location sharing on in the \
            user's privacy settings.",
            true,
            |state, ctx, input: ShareLocationInput| async move {
                let (latitude, longitude) = position(&ctx, input.latitude, input.longitude)?;
                let new = NewSharedLocation {
                    name: input.name,
                    latitude,
                    longitude,
                    description: input.description,
                    is_public: input.is_public,
                    expires_at: None,
                    expires_in_hours: input.expires_in_hours,
                };
                let shared = locations::share(&state, ctx.user_id, new).await?;
                let action = reload("shared_location", shared.id, shared.name.clone());
                ToolOutput::changed(shared, action)
            },
        ),
        Tool::with_state(
            state.clone(),
            "find_nearby_rvers",
            "Other RVers sharing their location near the user (or a given point), nearest first, at positions \
            rounded to about a kilometre.",
            false,
            |state, ctx, input: NearbyInput| async move {
                let (lat, lng) = position(&ctx, input.latitude, input.longitude)?;
                let q = NearbyQuery { lat, lng, radius_km: input.radius_km, limit: None, offset: None };
                let page = Page { limit: 20, offset: 0 };
                ToolOutput::data(locations::nearby(&state, ctx.user_id, &q, page).await?)
            },
        ),
        Tool::with_state(
            state.clone(),
            "create_event",
            "Host a community meet-up for the user: title, description, event_date (RFC 3339 with offset), \
            location (a place name), optional latitude/longitude and max_attendees (the host counts).",
            true,
            |state, ctx, input: NewEvent| async move {
                let event = events::create(&state, ctx.user_id, input).await?;
                let action = reload("community_event", event.id, event.title.clone());
                ToolOutput::changed(event, action)
            },
        ),
    ]
}
