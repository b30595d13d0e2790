//! The evidence that a budget is meant: a limit spoken of, moved by an amount, or laid down as a rule.

use crate::analysis::Analysis;
use crate::speech_act::SpeechAct;

/// A change by an amount ordered ("lower groceries by fifty bucks", "bump fuel up by 100"): a limit moved,
/// never money spent — the verb of change opens the order and "by" stands before the amount.
pub(crate) fn changed_by(a: &Analysis) -> bool {
    const CHANGE: &[&str] =
        &["lower", "cut", "reduce", "raise", "increase", "decrease", "drop", "bump", "up", "trim", "boost", "lift"];
    let t = &a.text;
    let opens = t.tokens.iter().enumerate().any(|(i, w)| {
        w.is_any(CHANGE)
            && (i == 0
                || t.tokens[i - 1].is_any(&[",", "please", "pls", "pam", "can", "could", "just", "you", "u", "ya"]))
    });
    opens
        && a.entities.iter().any(|e| {
            matches!(e.kind, crate::entities::Kind::Money(_) | crate::entities::Kind::Number { .. })
                && e.start > 0
                && t.tokens[e.start - 1].is("by")
        })
}

/// Whether a budget is spoken of: a word of budgeting or limiting, or an amount per week, month or year.
pub(super) fn spoken_of_as_limit(a: &Analysis, act: &SpeechAct) -> bool {
    act.per_period
        || changed_by(a)
        || from_now_on(a)
        || a.text.has_any(crate::speech_act::BUDGET_WORDS)
        || a.text.has_any(&[
            "under",
            "spend",
            "spending",
            "allocate",
            "allocation",
            "ceiling",
            "kitty",
            "month",
            "week",
            "year",
            "mo",
            "wk",
            "fortnight",
            "aside",
            "limits",
            "budgets",
            "caps",
            "restrict",
            "reduce",
            "lower",
            "raise",
            "increase",
            "bump",
            "weekly",
            "monthly",
            "yearly",
            "annual",
            "money",
        ])
}

/// A limit said as a rule the user sets ("from now on health spending is capped at 180 a month", "phone:
/// forty bucks a month is the new limit"): saying it is setting it, when the amount is per period, a word
/// of budgeting stands beside it, and it is not asked, supposed, denied, someone else's, or told of the
/// past ("the old limit was 80 a week", "our fuel budget was 500 a month last year").
pub(super) fn states_a_limit(a: &Analysis, act: &SpeechAct) -> bool {
    // Or a rule the user lays down from now on ("right, from now on it's 80 a week for the pub and that's
    // final") — not a price that holds from now on ("the caravan park is 300 a week from now on").
    let own_rule = from_now_on(a) && a.text.has_any(&["it's", "its", "we", "we're", "we'll", "i", "i'm", "i'll"]);
    // A limit with no period said, when it starts from a time ("starting next month our entertainment
    // allowance is 150").
    ((act.per_period && (limit_beside_amount(a) || own_rule || kept_under(a)))
        || (from_now_on(a) && limit_beside_amount(a)))
        && !a.text.has_any(&["was", "were", "used", "had", "old", "previous", "last", "ago", "before", "former"])
        && !(act.question
            || act.future
            || act.hypothetical
            || act.negated
            || act.reported
            || act.others_act
            || act.relayed
            || act.third_party)
}

/// A rule that holds from now on ("from now on", "going forward", "from here on in", "as of today"), or
/// from a time to come ("starting next month", "from next week").
pub(super) fn from_now_on(a: &Analysis) -> bool {
    let t = &a.text;
    [
        "from now on",
        "going forward",
        "from here on",
        "as of today",
        "as of now",
        "from today",
        "starting today",
        "starting now",
        "starting tomorrow",
        "from tomorrow",
    ]
    .iter()
    .any(|p| t.has_phrase(p))
        || t.tokens.windows(3).any(|w| {
            w[0].is_any(&["starting", "from"])
                && w[1].is("next")
                && w[2].is_any(&["week", "month", "year", "fortnight", "pay"])
        })
}

/// Spending kept below an amount ("we've agreed shopping stays under 100 a month", "keep fuel below 150 a
/// week", "no more than 80 a week on takeaway").
fn kept_under(a: &Analysis) -> bool {
    let t = &a.text.tokens;
    a.entities.iter().any(|e| {
        let before = |k: usize| e.start.checked_sub(k).map(|i| &t[i]);
        before(1).is_some_and(|w| w.is_any(&["under", "below"]))
            && (1..=4).filter_map(|k| before(k + 1)).any(|w| w.is_any(&["stay", "stays", "keep", "keeps", "stick"]))
            || (before(1).is_some_and(|w| w.is("than"))
                && before(2).is_some_and(|w| w.is("more"))
                && before(3).is_some_and(|w| w.is("no")))
    })
}

/// A word of budgeting in the amount's own clause, not denied: "dining is capped at 90 a week", but not
/// "Starlink is $140 a month, no data cap" (a price, and a cap that is not there).
fn limit_beside_amount(a: &Analysis) -> bool {
    const BREAKS: &[&str] = &[",", ";", ".", "!", "?", "but", "and", "with"];
    let tokens = &a.text.tokens;
    let amounts: Vec<(usize, usize)> = a
        .entities
        .iter()
        .filter(|e| matches!(e.kind, crate::entities::Kind::Money(_) | crate::entities::Kind::Number { .. }))
        .map(|e| (e.start, e.end()))
        .collect();
    tokens.iter().enumerate().any(|(b, t)| {
        t.is_any(crate::speech_act::BUDGET_WORDS)
            && !(b > 0 && tokens[b - 1].is_any(&["no", "not", "without", "unlimited"]))
            && amounts.iter().any(|&(start, end)| {
                let between = if b < start { b + 1..start } else { end..b };
                !tokens[between].iter().any(|t| t.is_any(BREAKS))
            })
    })
}

/// A price that moves, told ("starting next month the phone plan drops to 35 a month", "rego goes up to
/// 900 a year"): the verb of the thing itself, with "to" and the new figure — not an order ("drop fuel to
/// 300").
pub(super) fn price_moves(a: &Analysis) -> bool {
    let t = &a.text.tokens;
    // "the fuel budget goes up to 400 from now on" moves a limit, not a price.
    !a.text.has_any(crate::speech_act::BUDGET_WORDS)
        && (1..t.len()).any(|i| {
            t[i].is_any(PRICE_MOVES) && {
                let k = if t.get(i + 1).is_some_and(|w| w.is_any(&["up", "down"])) { i + 2 } else { i + 1 };
                t.get(k).is_some_and(|w| w.is("to"))
            }
        })
}

/// A price moved by an amount ("groceries went up by fifty bucks at Woolies", "diesel has gone up by 20c"):
/// the change in a price, no purchase and no limit — the amount read as `slots::moved_by` reads it.
pub(super) fn price_moved_by(a: &Analysis) -> bool {
    !a.text.has_any(crate::speech_act::BUDGET_WORDS) && a.entities.iter().any(|e| crate::slots::moved_by(a, e))
}

/// Verbs of a price moving ("went up", "has gone up", "dropped").
pub(crate) const PRICE_MOVES: &[&str] = &[
    "drops",
    "dropped",
    "goes",
    "went",
    "rises",
    "rose",
    "jumps",
    "jumped",
    "climbs",
    "climbed",
    "falls",
    "fell",
    "increases",
    "increased",
    "decreases",
    "decreased",
    "gone",
];
