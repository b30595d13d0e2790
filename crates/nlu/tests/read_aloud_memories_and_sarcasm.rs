//! From the twelfth (adversarial) review: words read out or posted up by someone else, memories, and
//! sarcasm write nothing — nor a post made by others or a limit someone else keeps (from the tenth) —
//! and the plain request beside each still does.

mod common;

use common::*;
use serde_json::json;

#[test]
fn words_read_out_or_posted_up_are_someone_elses() {
    assert_none_writes(&[
        "Reading this post out loud: \"Just spent $3,200 on new tyres, worth every cent!\"",
        "Reading aloud: \"Expense: $180 for a tow out of the bog near Cape Leveque\"",
        "Ad on the noticeboard: 2015 Jayco Starcraft for sale, $38,000 ONO",
        "sign at the servo: diesel 2.19 today",
    ]);
    // The user's own label still orders.
    assert_eq!(meant("Expense: 3.50 for a coffee"), Some("create_expense"));
    assert_eq!(meant("Note: set a timer for 10 minutes"), Some("set_timer_or_alarm"));
    assert_eq!(
        call("post: reading glasses for sale, $20").map(|c| c.1["content"].clone()),
        Some(json!("reading glasses for sale, $20"))
    );
}

#[test]
fn a_memory_is_no_entry() {
    assert_none_writes(&[
        "Christmas two years back I got $500 from the grandkids, bless them",
        "I remember filling up 90 litres at Eucla for like $1.20 a litre",
        "remember when diesel was a dollar a litre",
    ]);
    assert_eq!(meant("got $500 from the grandkids today"), Some("record_income"));
    assert_eq!(meant("filled up 90 litres at Eucla for $1.20 a litre"), Some("add_fuel_entry"));
}

#[test]
fn sarcasm_tagged_is_taken_back() {
    assert_none_writes(&[
        "Post: 'I love corrugated roads' — said no one ever 😂",
        "spent $5 on a coffee and loved every sip, said no one ever",
    ]);
    assert_eq!(meant("Post: I love corrugated roads"), Some("create_post"));
}

#[test]
fn an_alarms_label_is_not_the_order_to_set_it() {
    let (_, args) = call("remember to set an alarm for 6").expect("an alarm");
    assert_eq!(args.get("label"), None, "{args}");
    let (_, args) = call("remind me to check the timer on the oven in 10 minutes").expect("a timer");
    assert_eq!(args["label"], json!("check the timer on the oven"));
    assert_eq!(call("alarm to remind me to check in at 3pm").expect("an alarm").1["label"], json!("check in"));
}

#[test]
fn a_post_made_by_others_or_a_limit_kept_by_others_is_not_the_users() {
    assert_none_writes(&[
        "post from the group: happy hour at 5",
        "post from Jan: free firewood at site 4",
        "my sister's rule: from now on she only spends 50 a week on takeaway",
        "Dad's budget for fuel is 300 a month",
    ]);
    assert_eq!(meant("post to the group: happy hour at 5"), Some("create_post"));
    // Ordered, the budget is set whoever it is for.
    assert_eq!(meant("set Dad's budget for fuel to 300 a month"), Some("update_budget"));
}
