//! Every response the API tests get is held to the OpenAPI document: the request must be an operation
//! the document has, the status one that operation documents, the `Content-Type` one of that status's
//! media types (no body where it documents none), and a JSON body must validate against that media
//! type's schema (a `jsonschema` validator over the document's own components, with `format` asserted:
//! a malformed uuid, date-time, date or email fails). Nothing is skipped quietly: an operation missing
//! from the document, a body that is not the JSON it declares, or a schema that does not compile is a
//! panic. The only requests outside the document are the few routes it deliberately leaves out
//! ([`OUTSIDE_THE_DOCUMENT`]) and the requests a test makes on purpose to a route or method that does
//! not exist ([`check_undocumented`]).
//!
//! The tests send every request through the helpers that run this check (`TestApp::send` and the
//! helpers built on it); [`every_request_in_the_tests_is_held_to_the_document`] fails if a test file
//! sends one any other way, apart from an explicit list of requests the document cannot describe.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Mutex, OnceLock};

use reqwest::Method;
use serde_json::{Value, json};

/// Routes the server answers that the OpenAPI document leaves out on purpose (a trailing `*`: every path
/// under it), and why. A request to one of them is still checked: an error is in SPEC §2's shape, and the
/// two documents are the generated ones.
pub const OUTSIDE_THE_DOCUMENT: &[(&str, &str)] = &[
    ("/docs", "the API reference page (HTML) that renders this document"),
    ("/docs/", "the same page, with a trailing slash"),
    ("/docs/ui/*", "Swagger UI's own assets (CSS, JavaScript)"),
    ("/openapi.json", "the document itself: checked to be exactly the generated one"),
    ("/asyncapi.json", "the WebSocket's AsyncAPI document: checked to be exactly the generated one"),
    ("/metrics", "Prometheus exposition text for scrapers, not an API for clients"),
];

/// One documented response: its media types, each with its schema when the document gives one. No
/// media types means the response has no body.
type Documented = Vec<(String, Option<Value>)>;

struct Operation {
    template: Vec<String>,
    method: String,
    /// By status code (`"200"`, `"422"`, `"default"`).
    responses: HashMap<String, Documented>,
}

fn document() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(|| serde_json::to_value(pam_server::app::openapi()).expect("the document serialises"))
}

fn operations() -> &'static Vec<Operation> {
    static OPS: OnceLock<Vec<Operation>> = OnceLock::new();
    OPS.get_or_init(|| {
        let mut ops = Vec::new();
        for (path, item) in document()["paths"].as_object().expect("paths") {
            for (method, op) in item.as_object().expect("path item") {
                let Some(responses) = op.get("responses").and_then(Value::as_object) else { continue };
                let responses = responses
                    .iter()
                    .map(|(status, r)| {
                        let content = r.get("content").and_then(Value::as_object);
                        let media = content
                            .into_iter()
                            .flatten()
                            .map(|(media, m)| (media.to_ascii_lowercase(), m.get("schema").cloned()))
                            .collect();
                        (status.clone(), media)
                    })
                    .collect();
                let template = path.trim_matches('/').split('/').map(String::from).collect();
                ops.push(Operation { template, method: method.to_uppercase(), responses });
            }
        }
        ops
    })
}

fn segments(path: &str) -> Vec<&str> {
    path.split('?').next().unwrap_or(path).trim_matches('/').split('/').collect()
}

fn matches(op: &Operation, parts: &[&str]) -> bool {
    op.template.len() == parts.len() && op.template.iter().zip(parts).all(|(t, p)| t.starts_with('{') || t == p)
}

/// The operation a concrete path and method belong to: the matching template with the fewest
/// parameters (`/trips/plan` before `/trips/{id}`).
fn operation(method: &Method, path: &str) -> Option<&'static Operation> {
    let parts = segments(path);
    operations()
        .iter()
        .filter(|op| op.method == method.as_str() && matches(op, &parts))
        .min_by_key(|op| op.template.iter().filter(|t| t.starts_with('{')).count())
}

/// The route left out of the document that a path is, if it is one.
fn outside_the_document(path: &str) -> Option<&'static str> {
    let path = path.split('?').next().unwrap_or(path);
    OUTSIDE_THE_DOCUMENT
        .iter()
        .find(|(route, _)| match route.strip_suffix('*') {
            Some(prefix) => path.starts_with(prefix),
            None => path == *route,
        })
        .map(|(route, _)| *route)
}

/// A validator for one schema of the document, with format assertion on. Panics if it does not compile.
fn validator(schema: &Value) -> &'static jsonschema::Validator {
    static VALIDATORS: OnceLock<Mutex<HashMap<String, &'static jsonschema::Validator>>> = OnceLock::new();
    let key = schema.to_string();
    let mut cache = VALIDATORS.get_or_init(Default::default).lock().unwrap_or_else(|p| p.into_inner());
    if let Some(v) = cache.get(&key) {
        return v;
    }
    let root = json!({"allOf": [schema], "components": document()["components"]});
    let compiled = jsonschema::options()
        .should_validate_formats(true)
        .build(&root)
        .unwrap_or_else(|e| panic!("the document's schema {schema} does not compile: {e}"));
    let compiled: &'static jsonschema::Validator = Box::leak(Box::new(compiled));
    cache.insert(key, compiled);
    compiled
}

fn assert_valid(schema: &Value, body: &Value, what: &str) {
    let errors: Vec<String> =
        validator(schema).iter_errors(body).take(5).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(
        errors.is_empty(),
        "{what}: the body does not match its documented schema:\n{}\nbody: {}",
        errors.join("\n"),
        body.to_string().chars().take(600).collect::<String>()
    );
}

/// The media type of a `Content-Type` header, without its parameters.
fn essence(content_type: Option<&str>) -> Option<String> {
    content_type.map(|c| c.split(';').next().unwrap_or(c).trim().to_ascii_lowercase())
}

fn is_json(media: &str) -> bool {
    media == "application/json" || media.ends_with("+json")
}

/// Whether a concrete media type is one a documented one (`image/*`, `*/*` included) allows.
fn media_matches(documented: &str, got: &str) -> bool {
    documented == got
        || documented == "*/*"
        || documented.strip_suffix("/*").is_some_and(|kind| got.split('/').next() == Some(kind))
}

fn json_body(what: &str, body: &[u8]) -> Value {
    serde_json::from_slice(body).unwrap_or_else(|e| {
        panic!("{what}: the body is not the JSON its Content-Type says ({e}): {:?}", String::from_utf8_lossy(body))
    })
}

/// An error in SPEC §2's shape (`ErrorBody`, or `ValidationErrorBody` for a 422).
fn assert_error_shape(what: &str, status: u16, content_type: Option<&str>, body: &[u8]) {
    let media = essence(content_type);
    assert_eq!(media.as_deref(), Some("application/json"), "{what}: an error answered as {content_type:?}");
    let schema_name = if status == 422 { "ValidationErrorBody" } else { "ErrorBody" };
    assert_valid(&json!({"$ref": format!("#/components/schemas/{schema_name}")}), &json_body(what, body), what);
}

/// Asserts a response is one the document describes for this method and path.
pub fn check(method: &Method, path: &str, status: u16, content_type: Option<&str>, body: &[u8]) {
    let what = format!("{method} {path} → {status}");
    let Some(op) = operation(method, path) else {
        let Some(route) = outside_the_document(path) else {
            panic!(
                "{method} {path} is not an operation of the OpenAPI document: document it, or (a request made on \
                 purpose to a route or method that does not exist) send it with `TestApp::send_undocumented`"
            );
        };
        if status >= 400 {
            assert_error_shape(&what, status, content_type, body);
        } else if route == "/openapi.json" {
            assert_eq!(&json_body(&what, body), document(), "/openapi.json serves the generated document");
        } else if route == "/asyncapi.json" {
            let served = json_body(&what, body);
            assert_eq!(served, pam_server::asyncapi::document(), "/asyncapi.json serves the generated document");
        }
        return;
    };
    let Some(documented) = op.responses.get(&status.to_string()).or_else(|| op.responses.get("default")) else {
        panic!(
            "{what}, a status its operation does not document ({:?}); body: {}",
            op.responses.keys().collect::<Vec<_>>(),
            String::from_utf8_lossy(body).chars().take(400).collect::<String>()
        );
    };
    if documented.is_empty() {
        assert!(
            body.is_empty(),
            "{what}: the document gives this response no body, but it has one ({content_type:?}): {}",
            String::from_utf8_lossy(body).chars().take(400).collect::<String>()
        );
        return;
    }
    let Some(media) = essence(content_type) else {
        panic!(
            "{what}: no Content-Type, where the document declares {:?}",
            documented.iter().map(|d| &d.0).collect::<Vec<_>>()
        );
    };
    let Some((_, schema)) = documented.iter().find(|(documented, _)| media_matches(documented, &media)) else {
        panic!(
            "{what}: answered as {media}, which is not among the documented media types {:?}",
            documented.iter().map(|d| &d.0).collect::<Vec<_>>()
        );
    };
    if is_json(&media) {
        let body = json_body(&what, body);
        match schema {
            Some(schema) => assert_valid(schema, &body, &what),
            None => panic!("{what}: the document declares {media} with no schema to hold the body to"),
        }
    }
}

/// Asserts a request a test makes on purpose to a route or a method that does not exist is indeed
/// outside the document, and that the answer is an error in SPEC §2's shape (or, for a CORS preflight,
/// an empty answer).
pub fn check_undocumented(method: &Method, path: &str, status: u16, content_type: Option<&str>, body: &[u8]) {
    let what = format!("{method} {path} → {status}");
    assert!(
        operation(method, path).is_none() && outside_the_document(path).is_none(),
        "{method} {path} is in the document (or deliberately outside it): send it with `TestApp::send`"
    );
    if method == Method::OPTIONS && status < 300 {
        assert!(body.is_empty(), "{what}: a preflight answer has no body");
    } else {
        assert!(status >= 400, "{what}: a request outside the document succeeded");
        assert_error_shape(&what, status, content_type, body);
    }
}

#[test]
fn responses_outside_the_document_are_caught() {
    let json = Some("application/json");
    let caught =
        |method: Method, path: &'static str, status: u16, content_type: Option<&'static str>, body: &'static [u8]| {
            std::panic::catch_unwind(|| check(&method, path, status, content_type, body)).is_err()
        };
    let expenses = |status, content_type, body| caught(Method::GET, "/api/v1/expenses", status, content_type, body);
    assert!(expenses(418, json, b"{}"), "an undocumented status");
    assert!(expenses(200, json, br#"{"expenses": 5}"#), "a body that breaks the documented schema");
    assert!(expenses(401, json, br#"{"detail": 1}"#), "an error body not in the SPEC's shape");
    assert!(!expenses(429, json, br#"{"detail": "Too many requests", "code": "rate_limited"}"#), "the documented 429");
    assert!(expenses(429, Some("text/plain"), b"Too many requests"), "a documented JSON response answered as text");
    assert!(expenses(429, json, b"Too many requests"), "a JSON Content-Type over a body that is not JSON");
    assert!(expenses(429, None, br#"{"detail": "x", "code": "rate_limited"}"#), "no Content-Type");
    assert!(
        caught(Method::GET, "/api/v1/no-such-route", 404, json, br#"{"detail": "x", "code": "not_found"}"#),
        "a path outside the document"
    );
    assert!(
        caught(Method::PUT, "/api/auth/me", 405, json, br#"{"detail": "x", "code": "m"}"#),
        "a method outside the document"
    );
    // Formats are asserted: an expense whose id is not a uuid, or whose date is not a date, fails.
    let expense = |id: &str, date: &str| {
        json!({"expenses": [{"id": id, "user_id": uuid::Uuid::nil(), "amount": 1.0, "currency": "AUD",
            "category": "fuel", "description": null, "date": date, "location": null, "tags": [], "receipt_url": null,
            "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"}],
            "total": 1, "limit": 50, "offset": 0, "total_amount": 1.0})
    };
    let schema = operation(&Method::GET, "/api/v1/expenses").unwrap().responses["200"][0].1.clone().unwrap();
    let valid = |body: &Value| validator(&schema).is_valid(body);
    let good = expense(&uuid::Uuid::now_v7().to_string(), "2026-01-02");
    assert!(valid(&good), "{:?}", validator(&schema).iter_errors(&good).map(|e| e.to_string()).collect::<Vec<_>>());
    assert!(!valid(&expense("not-a-uuid", "2026-01-02")), "a malformed uuid");
    assert!(!valid(&expense(&uuid::Uuid::now_v7().to_string(), "2026-13-45")), "a malformed date");
    // A response the document gives no body must have none.
    let id = "/api/v1/expenses/0191a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
    assert!(!caught(Method::DELETE, id, 204, None, b""));
    assert!(caught(Method::DELETE, id, 204, json, b"{}"), "a body where none is documented");
    // The routes left out on purpose still answer errors in the SPEC's shape.
    assert!(!caught(Method::GET, "/metrics", 200, Some("text/plain; version=0.0.4"), b"# HELP"));
    assert!(caught(Method::GET, "/metrics", 401, Some("text/plain"), b"no"));
}

/// The test sources, read at test time: (path under tests/api, text).
fn test_sources() -> Vec<(String, String)> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).expect("the tests directory") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                walk(&path, root, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let name = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
                out.push((name, std::fs::read_to_string(&path).expect("a test source")));
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/api");
    let mut out = Vec::new();
    walk(&root, &root, &mut out);
    out.sort();
    out
}

/// The requests tests send without the document's check, each because the document cannot describe it:
/// (file, how many raw sends it has, why). Every request the tests make today is one the document (or
/// `TestApp::send_undocumented`) can hold: malformed bodies, wrong media types, oversized bodies and
/// broken multipart get documented 413/415/422 answers; unknown routes and methods, and the CORS
/// preflight, go through `send_undocumented`; transport failures (timeouts, a stopped server) through
/// `TestApp::try_send` / `try_send_to`. So the list holds only the one send those helpers make.
const RAW_SENDS: &[(&str, usize, &str)] =
    &[("helpers.rs", 1, "the one send every request goes through, followed by the document's check")];

#[test]
fn every_request_in_the_tests_is_held_to_the_document() {
    // Spelt in two pieces so this file's own source does not hold it.
    let needle = concat!(".se", "nd()");
    let allowed: HashMap<&str, (usize, &str)> = RAW_SENDS.iter().map(|(f, n, why)| (*f, (*n, *why))).collect();
    let mut wrong = Vec::new();
    let mut files = 0;
    for (file, text) in test_sources() {
        files += 1;
        let sends = text.matches(needle).count();
        let (expected, _) = allowed.get(file.as_str()).copied().unwrap_or((0, ""));
        if sends != expected {
            wrong.push(format!("{file}: {sends} raw sends, {expected} allowed"));
        }
    }
    assert!(files > 40, "the test sources were found ({files})");
    for (file, _, why) in RAW_SENDS {
        assert!(!why.is_empty(), "{file}: a raw send needs its reason");
    }
    assert!(
        wrong.is_empty(),
        "requests sent around the OpenAPI check (send them with TestApp::send, or add them to RAW_SENDS with the \
         reason the document cannot describe them):\n{}",
        wrong.join("\n")
    );
}
