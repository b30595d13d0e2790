//! From the eleventh fresh review and the cross-validation misses: something sold by someone else is
//! their money, not the user's; something sold *to* the user is no income; a number word joined to its
//! unit ("five-minute") is a duration; "hour n a half" is one and a half hours; a timer's label may follow
//! its time after a comma.

mod common;

use common::*;
use serde_json::json;

#[test]
fn someone_elses_sale_is_not_the_users_income() {
    assert_none_writes(&[
        "the kids sold lemonade for $12 today, cute",
        "my son sold lemonade for $12 today",
        "kids sold their old bikes for $80",
        // The user bought: money went out, none came in.
        "the neighbours sold us their old generator for $200",
    ]);
    // The user's own sale is still income.
    assert_eq!(meant("we sold the kayak for 300"), Some("record_income"));
    assert_eq!(call("sold the old generator for $200").map(|c| c.1["amount"].clone()), Some(json!(200)));
}

#[test]
fn a_number_word_joined_to_its_unit_is_a_duration() {
    let timer = |s: &str| {
        let (tool, args) = call(s).unwrap_or_else(|| panic!("{s}: no call"));
        assert_eq!(tool, "set_timer_or_alarm", "{s}");
        args
    };
    assert_eq!(timer("five-minute timer")["duration_seconds"], json!(300));
    assert_eq!(timer("a two-hour timer for the roast")["duration_seconds"], json!(7200));
    assert_eq!(timer("a two-hour timer for the roast")["label"], json!("roast"));
    assert_eq!(timer("Ninety-second timer for the porridge, if you'd be so kind.")["duration_seconds"], json!(90));
    assert_eq!(timer("set a forty-five-minute alarm")["duration_seconds"], json!(2700));
    let corned = timer("can u do a timer, hour n a half, for the corned beef");
    assert_eq!(corned["duration_seconds"], json!(5400));
    assert_eq!(corned["label"], json!("corned beef"));
    // A drive told is no timer, however its length is written.
    assert_none_writes(&["we did a three-hour drive to Bourke yesterday"]);
}
