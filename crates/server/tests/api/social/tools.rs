//! Social tools through `POST /api/v1/pam/tools/execute/{tool}`: drafting runs at once; publishing,
//! commenting and messaging are proposed with a question quoting the exact text and run only on
//! confirmation — and a text changed in between is not what gets published. The offline brain's "draft
//! a post saying …" makes a draft, never a published post.

use reqwest::Method;
use serde_json::{Value, json};

use super::{expect, follow, id, published, set_privacy};
use crate::helpers::{Backend, TestApp, TestUser, spawn_app};
use pam_testkit::on_both_databases;

on_both_databases!(
    drafting_runs_at_once_and_publishing_waits_for_a_yes_to_the_exact_text,
    comments_and_messages_are_sent_only_after_the_user_confirms_the_words,
    the_other_social_tools_act_as_the_user,
    the_offline_brain_drafts_a_post_and_never_publishes_it,
);

async fn tool(app: &TestApp, user: &TestUser, name: &str, args: Value) -> Value {
    expect(app, user, Method::POST, &format!("/api/v1/pam/tools/execute/{name}"), Some(args), 200).await
}

async fn confirm(app: &TestApp, user: &TestUser, proposal: &Value, want: u16) -> Value {
    let path = format!("/api/v1/pam/tools/confirm/{}", proposal["confirmation_id"].as_str().expect("a proposal"));
    expect(app, user, Method::POST, &path, Some(json!({})), want).await
}

async fn drafting_runs_at_once_and_publishing_waits_for_a_yes_to_the_exact_text(backend: Backend) {
    let app = spawn_app(backend).await;
    let ann = app.register("ann@example.com").await;
    let text = "Hay roadhouse diesel is $2.35 & cheaper in Balranald";
    let made = tool(&app, &ann, "create_post", json!({"content": text, "status": "draft"})).await;
    assert_eq!((made["success"].as_bool(), made["data"]["status"].as_str()), (Some(true), Some("draft")), "{made}");
    assert_eq!(made["ui_actions"][0]["type"], "reload_social");
    assert_eq!(made["ui_actions"][0]["entity_type"], "post");
    let post_id = made["data"]["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/social/posts/{post_id}");

    let proposal = tool(&app, &ann, "publish_post", json!({"post_id": post_id, "content": text})).await;
    assert_eq!((proposal["success"].as_bool(), proposal["confirmation_required"].as_bool()), (Some(false), Some(true)));
    assert_eq!(proposal["summary"], format!("Publish this post for everyone: \"{text}\"?"));
    assert_eq!(expect(&app, &ann, Method::GET, &path, None, 200).await["status"], "draft", "not before the yes");
    let done = confirm(&app, &ann, &proposal, 200).await;
    assert_eq!(done["data"]["status"], "published", "{done}");

    // A proposal is bound to the text it quoted: an edit in between stops it.
    let second = tool(&app, &ann, "create_post", json!({"content": "Road open"})).await;
    let second_id = second["data"]["id"].as_str().unwrap().to_string();
    let proposal = tool(&app, &ann, "publish_post", json!({"post_id": second_id, "content": "Road open"})).await;
    let edit = json!({"content": "Road CLOSED"});
    expect(&app, &ann, Method::PATCH, &format!("/api/v1/social/posts/{second_id}"), Some(edit), 200).await;
    let refused = confirm(&app, &ann, &proposal, 409).await;
    assert!(refused["detail"].as_str().unwrap().contains("changed"), "{refused}");
    let still = expect(&app, &ann, Method::GET, &format!("/api/v1/social/posts/{second_id}"), None, 200).await;
    assert_eq!(still["status"], "draft");
    // Asking with a text the draft no longer has is refused before the user is asked.
    let stale = json!({"post_id": second_id, "content": "Road open"});
    let res = app.send_json(Method::POST, "/api/v1/pam/tools/execute/publish_post", Some(&ann.token), &stale).await;
    assert_eq!(res.status(), 409);
    // Someone else's draft cannot be proposed.
    let ben = app.register("ben@example.com").await;
    let theirs = json!({"post_id": second_id, "content": "Road CLOSED"});
    let res = app.send_json(Method::POST, "/api/v1/pam/tools/execute/publish_post", Some(&ben.token), &theirs).await;
    assert_eq!(res.status(), 409, "the proposal finds no such post of Ben's");
}

async fn comments_and_messages_are_sent_only_after_the_user_confirms_the_words(backend: Backend) {
    let app = spawn_app(backend).await;
    let (ann, ben) = (app.register("ann@example.com").await, app.register("ben@example.com").await);
    let post = published(&app, &ann, "Anyone at Bourke?", "public").await;
    let comments_path = format!("/api/v1/social/posts/{}/comments", id(&post));

    let proposal =
        tool(&app, &ben, "comment_on_post", json!({"post_id": id(&post), "content": "Here till Sunday"})).await;
    assert_eq!(proposal["summary"], "Comment on the post \"Anyone at Bourke?\": \"Here till Sunday\"?");
    assert_eq!(expect(&app, &ann, Method::GET, &comments_path, None, 200).await["total"], 0);
    let done = confirm(&app, &ben, &proposal, 200).await;
    assert_eq!(done["data"]["content"], "Here till Sunday");
    assert_eq!(expect(&app, &ann, Method::GET, &comments_path, None, 200).await["total"], 1);

    // Messaging: refused up front when Ann takes none; proposed with her name and the words when allowed.
    set_privacy(&app, &ann, json!({"allow_messages": "none", "profile_visibility": "public"})).await;
    let message = json!({"recipient_id": ann.id, "message": "Want to convoy?"});
    let res = app.send_json(Method::POST, "/api/v1/pam/tools/execute/message_friend", Some(&ben.token), &message).await;
    let refused: Value = res.json().await.unwrap();
    assert!(refused["detail"].as_str().unwrap().contains("does not accept"), "{refused}");
    set_privacy(&app, &ann, json!({"allow_messages": "friends"})).await;
    expect(
        &app,
        &ann,
        Method::PATCH,
        &format!("/api/v1/users/{}/profile", ann.id),
        Some(json!({"nickname": "Ann"})),
        200,
    )
    .await;
    follow(&app, &ben, &ann).await;
    follow(&app, &ann, &ben).await;
    let proposal = tool(&app, &ben, "message_friend", message).await;
    assert_eq!(proposal["summary"], "Send Ann this message: \"Want to convoy?\"?");
    assert_eq!(expect(&app, &ann, Method::GET, "/api/v1/social/messages", None, 200).await["total"], 0);
    let sent = confirm(&app, &ben, &proposal, 200).await;
    assert_eq!(sent["data"]["message"], "Want to convoy?");
    assert_eq!(sent["ui_actions"][0]["type"], "reload_social");
    let inbox = expect(&app, &ann, Method::GET, "/api/v1/social/messages", None, 200).await;
    assert_eq!(inbox["messages"][0]["sender_id"], json!(ben.id));

    let listed = expect(&app, &ben, Method::GET, "/api/v1/pam/tools/list", None, 200).await;
    let confirmed: Vec<&str> = listed["tools"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| {
            t["needs_confirmation"] == true
                && t["name"].as_str().is_some_and(|n| n.contains("post") || n.contains("friend"))
        })
        .filter_map(|t| t["name"].as_str())
        .collect();
    assert_eq!(confirmed, ["comment_on_post", "message_friend", "publish_post"]);
}

async fn the_other_social_tools_act_as_the_user(backend: Backend) {
    let app = spawn_app(backend).await;
    let (ann, ben) = (app.register("ann@example.com").await, app.register("ben@example.com").await);
    let post = published(&app, &ann, "Whale watching at Hervey Bay", "public").await;

    let liked = tool(&app, &ben, "like_post", json!({"post_id": id(&post)})).await;
    assert_eq!(liked["data"]["likes_count"], 1, "{liked}");
    let followed = tool(&app, &ben, "follow_user", json!({"person_id": ann.id})).await;
    assert_eq!(followed["data"]["following"], true);
    let feed = tool(&app, &ben, "get_feed", json!({"filter": "following"})).await;
    assert_eq!(feed["data"]["posts"][0]["id"], post["id"], "{feed}");
    let found = tool(&app, &ben, "search_posts", json!({"query": "whale"})).await;
    assert_eq!(found["data"]["total"], 1);
    let none = tool(&app, &ben, "search_posts", json!({"query": "crocodile"})).await;
    assert_eq!(none["data"]["total"], 0);

    let event = json!({"title": "Whale walk", "event_date": super::days_ahead(10, "07:00:00", "+10:00"), "location": "Urangan Pier"});
    let made = tool(&app, &ben, "create_event", event).await;
    assert_eq!(
        (made["data"]["attendee_count"].as_i64(), made["ui_actions"][0]["type"].as_str()),
        (Some(1), Some("reload_social"))
    );

    // No position given and none from a chat: a field error the model can act on.
    let res =
        app.send_json(Method::POST, "/api/v1/pam/tools/execute/share_location", Some(&ben.token), &json!({})).await;
    assert_eq!(res.status(), 422);
    let off = tool(&app, &ben, "share_location", json!({"latitude": -25.29, "longitude": 152.87})).await;
    assert_eq!(off["success"], false, "sharing is off in Ben's privacy settings: {off}");
    set_privacy(&app, &ben, json!({"location_sharing": true})).await;
    set_privacy(&app, &ann, json!({"location_sharing": true})).await;
    let args = json!({"latitude": -25.29, "longitude": 152.87, "is_public": true, "expires_in_hours": 3});
    let shared = tool(&app, &ben, "share_location", args).await;
    assert_eq!(shared["data"]["is_public"], true, "{shared}");
    let near = tool(&app, &ann, "find_nearby_rvers", json!({"latitude": -25.3, "longitude": 152.9})).await;
    assert_eq!(near["data"]["users"][0]["user_id"], json!(ben.id), "{near}");
    assert_eq!(near["data"]["users"][0]["latitude"], -25.29);
}

async fn the_offline_brain_drafts_a_post_and_never_publishes_it(backend: Backend) {
    let app = spawn_app(backend).await;
    let ann = app.register("ann@example.com").await;
    let body = json!({"message": "draft a post saying the Bourke free camp is flooded"});
    let reply = expect(&app, &ann, Method::POST, "/api/v1/pam/chat", Some(body), 200).await;
    assert_eq!(reply["source"], "offline");
    assert_eq!(reply["tool_calls"][0]["name"], "create_post", "{reply}");
    assert_eq!(reply["tool_calls"][0]["status"], "ok", "{reply}");
    let said = reply["response"].as_str().unwrap();
    assert!(
        said.contains("\"the Bourke free camp is flooded\"") && said.contains("draft"),
        "the reply shows the draft: {said}"
    );
    for other in [
        "write a post for the community: water at the Hay showground is off",
        "post to the community that the Longreach dump point is fixed",
    ] {
        let reply = expect(&app, &ann, Method::POST, "/api/v1/pam/chat", Some(json!({"message": other})), 200).await;
        assert_eq!(reply["tool_calls"][0]["name"], "create_post", "{other}: {reply}");
    }
    let drafts = expect(&app, &ann, Method::GET, "/api/v1/social/posts?status=draft", None, 200).await;
    let texts: Vec<&str> = drafts["posts"].as_array().unwrap().iter().map(|p| p["content"].as_str().unwrap()).collect();
    assert!(texts.contains(&"the Bourke free camp is flooded"), "{drafts}");
    assert_eq!(texts.len(), 3, "{drafts}");
    let feed = expect(&app, &ann, Method::GET, "/api/v1/social/posts", None, 200).await;
    assert_eq!(feed["total"], 0, "nothing is published without a yes");
}
