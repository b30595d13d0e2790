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

/// A response in SPEC §2's error shape (`ErrorBody`), for the answers the edge adds to operations.
fn error_response(description: &str) -> utoipa::openapi::Response {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    ResponseBuilder::new()
        .description(description)
        .content("application/json", ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build())
        .build()
}

/// Every operation of a path item (the methods the API uses).
fn operations(
    item: &mut utoipa::openapi::path::PathItem,
) -> impl Iterator<Item = &mut utoipa::openapi::path::Operation> {
    [&mut item.get, &mut item.post, &mut item.put, &mut item.patch, &mut item.delete].into_iter().flatten()
}

/// Adds the edge's rate-limit answer (SPEC §7) to every operation it applies to: a 429 in the §2 error
/// shape with `Retry-After` and the `X-RateLimit-*` headers. Added here, once, because the limiter is a
/// layer around every route rather than something each handler could state.
pub fn document_rate_limits(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::HeaderBuilder;

    let header = |description: &str| {
        let integer = utoipa::openapi::ObjectBuilder::new().schema_type(utoipa::openapi::schema::Type::Integer).build();
        HeaderBuilder::new().schema(Some(integer)).description(Some(description)).build()
    };
    let mut limited = error_response(
        "Too many requests in the current minute (`code: rate_limited`); retry after `Retry-After` seconds",
    );
    for (name, description) in [
        ("Retry-After", "Seconds until a request is allowed again"),
        ("X-RateLimit-Limit", "Requests allowed per minute for this class of route"),
        ("X-RateLimit-Remaining", "Requests left in the current window"),
        ("X-RateLimit-Reset", "Seconds until a request is allowed again"),
    ] {
        limited.headers.insert(name.to_string(), header(description).into());
    }
    for (path, item) in doc.paths.paths.iter_mut() {
        if crate::http::limits::Class::of(path) == crate::http::limits::Class::Exempt {
            continue;
        }
        for operation in operations(item) {
            operation.responses.responses.entry("429".to_string()).or_insert_with(|| limited.clone().into());
        }
    }
}

/// Adds the edge's `Idempotency-Key` (SPEC §2) to every POST: the optional header, with the rule the
/// edge checks (1–255 visible ASCII characters, else 422 at `["header", "Idempotency-Key"]`), and the 409
/// it answers when the key was used for a different request or its first request is still running.
/// Added here, once, because the edge handles the key before any route sees the request.
pub fn document_idempotency(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
    use utoipa::openapi::{ObjectBuilder, Required, schema::Type};

    let key = ParameterBuilder::new()
        .name("Idempotency-Key")
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .description(Some(
            "Makes a retry safe: the first response is stored for 24 hours and replayed (with \
             `Idempotent-Replayed: true`) to a repeat of the same request with the same key",
        ))
        .schema(Some(ObjectBuilder::new().schema_type(Type::String).pattern(Some(r"^[!-~]{1,255}$")).build()))
        .build();
    let conflict = error_response(
        "The `Idempotency-Key` was used for a different request, or the request it was first used for is still \
         running (`code: conflict`)",
    );
    for item in doc.paths.paths.values_mut() {
        let Some(operation) = item.post.as_mut() else { continue };
        let parameters = operation.parameters.get_or_insert_with(Vec::new);
        let named = |p: &utoipa::openapi::RefOr<utoipa::openapi::path::Parameter>| matches!(p, utoipa::openapi::RefOr::T(p) if p.name.eq_ignore_ascii_case("Idempotency-Key"));
        if !parameters.iter().any(named) {
            parameters.push(key.clone().into());
        }
        operation.responses.responses.entry("409".to_string()).or_insert_with(|| conflict.clone().into());
    }
}

/// Adds the server-error answer to every operation: a 500 in the §2 error shape (`code: internal_error`),
/// which any handler can give when something underneath it fails (the store, a bug). Added here, once,
/// because the edge turns every unexpected failure (a panic included) into that one answer.
pub fn document_server_errors(doc: &mut utoipa::openapi::OpenApi) {
    let failed = error_response("Something underneath failed (`code: internal_error`)");
    for item in doc.paths.paths.values_mut() {
        for operation in operations(item) {
            operation.responses.responses.entry("500".to_string()).or_insert_with(|| failed.clone().into());
        }
    }
}
