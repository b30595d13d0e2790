//! Money that came to the user rather than went from them, and the user's own spending verb.

use super::who::{FILLERS, person};
use super::words::*;
use crate::entities::{Entity, Kind};
use crate::text::{Text, Token};

/// Money that came to the user rather than went from them: paid to the user ("Centrelink paid us 1,200",
/// "two shifts netted me $410", "she paid us back"), paid out by someone else ("the insurance paid out
/// €800"), or named as income with no word of the user paying ("pay's in, 3.1k", "paycheque from the mine
/// site, 4,380"). Not a bill or a visit handed over ("sent us the bill, $480", "paid us a visit"), nor the
/// user paying out ("just paid out 350 for the rego"). Whose income it is (the user's or someone else's)
/// is `others_income`'s question, not this one's.
pub(super) fn money_in(text: &Text, entities: &[Entity], words: &[&str]) -> bool {
    let money_at =
        |j: usize| entities.iter().any(|e| e.start == j && matches!(e.kind, Kind::Money(_) | Kind::Number { .. }));
    // The user's own spending anywhere ("bought a gift with the money mum sent us") settles it — not
    // another's told in a clause of its own ("received 280 from the bloke who bought our old annexe").
    if users_spending_word(text) || paid_to_another(text, entities, words) || sold_to_user(text) {
        return false;
    }
    // "paid us 1,200", "netted me $410", "paid me the 300 he owed", "paid us back", "sent us our bond".
    let given_to_self = (0..words.len()).any(|i| {
        let j = i + 2;
        GIVEN.contains(&words[i])
            && words.get(i + 1).is_some_and(|w| matches!(*w, "me" | "us"))
            && (words.get(j).is_some_and(|w| *w == "back" || EARNINGS.contains(w) || INCOME_WORDS.contains(w))
                || money_at(j)
                || (words.get(j).is_some_and(|w| matches!(*w, "the" | "our" | "my")) && money_at(j + 1)))
    });
    // "the insurance paid out €800", "the shifts paid out C$640": someone or something that is not a
    // person paying their own way ("my brother paid out the deposit on his van"), and not the user in
    // diary style ("just paid out 350").
    let paid_out =
        ["paid out", "coughed up", "forked out", "paid up"].iter().filter_map(|p| text.find_phrase(p)).any(|at| {
            let payer: Vec<&Token> = text.tokens[..at]
                .iter()
                .filter(|t| !t.is_any(FILLERS) && t.norm.chars().any(char::is_alphabetic))
                .collect();
            // "then paid out 90 to the caravan park": a word of telling is no payer.
            !payer.iter().all(|t| t.is_any(&["then", "just", "also", "so", "and", "finally", "today", "yesterday"]))
                && !payer.iter().any(|t| t.is_any(SELF_SUBJECT) || person(t))
        });
    // "pay" the noun ("pay's in", "back pay arrived", "pay from the station"), not the verb ("pay the
    // site fee", "pay for diesel").
    let pay_noun = (0..words.len()).any(|i| {
        words[i] == "pay's"
            || (words[i] == "pay"
                && (i == 0 || matches!(words[i - 1], "my" | "our" | "the" | "back" | "holiday" | "extra"))
                && words.get(i + 1).is_some_and(|n| PAY_ARRIVED.contains(n)))
            // "remote work pay hit today": a verb only money arriving does, whatever names the pay.
            || (words[i] == "pay"
                && !(i > 0 && matches!(words[i - 1], "to" | "i" | "we" | "will" | "'ll" | "can" | "must" | "should"))
                && words.get(i + 1).is_some_and(|n| matches!(*n, "came" | "hit" | "arrived" | "landed" | "cleared")))
    });
    // A payer paying: "Etsy paid out", "Centrelink came in", "PayPal came through" — not "got a phone
    // holder on Etsy", "Etsy fees were $12".
    let pays = |i: usize| {
        words[i + 1..words.len().min(i + 3)].iter().any(|w| {
            matches!(
                *w,
                "paid"
                    | "came"
                    | "landed"
                    | "deposited"
                    | "deposit"
                    | "payout"
                    | "transferred"
                    | "sent"
                    | "dropped"
                    | "hit"
                    | "in"
                    | "through"
                    | "payment"
                    | "'s"
            )
        }) || words[i].ends_with("'s")
    };
    // "got 188 refunded", not "I refunded the buyer 50".
    let named = pay_noun
        || words.iter().enumerate().any(|(i, w)| {
            (EARNINGS.contains(&w.trim_end_matches("'s")) || (PAYERS.contains(&w.trim_end_matches("'s")) && pays(i)))
                && !(matches!(*w, "refunded" | "reimbursed") && i > 0 && matches!(words[i - 1], "i" | "we"))
        });
    // Paying words that may also receive ("got paid") do not count against a named income; these do.
    let user_paid =
        words.iter().any(|w| is_spent(w) && !matches!(*w, "got" | "came" | "was" | "were" | "had" | "gave"))
            || text.has("towards");
    // "just got 85 bucks for the old camp chairs", "got 90 for helping a bloke with his solar": money got
    // for work done or for the user's old things (opening the sentence, or after "I"/"we") is money
    // received — not "got $40 for the site" nor "got $20 for parking", where the money is the price.
    let for_work_or_old_things = |k: usize| {
        let w = words.get(k).copied().unwrap_or("");
        // A verb of work ends the sentence or takes its object ("for helping a bloke", "for mowing"); an
        // "-ing" word before a noun names a thing bought ("for painting supplies", "for cooking gas").
        let as_verb = words.get(k + 1).is_none_or(|n| {
            matches!(
                *n,
                "a" | "an" | "the" | "his" | "her" | "their" | "some" | "for" | "at" | "in" | "on" | "," | "." | "!"
            )
        });
        let done = as_verb
            && w.len() > 5
            && w.ends_with("ing")
            && crate::vocabulary::canonical(w).is_none()
            && !matches!(
                w,
                "parking" | "camping" | "shopping" | "clothing" | "bedding" | "lodging" | "washing" | "fishing"
            );
        let old = matches!(w, "the" | "my" | "our" | "me") && words.get(k + 1).is_some_and(|n| *n == "old");
        done || old
    };
    // "received 280 from the bloke …", "we received $90 from the club": received from someone.
    let received_from = (0..words.len()).any(|i| {
        words[i] == "received"
            && (i == 0 || matches!(words[i - 1], "i" | "we" | "just" | "finally"))
            && entities.iter().any(|e| {
                e.start == i + 1
                    && matches!(e.kind, Kind::Money(_) | Kind::Number { .. })
                    && words.get(e.end()).is_some_and(|w| *w == "from")
            })
    });
    let got_for = (0..words.len()).any(|i| {
        matches!(words[i], "got" | "received" | "earned" | "pocketed" | "made" | "cleared" | "netted")
            && (i == 0 || matches!(words[i - 1], "i" | "we" | "just" | "finally"))
            && entities.iter().any(|e| {
                e.start == i + 1
                    && matches!(e.kind, Kind::Money(_))
                    && words.get(e.end()).is_some_and(|w| *w == "for")
                    && for_work_or_old_things(e.end() + 1)
            })
    });
    // "got 60 back on the power bill", "we got $45 back from the mechanic": money back to the user — a
    // bare number only beside a word of money ("got 3 back from the vet, all healthy" counts animals).
    let money_word = text.has_any(&[
        "bill",
        "bills",
        "refund",
        "rebate",
        "bond",
        "deposit",
        "overcharged",
        "overpaid",
        "invoice",
        "rates",
        "rego",
        "insurance",
        "bucks",
        "dollars",
    ]);
    let got_back = (0..words.len()).any(|i| {
        matches!(words[i], "got" | "received")
            && (i == 0 || matches!(words[i - 1], "i" | "we" | "just" | "finally" | "also"))
            && entities.iter().any(|e| {
                e.start == i + 1
                    && (matches!(e.kind, Kind::Money(_)) || (matches!(e.kind, Kind::Number { .. }) && money_word))
                    && words.get(e.end()).is_some_and(|w| *w == "back")
            })
    });
    // The user's own takings, opening a clause or after "I"/"we": "made $340 at the market selling my
    // crochet", "we made $140 busking", "cleared 87 bucks", "flogged three paintings for 390", "sold the
    // old generator for 450". Money made is said in money ("made 40 trips" is no income); a sale names
    // its price after "for".
    let own = |i: usize| {
        i == 0 || text.sentence_break_before(i) || matches!(words[i - 1], "i" | "we" | "just" | "finally" | "," | "and")
    };
    let takings = (0..words.len()).any(|i| {
        own(i)
            && matches!(words[i], "made" | "cleared" | "netted" | "pocketed" | "earned" | "raked" | "pulled")
            && entities.iter().any(|e| e.start > i && e.start <= i + 2 && matches!(e.kind, Kind::Money(_)))
    });
    let sold_for = (0..words.len()).any(|i| {
        own(i)
            && matches!(words[i], "sold" | "flogged" | "offloaded")
            && !words.get(i + 1).is_some_and(|w| SELF_OBJECT.contains(w))
            && (i + 1..words.len()).any(|k| words[k] == "for" && money_at(k + 1))
    });
    given_to_self || paid_out || got_for || received_from || got_back || takings || sold_for || (named && !user_paid)
}

/// "sold us his old awning for 200": the user bought, whoever sold.
pub(crate) fn sold_to_user(text: &Text) -> bool {
    text.tokens.windows(2).any(|w| w[0].is("sold") && w[1].is_any(&["us", "me"]))
}

/// Money handed to someone who is not the user: "the insurance paid out €800 to the other bloke", "the
/// lotto paid out 2 million to some bloke in Perth", "the council reimbursed the bloke next door 240" — not
/// "paid out 800 to us", "paid the 200 back", "the tenants paid the rent".
pub(super) fn paid_to_another(text: &Text, entities: &[Entity], words: &[&str]) -> bool {
    let money_at =
        |j: usize| entities.iter().any(|e| e.start == j && matches!(e.kind, Kind::Money(_) | Kind::Number { .. }));
    let determiner = |w: &str| matches!(w, "the" | "a" | "an" | "some" | "his" | "her" | "their" | "this" | "that");
    // A person: "the other bloke", "some bloke in Perth", "the kids", or a name ("paid out 2 million to
    // Shirl").
    let someone_at = |k: usize| {
        let Some(w) = words.get(k) else { return false };
        let named =
            text.tokens.get(k).is_some_and(|t| t.capitalised) && !matches!(*w, "i" | "me" | "us") && !money_at(k);
        named || (determiner(w) && text.tokens[(k + 1).min(text.len())..].iter().take(2).any(person))
    };
    // The payer is named before the verb — "the insurance", "my brother", "Dave" — and is not the user ("I
    // paid $300 to the mechanic", "hubby and me paid 300", "paid 45 to the caravan park", "last week paid
    // 300 to Bob" are the user's own spending).
    let others_paying = |i: usize| {
        let start = (0..i).rev().find(|&k| text.sentence_break_before(k + 1) || words[k] == ",").map_or(0, |k| k + 1);
        let payer: Vec<&Token> = text.tokens[start.min(i)..i]
            .iter()
            .filter(|t| !t.is_any(FILLERS) && t.norm.chars().any(char::is_alphabetic))
            .collect();
        let Some(first) = payer.first() else { return false };
        let named = first.is_any(&["the", "a", "an", "his", "her", "their", "some", "my", "our"])
            || payer.iter().any(|t| person(t))
            || (first.capitalised && !crate::spelling::is_common_word(&first.norm));
        named && !payer.iter().any(|t| t.is_any(SELF_SUBJECT) || t.is_any(&["me", "us"]))
    };
    (0..words.len()).any(|i| {
        let paying = (GIVEN.contains(&words[i]) || matches!(words[i], "coughed" | "forked")) && others_paying(i);
        // "… paid out €800 to the other bloke": "to" someone within a few words of the paying.
        let to_someone = paying && (i + 1..words.len().min(i + 5)).any(|k| words[k] == "to" && someone_at(k + 1));
        // "reimbursed the caravan park 240": someone named as the verb's object, then the money.
        let object_then_money = paying
            && GIVEN.contains(&words[i])
            && someone_at(i + 1)
            && (i + 2..words.len().min(i + 6)).any(&money_at)
            && !words[i + 1..].iter().take(6).any(|w| *w == "back");
        to_someone || object_then_money
    })
}

/// A verb of the user's spending ("bought", "spent"), not one of someone else's told in a relative clause
/// ("the bloke who bought our old annexe").
pub(crate) fn users_spending_word(text: &Text) -> bool {
    let t = &text.tokens;
    (0..t.len()).any(|i| {
        t[i].is_any(USER_SPENDING) && !(i > 0 && t[i - 1].is_any(&["who", "that", "which"])) && !others_verb(text, i)
    })
}

/// A verb whose subject is someone named before it ("the insurer finally coughed up", "my brother bought"):
/// a noun after "the", "my", "our", "his", "her" or "their", or a capitalised name, with perhaps "finally",
/// "just" or "eventually" between.
fn others_verb(text: &Text, i: usize) -> bool {
    let t = &text.tokens;
    let mut k = i;
    while k > 0 && t[k - 1].is_any(&["finally", "just", "eventually", "also", "then", "actually"]) {
        k -= 1;
    }
    let Some(subject) = k.checked_sub(1).map(|j| &t[j]) else { return false };
    let named = subject.capitalised && !subject.is("i") && k >= 2 && !text.sentence_break_before(k - 1);
    let owned = k >= 2
        && t[k - 2].is_any(&["the", "my", "our", "his", "her", "their"])
        && subject.norm.chars().all(char::is_alphabetic);
    named || owned
}

/// Who pays a traveller's income by its name: a pension office or a payroll, not a person.
#[rustfmt::skip]
pub(super) const PAYERS: &[&str] = &[
    "centrelink", "dva", "va", "ato", "ird", "cpp", "oas", "ssa", "winz", "payroll", "superannuation", "etsy",
    "paypal", "venmo", "ebay", "airbnb", "patreon", "youtube", "stripe",
];

/// Verbs of money handed over: with "me" or "us" after them, the user received it.
#[rustfmt::skip]
const GIVEN: &[&str] = &[
    "paid", "reimbursed", "refunded", "repaid", "netted", "sent", "transferred", "tipped", "gave", "handed", "wired",
    "venmoed", "fronted",
];

/// What comes after "pay" the noun.
#[rustfmt::skip]
const PAY_ARRIVED: &[&str] = &[
    "came", "comes", "from", "is", "hit", "arrived", "landed", "went", "has", "cleared", "dropped", "in", "this", "was",
];

/// Money that is the user's income by its name, whoever handed it over.
#[rustfmt::skip]
const EARNINGS: &[&str] = &[
    "paycheck", "paycheque", "wages", "wage", "salary", "payout", "refund", "reimbursement", "earnings", "takings",
    "winnings", "pension", "refunded", "reimbursed",
];
