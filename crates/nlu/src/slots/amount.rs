//! Which number in a sentence is the amount of money: not a count ("two nights"), a phone number, a
//! model year or a rate; a total said outright, a list of amounts, or a count times a rate.

use crate::analysis::Analysis;
use crate::entities::{Entity, Kind};
use crate::vocabulary;

/// Words after a number that make it a count of something else, not money ("two nights", "3 days").
const COUNTED: &[&str] = &[
    "night",
    "nights",
    "day",
    "days",
    "people",
    "person",
    "x",
    "each",
    "percent",
    "%",
    "hours",
    "weeks",
    "months",
    "years",
    "km",
    "kms",
    "litres",
    "of",
    "pm",
    "am",
    "kids",
    "dogs",
    "times",
    "pieces",
    "bags",
    "loads",
    "star",
    "stars",
    "minutes",
    "mins",
    "hrs",
    "sites",
    // Weights, lengths and the like: "the van weighs 2,800 kg", "120 mm of rain".
    "kg",
    "kgs",
    "kilos",
    "kilo",
    "kilograms",
    "tonnes",
    "tonne",
    "lb",
    "lbs",
    "mm",
    "cm",
    "metres",
    "meters",
    "ft",
    "feet",
    "foot",
    "inches",
    "inch",
    "degrees",
    "deg",
    "psi",
    "amps",
    "amp",
    "volts",
    "volt",
    "watts",
    "watt",
    "ah",
    "kw",
    "kwh",
    "hp",
    "mph",
    "kmh",
    "rpm",
];

/// Whether a number entity is an amount of money in a sentence about money.
pub(crate) fn is_amount(a: &Analysis, e: &Entity) -> bool {
    if moved_by(a, e) {
        return false;
    }
    match e.kind {
        // "$0 — the ferry was free": nothing was paid.
        Kind::Money(ref m) => m.cents > 0,
        Kind::Number { value, .. } => {
            let next = a.text.norm(e.end());
            let prev = if e.start > 0 { a.text.norm(e.start - 1) } else { "" };
            // "turned 18", "aged 70": an age; "in 1985", "since 2019": a year.
            let age = matches!(prev, "turned" | "turns" | "turning" | "aged" | "age");
            let year = crate::speech_act::is_year(a.text.norm(e.start)) && matches!(prev, "in" | "since" | "back");
            let model_year = model_year(a, e);
            value > 0.0
                && !COUNTED.contains(&next)
                && !matches!(prev, "x" | "site" | "number" | "no")
                && !NAMES_A_NUMBER.contains(&prev)
                && !phone_like(a, e)
                && !slashed(a, e)
                && next != "x"
                && !age
                && !year
                && !model_year
        }
        _ => false,
    }
}

/// How much a price moved, not what was paid: "prices went up by 10 bucks", "diesel has gone up by 20c".
pub(crate) fn moved_by(a: &Analysis, e: &Entity) -> bool {
    e.start >= 2 && a.text.norm(e.start - 1) == "by" && {
        let k = if matches!(a.text.norm(e.start - 2), "up" | "down") { e.start.saturating_sub(3) } else { e.start - 2 };
        crate::evidence::PRICE_MOVES.contains(&a.text.norm(k))
    }
}

/// Words a number after them is the name of, not an amount ("postcode 4830", "flight number QF 432",
/// "exit 41"). Not "room" or "phone": "room 140" and "phone 60" are what was paid.
#[rustfmt::skip]
const NAMES_A_NUMBER: &[&str] = &[
    "postcode", "zip", "pin", "flight", "gate", "platform", "route", "highway", "hwy", "exit", "channel",
    "version", "ref", "reference", "qf", "#", "nr", "confirmation",
];

/// A phone number or an identifier, not money: a number written with a leading zero ("0412 345 678"),
/// or one of several bare numbers of three digits or more in a row ("1300 555 123"; "budget 2 180" is
/// "to 180").
fn phone_like(a: &Analysis, e: &Entity) -> bool {
    let written = a.text.norm(e.start);
    let bare = |x: &Entity| {
        matches!(x.kind, Kind::Number { words: false, decimals: 0, .. }) && a.text.norm(x.start).len() >= 3
    };
    let leading_zero = written.len() >= 3 && written.starts_with('0') && written.chars().all(|c| c.is_ascii_digit());
    let in_a_row = bare(e)
        && a.entities.iter().any(|o| bare(o) && (o.end() == e.start || o.start == e.end()) && o.start != e.start);
    leading_zero || in_a_row
}

/// A number on either side of a slash between two numbers: a date that is no date ("31/11"), a fraction
/// ("1/2 a tank") or "24/7" — never an amount.
fn slashed(a: &Analysis, e: &Entity) -> bool {
    let t = &a.text;
    let number = |k: usize| k < t.len() && t.norm(k).chars().all(|c| c.is_ascii_digit()) && !t.norm(k).is_empty();
    (t.norm(e.end()) == "/" && number(e.end() + 1))
        || (e.start >= 2 && t.norm(e.start - 1) == "/" && number(e.start - 2))
}

/// Articles and possessives: before a year, they make it a vehicle's model year ("our 2015 Hilux").
const ARTICLES: &[&str] = &["a", "an", "the", "my", "our", "their", "his", "her", "your"];

/// A vehicle's model year after a determiner, not a price: "a 2019 Jayco", "our twenty twenty Hilux"
/// (said aloud, a year is two number words in a row: "nineteen ninety-eight").
fn model_year(a: &Analysis, e: &Entity) -> bool {
    let t = &a.text;
    let spoken_pair = |first: &Entity, second: &Entity| {
        first.end() == second.start
            && matches!((&first.kind, &second.kind),
                (Kind::Number { value: x, words: true, .. }, Kind::Number { value: y, words: true, .. })
                    if (10.0..100.0).contains(x) && *y < 100.0)
    };
    let determined = |start: usize| start > 0 && t.tokens[start - 1].is_any(ARTICLES);
    if crate::speech_act::is_year(t.norm(e.start)) {
        return determined(e.start);
    }
    a.entities.iter().any(|other| {
        (spoken_pair(e, other) && determined(e.start)) || (spoken_pair(other, e) && determined(other.start))
    })
}

/// The amount a sentence reports paying or receiving: after "=", "so", "total" or "came to" when
/// said, else the first amount.
pub(crate) fn amount(a: &Analysis) -> Option<(f64, Option<&'static str>, usize)> {
    let amounts: Vec<&Entity> = a.entities.iter().filter(|e| is_amount(a, e)).collect();
    let value = |e: &Entity| match &e.kind {
        Kind::Money(m) => Some((m.cents as f64 / 100.0, m.currency, e.start)),
        Kind::Number { value, .. } => Some((*value, None, e.start)),
        _ => None,
    };
    if let Some(e) = amounts.iter().find(|e| marked_total(a, e)) {
        return value(e);
    }
    // Nothing but a price per item and a count: "2 pies at $6 each", "3 nights, $42 a night", "2 x $15".
    if let Some(total) = count_times_rate(a, &amounts) {
        return Some(total);
    }
    // With more than one amount: a correction wins ("paid 40, no wait, it was 45"); a rate ("$35 a head,
    // we paid $70") or a count ("two coffees and a banana bread, seventeen fifty") gives way.
    if amounts.len() > 1 {
        if let Some(e) = amounts.iter().skip(1).rev().find(|e| corrected(a, e)) {
            return value(e);
        }
        let kept: Vec<&&Entity> = amounts.iter().filter(|e| !is_rate(a, e) && !is_count(a, e)).collect();
        if let Some(e) = kept.iter().find(|e| e.money().is_some()).or(kept.first()) {
            return value(e);
        }
    }
    amounts.iter().find(|e| e.money().is_some()).or(amounts.first()).and_then(|e| value(e))
}

/// An amount marked as the total: after "=", "so", "total" or "came to", or before "all up".
fn marked_total(a: &Analysis, e: &Entity) -> bool {
    let prev = if e.start > 0 { a.text.norm(e.start - 1) } else { "" };
    let prev2 = if e.start > 1 { a.text.norm(e.start - 2) } else { "" };
    matches!(prev, "=" | "so" | "total" | "to" | "that's" | "thats")
        && (prev != "to" || matches!(prev2, "came" | "comes" | "come"))
        || (a.text.norm(e.end()) == "all" && a.text.norm(e.end() + 1) == "up")
}

/// Amounts told as a list of items, "45 fuel, 30 groceries", "45 dollars and 50", "40 for the site and 12
/// for firewood": two or more amounts with nothing between them but item words and joiners, none
/// marked as the total or a correction. One expense cannot hold them, so PAM asks before logging their sum.
pub(crate) fn listed_amounts(a: &Analysis) -> Option<Vec<f64>> {
    // Words between two amounts that tell of something other than another item: "paid 50, got 10 change".
    const NOT_ITEMS: &[&str] = &[
        "to", "was", "is", "were", "got", "get", "paid", "pay", "spent", "cost", "costs", "came", "left", "owe",
        "owes", "back", "change", "instead", "not", "but", "or", "out", "from", "off", "save", "saved",
    ];
    const JOINERS: &[&str] =
        &["and", ",", "+", "plus", "&", "for", "on", "the", "a", "of", "-", "/", "then", "another"];
    let amounts: Vec<&Entity> =
        a.entities.iter().filter(|e| is_amount(a, e) && !is_rate(a, e) && !is_count(a, e)).collect();
    if amounts.len() < 2
        || amounts.iter().any(|e| marked_total(a, e))
        || amounts.iter().skip(1).any(|e| corrected(a, e))
    {
        return None;
    }
    let joined = amounts.windows(2).all(|pair| {
        let between = pair[0].end()..pair[1].start;
        between.len() <= 4
            && between.clone().any(|k| a.text.tokens[k].is_any(&["and", ",", "+", "plus", "&"]))
            && between.clone().all(|k| {
                let t = &a.text.tokens[k];
                t.is_any(JOINERS)
                    || vocabulary::canonical(&t.norm).is_some()
                    || (t.norm.chars().all(char::is_alphabetic) && !t.norm.ends_with("ed") && !t.is_any(NOT_ITEMS))
            })
    });
    let values: Vec<f64> = amounts
        .iter()
        .filter_map(|e| match &e.kind {
            Kind::Money(m) => Some(m.cents as f64 / 100.0),
            Kind::Number { value, .. } => Some(*value),
            _ => None,
        })
        .collect();
    joined.then_some(values)
}

/// The total of a count of things at a price each, when that is all the sentence gives.
fn count_times_rate(a: &Analysis, amounts: &[&Entity]) -> Option<(f64, Option<&'static str>, usize)> {
    let t = &a.text;
    // "2 x $15", "2x $8": a count multiplying the price after it.
    let times = |e: &Entity| {
        let k = e.start;
        (k >= 2 && t.tokens[k - 1].is_any(&["x", "×"]))
            .then(|| a.entities.iter().find(|c| c.end() == k - 1))
            .flatten()
            .and_then(|c| match c.kind {
                Kind::Number { value, .. } => Some(value),
                _ => None,
            })
            .or_else(|| {
                let prev = if k > 0 { t.norm(k - 1) } else { "" };
                prev.strip_suffix('x')
                    .filter(|n| (1..=3).contains(&n.len()) && n.chars().all(|c| c.is_ascii_digit()))
                    .and_then(|n| n.parse::<f64>().ok())
            })
    };
    let [price] = amounts.iter().filter(|e| e.money().is_some()).collect::<Vec<_>>()[..] else { return None };
    let (cents, currency) = price.money().map(|m| (m.cents, m.currency))?;
    let each = cents as f64 / 100.0;
    if let Some(n) = times(price) {
        return Some((each * n, currency, price.start));
    }
    let others = amounts.iter().filter(|e| e.start != price.start).all(|e| is_count(a, e));
    let counts: Vec<f64> = a
        .entities
        .iter()
        .filter(|e| is_count(a, e))
        .filter_map(|e| match e.kind {
            Kind::Number { value, .. } => Some(value),
            _ => None,
        })
        .collect();
    match counts[..] {
        [n] if others && is_rate(a, price) => Some((each * n, currency, price.start)),
        _ => None,
    }
}

/// An amount said to put right an earlier one: "no wait, it was 45", "actually 52", "sorry, 18.50", "make
/// that 60".
pub(crate) fn corrected(a: &Analysis, e: &Entity) -> bool {
    let t = &a.text;
    // "…, wait, plus $30 fitting", "…, oops, and 15 on a pie": more, not instead.
    if e.start > 0 && t.tokens[e.start - 1].is_any(&["plus", "and", "+", "also"]) {
        return false;
    }
    (e.start.saturating_sub(5)..e.start).any(|k| {
        t.tokens[k].is_any(&["wait", "actually", "sorry", "correction", "oops"])
            || (t.norm(k) == "i" && t.norm(k + 1) == "mean")
            || (t.norm(k) == "make" && t.norm(k + 1) == "that")
    })
}

/// An amount per head, night or item: "$35 a head", "40 per person", "12 each".
fn is_rate(a: &Analysis, e: &Entity) -> bool {
    let (n1, n2) = (a.text.norm(e.end()), a.text.norm(e.end() + 1));
    // "4 nights at $35", "3 bags @ 4.50": a price each after a count of things.
    let each_after_count = e.start > 0
        && a.text.tokens[e.start - 1].is_any(&["at", "@"])
        && a.entities.iter().any(|c| c.end() + 2 >= e.start && c.end() < e.start && is_count(a, c));
    each_after_count
        || n1 == "each"
        || (matches!(n1, "a" | "per" | "/")
            && matches!(n2, "head" | "person" | "night" | "pop" | "item" | "adult" | "kid" | "child" | "each"))
}

/// A small whole number counting things: "two coffees", "three pies", "2 pies".
fn is_count(a: &Analysis, e: &Entity) -> bool {
    let next = &a.text.tokens.get(e.end());
    let word = |n: &crate::text::Token| n.norm.chars().all(char::is_alphabetic);
    // "3 loaves", "2 pies", or a measure of something ("1 bag of ice", "2 loaf of bread") — not "10 worth of".
    let measure_of = next.is_some_and(|n| word(n) && !n.is_any(&["worth", "lot", "bit"]))
        && a.text.tokens.get(e.end() + 1).is_some_and(|o| o.is("of"));
    matches!(e.kind, Kind::Number { value, .. } if value <= 12.0 && value.fract() == 0.0)
        && (measure_of || next.is_some_and(|n| n.norm.len() > 3 && n.norm.ends_with('s') && word(n)))
}
