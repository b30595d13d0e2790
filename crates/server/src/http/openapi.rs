//! The OpenAPI 3.1 document: paths come from the routers (utoipa-axum), schemas from the request and
//! response types themselves, so the document cannot drift from the code.

use pam_web::error::{ErrorBody, FieldError, ValidationErrorBody};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "PAM backend",
        description = "The server behind Wheels & Wins: PAM, the AI companion for people who live and travel in RVs. \
Errors use FastAPI's shape: `{detail, code}`, and 422 validation errors `{detail: [{loc, msg, type}], code}`. \
Unsafe POSTs accept an `Idempotency-Key` header. \
Place names and locations © GeoNames (geonames.org), CC BY 4.0, selected and reformatted by Wheels & Wins; fuel \
prices, when that service is configured, from Tankerkönig (CC BY 4.0).",
        license(name = "MIT")
    ),
    components(schemas(ErrorBody, ValidationErrorBody, FieldError)),
    modifiers(&BearerAuth),
    tags(
        (name = "health", description = "Liveness and readiness"),
        (name = "auth", description = "Built-in accounts; Supabase tokens are accepted everywhere too"),
        (name = "profiles", description = "Profiles, settings, privacy, export and account deletion"),
        (name = "wins", description = "Money: expenses, budgets, income and reports"),
        (name = "wheels", description = "Travel: trips, routes, vehicles, fuel, maintenance, places, weather. Places \
and locations © GeoNames (geonames.org), CC BY 4.0."),
        (name = "calendar", description = "Calendar events with reminders, timers and alarms"),
        (name = "knowledge", description = "Travel knowledge curated by admins: tips, rules, seasonal advice; \
full-text search ranked with nearby places first"),
        (name = "medical", description = "The user's own medical records, medications and emergency card (never \
logged; shown to PAM's model only with the user's consent)"),
        (name = "shop", description = "The admin-managed product catalogue"),
        (name = "social", description = "Community: posts, comments, likes, follows, messages, groups, events, shared \
locations, nearby RVers and public user cards"),
        (name = "pam", description = "PAM: chat, conversations, tools"),
        (name = "speech", description = "Text-to-speech (espeak-ng offline, OpenAI-compatible, ElevenLabs, in a \
fallback chain with a cache) and speech-to-text (an OpenAI-compatible transcription service); PAM by voice"),
        (name = "admin", description = "Operators only: background jobs"),
        (name = "savings", description = "Savings PAM found, and the savings guarantee"),
        (name = "wins (seed-compatible)", description = "The seed design's routes, over the same services"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut scheme = Http::new(HttpAuthScheme::Bearer);
        scheme.bearer_format = Some("JWT".into());
        scheme.description = Some("A Supabase access token, or one issued by /api/auth/login".into());
        components.add_security_scheme("bearer", SecurityScheme::Http(scheme));
    }
}
