//! User settings (four typed sections stored as JSON) and privacy settings.

use chrono::Utc;
use pam_kernel::{DomainError, FieldError};
use pam_store::{Db, with_db};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sqlx::types::Json as SqlJson;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(default)]
pub struct NotificationSettings {
    pub email_notifications: bool,
    pub push_notifications: bool,
    pub budget_alerts: bool,
    pub trip_reminders: bool,
    pub maintenance_reminders: bool,
    pub social_activity: bool,
    pub marketing_emails: bool,
}

impl Default for NotificationSettings {
    fn default() -> Self {
        NotificationSettings {
            email_notifications: true,
            push_notifications: true,
            budget_alerts: true,
            trip_reminders: true,
            maintenance_reminders: true,
            social_activity: true,
            marketing_emails: false,
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Default)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    Light,
    Dark,
    #[default]
    System,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Default)]
#[serde(rename_all = "lowercase")]
pub enum FontSize {
    Small,
    #[default]
    Medium,
    Large,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq, Default)]
#[serde(default)]
pub struct DisplaySettings {
    pub theme: Theme,
    pub font_size: FontSize,
    pub high_contrast: bool,
    pub reduced_motion: bool,
    pub compact_mode: bool,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq)]
pub enum TimeFormat {
    #[serde(rename = "12h")]
    Twelve,
    #[serde(rename = "24h")]
    TwentyFour,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(rename_all = "lowercase")]
pub enum DateFormat {
    #[serde(rename = "DD/MM/YYYY")]
    DayFirst,
    #[serde(rename = "MM/DD/YYYY")]
    MonthFirst,
    #[serde(rename = "YYYY-MM-DD")]
    Iso,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(rename_all = "lowercase")]
pub enum Weekday {
    Monday,
    Sunday,
    Saturday,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(default)]
pub struct RegionalSettings {
    pub date_format: DateFormat,
    pub time_format: TimeFormat,
    pub first_day_of_week: Weekday,
}

impl Default for RegionalSettings {
    fn default() -> Self {
        RegionalSettings {
            date_format: DateFormat::DayFirst,
            time_format: TimeFormat::Twelve,
            first_day_of_week: Weekday::Monday,
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Default)]
#[serde(rename_all = "lowercase")]
pub enum ResponseStyle {
    #[default]
    Concise,
    Balanced,
    Detailed,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(default)]
pub struct PamSettings {
    pub voice_enabled: bool,
    pub auto_speak: bool,
    #[schema(max_length = 100)]
    pub voice_id: Option<String>,
    pub response_style: ResponseStyle,
    pub proactive_suggestions: bool,
    pub remember_conversations: bool,
}

impl Default for PamSettings {
    fn default() -> Self {
        PamSettings {
            voice_enabled: true,
            auto_speak: false,
            voice_id: None,
            response_style: ResponseStyle::Concise,
            proactive_suggestions: true,
            remember_conversations: true,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq, Default)]
pub struct UserSettings {
    pub notifications: NotificationSettings,
    pub display: DisplaySettings,
    pub regional: RegionalSettings,
    pub pam: PamSettings,
}

/// PATCH body: any subset of sections, each any subset of its fields.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct SettingsPatch {
    #[schema(value_type = Option<NotificationSettings>)]
    pub notifications: Option<Map<String, Value>>,
    #[schema(value_type = Option<DisplaySettings>)]
    pub display: Option<Map<String, Value>>,
    #[schema(value_type = Option<RegionalSettings>)]
    pub regional: Option<Map<String, Value>>,
    #[schema(value_type = Option<PamSettings>)]
    pub pam: Option<Map<String, Value>>,
}

type SettingsRow = (SqlJson<Value>, SqlJson<Value>, SqlJson<Value>, SqlJson<Value>);

pub async fn get_settings(db: &Db, user_id: Uuid) -> Result<UserSettings, DomainError> {
    let row: Option<SettingsRow> = with_db!(db, |pool| {
        sqlx::query_as("SELECT notifications, display, regional, pam FROM user_settings WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(pool)
            .await
    })?;
    let (n, d, r, p) = row.ok_or_else(|| DomainError::not_found("Settings"))?;
    // Stored sections were written by this code; a field added since then takes its default.
    Ok(UserSettings {
        notifications: serde_json::from_value(n.0).unwrap_or_default(),
        display: serde_json::from_value(d.0).unwrap_or_default(),
        regional: serde_json::from_value(r.0).unwrap_or_default(),
        pam: serde_json::from_value(p.0).unwrap_or_default(),
    })
}

fn merge_section<T: Serialize + serde::de::DeserializeOwned>(
    name: &str,
    current: &T,
    patch: Option<Map<String, Value>>,
    errors: &mut Vec<FieldError>,
) -> Option<T> {
    let patch = patch?;
    let mut merged = match serde_json::to_value(current) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    merged.extend(patch);
    match serde_path_to_error::deserialize::<_, T>(Value::Object(merged)) {
        Ok(v) => Some(v),
        Err(err) => {
            let field = err.path().to_string();
            let mut loc = vec![Value::from("body"), Value::from(name)];
            if field != "." {
                loc.push(Value::from(field));
            }
            errors.push(FieldError {
                loc,
                msg: err.into_inner().to_string().replace('`', "'"),
                kind: "value_error".into(),
            });
            None
        }
    }
}

pub async fn patch_settings(db: &Db, user_id: Uuid, patch: SettingsPatch) -> Result<UserSettings, DomainError> {
    let mut settings = get_settings(db, user_id).await?;
    let mut errors = Vec::new();
    let n = merge_section("notifications", &settings.notifications, patch.notifications, &mut errors);
    let d = merge_section("display", &settings.display, patch.display, &mut errors);
    let r = merge_section("regional", &settings.regional, patch.regional, &mut errors);
    let p = merge_section("pam", &settings.pam, patch.pam, &mut errors);
    if !errors.is_empty() {
        return Err(DomainError::Invalid(errors));
    }
    if let Some(v) = n {
        settings.notifications = v;
    }
    if let Some(v) = d {
        settings.display = v;
    }
    if let Some(v) = r {
        settings.regional = v;
    }
    if let Some(v) = p {
        settings.pam = v;
    }
    if let Some(voice) = &settings.pam.voice_id
        && voice.chars().count() > 100
    {
        return Err(DomainError::invalid(&["body", "pam", "voice_id"], "must be at most 100 characters"));
    }
    with_db!(db, |pool| {
        sqlx::query(
            "UPDATE user_settings SET notifications = $2, display = $3, regional = $4, pam = $5, updated_at = $6 \
             WHERE user_id = $1",
        )
        .bind(user_id)
        .bind(SqlJson(&settings.notifications))
        .bind(SqlJson(&settings.display))
        .bind(SqlJson(&settings.regional))
        .bind(SqlJson(&settings.pam))
        .bind(Utc::now())
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(settings)
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Default)]
#[serde(rename_all = "lowercase")]
pub enum ProfileVisibility {
    Public,
    #[default]
    Friends,
    Private,
}

impl ProfileVisibility {
    pub fn as_str(self) -> &'static str {
        match self {
            ProfileVisibility::Public => "public",
            ProfileVisibility::Friends => "friends",
            ProfileVisibility::Private => "private",
        }
    }
    fn from_db(s: &str) -> Self {
        match s {
            "public" => ProfileVisibility::Public,
            "private" => ProfileVisibility::Private,
            _ => ProfileVisibility::Friends,
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Default)]
#[serde(rename_all = "lowercase")]
pub enum AllowMessages {
    Everyone,
    #[default]
    Friends,
    None,
}

impl AllowMessages {
    pub fn as_str(self) -> &'static str {
        match self {
            AllowMessages::Everyone => "everyone",
            AllowMessages::Friends => "friends",
            AllowMessages::None => "none",
        }
    }
    fn from_db(s: &str) -> Self {
        match s {
            "everyone" => AllowMessages::Everyone,
            "none" => AllowMessages::None,
            _ => AllowMessages::Friends,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct PrivacySettings {
    pub profile_visibility: ProfileVisibility,
    pub location_sharing: bool,
    pub allow_messages: AllowMessages,
    pub show_activity: bool,
    pub data_collection: bool,
    /// Whether PAM's model may see the user's medical records, medications and emergency card (the
    /// medical tools refuse until this is on). Off by default.
    pub share_medical_with_pam: bool,
}

/// Private by default where it matters: location is not shared until the user says so.
impl Default for PrivacySettings {
    fn default() -> Self {
        PrivacySettings {
            profile_visibility: ProfileVisibility::Friends,
            location_sharing: false,
            allow_messages: AllowMessages::Friends,
            show_activity: true,
            data_collection: true,
            share_medical_with_pam: false,
        }
    }
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct PrivacyPatch {
    pub profile_visibility: Option<ProfileVisibility>,
    pub location_sharing: Option<bool>,
    pub allow_messages: Option<AllowMessages>,
    pub show_activity: Option<bool>,
    pub data_collection: Option<bool>,
    pub share_medical_with_pam: Option<bool>,
}

pub async fn get_privacy(db: &Db, user_id: Uuid) -> Result<PrivacySettings, DomainError> {
    let row: Option<(String, bool, String, bool, bool, bool)> = with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT profile_visibility, location_sharing, allow_messages, show_activity, data_collection, \
             share_medical_with_pam FROM privacy_settings WHERE user_id = $1",
        )
        .bind(user_id)
        .fetch_optional(pool)
        .await
    })?;
    let (visibility, location_sharing, allow_messages, show_activity, data_collection, share_medical_with_pam) =
        row.ok_or_else(|| DomainError::not_found("Privacy settings"))?;
    Ok(PrivacySettings {
        profile_visibility: ProfileVisibility::from_db(&visibility),
        location_sharing,
        allow_messages: AllowMessages::from_db(&allow_messages),
        show_activity,
        data_collection,
        share_medical_with_pam,
    })
}

pub async fn patch_privacy(db: &Db, user_id: Uuid, patch: PrivacyPatch) -> Result<PrivacySettings, DomainError> {
    let mut p = get_privacy(db, user_id).await?;
    p.profile_visibility = patch.profile_visibility.unwrap_or(p.profile_visibility);
    p.location_sharing = patch.location_sharing.unwrap_or(p.location_sharing);
    p.allow_messages = patch.allow_messages.unwrap_or(p.allow_messages);
    p.show_activity = patch.show_activity.unwrap_or(p.show_activity);
    p.data_collection = patch.data_collection.unwrap_or(p.data_collection);
    p.share_medical_with_pam = patch.share_medical_with_pam.unwrap_or(p.share_medical_with_pam);
    with_db!(db, |pool| {
        sqlx::query(
            "UPDATE privacy_settings SET profile_visibility = $2, location_sharing = $3, allow_messages = $4, \
             show_activity = $5, data_collection = $6, share_medical_with_pam = $7, updated_at = $8 WHERE user_id = $1",
        )
        .bind(user_id)
        .bind(p.profile_visibility.as_str())
        .bind(p.location_sharing)
        .bind(p.allow_messages.as_str())
        .bind(p.show_activity)
        .bind(p.data_collection)
        .bind(p.share_medical_with_pam)
        .bind(Utc::now())
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(p)
}
