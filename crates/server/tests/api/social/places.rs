//! Shared locations expire and are never returned after; nearby RVers shows only users whose privacy
//! allows it, at positions rounded to about a kilometre, never the caller, and friends-only shares only
//! to friends.

use chrono::{Duration, Utc};
use pam_store::with_db;
use reqwest::Method;
use serde_json::{Value, json};

use super::{expect, follow, id, roomy_app, set_privacy};
use crate::helpers::{Backend, TestApp, TestUser, spawn_app_with};
use pam_testkit::on_both_databases;

on_both_databases!(
    shared_locations_need_sharing_on_and_expired_ones_are_never_returned,
    nearby_shows_rounded_positions_of_those_who_allow_it_and_never_the_caller,
);

async fn share(app: &TestApp, user: &TestUser, lat: f64, lng: f64, public: bool) -> Value {
    let body = json!({"latitude": lat, "longitude": lng, "is_public": public});
    expect(app, user, Method::POST, "/api/v1/social/shared-locations", Some(body), 201).await
}

async fn expire(app: &TestApp, shared_id: &str) {
    let id: uuid::Uuid = shared_id.parse().unwrap();
    let past = Utc::now() - Duration::minutes(1);
    let changed = with_db!(app.db(), |pool| {
        sqlx::query("UPDATE shared_locations SET expires_at = $1 WHERE id = $2")
            .bind(past)
            .bind(id)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })
    .unwrap();
    assert_eq!(changed, 1);
}

async fn shared_locations_need_sharing_on_and_expired_ones_are_never_returned(backend: Backend) {
    // No background jobs: the scheduled cleanup would race the explicit one this test runs at the end.
    let app = spawn_app_with(backend, &[("JOBS_IN_PROCESS", "false")]).await;
    let (ann, ben) = (app.register("ann@example.com").await, app.register("ben@example.com").await);
    let body = json!({"latitude": -31.08, "longitude": 150.93});
    let refused = expect(&app, &ann, Method::POST, "/api/v1/social/shared-locations", Some(body), 409).await;
    assert!(refused["detail"].as_str().unwrap().contains("privacy settings"), "{refused}");

    set_privacy(&app, &ann, json!({"location_sharing": true})).await;
    set_privacy(&app, &ben, json!({"location_sharing": true})).await;
    let kept = share(&app, &ann, -31.08, 150.93, true).await;
    assert_eq!((kept["name"].as_str(), kept["is_public"].as_bool()), (Some("Current location"), Some(true)));
    let expires = chrono::DateTime::parse_from_rfc3339(kept["expires_at"].as_str().unwrap()).unwrap();
    let hours = (expires.with_timezone(&Utc) - Utc::now()).num_minutes();
    assert!((23 * 60..=24 * 60).contains(&hours), "24 hours by default, got {hours} minutes");
    let gone = share(&app, &ann, -31.09, 150.94, true).await;
    expire(&app, &id(&gone)).await;

    let mine = expect(&app, &ann, Method::GET, "/api/v1/social/shared-locations", None, 200).await;
    assert_eq!((mine["shared_locations"].as_array().map(Vec::len), mine["total"].as_i64()), (Some(1), Some(1)));
    assert_eq!(mine["shared_locations"][0]["id"], kept["id"], "the expired one is never returned: {mine}");
    let near =
        expect(&app, &ben, Method::GET, "/api/v1/social/nearby?lat=-31.09&lng=150.94&radius_km=10", None, 200).await;
    assert_eq!(near["total"], 1, "only the current share counts: {near}");
    expire(&app, &id(&kept)).await;
    let near =
        expect(&app, &ben, Method::GET, "/api/v1/social/nearby?lat=-31.09&lng=150.94&radius_km=10", None, 200).await;
    assert_eq!(near["total"], 0, "{near}");

    for (body, field) in [
        (json!({"latitude": 91, "longitude": 0}), "latitude"),
        (json!({"latitude": 0, "longitude": 0, "expires_at": "2001-01-01T00:00:00Z"}), "expires_at"),
        (json!({"latitude": 0, "longitude": 0, "expires_in_hours": 0}), "expires_in_hours"),
        (
            json!({"latitude": 0, "longitude": 0, "expires_in_hours": 2, "expires_at": "2030-01-01T00:00:00Z"}),
            "expires_in_hours",
        ),
    ] {
        let refused =
            expect(&app, &ann, Method::POST, "/api/v1/social/shared-locations", Some(body.clone()), 422).await;
        assert_eq!(refused["detail"][0]["loc"], json!(["body", field]), "{body} → {refused}");
    }
    expect(&app, &ben, Method::DELETE, &format!("/api/v1/social/shared-locations/{}", id(&kept)), None, 404).await;
    expect(&app, &ann, Method::DELETE, &format!("/api/v1/social/shared-locations/{}", id(&kept)), None, 204).await;
    // The hourly cleanup deletes expired shares for good.
    let stored = |app: &TestApp| {
        let db = app.db().clone();
        async move {
            with_db!(&db, |pool| {
                sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM shared_locations").fetch_one(pool).await
            })
            .unwrap()
        }
    };
    assert_eq!(stored(&app).await, 1, "the expired share is still stored");
    assert!(matches!(pam_server::jobs::cleanup::run(&app.state).await, pam_platform::jobs::JobOutcome::Done));
    assert_eq!(stored(&app).await, 0);
}

async fn nearby_shows_rounded_positions_of_those_who_allow_it_and_never_the_caller(backend: Backend) {
    let app = roomy_app(backend).await;
    let me = app.register("me@example.com").await;
    let open = app.register("open@example.com").await;
    let friend = app.register("friend@example.com").await;
    let stranger = app.register("stranger@example.com").await;
    let shy = app.register("shy@example.com").await;
    let far = app.register("far@example.com").await;
    for u in [&me, &open, &friend, &stranger, &shy, &far] {
        set_privacy(&app, u, json!({"location_sharing": true, "profile_visibility": "public"})).await;
    }
    expect(
        &app,
        &open,
        Method::PATCH,
        &format!("/api/v1/users/{}/profile", open.id),
        Some(json!({"nickname": "Open Olive"})),
        200,
    )
    .await;
    follow(&app, &me, &friend).await;
    follow(&app, &friend, &me).await;
    // Dubbo and around: each a few km from the point asked about.
    share(&app, &me, -32.2430, 148.6040, true).await;
    share(&app, &open, -32.256_789, 148.601_234, true).await;
    share(&app, &friend, -32.2300, 148.6300, false).await;
    share(&app, &stranger, -32.2200, 148.6000, false).await;
    share(&app, &shy, -32.2500, 148.6100, true).await;
    share(&app, &far, -33.8688, 151.2093, true).await;
    set_privacy(&app, &shy, json!({"location_sharing": false})).await;

    let path = "/api/v1/social/nearby?lat=-32.2430&lng=148.6040&radius_km=25";
    let near = expect(&app, &me, Method::GET, path, None, 200).await;
    let who: Vec<Value> = near["users"].as_array().unwrap().iter().map(|u| u["user_id"].clone()).collect();
    assert_eq!(
        who,
        [json!(open.id), json!(friend.id)],
        "nearest first; not me, the stranger's friends-only share, \
        the one who turned sharing off, or the one 300 km away: {near}"
    );
    let olive = &near["users"][0];
    assert_eq!((olive["latitude"].as_f64(), olive["longitude"].as_f64()), (Some(-32.26), Some(148.6)), "{olive}");
    assert_eq!(olive["display_name"], "Open Olive");
    let text = near.to_string();
    assert!(
        !text.contains("256789") && !text.contains("601234") && !text.contains("-32.243"),
        "exact points leak: {text}"
    );
    let distance = olive["distance_km"].as_f64().unwrap();
    assert!((1.0..2.5).contains(&distance), "measured to the rounded point: {distance}");

    // The stranger sees the public shares only (mine too), never their own.
    let theirs = expect(&app, &stranger, Method::GET, path, None, 200).await;
    let who: Vec<Value> = theirs["users"].as_array().unwrap().iter().map(|u| u["user_id"].clone()).collect();
    assert_eq!(who, [json!(me.id), json!(open.id)], "{theirs}");
    let wide =
        expect(&app, &me, Method::GET, "/api/v1/social/nearby?lat=-32.2430&lng=148.6040&radius_km=500", None, 200)
            .await;
    assert_eq!(wide["total"], 3, "the far one is within 500 km: {wide}");

    let refused = expect(&app, &me, Method::GET, "/api/v1/social/nearby?lat=-95&lng=148&radius_km=0", None, 422).await;
    let fields: Vec<Value> = refused["detail"].as_array().unwrap().iter().map(|d| d["loc"].clone()).collect();
    assert_eq!(fields, [json!(["query", "lat"]), json!(["query", "radius_km"])]);
    expect(&app, &me, Method::GET, "/api/v1/social/nearby?lng=148", None, 422).await;
}
