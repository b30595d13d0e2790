//! What a block hides, in both directions: each other's posts (feed, search, the post itself), public
//! cards and positions in nearby — while everyone else still sees both, and groups and events go on as
//! before. PAM's follow and message tools meet the same refusals as the routes, including a message
//! proposed before the block and confirmed after it.

use reqwest::Method;
use serde_json::{Value, json};

use super::blocks::{block, unblock};
use super::{expect, id, ids, published, roomy_app, set_privacy};
use crate::helpers::{Backend, TestApp, TestUser, spawn_app};
use pam_testkit::on_both_databases;

on_both_databases!(
    blocked_people_vanish_from_each_others_feed_cards_and_nearby,
    the_follow_and_message_tools_meet_the_same_refusals,
);

const NEARBY: &str = "/api/v1/social/nearby?lat=-32.2430&lng=148.6040&radius_km=25";

/// Who `viewer` sees nearby, in a fixed order (compare with [`sorted`]).
async fn nearby(app: &TestApp, viewer: &TestUser) -> Vec<Value> {
    let near = expect(app, viewer, Method::GET, NEARBY, None, 200).await;
    sorted(near["users"].as_array().unwrap().iter().map(|u| u["user_id"].clone()).collect())
}

fn sorted(mut users: Vec<Value>) -> Vec<Value> {
    users.sort_by_key(|v| v.to_string());
    users
}

async fn feed(app: &TestApp, viewer: &TestUser, query: &str) -> Vec<String> {
    ids(&expect(app, viewer, Method::GET, &format!("/api/v1/social/posts{query}"), None, 200).await, "posts")
}

async fn card(app: &TestApp, viewer: &TestUser, whom: &TestUser) -> u16 {
    super::call(app, viewer, Method::GET, &format!("/api/v1/social/users/{}", whom.id), None).await.0
}

async fn blocked_people_vanish_from_each_others_feed_cards_and_nearby(backend: Backend) {
    let app = roomy_app(backend).await;
    let ann = app.register("ann@example.com").await;
    let ben = app.register("ben@example.com").await;
    let cat = app.register("cat@example.com").await;
    for (u, (lat, lng)) in [(&ann, (-32.25, 148.61)), (&ben, (-32.23, 148.63)), (&cat, (-32.22, 148.60))] {
        set_privacy(&app, u, json!({"location_sharing": true, "profile_visibility": "public"})).await;
        let here = json!({"latitude": lat, "longitude": lng, "is_public": true});
        expect(&app, u, Method::POST, "/api/v1/social/shared-locations", Some(here), 201).await;
    }
    let anns = published(&app, &ann, "Dubbo showground has power", "public").await;
    let bens = published(&app, &ben, "Dubbo zoo is worth it", "public").await;
    let (a, b) = (id(&anns), id(&bens));
    assert_eq!(feed(&app, &ben, "").await, [b.as_str(), a.as_str()]);
    assert_eq!(nearby(&app, &ben).await, sorted(vec![json!(ann.id), json!(cat.id)]));

    block(&app, &ann, &ben).await;
    assert_eq!(feed(&app, &ben, "").await, [b.as_str()], "Ben no longer sees Ann's post");
    assert_eq!(feed(&app, &ann, "").await, [a.as_str()], "nor Ann Ben's");
    assert_eq!(feed(&app, &ben, "?q=dubbo").await, [b.as_str()], "search hides her too");
    assert_eq!(feed(&app, &cat, "").await, [b.as_str(), a.as_str()], "everyone else sees both");
    expect(&app, &ben, Method::GET, &format!("/api/v1/social/posts/{a}"), None, 404).await;
    expect(&app, &ann, Method::GET, &format!("/api/v1/social/posts/{b}"), None, 404).await;
    expect(&app, &ben, Method::POST, &format!("/api/v1/social/posts/{a}/like"), None, 404).await;

    let hidden = expect(&app, &ben, Method::GET, &format!("/api/v1/social/users/{}", ann.id), None, 404).await;
    assert_eq!(hidden["detail"], "User not found", "as for a private profile: {hidden}");
    assert_eq!((card(&app, &ann, &ben).await, card(&app, &cat, &ann).await), (404, 200));
    assert_eq!(card(&app, &ann, &ann).await, 200, "one's own card stays");

    assert_eq!(nearby(&app, &ben).await, [json!(cat.id)], "Ben does not see Ann nearby");
    assert_eq!(nearby(&app, &ann).await, [json!(cat.id)], "nor Ann Ben");
    assert_eq!(nearby(&app, &cat).await, sorted(vec![json!(ann.id), json!(ben.id)]));

    // Groups and events are unaffected.
    let group =
        expect(&app, &ann, Method::POST, "/api/v1/social/groups", Some(json!({"name": "Dubbo RVers"})), 201).await;
    expect(&app, &ben, Method::POST, &format!("/api/v1/social/groups/{}/membership", id(&group)), None, 200).await;
    let soon = super::days_ahead(7, "18:00:00", "+10:00");
    let body = json!({"title": "Sundowners", "event_date": soon, "location": "Dubbo showground"});
    let event = expect(&app, &ann, Method::POST, "/api/v1/social/events", Some(body), 201).await;
    let going =
        expect(&app, &ben, Method::POST, &format!("/api/v1/social/events/{}/attend", id(&event)), None, 200).await;
    assert_eq!(going["attendee_count"], 2, "{going}");

    unblock(&app, &ann, &ben).await;
    assert_eq!(feed(&app, &ben, "").await, [b, a]);
    assert_eq!((card(&app, &ben, &ann).await, card(&app, &ann, &ben).await), (200, 200));
    assert_eq!(nearby(&app, &ben).await, sorted(vec![json!(ann.id), json!(cat.id)]));
}

async fn tool(app: &TestApp, user: &TestUser, name: &str, args: Value, want: u16) -> Value {
    expect(app, user, Method::POST, &format!("/api/v1/pam/tools/execute/{name}"), Some(args), want).await
}

async fn the_follow_and_message_tools_meet_the_same_refusals(backend: Backend) {
    let app = spawn_app(backend).await;
    let (ann, ben) = (app.register("ann@example.com").await, app.register("ben@example.com").await);
    for u in [&ann, &ben] {
        set_privacy(&app, u, json!({"allow_messages": "everyone", "profile_visibility": "public"})).await;
    }
    let to_ann = json!({"recipient_id": ann.id, "message": "Convoy to Bourke?"});
    let early = tool(&app, &ben, "message_friend", to_ann.clone(), 200).await;
    assert_eq!(early["confirmation_required"], true, "{early}");

    block(&app, &ann, &ben).await;
    let followed = tool(&app, &ben, "follow_user", json!({"person_id": ann.id}), 200).await;
    assert_eq!(followed["success"], false, "{followed}");
    assert!(followed["error"].as_str().unwrap().contains("You can't follow this person"), "{followed}");
    let own = tool(&app, &ann, "follow_user", json!({"person_id": ben.id}), 200).await;
    assert!(own["error"].as_str().unwrap().contains("unblock"), "{own}");

    // A refused proposal is a 409 from the tools route (as for allow_messages), with the service's words.
    let refused = tool(&app, &ben, "message_friend", to_ann, 409).await;
    assert_eq!(refused["detail"], "You can't message this person", "{refused}");
    let to_ben = json!({"recipient_id": ben.id, "message": "Sorry"});
    let own = tool(&app, &ann, "message_friend", to_ben, 409).await;
    assert!(own["detail"].as_str().unwrap().contains("unblock"), "{own}");

    // A message proposed before the block is not sent when confirmed after it.
    let path = format!("/api/v1/pam/tools/confirm/{}", early["confirmation_id"].as_str().unwrap());
    let late = expect(&app, &ben, Method::POST, &path, Some(json!({})), 409).await;
    assert!(late["detail"].as_str().unwrap().contains("You can't message this person"), "{late}");
    let inbox = expect(&app, &ann, Method::GET, "/api/v1/social/messages", None, 200).await;
    assert_eq!(inbox["total"], 0, "{inbox}");
}
