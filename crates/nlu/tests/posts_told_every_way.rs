//! Posts from a fresh reader's review (2026-12-03, night): requests to post told in the many ways people
//! ask, with the post's text cut from the order around it, and talk about posts seen, read or made that
//! must not post anything.

mod common;

use common::*;

fn content(text: &str) -> Option<String> {
    match call(text) {
        Some(("create_post", args)) => args["content"].as_str().map(str::to_string),
        other => panic!("{text}: expected a post, got {other:?}"),
    }
}

#[test]
fn a_post_seen_read_or_already_there_is_not_posted_again() {
    assert_none_writes(&[
        "I saw a post saying the Nullarbor roadhouse is out of diesel",
        "I read on the forum that the Blue Ridge Parkway is closed at mile 350",
        "saw a post that the dump station at Cracker Barrel is gone",
        "there's a post saying the water is off at Wyndham",
        "came across a post that the ferry is late",
        "I need the post office hours for Longreach",
        "Jan wants to tell everyone in the group the pie shop in Pambula is unreal, but she'll write it herself on her iPad",
    ]);
}

#[test]
fn the_order_words_around_a_post_are_not_its_text() {
    assert_eq!(
        content("PAM post this for me wifi code at the park office has changed ask reception").as_deref(),
        Some("wifi code at the park office has changed ask reception")
    );
    assert_eq!(
        content("write something for my followers about waking up to kangaroos outside the window").as_deref(),
        Some("waking up to kangaroos outside the window")
    );
    assert_eq!(
        content("put it out there for me - free to anyone, half a bag of dog biscuits").as_deref(),
        Some("free to anyone, half a bag of dog biscuits")
    );
    assert_eq!(content("let everyone know: happy hour's at 5").as_deref(), Some("happy hour's at 5"));
    assert_eq!(content("tell the community - the Gibb is open").as_deref(), Some("the Gibb is open"));
    assert_eq!(
        content("heads up for the group: bridge out on the Oodnadatta Track").as_deref(),
        Some("bridge out on the Oodnadatta Track")
    );
    // A polite request's question mark is the request's; a quoted question is the post's.
    assert_eq!(content("could you post that the Gibb is open?").as_deref(), Some("the Gibb is open"));
    assert_eq!(
        content("could you post 'anyone know a good mechanic in Broome?'").as_deref(),
        Some("anyone know a good mechanic in Broome?")
    );
    // An order after the text is not part of it.
    assert_eq!(
        content("shout out to the group: thanks for all the help with the fridge. post it pls").as_deref(),
        Some("thanks for all the help with the fridge.")
    );
    // Text first, then where it goes.
    assert_eq!(
        content("we found a set of keys with a Jayco fob at the Lake Hume boat ramp, wanna let people on the app know")
            .as_deref(),
        Some("we found a set of keys with a Jayco fob at the Lake Hume boat ramp")
    );
    assert_eq!(
        content("ask the community if anyone has a spare jerry can").as_deref(),
        Some("anyone has a spare jerry can")
    );
}

#[test]
fn a_post_the_classifier_is_sure_of_is_made_when_its_order_is_plain_enough() {
    assert_eq!(
        meant("gotta get a warning out to the community, there's been break-ins at the Ayr rest area overnight"),
        Some("create_post")
    );
    assert_eq!(meant("heads up post pls: snake spotted near the kids playground at the Big4"), Some("create_post"));
    // A thing to share that names only where is not a post's text.
    assert!(
        call("share our photo of the Bungle Bungles with the community")
            .is_none_or(|(_, a)| a.get("content").is_none())
    );
}

#[test]
fn the_text_is_found_past_courtesy_a_source_and_a_say_colon() {
    // Courtesy after the order is no text: the text is the one the order points back to.
    assert_eq!(
        content("Bloody fantastic pie shop in Mount Perry, the steak and pepper one is a winner. Pop that on the group page would ya").as_deref(),
        Some("Bloody fantastic pie shop in Mount Perry, the steak and pepper one is a winner.")
    );
    // "from this group" is where advice came from, not the order.
    assert_eq!(
        content("We got the best advice from this group last time so I'd like to post again: what's the go with weight distribution hitches on a 21 foot van").as_deref(),
        Some("what's the go with weight distribution hitches on a 21 foot van")
    );
    // "Say:" opening a sentence orders the words; it reports nobody's.
    assert_eq!(
        content("Ok PAM new post. Title can be whatever. Say: thanks to the lovely couple from Ballarat who lent us their jumper leads").as_deref(),
        Some("thanks to the lovely couple from Ballarat who lent us their jumper leads")
    );
    // "that one's for the forum" points back at the text; "that post" names one there already.
    assert_eq!(
        content("the boat ramp at Karumba is closed for repairs till the end of the month. that one's for the forum")
            .as_deref(),
        Some("the boat ramp at Karumba is closed for repairs till the end of the month.")
    );
    assert_none_writes(&["the boat ramp at Karumba is closed till the end of the month, says that post on the forum"]);
    // Only the order's words after it: the text is the one before, or PAM asks for it.
    assert_eq!(
        content("Cobar dump point closed. share that one with the forum would ya").as_deref(),
        Some("Cobar dump point closed.")
    );
    for s in ["post that for me would ya", "share that one would ya"] {
        assert!(call(s).is_none(), "{s}");
    }
}
