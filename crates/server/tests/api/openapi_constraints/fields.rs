//! A field's own rule where it is more than a bound: a place that must be named, an email address as the
//! server reads one, search words, a profile's free-form JSON. Each is read from the served document
//! and held to the server's answers on both sides of it.

use reqwest::Method;
use serde_json::{Value, json};

use super::between_fields::{Case, body_schema, holds};
use super::{body_property, openapi, query_parameter, refused_at};
use crate::helpers::{Backend, spawn_app, spawn_app_with};
use crate::speech::tone_wav;
use pam_testkit::on_both_databases;

on_both_databases!(
    a_route_names_its_places,
    an_event_description_is_at_most_5000_characters,
    an_email_address_has_a_dot_in_its_domain,
    a_search_has_a_word_to_look_for,
    a_profiles_free_json_is_at_most_16_kib,
    a_voice_conversation_names_its_language_and_format,
    an_odometer_reading_is_bounded_in_its_own_unit,
    a_month_is_on_the_calendar,
);

/// The documents' date pattern is the calendar, 1970–2100: every day in it matches, and nothing else of
/// the form (30 February, 29 February outside leap years, a 13th month, 1969, 2101).
#[test]
fn the_date_pattern_is_the_calendar() {
    let date =
        jsonschema::validator_for(&json!({"type": "string", "pattern": pam_kernel::text::PLAUSIBLE_DATE_PATTERN}))
            .unwrap();
    use chrono::{Datelike, NaiveDate};
    let mut day = NaiveDate::from_ymd_opt(1969, 12, 1).unwrap();
    while day < NaiveDate::from_ymd_opt(2101, 2, 1).unwrap() {
        let inside = (1970..=2100).contains(&day.year());
        assert_eq!(date.is_valid(&json!(day.to_string())), inside, "{day}");
        day = day.succ_opt().unwrap();
    }
    for never in
        ["2023-02-29", "2100-02-29", "1900-02-29", "2026-02-30", "2026-04-31", "2026-13-01", "2026-00-10", "2026-01-00"]
    {
        assert!(!date.is_valid(&json!(never)), "{never}");
    }
    for leap in ["1972-02-29", "2000-02-29", "2024-02-29", "2096-02-29"] {
        assert!(date.is_valid(&json!(leap)), "{leap}");
    }
}

/// A month (or a day in it) for the savings reports: 29 February in a leap year is one, in another year
/// it is not, and the document says the same.
async fn a_month_is_on_the_calendar(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("rule-month@example.com").await;
    let doc = openapi(&app).await;
    let path = "/api/v1/pam/savings/monthly-summary";
    let month = jsonschema::validator_for(query_parameter(&doc, "get", path, "month")).unwrap();
    for (value, taken) in [("2024-02-29", true), ("2024-02", true), ("2023-02-29", false), ("2026-04-31", false)] {
        assert_eq!(month.is_valid(&json!(value)), taken, "the document on {value}");
        let res = app.get(&format!("{path}?month={value}"), &user.token).await;
        if taken {
            assert_eq!(res.status(), 200, "{value}");
        } else {
            refused_at(res, &["query", "month"]).await;
        }
    }
}

async fn a_route_names_its_places(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("rule-routes@example.com").await;
    let doc = openapi(&app).await;
    let route = &doc["components"]["schemas"]["RouteRequest"];
    assert!(route["required"].as_array().unwrap().contains(&json!("origin")), "{route}");
    for place in ["origin", "destination"] {
        let schema = body_property(&doc, "post", "/api/v1/routes/estimate", place);
        assert_eq!((schema["minLength"].as_u64(), schema["maxLength"].as_u64()), (Some(1), Some(200)), "{place}");
        assert_eq!(schema["pattern"], pam_kernel::text::NOT_BLANK, "{place}");
    }
    let stop = &doc["components"]["schemas"]["PlaceName"];
    assert_eq!(stop["pattern"], pam_kernel::text::NOT_BLANK);

    let trip = |origin: Option<&str>, stops: &[&str]| {
        let mut body = json!({"destination": "Melbourne", "stops": stops});
        if let Some(origin) = origin {
            body["origin"] = json!(origin);
        }
        body
    };
    for path in ["/api/v1/routes/estimate", "/api/v1/trips/plan"] {
        let schema = body_schema(&doc, "post", path);
        let done = if path.ends_with("estimate") { 200 } else { 201 };
        let cases: Vec<Case> = vec![
            (trip(None, &[]), Err(&["origin"])),
            (trip(Some(" \t"), &[]), Err(&["origin"])),
            (trip(Some("Sydney"), &["Canberra", " "]), Err(&["stops", "1"])),
            (trip(Some(" Sydney "), &["Canberra"]), Ok(done)),
            (trip(Some("-33.87,151.21"), &[]), Ok(done)),
        ];
        holds(&app, &user, (Method::POST, path), &schema, cases).await;
    }
}

async fn an_event_description_is_at_most_5000_characters(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("rule-events@example.com").await;
    let doc = openapi(&app).await;
    let description = body_property(&doc, "post", "/api/v1/social/events", "description");
    let max = description["maxLength"].as_u64().expect("a maxLength") as usize;
    assert_eq!(max, 5000);
    let day = (chrono::Utc::now() + chrono::Duration::days(30)).date_naive();
    let event = |description: String| {
        json!({"title": "Working bee", "event_date": format!("{day}T09:00:00+10:00"), "location": "Keepit",
            "description": description})
    };
    let schema = body_schema(&doc, "post", "/api/v1/social/events");
    let cases: Vec<Case> = vec![(event("é".repeat(max + 1)), Err(&["description"])), (event("é".repeat(max)), Ok(201))];
    holds(&app, &user, (Method::POST, "/api/v1/social/events"), &schema, cases).await;
}

async fn an_email_address_has_a_dot_in_its_domain(backend: Backend) {
    let app = spawn_app_with(backend, &[("AUTH_RATE_LIMIT_PER_MINUTE", "100")]).await;
    let doc = openapi(&app).await;
    let email = body_property(&doc, "post", "/api/auth/register", "email");
    // No `format: email`: the pattern allows whitespace around the address (it is trimmed), which the
    // format does not.
    assert_eq!((email["format"].as_str(), email["maxLength"].as_u64()), (None, Some(254)));
    let pattern = jsonschema::validator_for(email).expect("the email schema compiles");
    // `n` bytes: a 64-byte local part and a domain of 63-byte labels (the longest each may be).
    let long = |n: usize| {
        let rest = n - 65;
        let labels = (rest - 1) / 63;
        format!(
            "{}@{}{}",
            "a".repeat(64),
            format!("{}.", "b".repeat(62)).repeat(labels),
            "c".repeat(rest - 63 * labels)
        )
    };
    for (address, allowed) in [
        ("robyn@example", false),
        ("robyn@.example.com", false),
        ("robyn@example.com.", false),
        ("rob yn@example.com", false),
        ("robyn@exa\u{7}mple.com", false),
        ("@example.com", false),
        ("a@b@example.com", false),
        (&long(255), false),
        (" Robyn2@Example.COM ", true),
        ("o'brien+rv@mail.example.au", true),
        ("x@a..b", false),
        ("b*@c4v8qu.jh8.io*", false),
        ("a..b@example.com", false),
        ("\"a b\"@example.com", false),
        (&long(254), true),
    ] {
        assert_eq!(pattern.is_valid(&json!(address)), allowed, "the schema and {address:?}");
        let body = json!({"email": address, "password": "a long passphrase"});
        let res = app.send_json(Method::POST, "/api/auth/register", None, &body).await;
        if allowed {
            assert_eq!(res.status(), 201, "{address:?} is an address");
        } else {
            refused_at(res, &["body", "email"]).await;
        }
    }
}

async fn a_search_has_a_word_to_look_for(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("rule-search@example.com").await;
    let doc = openapi(&app).await;
    let q = query_parameter(&doc, "get", "/api/v1/knowledge/search", "q");
    let pattern = jsonschema::validator_for(q).expect("the q schema compiles");
    for (text, allowed) in [("***", false), ("  -- ", false), ("\"\"", false), ("dump", true), ("Ödön", true)] {
        assert_eq!(pattern.is_valid(&json!(text)), allowed, "the pattern and {text:?}");
        let path = format!("/api/v1/knowledge/search?q={}", urlencoding(text));
        let res = app.get(&path, &user.token).await;
        if allowed {
            assert_eq!(res.status(), 200, "{text:?}");
        } else {
            refused_at(res, &["query", "q"]).await;
        }
    }
}

fn urlencoding(text: &str) -> String {
    text.bytes().map(|b| format!("%{b:02X}")).collect()
}

/// The cap is on the value written as JSON, which JSON Schema cannot measure: the document says it in
/// words, and the server holds to the number it gives.
async fn a_profiles_free_json_is_at_most_16_kib(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("rule-json@example.com").await;
    let doc = openapi(&app).await;
    let path = format!("/api/v1/users/{}/profile", user.id);
    for field in ["pets", "accessibility", "vehicle"] {
        let free = body_property(&doc, "patch", "/api/v1/users/{user_id}/profile", field);
        let said = free["description"].as_str().unwrap();
        assert!(said.contains("16384 bytes"), "{field}: {said}");
        // A string of n ASCII characters is n + 2 bytes of JSON; a list of n zeros 2n + 1.
        for (value, allowed) in [
            (json!("p".repeat(16383)), false),
            (json!(vec![0; 8192]), false),
            (json!("p".repeat(16382)), true),
            (json!(vec![0; 8191]), true),
            (Value::Null, true),
        ] {
            let res = app.send_json(Method::PATCH, &path, Some(&user.token), &json!({ field: value })).await;
            if allowed {
                assert_eq!(res.status(), 200, "{field}");
            } else {
                refused_at(res, &["body", field]).await;
            }
        }
    }
}

/// The recording's form: `language` (two or three lower-case letters, blank for unknown) and the
/// reply's `format` (`wav`, `mp3` or `ogg` in any case, blank for `wav`), surrounding spaces aside.
async fn a_voice_conversation_names_its_language_and_format(backend: Backend) {
    let stt = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::path("/v1/audio/transcriptions"))
        .respond_with(wiremock::ResponseTemplate::new(200).set_body_json(json!({"text": "How is my budget?"})))
        .mount(&stt)
        .await;
    let app = spawn_app_with(backend, &[("STT_BASE_URL", &stt.uri())]).await;
    let user = app.register("rule-voice@example.com").await;
    let doc = openapi(&app).await;
    let form = &doc["paths"]["/api/v1/voice/conversation"]["post"]["requestBody"]["content"]["multipart/form-data"];
    let form = super::resolve(&doc, &form["schema"]);
    for (field, outside, inside) in [
        ("language", ["EN", "english", "e", "en-AU"], [" en ", "fil", "", "de"]),
        ("format", ["flac", "wave", "mp4", "m p3"], [" MP3 ", "ogg", "", "Wav"]),
    ] {
        let rule = jsonschema::validator_for(&form["properties"][field]).expect("the field's schema compiles");
        for (value, allowed) in outside.iter().map(|v| (v, false)).chain(inside.iter().map(|v| (v, true))) {
            assert_eq!(rule.is_valid(&json!(value)), allowed, "the schema of {field} and {value:?}");
            let recording = reqwest::multipart::Part::bytes(tone_wav()).file_name("clip.wav");
            let body = reqwest::multipart::Form::new().part("file", recording).text(field, value.to_string());
            let res =
                app.send(Method::POST, "/api/v1/voice/conversation", Some(&user.token), |r| r.multipart(body)).await;
            if allowed {
                assert_eq!(res.status(), 200, "{field} {value:?}");
            } else {
                refused_at(res, &["body", field]).await;
            }
        }
    }
}

/// An odometer reading is 0 to 5,000,000 in the unit it is given in, as the document says: 4.5 million
/// miles (7.2 million km) is taken, 5,000,001 of either is not.
async fn an_odometer_reading_is_bounded_in_its_own_unit(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("rule-odometer@example.com").await;
    let doc = openapi(&app).await;
    let fill = |odometer: f64, unit: &str| json!({"price_per_unit": 2, "total": 60, "odometer": odometer, "odometer_unit": unit});
    let cases: Vec<Case> = vec![
        (fill(5_000_000.0, "km"), Ok(201)),
        (fill(4_500_000.0, "mi"), Ok(201)),
        (fill(5_000_001.0, "mi"), Err(&["odometer"])),
        (fill(5_000_001.0, "km"), Err(&["odometer"])),
    ];
    let schema = body_schema(&doc, "post", "/api/v1/fuel-log");
    holds(&app, &user, (Method::POST, "/api/v1/fuel-log"), &schema, cases).await;
    let service = |mileage: f64, unit: &str| json!({"task": "Tyres", "mileage": mileage, "odometer_unit": unit});
    let cases: Vec<Case> = vec![(service(4_900_000.0, "mi"), Ok(201)), (service(5_000_001.0, "mi"), Err(&["mileage"]))];
    let schema = body_schema(&doc, "post", "/api/v1/maintenance");
    holds(&app, &user, (Method::POST, "/api/v1/maintenance"), &schema, cases).await;
}
