//! Profile tools for PAM: thin calls into the same services as `/api/v1/users/{id}/…`. (`export_data`
//! is the server's: the export is assembled from every domain.)

use pam_kernel::{DomainError, NoArguments, Tool, ToolOutput};

use crate::ProfilesState;
use crate::account;
use crate::service::{self, ProfileUpdate};
use crate::settings::{self, PrivacyPatch, SettingsPatch};

pub fn tools(state: &ProfilesState) -> Vec<Tool> {
    vec![
        Tool::with_state(
            state.clone(),
            "update_profile",
            "Change the user's profile: name, nickname, region, language, currency, time zone, \
            units (metric|imperial), travel styles, interests, pets, vehicle summary, current location.",
            true,
            |state, ctx, input: ProfileUpdate| async move {
                ToolOutput::data(service::update(&state, ctx.user_id, input, false).await?)
            },
        ),
        Tool::new(
            "update_settings",
            "Change the user's settings: notifications, display, regional and PAM sections \
            (any subset of fields).",
            true,
            |ctx, input: SettingsPatch| async move {
                ToolOutput::data(settings::patch_settings(&ctx.db, ctx.user_id, input).await?)
            },
        ),
        Tool::new(
            "manage_privacy",
            "Change privacy: profile_visibility (public|friends|private), location_sharing, \
            allow_messages (everyone|friends|none), show_activity, data_collection, share_medical_with_pam \
            (may only be turned off here).",
            true,
            |ctx, input: PrivacyPatch| async move {
                // Consent to show medical data to the model is given by the user in the app, never by the
                // model itself (a conversation can be steered); turning it off from chat is fine.
                if input.share_medical_with_pam == Some(true) {
                    return Err(DomainError::Forbidden(
                        "Sharing medical data with PAM can only be turned on in the app's privacy settings".into(),
                    ));
                }
                ToolOutput::data(settings::patch_privacy(&ctx.db, ctx.user_id, input).await?)
            },
        ),
        Tool::new("get_user_stats", "The user's account statistics.", false, |ctx, _: NoArguments| async move {
            ToolOutput::data(account::stats(&ctx.db, ctx.user_id).await?)
        }),
    ]
}
