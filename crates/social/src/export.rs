//! This domain's part of the account export: everything the user made or took part in. Deletion needs
//! no code here: every table cascades from `users` (a block from either person's account, and comments,
//! likes, memberships and attendance from the post, group or event they hang off); only the row locks
//! the cascade will take are taken first, in one order ([`DELETION_LOCKS`]).

use pam_kernel::DomainError;
use pam_kernel::export::{OwnedTable, Sections, owned};
use uuid::Uuid;

use crate::{SocialState, blocks, comments, events, follows, groups, likes, locations, messages, posts};

/// Taken first when an account is deleted (Postgres; `$1` the user): every post its cascade will update
/// or delete — the user's own, and those whose like and comment counts drop as the user's likes and
/// comments go (migration 0015) — locked in id order. Without it, two people who reacted to each
/// other's posts, deleting their accounts at once, lock those posts in opposite orders and deadlock.
pub const DELETION_LOCKS: &[&str] = &["SELECT 1 FROM social_posts WHERE user_id = $1 \
     OR id IN (SELECT post_id FROM post_likes WHERE user_id = $1) \
     OR id IN (SELECT post_id FROM post_comments WHERE user_id = $1) ORDER BY id FOR UPDATE"];

/// Section names avoid those of other domains ("events" is the calendar's, "messages" PAM's).
pub const TABLES: &[OwnedTable] = &[
    owned("social_posts", "posts"),
    owned("post_comments", "post_comments"),
    owned("post_likes", "post_likes"),
    owned("user_follows", "follows"),
    owned("social_blocks", "blocked_users"),
    owned("direct_messages", "direct_messages"),
    owned("social_groups", "social_groups"),
    owned("group_members", "group_memberships"),
    owned("community_events", "community_events"),
    owned("event_attendees", "event_attendance"),
    owned("shared_locations", "shared_locations"),
];

pub async fn export(state: &SocialState, user_id: Uuid) -> Result<Sections, DomainError> {
    let mut out = Sections::new();
    out.add("posts", posts::all_of(state, user_id).await?)?;
    out.add("post_comments", comments::all_of(state, user_id).await?)?;
    out.add("post_likes", likes::all_of(state, user_id).await?)?;
    out.add("follows", follows::all_of(state, user_id).await?)?;
    // Only the people this user blocked: who blocked them is the other person's data.
    out.add("blocked_users", blocks::all_of(state, user_id).await?)?;
    out.add("direct_messages", messages::all_of(state, user_id).await?)?;
    let (created, memberships) = groups::all_of(state, user_id).await?;
    out.add("social_groups", created)?;
    out.add("group_memberships", memberships)?;
    let (hosted, attendance) = events::all_of(state, user_id).await?;
    out.add("community_events", hosted)?;
    out.add("event_attendance", attendance)?;
    out.add("shared_locations", locations::all_of(state, user_id).await?)?;
    Ok(out)
}
