//! Social's PAM tools for posts: each a typed input and a thin call into the same services the REST
//! routes use. Publishing and commenting speak for the user, so they run only after the user's yes to a
//! question that quotes the exact text; the confirmation stores those arguments, and the text is
//! checked again when it runs (a draft edited meanwhile is not published).

use pam_kernel::{DomainError, Page, Tool, ToolContext, ToolOutput, UiAction};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::comments::{self, NewComment};
use crate::posts::{self, FeedQuery, NewPost, Post, Visibility};
use crate::{SocialState, likes, tools_people};

/// The front end has no social-specific action among the ones it knows, so social changes ask it to
/// reload its social views.
pub(crate) fn reload(kind: &str, id: Uuid, title: impl Into<String>) -> UiAction {
    UiAction::new("reload_social").about(kind, id, title)
}

/// The start of a text, for titles and questions.
pub(crate) fn excerpt(text: &str, max: usize) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(max).collect();
    if chars.next().is_some() { format!("{}…", head.trim_end()) } else { head }
}

fn title_of(post: &Post) -> String {
    post.title.clone().unwrap_or_else(|| excerpt(&post.content, 60))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PostIdInput {
    pub post_id: Uuid,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PublishPostInput {
    pub post_id: Uuid,
    /// The draft's text exactly as shown to the user; it is published only if the draft still says this.
    pub content: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CommentInput {
    pub post_id: Uuid,
    /// The comment, in the user's words.
    pub content: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SearchPostsInput {
    /// Words to find in posts' titles or text.
    pub query: String,
    /// At most this many (default 20, at most 100).
    pub limit: Option<i64>,
}

fn tool_page(limit: Option<i64>, offset: Option<i64>) -> Result<Page, DomainError> {
    let limit = limit.unwrap_or(20);
    if !(1..=100).contains(&limit) {
        return Err(DomainError::invalid(&["body", "limit"], "must be between 1 and 100"));
    }
    Page::parse(Some(limit), offset)
}

fn audience(v: Visibility) -> &'static str {
    match v {
        Visibility::Public => "everyone",
        Visibility::Followers => "your followers",
        Visibility::Private => "only you",
    }
}

pub fn tools(state: &SocialState) -> Vec<Tool> {
    let mut tools = post_tools(state);
    tools.extend(tools_people::tools(state));
    tools
}

fn post_tools(state: &SocialState) -> Vec<Tool> {
    vec![
        Tool::with_state(
            state.clone(),
            "create_post",
            "Draft a community post for the user (content, optional title, tags, location, visibility public | \
            followers | private). It is saved as a draft only the user sees; publishing is a separate step \
            (publish_post) the user confirms.",
            true,
            |state, ctx, input: NewPost| async move {
                let post = posts::create(&state, ctx.user_id, input).await?;
                let action = reload("post", post.id, title_of(&post));
                ToolOutput::changed(post, action)
            },
        ),
        Tool::with_state(
            state.clone(),
            "publish_post",
            "Publish one of the user's draft posts (the user confirms the exact text first). content: the \
            draft's text exactly as shown to the user.",
            true,
            |state, ctx, input: PublishPostInput| async move {
                let post = posts::publish(&state, ctx.user_id, input.post_id, Some(&input.content)).await?;
                let action = reload("post", post.id, title_of(&post));
                ToolOutput::changed(post, action)
            },
        )
        .confirmed_with(
            state.clone(),
            |state: SocialState, ctx: ToolContext, input: PublishPostInput| async move {
                let post = posts::own(&state, ctx.user_id, input.post_id).await?;
                if input.content.trim() != post.content {
                    return Err(DomainError::Conflict(format!(
                        "That draft says something else now: \"{}\"; ask again with its current text",
                        excerpt(&post.content, 200)
                    )));
                }
                Ok(format!("Publish this post for {}: \"{}\"?", audience(post.visibility), post.content))
            },
        ),
        Tool::with_state(
            state.clone(),
            "comment_on_post",
            "Comment on a published post as the user (the user confirms the exact text first).",
            true,
            |state, ctx, input: CommentInput| async move {
                let comment =
                    comments::create(&state, ctx.user_id, input.post_id, NewComment { content: input.content }).await?;
                let action = reload("comment", comment.id, excerpt(&comment.content, 60));
                ToolOutput::changed(comment, action)
            },
        )
        .confirmed_with(
            state.clone(),
            |state: SocialState, ctx: ToolContext, input: CommentInput| async move {
                let content = comments::check_content(&input.content)?;
                let post = posts::published(&state, ctx.user_id, input.post_id).await?;
                Ok(format!("Comment on the post \"{}\": \"{content}\"?", excerpt(&title_of(&post), 80)))
            },
        ),
        Tool::with_state(
            state.clone(),
            "search_posts",
            "Search the published community posts the user may see (their own included) for words in the title or \
            text, newest first.",
            false,
            |state, ctx, input: SearchPostsInput| async move {
                let page = tool_page(input.limit, None)?;
                let query = FeedQuery { q: Some(input.query), ..FeedQuery::default() };
                ToolOutput::data(posts::list(&state, ctx.user_id, &query, page).await?)
            },
        ),
        Tool::with_state(
            state.clone(),
            "get_feed",
            "The user's community feed, newest first: filter all (every post they may see) or following (people \
            they follow); status draft lists their own drafts instead.",
            false,
            |state, ctx, input: FeedQuery| async move {
                let page = tool_page(input.limit, input.offset)?;
                ToolOutput::data(posts::list(&state, ctx.user_id, &input, page).await?)
            },
        ),
        Tool::with_state(
            state.clone(),
            "like_post",
            "Like a published post for the user (once; liking again changes nothing).",
            true,
            |state, ctx, input: PostIdInput| async move {
                let liked = likes::like(&state, ctx.user_id, input.post_id).await?;
                let action = reload("post", input.post_id, "liked post");
                ToolOutput::changed(liked, action)
            },
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_cut_on_characters_and_say_so() {
        assert_eq!(excerpt("short", 10), "short");
        assert_eq!(excerpt("héllo wörld", 6), "héllo…");
        assert_eq!(excerpt("", 3), "");
    }
}
