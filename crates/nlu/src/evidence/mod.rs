//! The evidence a write needs before it runs: the speech act that decides it (a post's order, not its
//! content), and, for money, a report of a thing done.

mod income;
mod limit;
mod post;

use crate::analysis::Analysis;
use crate::intents::MONEY_RECORDS;
use crate::slots;
use crate::speech_act::SpeechAct;
use crate::text::Text;
use income::not_income;
pub(crate) use income::own_income_told;
pub(crate) use limit::{PRICE_MOVES, changed_by};
use limit::{from_now_on, price_moves, spoken_of_as_limit, states_a_limit};
pub(crate) use post::{act_for, post_ordered_around, post_seen};

/// Words that make money coming in a thing still to come ("my tax refund will be $1,240", "a $230
/// refund coming from the ATO").
const NOT_YET: &[&str] =
    &["will", "coming", "due", "going", "expect", "expecting", "expected", "have", "has", "is", "are", "be"];

/// Whether the speech act lets this write run at all.
pub(crate) fn allowed(intent: &str, a: &Analysis, act: &SpeechAct) -> bool {
    match intent {
        // A habit of the past ("we used to spend 50 a week on groceries in the eighties") is no purchase,
        // income or limit of now.
        _ if (MONEY_RECORDS.contains(&intent) || intent == "update_budget") && used_to(a) => false,
        // Money named as come in ("pay from the cattle station, 3,012", "back pay arrived Sunday, 560")
        // reports it, whatever its verb.
        // Income summed over a year ("dividends last yr ~3k all up") tells a total, not a payment come in.
        "record_income"
            if ["last year", "last yr", "per year", "a year", "annually"].iter().any(|p| a.text.has_phrase(p)) =>
        {
            false
        }
        "record_income" if not_income(a) => false,
        // Pay at a rate from now on ("from now on i'm earning 900 a week") is no payment come in.
        "record_income" if from_now_on(a) => false,
        "record_income" => {
            act.may_log_income()
                && (reports_done(a, act) || (act.money_in && !a.text.has_any(NOT_YET)))
                && !asks_to_check(a)
        }
        // Water in the tank, a jerry can or coolant is no fill-up of fuel ("filled his tank w 40L of water").
        "add_fuel_entry" if not_fuel(a) => false,
        "create_expense" if lent(a) => false,
        // A price moved by an amount is no purchase ("groceries went up by fifty bucks at Woolies"), unless
        // the user tells of one beside it ("diesel's gone up by 20c, filled up 60L for $130").
        _ if MONEY_RECORDS.contains(&intent)
            && limit::price_moved_by(a)
            && !user_paid_out(&a.text)
            && !a.text.has_any(&["filled", "brimmed", "topped"]) =>
        {
            false
        }
        "set_timer_or_alarm" if travel_time_told(a) => false,
        // "need a smoke alarm battery": a thing bought, no alarm to set.
        "set_timer_or_alarm" if crate::entities::alarm::only_alarm_things(&a.text.tokens) => false,
        _ if MONEY_RECORDS.contains(&intent) && disputed(a) && !act.record_order => false,
        _ if MONEY_RECORDS.contains(&intent) => {
            (act.may_log_money() || ordered_to_log(a, act)) && reports_done(a, act) && !asks_to_check(a)
        }
        // A budget is a limit on spending: some word of one must be there ("Fuel's gone up to 2.30, track it"
        // sets nothing).
        "update_budget" if !spoken_of_as_limit(a, act) => false,
        "update_budget" if price_moves(a) || (a.text.has_any(&["doubt", "doubtful"]) && !act.imperative) => false,
        // "my sister's rule: from now on she only spends 50 a week": someone else's limit, told.
        "update_budget" if others_limit(a) && !act.imperative => false,
        "update_budget" => act.may_order() || states_a_limit(a, act),
        _ => act.may_order(),
    }
}

/// A limit someone else keeps: "my sister's rule: …", "Dad's budget for fuel is 300".
fn others_limit(a: &Analysis) -> bool {
    let t = &a.text.tokens;
    t.windows(2).any(|w| {
        w[0].norm.ends_with("'s")
            && crate::speech_act::person(&w[0])
            && w[1].is_any(&["rule", "rules", "budget", "limit", "allowance", "cap"])
    })
}

/// "used to" before a verb: a habit of the past ("we used to pay 30 a night"), not "got used to".
fn used_to(a: &Analysis) -> bool {
    let t = &a.text;
    (1..t.len()).any(|i| {
        t.tokens[i - 1].is("used")
            && t.tokens[i].is("to")
            && !(i >= 2 && t.tokens[i - 2].is_any(&["get", "got", "getting"]))
    })
}

/// A figure a paper or a meter gave, disputed ("the fuel receipt says 78 litres but i swear it was 70", "the
/// bill shows 240 but we only had two nights"): a complaint about the record, not one to make.
fn disputed(a: &Analysis) -> bool {
    const PAPERS: &[&str] =
        &["receipt", "docket", "pump", "bill", "invoice", "statement", "meter", "screen", "sign", "app", "bowser"];
    let t = &a.text.tokens;
    t.iter().enumerate().any(|(i, w)| {
        w.is_any(PAPERS)
            && t.get(i + 1).is_some_and(|v| v.is_any(&["says", "said", "shows", "showed", "reads", "read", "reckons"]))
            && t[i + 2..].iter().any(|b| b.is("but"))
    })
}

/// A drive's length told, with no word of a timer or an alarm ("2 hours to Bourke", "an hour and a quarter
/// from Katherine"): a travel time, not a timer to set.
fn travel_time_told(a: &Analysis) -> bool {
    const TIMER_WORDS: &[&str] = &[
        "timer",
        "alarm",
        "remind",
        "reminder",
        "wake",
        "buzz",
        "ping",
        "nudge",
        "beep",
        "ring",
        "countdown",
        "shout",
        "call",
        "tell",
        "give",
        "set",
        "start",
    ];
    let t = &a.text;
    !t.has_any(TIMER_WORDS)
        && a.entities.iter().any(|e| {
            matches!(e.kind, crate::entities::Kind::Duration { .. })
                && t.tokens.get(e.end()).is_some_and(|w| w.is_any(&["to", "from"]))
                && t.tokens.get(e.end() + 1).is_some_and(|w| w.capitalised)
        })
}

/// Money lent ("I lent Dave $100", "loaned my son 500"): still the user's, so no expense either.
pub(crate) fn lent(a: &Analysis) -> bool {
    a.text.has_any(&["lent", "loaned"])
}

/// Positive evidence that money changed hands: a verb that reports it ("spent", "paid", "got paid"),
/// an order to record it ("log", "Expense:"), or a bare note ("groceries 67.20") with no verb that
/// could make it a price or a plan.
fn reports_done(a: &Analysis, act: &SpeechAct) -> bool {
    const PRESENT: &[&str] = &[
        "is", "are", "be", "has", "have", "holds", "costs", "want", "wants", "need", "needs", "think", "reckon", "get",
        "buy", "spend", "pay", "going", "will", "would",
    ];
    // A bare note needs something besides the amount: what it was for ("groceries 67.20", "bottle-o,
    // $48"); "85" alone says nothing.
    let named = a
        .text
        .tokens
        .iter()
        .enumerate()
        .any(|(i, t)| t.norm.chars().any(char::is_alphabetic) && !a.entities.iter().any(|e| e.covers(i)));
    // A verb of the present counts, but not one of purpose ("8.50 on the Gateway just to get round the city").
    let present =
        (0..a.text.len()).any(|i| a.text.tokens[i].is_any(PRESENT) && !(i > 0 && a.text.tokens[i - 1].is("to")));
    // A volume says what a fill-up was ("⛽ 110L @ 2.09 = $229.90").
    let volume = a.has_entity(|k| matches!(k, crate::entities::Kind::Volume { .. })) && !not_fuel(a);
    act.past_money_verb
        || act.record_order
        || (act.polite_request && !asks_to_spend(a))
        || ((named || volume) && !present)
}

/// A polite request whose verb is spending, not recording: "would you spend $300 on a new mattress?"
/// asks advice (or asks PAM to buy), it reports nothing.
fn asks_to_spend(a: &Analysis) -> bool {
    let t = &a.text;
    (1..t.len()).any(|i| {
        t.tokens[i - 1].is_any(&["you", "u", "ya", "we", "i"])
            && t.tokens[i].is_any(&["spend", "buy", "pay", "splurge", "fork", "shell", "blow"])
    })
}

/// An explicit order to record what was just told ("the fella only wanted 140 to fix it. Log that please",
/// "twelve bucks for two flat whites, put it down"): the user's word that it is theirs to log outweighs
/// the doubts a telling raises (someone else as the subject, a price, hearsay) — not a question, a
/// supposition, a plan or a denial.
fn ordered_to_log(a: &Analysis, act: &SpeechAct) -> bool {
    const ORDERS: &[&str] = &[
        "log it",
        "log that",
        "log this",
        "add it",
        "add that",
        "add this",
        "put it down",
        "put that down",
        "record it",
        "record that",
        "pop it in",
        "pop that in",
        "stick it in",
        "stick that in",
        "chuck it in",
        "enter it",
        "note it",
        "track it",
        "jot it down",
        "write it down",
    ];
    ORDERS.iter().any(|p| a.text.find_phrase(p).is_some_and(|at| a.text.norm(at + p.split(' ').count()) != "up"))
        && !(act.question || act.hypothetical || act.future || act.negated || act.relayed)
}

/// A volume of something other than fuel: "5L of coolant", "5L engine oil", "filled his tank w 40L of
/// water", or a container bought ("a 20L jerry can", "2 x 20L jerry cans"). Filling a container is a
/// fill-up ("jerry can top up, 20L, $41", "put 40 litres in the jerry cans"), and "can you log it" is
/// no can.
pub(crate) fn not_fuel(a: &Analysis) -> bool {
    const LIQUIDS: &[&str] = &["coolant", "oil", "water", "milk", "paint", "adblue"];
    const CONTAINERS: &[&str] =
        &["jerry", "jerrycan", "jerrycans", "drum", "bottle", "container", "bucket", "can", "cans"];
    const FILLING: &[&str] = &["filled", "fill", "fills", "topped", "top", "put", "brimmed", "poured", "tipped"];
    let t = &a.text;
    if t.has_any(&["diesel", "petrol", "unleaded", "fuel"]) {
        return false;
    }
    let container_at = |i: usize| {
        t.tokens[i].is_any(CONTAINERS)
            // "can you…", "we can": a modal verb, not a can.
            && !(t.tokens[i].is("can")
                && (t.tokens.get(i + 1).is_some_and(|n| n.is_any(&["you", "u", "ya", "i", "we", "be", "not", "still"]))
                    || (i > 0 && t.tokens[i - 1].is_any(&["i", "we", "you", "u", "it"]))))
    };
    t.has_any(LIQUIDS) || ((0..t.len()).any(container_at) && !t.has_any(FILLING))
}

/// An order to look a record up, not to make one: "I think I paid $55 at the laundromat, can you
/// check?", "please confirm the rego went in at 890".
fn asks_to_check(a: &Analysis) -> bool {
    let tokens = &a.text.tokens;
    (0..tokens.len()).any(|i| {
        tokens[i].is_any(&["check", "verify", "confirm", "double-check"])
            && (i == 0 || tokens[i - 1].is_any(&["you", "pls", "please", ",", "and", "just", "pam"]))
    })
}

/// Evidence strong enough that the learned gate's doubt does not outweigh it, each kind checked by its rule:
/// a limit stated as the user's own rule, or the user's own spending told plainly.
pub(crate) fn beyond_doubt(intent: &str, a: &Analysis, act: &SpeechAct) -> bool {
    // A limit stated as a rule ("from today dining is capped at 90 a week") passed `allowed` on the
    // rule's own evidence (an allowance per period, a word of budgeting beside it, nothing asked,
    // supposed, denied or past): the gate's doubt, learnt from talk about budgets, does not outweigh it.
    // Only the user's own rule ("our", "from today", "now"): "the average grocery budget is 250 a week"
    // is still doubted.
    let stated_limit = intent == "update_budget"
        && !act.may_order()
        && a.text.has_any(&["my", "our", "i", "we", "i'm", "we're", "now", "from"]);
    stated_limit
        || (intent == "create_expense" && own_spending_told(a))
        || (intent == "create_post" && crate::slots::post::labelled_post(a))
}

/// Words that may sit between the user and their verb of paying ("I just paid"), or open a diary-style
/// report with no "I" ("just spent $27 at the laundrette").
const REPORT_ADVERBS: &[&str] =
    &["just", "only", "finally", "also", "then", "so", "and", "ok", "well", "today", "yesterday"];

/// The user paying money out: "I"/"we" (perhaps with "just", "finally"…) before a verb of their own
/// paying ("I paid", "we just spent", "I dropped"), or a sentence opening on such a verb, as a diary
/// entry does ("spent $25 on lunch", "just bought a kettle"). "paid" counts after "I"/"we" only: "paid
/// 1,200 today" may be pay day.
pub(crate) fn user_paid_out(t: &Text) -> bool {
    // Not time spent ("spent the arvo working") nor money paid to oneself ("I paid myself 2000").
    let spent_on_time_or_self = |i: usize| {
        let k = i + 1 + usize::from(t.tokens.get(i + 1).is_some_and(|w| w.is_any(&["the", "a", "all", "most"])));
        t.tokens.get(k).is_some_and(|w| {
            w.is_any(&[
                "arvo",
                "morning",
                "afternoon",
                "evening",
                "day",
                "days",
                "night",
                "nights",
                "week",
                "weekend",
                "hours",
                "hour",
                "time",
                "ages",
                "while",
                "myself",
                "ourselves",
                "yourself",
            ])
        })
    };
    let spending = |i: usize| {
        (t.tokens[i].is_any(crate::speech_act::USER_SPENDING) || t.tokens[i].is("dropped")) && !spent_on_time_or_self(i)
    };
    // A clause opens a diary line after a word that moves on from a remark ("… 😩 anyway, spent $30").
    let moves_on = |i: usize| {
        i >= 2
            && t.tokens[i - 1].is(",")
            && t.tokens[i - 2].is_any(&["anyway", "anyways", "anyhow", "btw", "also", "oh", "ps", "ok", "okay"])
    };
    let opens = |i: usize| i == 0 || t.sentence_break_before(i) || moves_on(i);
    (0..t.len()).any(|i| {
        let before = i.checked_sub(1);
        let diary = opens(i) || before.is_some_and(|k| opens(k) && t.tokens[k].is_any(REPORT_ADVERBS));
        (users_verb(t, i) && (spending(i) || (t.tokens[i].is("paid") && !spent_on_time_or_self(i))))
            || (diary && spending(i))
    })
}

/// Whether the verb at token `i` is the user's: "I"/"we" right before it, perhaps with a word of
/// reporting between ("we just spent", "I finally earned").
fn users_verb(t: &Text, i: usize) -> bool {
    let by_user = |k: usize| t.tokens[k].is_any(&["i", "we"]);
    i.checked_sub(1)
        .is_some_and(|k| by_user(k) || (t.tokens[k].is_any(REPORT_ADVERBS) && k.checked_sub(1).is_some_and(by_user)))
}

/// The user telling of their own spending in the plainest form: "I"/"we" right before a verb of spending,
/// an amount of money, and none of question, supposition, plan, denial, someone else, hearsay or a quote.
pub(crate) fn own_spending_told(a: &Analysis) -> bool {
    let t = &a.text;
    let told = user_paid_out(t)
        // "had to pay 120 for a tow out of the sand": an obligation met, said with or without its "I".
        || (2..t.len()).any(|i| {
            t.tokens[i - 2].is("had")
                && t.tokens[i - 1].is("to")
                && t.tokens[i].is_any(&["pay", "fork", "shell", "cough", "spend", "buy"])
                && (i == 2 || t.tokens[i - 3].is_any(&["i", "we", "just", "and", ",", "so"]))
        });
    // "Woolies got 112 off us today", "the dentist took $260 off me", "the KOA got 62.50 out of us": money
    // taken off the user.
    let taken_off_user = a.entities.iter().any(|e| {
        let after = |k: usize| t.tokens.get(e.end() + k);
        slots::is_amount(a, e)
            && (after(0).is_some_and(|w| w.is_any(&["off", "outta"]))
                && after(1).is_some_and(|w| w.is_any(&["me", "us"]))
                || after(0).is_some_and(|w| w.is("out"))
                    && after(1).is_some_and(|w| w.is("of"))
                    && after(2).is_some_and(|w| w.is_any(&["me", "us"])))
    });
    (told || taken_off_user)
        && a.entities.iter().any(|e| slots::is_amount(a, e))
        && a.act.may_log_money()
        && !a.act.money_in
}
