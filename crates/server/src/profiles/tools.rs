//! Profile tools for PAM: thin calls into the same services as `/api/v1/users/{id}/…`.

use super::account;
use super::service::{self, ProfileUpdate};
use super::settings::{self, PrivacyPatch, SettingsPatch};
use crate::tools::{NoArguments, Tool, ToolOutput};

pub fn tools() -> Vec<Tool> {
    vec![
        Tool::new(
            "update_profile",
            "Change the user's profile: name, nickname, region, language, currency, time zone, \
            units (metric|imperial), travel styles, interests, pets, vehicle summary, current location.",
            true,
            |ctx, input: ProfileUpdate| async move {
                ToolOutput::data(service::update(&ctx.state, ctx.user_id, input, false).await?)
            },
        ),
        Tool::new(
            "update_settings",
            "Change the user's settings: notifications, display, regional and PAM sections \
            (any subset of fields).",
            true,
            |ctx, input: SettingsPatch| async move {
                ToolOutput::data(settings::patch_settings(&ctx.state.db, ctx.user_id, input).await?)
            },
        ),
        Tool::new(
            "manage_privacy",
            "Change privacy: profile_visibility (public|friends|private), location_sharing, \
            allow_messages (everyone|friends|none), show_activity, data_collection.",
            true,
            |ctx, input: PrivacyPatch| async move {
                ToolOutput::data(settings::patch_privacy(&ctx.state.db, ctx.user_id, input).await?)
            },
        ),
        Tool::new("get_user_stats", "The user's account statistics.", false, |ctx, _: NoArguments| async move {
            ToolOutput::data(account::stats(&ctx.state.db, ctx.user_id).await?)
        }),
        Tool::new(
            "export_data",
            "Everything the user's account holds, as JSON.",
            false,
            |ctx, _: NoArguments| async move { ToolOutput::data(account::export(&ctx.state.db, ctx.user_id).await?) },
        ),
    ]
}
