//! Direct messages obey the recipient's `allow_messages`: everyone, friends (people who follow each
//! other — following one way is not enough) or nobody; each user reads only their own conversations.

use reqwest::Method;
use serde_json::json;

use super::{expect, follow, set_privacy};
use crate::helpers::{Backend, spawn_app};
use pam_testkit::on_both_databases;

on_both_databases!(
    messages_follow_the_recipients_setting_and_friends_means_mutual_follows,
    each_user_reads_only_their_own_messages
);

async fn messages_follow_the_recipients_setting_and_friends_means_mutual_follows(backend: Backend) {
    let app = spawn_app(backend).await;
    let (ann, ben) = (app.register("ann@example.com").await, app.register("ben@example.com").await);
    let send = |text: &str| json!({"recipient_id": ann.id, "message": text});

    // The default is friends only.
    let refused = expect(&app, &ben, Method::POST, "/api/v1/social/messages", Some(send("hello")), 403).await;
    assert_eq!(refused["code"], "forbidden");
    assert!(refused["detail"].as_str().unwrap().contains("friends"), "{refused}");
    follow(&app, &ben, &ann).await;
    expect(&app, &ben, Method::POST, "/api/v1/social/messages", Some(send("one way")), 403).await;
    follow(&app, &ann, &ben).await;
    let sent = expect(&app, &ben, Method::POST, "/api/v1/social/messages", Some(send("friends now")), 201).await;
    assert_eq!((&sent["sender_id"], &sent["recipient_id"]), (&json!(ben.id), &json!(ann.id)));
    assert_eq!((sent["message"].as_str(), sent["read"].as_bool()), (Some("friends now"), Some(false)));

    set_privacy(&app, &ann, json!({"allow_messages": "none"})).await;
    let refused = expect(&app, &ben, Method::POST, "/api/v1/social/messages", Some(send("still there?")), 403).await;
    assert!(refused["detail"].as_str().unwrap().contains("does not accept"), "{refused}");

    set_privacy(&app, &ann, json!({"allow_messages": "everyone"})).await;
    expect(&app, &ben, Method::DELETE, &format!("/api/v1/social/follow/{}", ann.id), None, 204).await;
    expect(&app, &ben, Method::POST, "/api/v1/social/messages", Some(send("anyone may")), 201).await;

    let to_self = json!({"recipient_id": ben.id, "message": "note to self"});
    let refused = expect(&app, &ben, Method::POST, "/api/v1/social/messages", Some(to_self), 422).await;
    assert_eq!(refused["detail"][0]["loc"], json!(["body", "recipient_id"]));
    let to_nobody = json!({"recipient_id": uuid::Uuid::now_v7(), "message": "hello?"});
    expect(&app, &ben, Method::POST, "/api/v1/social/messages", Some(to_nobody), 404).await;
    expect(&app, &ben, Method::POST, "/api/v1/social/messages", Some(send("")), 422).await;
    let inbox = expect(&app, &ann, Method::GET, "/api/v1/social/messages", None, 200).await;
    assert_eq!(inbox["total"], 2, "only the accepted messages were stored: {inbox}");
}

async fn each_user_reads_only_their_own_messages(backend: Backend) {
    let app = spawn_app(backend).await;
    let ann = app.register("ann@example.com").await;
    let ben = app.register("ben@example.com").await;
    let cat = app.register("cat@example.com").await;
    for u in [&ann, &ben, &cat] {
        set_privacy(&app, u, json!({"allow_messages": "everyone"})).await;
    }
    let say = |to: &crate::helpers::TestUser, text: &str| json!({"recipient_id": to.id, "message": text});
    let first = expect(&app, &ann, Method::POST, "/api/v1/social/messages", Some(say(&ben, "a→b")), 201).await;
    expect(&app, &ben, Method::POST, "/api/v1/social/messages", Some(say(&ann, "b→a")), 201).await;
    expect(&app, &ann, Method::POST, "/api/v1/social/messages", Some(say(&cat, "a→c")), 201).await;

    let bens = expect(&app, &ben, Method::GET, "/api/v1/social/messages", None, 200).await;
    let texts: Vec<&str> = bens["messages"].as_array().unwrap().iter().filter_map(|m| m["message"].as_str()).collect();
    assert_eq!(texts, ["b→a", "a→b"], "Ben's conversations only, newest first");
    let anns = expect(&app, &ann, Method::GET, &format!("/api/v1/social/messages?with={}", cat.id), None, 200).await;
    assert_eq!(anns["total"], 1, "{anns}");
    let read_path = format!("/api/v1/social/messages/{}/read", first["id"].as_str().unwrap());
    expect(&app, &ann, Method::POST, &read_path, None, 404).await;
    let read = expect(&app, &ben, Method::POST, &read_path, None, 200).await;
    assert_eq!(read["read"], true, "the recipient marks it read");
    expect(&app, &ben, Method::GET, "/api/v1/social/messages?limit=0", None, 422).await;
}
