//! Medical: records, medications and the emergency card are their owner's only (another user's are 404
//! and never listed); the four read-only tools refuse until the user allows PAM to use their medical
//! data, and answer once they do (and the model cannot turn that on itself); everything is in the
//! account export and goes with the account. (That none of it reaches the log: tests/medical_logs.rs.)

use pam_store::with_db;
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{Backend, TestApp, TestUser, assert_error, spawn_app};
use crate::knowledge::tool;
use crate::wheels_vehicles::{created, delete, get_json, id, patch};
use pam_testkit::on_both_databases;

on_both_databases!(
    medical_records_are_their_owners_only,
    medications_and_the_emergency_card_round_trip,
    medical_tools_refuse_without_consent_and_answer_with_it,
    medical_data_is_exported_and_deleted_with_the_account,
);

const MEDICAL_TOOLS: [(&str, &str); 4] = [
    ("get_medical_records", "{}"),
    ("search_medical_records", r#"{"query": "inr"}"#),
    ("get_medications", "{}"),
    ("get_emergency_info", "{}"),
];

async fn record(app: &TestApp, user: &TestUser, title: &str, summary: &str) -> Value {
    created(
        app,
        user,
        "/api/v1/medical/records",
        json!({"title": title, "summary": summary, "record_type": "lab_result", "record_date": "2026-02-03",
               "doctor_name": "Dr Patel", "tags": ["Blood"]}),
    )
    .await
}

async fn put_card(app: &TestApp, user: &TestUser, body: Value) -> reqwest::Response {
    app.send_json(Method::PUT, "/api/v1/medical/emergency-info", Some(&user.token), &body).await
}

async fn allow_sharing(app: &TestApp, user: &TestUser, allowed: bool) {
    let path = format!("/api/v1/users/{}/privacy", user.id);
    let res = patch(app, user, &path, json!({"share_medical_with_pam": allowed})).await;
    assert_eq!(res.status(), 200);
    let privacy: Value = res.json().await.unwrap();
    assert_eq!(privacy["share_medical_with_pam"], allowed);
}

async fn medical_records_are_their_owners_only(backend: Backend) {
    let app = spawn_app(backend).await;
    let ann = app.register("ann@example.com").await;
    let ben = app.register("ben@example.com").await;
    let mine = record(&app, &ann, "INR check", "INR 2.4, warfarin unchanged").await;
    assert_eq!((&mine["record_type"], &mine["tags"]), (&json!("lab_result"), &json!(["blood"])));
    let path = format!("/api/v1/medical/records/{}", id(&mine));

    assert_error(app.get(&path, &ben.token).await, 404, "not_found").await;
    assert_error(patch(&app, &ben, &path, json!({"title": "Mine"})).await, 404, "not_found").await;
    assert_error(delete(&app, &ben, &path).await, 404, "not_found").await;
    let bens = get_json(&app, &ben, "/api/v1/medical/records?q=warfarin").await;
    assert_eq!((bens["records"].as_array().unwrap().len(), &bens["total"]), (0, &json!(0)), "{bens}");
    assert_error(app.get_anonymous(&path).await, 401, "unauthorized").await;

    // Ann's search: any field, any case; LIKE wildcards are literal.
    assert_eq!(get_json(&app, &ann, "/api/v1/medical/records?q=WARFARIN").await["total"], 1);
    assert_eq!(get_json(&app, &ann, "/api/v1/medical/records?q=patel").await["total"], 1);
    assert_eq!(get_json(&app, &ann, "/api/v1/medical/records?q=%25").await["total"], 0);
    assert_eq!(get_json(&app, &ann, "/api/v1/medical/records?record_type=vaccination").await["total"], 0);

    let res = patch(&app, &ann, &path, json!({"summary": null, "title": "INR check (Feb)"})).await;
    let changed: Value = res.json().await.unwrap();
    assert_eq!((&changed["title"], &changed["summary"]), (&json!("INR check (Feb)"), &Value::Null));
    assert_eq!(get_json(&app, &ann, &path).await["doctor_name"], "Dr Patel", "untouched fields stay");
    let res = patch(&app, &ann, &path, json!({"document_url": "javascript:alert(1)"})).await;
    let err = assert_error(res, 422, "validation_error").await;
    assert_eq!(err["detail"][0]["loc"], json!(["body", "document_url"]));

    assert_eq!(delete(&app, &ann, &path).await.status(), 204);
    assert_error(app.get(&path, &ann.token).await, 404, "not_found").await;
}

async fn medications_and_the_emergency_card_round_trip(backend: Backend) {
    let app = spawn_app(backend).await;
    let ann = app.register("ann2@example.com").await;
    let ben = app.register("ben2@example.com").await;
    let taken = created(
        &app,
        &ann,
        "/api/v1/medical/medications",
        json!({"name": "Warfarin", "dosage": "5 mg", "frequency": "daily", "refill_date": "2026-03-01"}),
    )
    .await;
    assert_eq!(taken["active"], true, "active by default");
    created(&app, &ann, "/api/v1/medical/medications", json!({"name": "Amoxicillin", "active": false})).await;
    let all = get_json(&app, &ann, "/api/v1/medical/medications").await;
    let names: Vec<&str> = all["medications"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Warfarin", "Amoxicillin"], "still taken first");
    assert_eq!(get_json(&app, &ann, "/api/v1/medical/medications?active=false").await["total"], 1);
    let path = format!("/api/v1/medical/medications/{}", id(&taken));
    assert_error(app.get(&path, &ben.token).await, 404, "not_found").await;
    assert_error(patch(&app, &ben, &path, json!({"active": false})).await, 404, "not_found").await;
    let res = patch(&app, &ann, &path, json!({"dosage": "4 mg", "refill_date": null})).await;
    let changed: Value = res.json().await.unwrap();
    assert_eq!(
        (&changed["dosage"], &changed["refill_date"], &changed["frequency"]),
        (&json!("4 mg"), &Value::Null, &json!("daily"))
    );
    assert_error(delete(&app, &ben, &path).await, 404, "not_found").await;
    assert_eq!(delete(&app, &ann, &path).await.status(), 204);

    let empty = get_json(&app, &ann, "/api/v1/medical/emergency-info").await;
    assert_eq!((&empty["updated_at"], &empty["allergies"]), (&Value::Null, &json!([])));
    let card = json!({"blood_type": "o-", "allergies": ["Penicillin"], "medical_conditions": ["Atrial fibrillation"],
                      "emergency_contacts": [{"name": "Col", "relationship": "husband", "phone": "0400 000 000"}],
                      "primary_doctor": {"name": "Dr Patel", "practice": "Dubbo Medical"}});
    let res = put_card(&app, &ann, card).await;
    assert_eq!(res.status(), 200);
    let saved = get_json(&app, &ann, "/api/v1/medical/emergency-info").await;
    assert_eq!(
        (&saved["blood_type"], &saved["emergency_contacts"][0]["phone"]),
        (&json!("O-"), &json!("0400 000 000"))
    );
    assert!(saved["updated_at"].is_string());
    // PUT replaces the whole card.
    assert_eq!(put_card(&app, &ann, json!({"allergies": ["Latex"]})).await.status(), 200);
    let replaced = get_json(&app, &ann, "/api/v1/medical/emergency-info").await;
    assert_eq!(
        (&replaced["blood_type"], &replaced["allergies"], &replaced["primary_doctor"]),
        (&Value::Null, &json!(["Latex"]), &Value::Null)
    );
    let err = assert_error(put_card(&app, &ann, json!({"blood_type": "C+"})).await, 422, "validation_error").await;
    assert_eq!(err["detail"][0]["loc"], json!(["body", "blood_type"]));
    assert_eq!(get_json(&app, &ben, "/api/v1/medical/emergency-info").await["allergies"], json!([]), "Ben's own card");
}

async fn medical_tools_refuse_without_consent_and_answer_with_it(backend: Backend) {
    let app = spawn_app(backend).await;
    let ann = app.register("ann3@example.com").await;
    record(&app, &ann, "INR check", "INR 2.4, warfarin unchanged").await;
    created(&app, &ann, "/api/v1/medical/medications", json!({"name": "Warfarin"})).await;
    assert_eq!(put_card(&app, &ann, json!({"blood_type": "AB+"})).await.status(), 200);
    let privacy = get_json(&app, &ann, &format!("/api/v1/users/{}/privacy", ann.id)).await;
    assert_eq!(privacy["share_medical_with_pam"], false, "off by default");

    for (name, args) in MEDICAL_TOOLS {
        let body = tool(&app, &ann, name, serde_json::from_str(args).unwrap()).await;
        assert_eq!(body["success"], false, "{name} answered without consent: {body}");
        assert!(body["error"].as_str().unwrap().contains("privacy settings"), "{name} says how to allow it: {body}");
        let text = body.to_string();
        assert!(!text.contains("INR") && !text.contains("Warfarin") && !text.contains("AB+"), "{name} leaked: {text}");
    }
    // The model cannot give itself consent.
    let res = tool(&app, &ann, "manage_privacy", json!({"share_medical_with_pam": true})).await;
    assert_eq!(res["success"], false, "{res}");
    assert_eq!(tool(&app, &ann, "get_medications", json!({})).await["success"], false);

    allow_sharing(&app, &ann, true).await;
    let records = tool(&app, &ann, "get_medical_records", json!({})).await;
    assert_eq!(records["data"]["records"][0]["title"], "INR check", "{records}");
    let found = tool(&app, &ann, "search_medical_records", json!({"query": "warfarin"})).await;
    assert_eq!(found["data"]["total"], 1, "{found}");
    let missed = tool(&app, &ann, "search_medical_records", json!({"query": "insulin"})).await;
    assert_eq!(missed["data"]["total"], 0, "{missed}");
    let meds = tool(&app, &ann, "get_medications", json!({})).await;
    assert_eq!(meds["data"]["medications"][0]["name"], "Warfarin", "{meds}");
    let card = tool(&app, &ann, "get_emergency_info", json!({})).await;
    assert_eq!(card["data"]["blood_type"], "AB+", "{card}");

    // Turning it off (from chat too) stops them again.
    assert_eq!(tool(&app, &ann, "manage_privacy", json!({"share_medical_with_pam": false})).await["success"], true);
    assert_eq!(tool(&app, &ann, "get_emergency_info", json!({})).await["success"], false);
}

async fn rows(app: &TestApp, table: &str, user_id: Uuid) -> i64 {
    let sql = format!("SELECT count(*) FROM {table} WHERE user_id = $1");
    with_db!(app.db(), |pool| sqlx::query_scalar(sqlx::AssertSqlSafe(sql.clone())).bind(user_id).fetch_one(pool).await)
        .unwrap()
}

async fn medical_data_is_exported_and_deleted_with_the_account(backend: Backend) {
    let app = spawn_app(backend).await;
    let ann = app.register("ann4@example.com").await;
    let ben = app.register("ben4@example.com").await;
    record(&app, &ann, "INR check", "INR 2.4").await;
    created(&app, &ann, "/api/v1/medical/medications", json!({"name": "Warfarin"})).await;
    assert_eq!(put_card(&app, &ann, json!({"allergies": ["Penicillin"]})).await.status(), 200);
    record(&app, &ben, "Flu shot", "Left arm").await;

    let export = get_json(&app, &ann, &format!("/api/v1/users/{}/export", ann.id)).await;
    assert_eq!(export["medical_records"][0]["summary"], "INR 2.4");
    assert_eq!(export["medical_medications"][0]["name"], "Warfarin");
    assert_eq!(export["medical_emergency_info"]["allergies"], json!(["Penicillin"]));
    assert!(!export.to_string().contains("Flu shot"), "no one else's records");
    let bens = get_json(&app, &ben, &format!("/api/v1/users/{}/export", ben.id)).await;
    assert_eq!(bens["medical_emergency_info"], Value::Null, "no card until filled in");

    let res = delete(&app, &ann, &format!("/api/v1/users/{}", ann.id)).await;
    assert_eq!(res.status(), 204);
    for table in ["medical_records", "medical_medications", "medical_emergency_info"] {
        assert_eq!(rows(&app, table, ann.id).await, 0, "{table} kept rows of a deleted account");
    }
    assert_eq!(rows(&app, "medical_records", ben.id).await, 1, "other users keep theirs");
}
