//! Every response the API tests get through [`TestApp::get`] and [`TestApp::send_json`] is held to the
//! OpenAPI document: its status must be one the operation documents, and a JSON body must validate
//! against that status's schema (a `jsonschema` validator over the document's own components).

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use reqwest::Method;
use serde_json::{Value, json};

struct Operation {
    template: Vec<String>,
    method: String,
    /// By status code (`"200"`, `"422"`, `"default"`): the JSON schema, if the response has a body.
    responses: HashMap<String, Option<Value>>,
}

fn operations() -> &'static (Vec<Operation>, Value) {
    static DOC: OnceLock<(Vec<Operation>, Value)> = OnceLock::new();
    DOC.get_or_init(|| {
        let doc = serde_json::to_value(pam_server::app::openapi()).expect("the document serialises");
        let mut ops = Vec::new();
        for (path, item) in doc["paths"].as_object().expect("paths") {
            for (method, op) in item.as_object().expect("path item") {
                let Some(responses) = op["responses"].as_object() else { continue };
                let responses = responses
                    .iter()
                    .map(|(status, r)| {
                        (
                            status.clone(),
                            r["content"]["application/json"]["schema"].as_object().map(|s| Value::Object(s.clone())),
                        )
                    })
                    .collect();
                let template = path.trim_matches('/').split('/').map(String::from).collect();
                ops.push(Operation { template, method: method.to_uppercase(), responses });
            }
        }
        (ops, doc["components"].clone())
    })
}

/// The operation a concrete path and method belong to: the matching template with the fewest
/// parameters (`/trips/plan` before `/trips/{id}`).
fn operation(method: &Method, path: &str) -> Option<&'static Operation> {
    let path = path.split('?').next().unwrap_or(path);
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    operations()
        .0
        .iter()
        .filter(|op| op.method == method.as_str() && op.template.len() == parts.len())
        .filter(|op| op.template.iter().zip(&parts).all(|(t, p)| t.starts_with('{') || t == p))
        .min_by_key(|op| op.template.iter().filter(|t| t.starts_with('{')).count())
}

fn validator(schema: &Value) -> Option<&'static jsonschema::Validator> {
    static VALIDATORS: OnceLock<Mutex<HashMap<String, &'static jsonschema::Validator>>> = OnceLock::new();
    let key = schema.to_string();
    let mut cache = VALIDATORS.get_or_init(Default::default).lock().unwrap_or_else(|p| p.into_inner());
    if let Some(v) = cache.get(&key) {
        return Some(v);
    }
    let root = json!({"allOf": [schema], "components": operations().1});
    let compiled: &'static jsonschema::Validator = Box::leak(Box::new(jsonschema::validator_for(&root).ok()?));
    cache.insert(key, compiled);
    Some(compiled)
}

/// Asserts a response is one the document describes for this method and path.
pub fn check(method: &Method, path: &str, status: u16, body: &[u8]) {
    let Some(op) = operation(method, path) else {
        // Routes outside the document (the docs pages, /metrics text) are not held to it.
        return;
    };
    let documented = op.responses.get(&status.to_string()).or_else(|| op.responses.get("default"));
    let Some(schema) = documented else {
        panic!(
            "{method} {path} answered {status}, which its operation does not document ({:?})",
            op.responses.keys().collect::<Vec<_>>()
        );
    };
    let (Some(schema), Ok(body)) = (schema, serde_json::from_slice::<Value>(body)) else {
        return;
    };
    let Some(validator) = validator(schema) else { return };
    let errors: Vec<String> =
        validator.iter_errors(&body).take(5).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(
        errors.is_empty(),
        "{method} {path} → {status}: the body does not match its documented schema:\n{}\nbody: {}",
        errors.join("\n"),
        body.to_string().chars().take(600).collect::<String>()
    );
}

#[test]
fn responses_outside_the_document_are_caught() {
    let caught = |status: u16, body: &'static [u8]| {
        std::panic::catch_unwind(|| check(&Method::GET, "/api/v1/expenses", status, body)).is_err()
    };
    assert!(caught(418, b"{}"), "an undocumented status");
    assert!(caught(200, br#"{"expenses": 5}"#), "a body that breaks the documented schema");
    assert!(caught(401, br#"{"detail": 1}"#), "an error body not in the SPEC's shape");
    assert!(!caught(429, br#"{"detail": "Too many requests", "code": "rate_limited"}"#), "the documented 429");
}
