//! Whatever a person (or a fuzzer) types, understanding it never panics: the whole pipeline, the
//! amount, duration and measure parsers, and day and period resolution at the far ends of the calendar.
//! Bounded by case counts, so `cargo test` runs them in CI in a few seconds.

use chrono::{Datelike, NaiveDate};
use pam_nlu::entities::{self, Kind, Tense};
use pam_nlu::text::Text;
use pam_nlu::understand;
use proptest::prelude::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

/// Words the parsers react to, mixed with numbers and letters that change length when case-folded.
fn sentence() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        Just("$".to_string()),
        Just("spent".to_string()),
        Just("on".to_string()),
        Just("ago".to_string()),
        Just("days".to_string()),
        Just("weeks".to_string()),
        Just("hundred".to_string()),
        Just("thousand".to_string()),
        Just("million".to_string()),
        Just("and".to_string()),
        Just("a".to_string()),
        Just("half".to_string()),
        Just("from".to_string()),
        Just("to".to_string()),
        Just("via".to_string()),
        Just("at".to_string()),
        Just("pm".to_string()),
        Just("the".to_string()),
        Just("3rd".to_string()),
        Just("next".to_string()),
        Just("last".to_string()),
        Just("friday".to_string()),
        Just("march".to_string()),
        Just("litres".to_string()),
        Just("km".to_string()),
        Just("l/100km".to_string()),
        Just("mpg".to_string()),
        Just("AUD".to_string()),
        Just("İstanbul".to_string()),
        Just("ẞ".to_string()),
        Just("K".to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|n| n.to_string()),
        "[0-9]{1,30}(\\.[0-9]{0,12})?".prop_map(|s| s),
        "\\PC{1,8}".prop_map(|s| s),
    ];
    prop::collection::vec(word, 0..24).prop_map(|words| words.join(" "))
}

/// Any calendar date chrono can hold, so "the 31st", "next Friday" and "a year ago" are resolved at the
/// edges too.
fn any_day() -> impl Strategy<Value = NaiveDate> {
    (NaiveDate::MIN.num_days_from_ce()..=NaiveDate::MAX.num_days_from_ce())
        .prop_map(|n| NaiveDate::from_num_days_from_ce_opt(n).unwrap_or(NaiveDate::MIN))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_text_is_understood_without_panicking(text in "\\PC{0,200}") {
        let _ = understand(&text, today());
    }

    #[test]
    fn sentences_made_of_the_words_parsers_react_to_never_panic(text in sentence(), day in any_day()) {
        let _ = understand(&text, day);
        let tokens = Text::new(&text).tokens;
        for entity in entities::scan(&tokens) {
            prop_assert!(entity.start + entity.len <= tokens.len(), "{entity:?} runs past the sentence");
            if let Kind::Day(expr) = entity.kind {
                let _ = expr.resolve(day, Tense::Past);
                let _ = expr.resolve(day, Tense::Future);
            }
        }
        let _ = entities::calendar::period(&tokens, day.month());
    }

    /// Request-shaped sentences with extreme numbers in every slot: amounts, counts of days, distances.
    #[test]
    fn requests_with_extreme_values_never_panic(
        amount in any::<i64>(),
        days in any::<i64>(),
        place in "[İẞKıa-zA-Z ]{0,20}",
        unit in prop::sample::select(vec!["days", "weeks", "km", "litres", "miles", "minutes", "hours", "years"]),
        day in any_day(),
    ) {
        for text in [
            format!("I spent ${amount} on diesel {days} {unit} ago at {place}"),
            format!("plan a trip FROM {place} TO {place} in {days} {unit}"),
            format!("set a timer for {days} {unit}"),
            format!("remind me in {days} {unit} to pay {amount}"),
            format!("filled up {amount} {unit} for ${days}"),
            format!("how much fuel for {amount} {unit} from {place}"),
            format!("what did I spend in the last {days} {unit}"),
            format!("dinner on the {days}th at {amount}pm"),
        ] {
            let _ = understand(&text, day);
        }
    }

    /// The money parser: whatever it reads back is a whole number of cents from 0 to $100 billion.
    #[test]
    fn amounts_read_back_are_in_range(text in sentence()) {
        let tokens = Text::new(&text).tokens;
        for entity in entities::scan(&tokens) {
            if let Some(money) = entity.money() {
                prop_assert!((0..10_000_000_000_000).contains(&money.cents), "{text:?} → {money:?}");
            }
        }
    }
}
