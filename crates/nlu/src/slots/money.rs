//! Slots of the money intents: an expense, income, a budget, a fill-up and a spending summary.

use chrono::{Datelike, NaiveDate};
use serde_json::json;

use super::{Slots, amount, category, day, is_amount, listed_amounts, number};
use crate::analysis::Analysis;
use crate::entities::{Entity, Kind, Period, Tense, VolumeUnit, calendar};
use crate::numbers;
use crate::places;

pub fn expense(a: &Analysis, today: NaiveDate, s: &mut Slots) {
    if let Some(items) = listed_amounts(a) {
        s.insert("amount".into(), number(items.iter().sum()));
        s.insert("items".into(), items.into_iter().map(number).collect());
        // "€45 fuel and €30 groceries": the currency said goes with the sum, so the tool can refuse it.
        if let Some((_, Some(c), _)) = amount(a) {
            s.insert("currency".into(), json!(c));
        }
    } else if let Some((value, currency, at)) = amount(a) {
        let big_ticket = category(a).is_some_and(|c| {
            matches!(c, "repairs" | "maintenance" | "campground" | "insurance" | "registration" | "fuel")
        });
        s.insert("amount".into(), number(if big_ticket { spoken_hundreds(a, at, value) } else { value }));
        if let Some(c) = currency {
            s.insert("currency".into(), json!(c));
        }
    }
    if let Some(c) = category(a) {
        s.insert("category".into(), json!(c));
    }
    if let Some(d) = day(a, today, Tense::Past) {
        s.insert("date".into(), json!(d.to_string()));
    }
    if let Some(p) = places::place(&a.text, &a.entities) {
        s.insert("location".into(), json!(p));
    }
}

/// Income kinds, most specific first: "sold some crypto" is an investment, "sold the bike rack" a
/// one-off sale.
const INCOME_KINDS: &[(&str, &[&str])] = &[
    // A bond back is the user's own money returned, whatever it was a bond on ("the Darwin rental").
    ("other", &["bond"]),
    (
        "investment",
        &[
            "dividend",
            "dividends",
            "interest",
            "rent",
            "rental",
            "shares",
            "crypto",
            "investment",
            "investments",
            "term",
            "distribution",
            "etf",
        ],
    ),
    (
        "pension",
        &[
            "pension",
            "pension's",
            "centrelink",
            "security",
            "super",
            "superannuation",
            "veterans",
            "annuity",
            "retirement",
            "va",
            "dva",
            "disability",
            "cpp",
            "oas",
        ],
    ),
    (
        "side_hustle",
        &[
            "gig",
            "workamping",
            "crochet",
            "etsy",
            "house-sitting",
            "housesitting",
            "caretaking",
            "freelance",
            "consulting",
            "stipend",
            "host",
            "market",
            "stall",
            "firewood",
            "crafts",
            "selling",
            "earned",
            "tips",
            "side",
            "hustle",
            "busking",
            "mowing",
            "dog-sitting",
            "pet-sitting",
            "babysitting",
            "youtube",
            "prints",
            "tutoring",
            "commission",
        ],
    ),
    ("salary", &["salary", "wages", "wage", "paycheck", "paycheque", "pay", "job", "paid!!", "work"]),
    (
        "other",
        &[
            "sold",
            "payout",
            "refund",
            "refunded",
            "back",
            "gift",
            "christmas",
            "birthday",
            "sale",
            "bond",
            "relocation",
            "reimbursed",
            "reimbursement",
            "won",
            "prize",
            "winnings",
            "owed",
            // An insurance claim paid out.
            "insurer",
            "insurance",
            "claim",
        ],
    ),
];

pub fn income(a: &Analysis, today: NaiveDate, s: &mut Slots) {
    if let Some((value, currency, at)) = amount(a) {
        s.insert("amount".into(), number(spoken_hundreds(a, at, value)));
        if let Some(c) = currency {
            s.insert("currency".into(), json!(c));
        }
    }
    let kind = INCOME_KINDS.iter().find(|(_, words)| a.text.has_any(words)).map(|(k, _)| *k).or_else(|| {
        // "got paid" with nothing else said is a pay day.
        (a.text.has_phrase("got paid") || a.text.has_phrase("been paid")).then_some("salary")
    });
    if let Some(k) = kind {
        s.insert("income_type".into(), json!(k));
    }
    if let Some(d) = day(a, today, Tense::Past) {
        s.insert("date".into(), json!(d.to_string()));
    }
}

pub fn budget(a: &Analysis, s: &mut Slots) {
    match category(a) {
        Some(c) => s.insert("category".into(), json!(c)),
        None => super::own_category::own_category(a).and_then(|c| s.insert("own_category".into(), json!(c))),
    };
    // "change my weekly grocery limit from 150 to 180": the new figure is the one after "to".
    let amounts: Vec<&Entity> = a.entities.iter().filter(|e| is_amount(a, e)).collect();
    // "make it 550 not 500", "instead of 500, let's budget 450": the figure set aside is the old one.
    let t = &a.text;
    let old = |e: &Entity| {
        let (p1, p2) =
            (e.start.checked_sub(1).map_or("", |k| t.norm(k)), e.start.checked_sub(2).map_or("", |k| t.norm(k)));
        p1 == "not" || (p1 == "of" && p2 == "instead") || (p1 == "than" && p2 == "rather") || p1 == "from"
    };
    // "knock 20 off", "reduce it by 50", "40 more": a change by an amount, not the new limit.
    let relative = |e: &Entity| {
        e.start.checked_sub(1).is_some_and(|k| t.norm(k) == "by")
            || matches!(t.norm(e.end()), "off" | "more" | "less" | "extra")
    };
    let amounts: Vec<&Entity> = amounts.into_iter().filter(|e| !relative(e)).collect();
    // The figure set: after "to", "at" or "make it" ("…, set the budget at 180", "…, make it 250").
    let set_to = |e: &Entity| {
        let (p1, p2) =
            (e.start.checked_sub(1).map_or("", |k| t.norm(k)), e.start.checked_sub(2).map_or("", |k| t.norm(k)));
        matches!(p1, "to" | "at") || (p1 == "it" && matches!(p2, "make" | "set"))
    };
    let chosen = amounts
        .iter()
        .find(|e| set_to(e) && amounts.len() > 1)
        .or_else(|| amounts.iter().skip(1).rev().find(|e| super::corrected(a, e)))
        .or_else(|| amounts.iter().find(|e| amounts.len() > 1 && !old(e)))
        .or(amounts.first());
    if let Some(e) = chosen {
        let v = match &e.kind {
            Kind::Money(m) => m.cents as f64 / 100.0,
            Kind::Number { value, .. } => *value,
            _ => 0.0,
        };
        s.insert("amount".into(), number(spoken_hundreds(a, e.start, v)));
    }
    // The period said with the amount ("500 a month for the rest of the year" is monthly), else any
    // period word in the sentence ("weekly grocery limit of 150"), else a month.
    let attached = chosen.and_then(|e| {
        let (next, after) = (t.norm(e.end()), t.norm(e.end() + 1));
        let word = if matches!(next, "a" | "an" | "per" | "/" | "every" | "each") { after } else { next };
        period_of(&[word])
    });
    let words: Vec<&str> = t.tokens.iter().map(|w| w.norm.as_str()).collect();
    s.insert("period".into(), json!(attached.or_else(|| period_of(&words)).unwrap_or("month")));
}

/// Money said the way a price is read ("four fifty", "eight eighty", "one twenty"): hundreds, where a few
/// dollars cannot be meant — a limit ("fuel budget two fifty": no budget is $2.50), a repair, a service, a
/// site, a fill, cover, rego, or money coming in ("got paid eight eighty for harvest work"). "One" before
/// the tens is their hundreds, not a count. The callers decide where; elsewhere it stays dollars and
/// cents ("a coffee, four fifty").
fn spoken_hundreds(a: &Analysis, at: usize, v: f64) -> f64 {
    let spoken = a.entities.iter().any(|e| e.start == at && matches!(e.kind, Kind::Number { words: true, .. }));
    if spoken && v < 10.0 && v.fract() > 0.0 {
        return (v.trunc() * 100.0 + (v.fract() * 100.0).round()).round();
    }
    let one_before = at.checked_sub(1).is_some_and(|k| a.text.norm(k) == "one");
    if spoken && one_before && (10.0..100.0).contains(&v) && v.fract() == 0.0 {
        return 100.0 + v;
    }
    v
}

/// The budget period the words name, a week before a year.
fn period_of(words: &[&str]) -> Option<&'static str> {
    if words.iter().any(|w| matches!(*w, "fortnight" | "fortnightly")) {
        Some("fortnight")
    } else if words.iter().any(|w| matches!(*w, "week" | "weekly" | "wk" | "/wk" | "pw" | "weeks")) {
        Some("week")
    } else if words.iter().any(|w| matches!(*w, "year" | "yearly" | "annual" | "annually" | "annum" | "pa" | "yr")) {
        Some("year")
    } else if words.iter().any(|w| matches!(*w, "month" | "monthly" | "mth" | "months")) {
        Some("month")
    } else {
        None
    }
}

/// Words after a price that make it a price per unit.
fn per_unit_after(a: &Analysis, e: &Entity) -> bool {
    let (n1, n2) = (a.text.norm(e.end()), a.text.norm(e.end() + 1));
    matches!(n1, "a" | "per" | "/" | "an") && matches!(n2, "litre" | "liter" | "l" | "gallon" | "gal" | "ltr")
        || matches!(n1, "/l" | "/gal" | "cpl" | "c/l")
}

/// A number said as an odometer reading ("odo 98 450").
fn odometer_word(a: &Analysis, e: &Entity) -> bool {
    let before = |k: usize| e.start.checked_sub(k).map_or("", |i| a.text.norm(i));
    matches!(before(1), "odo" | "odometer" | "mileage" | "odo:" | "km" | "kms")
        || matches!(before(2), "odo" | "odometer" | "mileage")
}

pub fn fill_up(a: &Analysis, today: NaiveDate, s: &mut Slots) {
    let volume = a.entities.iter().find_map(|e| match e.kind {
        Kind::Volume { value, unit } => Some((value, unit, e.end())),
        _ => None,
    });
    if let Some((value, unit, _)) = volume {
        s.insert("volume".into(), number(value));
        s.insert("volume_unit".into(), json!(if unit == VolumeUnit::Gallons { "gal" } else { "L" }));
    }
    let after_volume = volume.map(|(_, _, end)| end).unwrap_or(0);
    // A servo-sign price right after "at": "at two oh nine". Its words are no other amount ("at one
    // ninety-nine" is no total of $99).
    let mut spoken = 0..0;
    if let Some(at) = (after_volume..a.text.len()).find(|&k| a.text.norm(k) == "at" || a.text.norm(k) == "@")
        && let Some(p) = numbers::spoken_price(&a.text.tokens, at + 1)
        && p.value < 10.0
    {
        s.insert("price_per_unit".into(), number(p.value));
        spoken = at + 1..at + 1 + p.used;
    }
    let mut taken = None;
    for (n, e) in a.entities.iter().enumerate() {
        if taken == Some(n) || spoken.contains(&e.start) || super::moved_by(a, e) {
            continue;
        }
        let value = match &e.kind {
            Kind::Money(m) => m.cents as f64 / 100.0,
            // "batteries at 12.6 volts": a measure, not money.
            Kind::Number { .. } if !super::is_amount(a, e) && !odometer_word(a, e) => continue,
            Kind::Number { value, .. } => *value,
            Kind::Distance { value, .. } if *value >= 1000.0 => {
                s.entry("odometer").or_insert(number(*value));
                continue;
            }
            _ => continue,
        };
        let prev = if e.start > 0 { a.text.norm(e.start - 1) } else { "" };
        if odometer_word(a, e) || (value >= 1000.0 && e.money().is_none()) {
            // "odo 98 450": thousands set off by a space.
            let thousands = a.entities.get(n + 1).filter(|next| {
                next.start == e.end()
                    && value < 1000.0
                    && a.text.norm(next.start).len() == 3
                    && a.text.norm(next.start).chars().all(|c| c.is_ascii_digit())
            });
            let value = match thousands {
                Some(next) => {
                    taken = Some(n + 1);
                    value * 1000.0 + a.text.norm(next.start).parse::<f64>().unwrap_or(0.0)
                }
                None => value,
            };
            s.entry("odometer").or_insert(number(value));
        } else if per_unit_after(a, e)
            && value >= 10.0
            && let Some(p) = e.start.checked_sub(1).and_then(|k| numbers::spoken_price(&a.text.tokens, k))
            && p.value < 10.0
        {
            // "one eighty nine per litre": the whole part said before the cents.
            s.entry("price_per_unit").or_insert(number(p.value));
        } else if per_unit_after(a, e)
            || prev == "@"
            || (prev == "at" && value < 10.0 && e.start >= after_volume)
            || (value < 5.0
                && volume.is_some()
                && !matches!(prev, "for" | "paid" | "$")
                && !s.contains_key("price_per_unit"))
        {
            s.entry("price_per_unit").or_insert(number(value));
        } else if !s.contains_key("total") {
            s.insert("total".into(), number(spoken_hundreds(a, e.start, value)));
        }
    }
    if let Some(d) = day(a, today, Tense::Past) {
        s.insert("date".into(), json!(d.to_string()));
    }
}

pub fn summary(a: &Analysis, today: NaiveDate, s: &mut Slots) {
    match calendar::period(&a.text.tokens, today.month()) {
        Some(Period::Days(n)) => {
            s.insert("days".into(), json!(n));
        }
        Some(p) => {
            // Only periods with spending in them: "tomorrow" or "next week" ask about the calendar, not money.
            if let Some(name) = p.name().filter(|n| !matches!(*n, "tomorrow" | "next_week")) {
                s.insert("period".into(), json!(name));
            }
        }
        // "how much did we spend in June": a month of its own, not this one or the last.
        None => {
            if let Some((year, month)) = calendar::named_month(&a.text.tokens, today) {
                s.insert("month".into(), json!(format!("{year:04}-{month:02}")));
            }
        }
    }
    if let Some(c) = category(a) {
        s.insert("category".into(), json!(c));
    }
}
