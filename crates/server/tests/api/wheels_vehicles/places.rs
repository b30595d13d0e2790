//! Favourite places.

use serde_json::{Value, json};

use super::{created, delete, get_json, id, patch, post};
use crate::helpers::{Backend, assert_error, spawn_app};
use pam_testkit::on_both_databases;

on_both_databases!(favourite_places_crud_and_checks);

async fn favourite_places_crud_and_checks(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("fav1@example.com").await;
    let lake = created(
        &app,
        &user,
        "/api/v1/places/favorites",
        json!({"name": "Lake Eildon foreshore", "place_type": "campground", "latitude": -37.23, "longitude": 145.91,
               "address": "Jerusalem Creek Rd", "rating": 4}),
    )
    .await;
    assert_eq!((lake["place_type"].as_str(), lake["category"].as_str()), (Some("campground"), Some("campground")));
    assert_eq!((lake["latitude"].as_f64(), lake["rating"].as_i64()), (Some(-37.23), Some(4)));
    let town = created(
        &app,
        &user,
        "/api/v1/places/favorites",
        json!({"name": "Bright", "category": "town", "latitude": -36.73, "longitude": 146.96}),
    )
    .await;
    assert_eq!(town["place_type"], "town", "category is read as place_type");
    let list = get_json(&app, &user, "/api/v1/places/favorites").await;
    assert_eq!(list["total"], 2);
    assert_eq!(list["favorites"][0]["id"], town["id"], "newest first");
    let camps = get_json(&app, &user, "/api/v1/places/favorites?place_type=campground").await;
    assert_eq!((camps["total"].as_i64(), camps["favorites"][0]["id"].clone()), (Some(1), lake["id"].clone()));
    let towns = get_json(&app, &user, "/api/v1/places/favorites?category=town").await;
    assert_eq!((towns["total"].as_i64(), towns["favorites"][0]["id"].clone()), (Some(1), town["id"].clone()));
    for field in ["id", "name", "latitude", "longitude", "category", "address", "notes", "rating"] {
        assert!(lake.get(field).is_some(), "SPEC's favourite shape has {field}: {lake}");
    }

    let path = format!("/api/v1/places/favorites/{}", id(&lake));
    let res: Value = patch(&app, &user, &path, json!({"rating": 5, "address": null})).await.json().await.unwrap();
    assert_eq!((res["rating"].as_i64(), res["address"].clone()), (Some(5), Value::Null));
    assert_eq!(res["name"], "Lake Eildon foreshore");

    let cases = [
        (json!({"name": "X", "latitude": 91, "longitude": -200}), vec!["latitude", "longitude"]),
        (json!({"name": "X", "latitude": 10, "longitude": 10, "rating": 6}), vec!["rating"]),
        (json!({"name": "", "latitude": 10, "longitude": 10}), vec!["name"]),
        (json!({"name": "X", "latitude": 10}), vec!["longitude"]),
        (json!({"name": "X", "latitude": 10, "longitude": 10, "place_type": "volcano"}), vec!["place_type"]),
    ];
    for (body, fields) in cases {
        let err =
            assert_error(post(&app, &user, "/api/v1/places/favorites", body.clone()).await, 422, "validation_error")
                .await;
        let got: Vec<Value> = err["detail"].as_array().unwrap().iter().map(|d| d["loc"].clone()).collect();
        let want: Vec<Value> = fields.iter().map(|f| json!(["body", f])).collect();
        assert_eq!(got, want, "{body} → {err}");
    }
    let err = assert_error(patch(&app, &user, &path, json!({"latitude": -95})).await, 422, "validation_error").await;
    assert_eq!(err["detail"][0]["loc"], json!(["body", "latitude"]));
    assert_eq!(delete(&app, &user, &path).await.status(), 204);
    assert_error(app.get(&path, &user.token).await, 404, "not_found").await;
    assert_eq!(get_json(&app, &user, "/api/v1/places/favorites").await["total"], 1);
}
