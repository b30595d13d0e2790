use super::{clip_at_sentence, speakable};

/// Each rule, as (written, heard).
#[test]
fn replies_are_made_speakable() {
    let cases: &[(&str, &str)] = &[
        // money
        ("I logged $42.50 for fuel", "I logged 42 dollars 50 for fuel."),
        ("That's $1 a day", "That's 1 dollar a day."),
        ("Only $0.95", "Only 95 cents."),
        ("Total $1,234.05", "Total 1234 dollars 5 cents."),
        ("You spent $40.", "You spent 40 dollars."),
        ("A refund of -$12.5", "A refund of minus 12 dollars 50."),
        ("Diesel is $1.859/L here", "Diesel is 1.859 dollars per litre here."),
        ("Sites are $35/night", "Sites are 35 dollars per night."),
        ("Budget A$500 or US$320", "Budget 500 Australian dollars or 320 US dollars."),
        ("It came to 120 AUD", "It came to 120 Australian dollars."),
        ("Rego is AUD 850", "Rego is 850 Australian dollars."),
        ("About £3.20 or €5", "About 3 pounds 20 or 5 euros."),
        ("Saved $5k this year", "Saved 5 thousand dollars this year."),
        ("It costs $ nothing", "It costs $ nothing."),
        // markdown
        ("**Budget check:** you're *under* budget", "Budget check: you're under budget."),
        ("## This month\n- Fuel: $300\n- Food: $200", "This month. Fuel: 300 dollars. Food: 200 dollars."),
        ("1. Pack up\n2) Drive", "Pack up. Drive."),
        ("> Tip: check tyre pressure", "Tip: check tyre pressure."),
        ("Use `pam chat` here", "Use pam chat here."),
        ("```\ncode here\n```\nDone", "code here. Done."),
        ("---\nNext", "Next."),
        ("| Category | Spent |\n|---|---:|\n| Fuel | $300 |", "Category, Spent. Fuel, 300 dollars."),
        ("a ~~wrong~~ right snake_case word", "a wrong right snake case word."),
        // links and URLs
        ("See [the park's page](https://parks.nsw.gov.au/x?y=1)", "See the park's page."),
        ("![map of the route](https://x.example/map.png)", "map of the route."),
        ("Book at https://www.parks.nsw.gov.au/camping/bookings.", "Book at parks.nsw.gov.au."),
        ("More on www.bom.gov.au", "More on bom.gov.au."),
        // tags, emoji and symbols
        ("Hello <b>there</b>", "Hello there."),
        ("1 < 2 is true", "1 < 2 is true."),
        ("Great trip! 🚐🌅 See you 👋🏽", "Great trip! See you."),
        ("Sydney → Brisbane", "Sydney to Brisbane."),
        ("It's 30°C and 80% humid", "It's 30 degrees Celsius and 80 percent humid."),
        ("Fish & chips at 100km/h", "Fish and chips at 100 kilometres per hour."),
        ("Uses 14 L/100km", "Uses 14 litres per 100 kilometres."),
        ("[[h@'loU]] there", "h@'loU there."),
        // nothing to say
        ("🙂👍", ""),
        ("   \n\n", ""),
    ];
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|(written, heard)| {
            let got = speakable(written);
            (got != *heard).then(|| format!("{written:?}\n   want {heard:?}\n   got  {got:?}"))
        })
        .collect();
    assert!(failures.is_empty(), "{} of {} cases differ:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

#[test]
fn plain_text_is_left_alone_apart_from_a_final_stop() {
    assert_eq!(speakable("Hello, how can I help?"), "Hello, how can I help?");
    assert_eq!(speakable("hello"), "hello.");
    assert_eq!(speakable("-v xx --help"), "-v xx --help.", "leading dashes stay words to speak");
}

proptest::proptest! {
    /// Any text at all becomes speakable text without panicking, and never grows without bound.
    #[test]
    fn any_text_is_handled(text in "\\PC{0,300}") {
        let out = speakable(&text);
        proptest::prop_assert!(out.len() <= text.len() * 12 + 16);
    }

    /// Money-looking text of any shape.
    #[test]
    fn money_shapes_never_panic(text in "[-$A-Z€£0-9.,/kmL ]{0,40}") {
        let _ = speakable(&text);
    }
}

#[test]
fn long_text_is_clipped_at_a_sentence_end() {
    assert_eq!(clip_at_sentence("Short.", 100), "Short.");
    assert_eq!(clip_at_sentence("One two. Three four five six.", 20), "One two.");
    assert_eq!(clip_at_sentence("no stops at all here", 12), "no stops at");
    assert_eq!(clip_at_sentence("ééééé", 3), "ééé", "cut on characters, not bytes");
    assert!(clip_at_sentence(&"word. ".repeat(3000), 5000).chars().count() <= 5000);
}
