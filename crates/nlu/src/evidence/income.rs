//! The evidence that money came to the user: what is not income however it reads (owed, moved between
//! the user's own accounts, handed over, a bill received), and the user's own income told plainly.

use super::users_verb;
use crate::analysis::Analysis;
use crate::slots;

/// Money that is not income however it reads: owed and not yet paid ("I'm owed $450 from the last gig
/// but they haven't paid"), the user's own money moved between accounts ("transferred $500 from savings
/// to my everyday account"), or a refund the user gave ("I refunded the buyer 50").
pub(super) fn not_income(a: &Analysis) -> bool {
    let t = &a.text;
    let owed = t.has_any(&["owed", "owes", "owe", "owing"])
        && (!t.has_any(&["paid", "repaid", "settled", "came", "landed", "arrived", "transferred", "sent", "coughed"])
            || t.has_any(&["haven't", "havent", "hasn't", "hasnt", "didn't", "didnt", "not", "yet", "still"]));
    let moved = t.has_any(&["transferred", "moved", "shifted", "transfer", "move", "swept"])
        && t.has_any(&["savings", "account", "fund", "offset", "kitty"])
        && (["from savings", "from my", "from our", "from the savings"].iter().any(|p| t.has_phrase(p))
            || matches!(t.norm(0), "transferred" | "moved" | "shifted" | "i" | "we"));
    let gave_back =
        t.tokens.windows(2).any(|w| w[0].is_any(&["i", "we"]) && w[1].is_any(&["refunded", "reimbursed", "repaid"]));
    // "paid out 50 to Dave for the firewood", "then paid 90 to the caravan park": a diary line of the user
    // paying someone.
    let paid_someone = t.tokens.iter().enumerate().any(|(i, w)| {
        w.is("paid")
            && (i == 0 || (i == 1 && t.tokens[0].is_any(&["then", "just", "also", "and", "finally"])))
            && !t.tokens.get(i + 1).is_some_and(|n| n.is_any(&["me", "us", "myself", "ourselves"]))
            && t.tokens[i + 1..].iter().take(5).any(|n| n.is("to"))
    });
    owed || moved
        || gave_back
        || crate::speech_act::sold_to_user(t)
        || paid_someone
        || handed_over(a)
        || charge_received(a)
        || repaid_by_user(a)
}

/// The user paying a debt back ("paid mum back 100 today", "paid back the loan 500", "I gave back the 40 Sue
/// lent me"): money out, whatever "back" suggests — not "paid me back", "she paid us back".
fn repaid_by_user(a: &Analysis) -> bool {
    let t = &a.text.tokens;
    t.iter().enumerate().any(|(i, w)| {
        let back = w.is("repaid")
            || (w.is_any(&["paid", "gave", "sent", "transferred", "handed"])
                && t[i + 1..].iter().take(3).any(|n| n.is("back")));
        back && (i == 0 || users_verb(&a.text, i) || t[i - 1].is_any(&["just", "finally", "also"]) && i == 1)
            && !t.get(i + 1).is_some_and(|n| n.is_any(&["me", "us", "myself", "ourselves"]))
    })
}

/// What the user was sent to pay or answer is not income: "we received a bill for $300", "got a $120
/// fine in the mail", "received a letter saying our rego is 850", "received a refund request for 80" —
/// and money received *from* the user is money out ("the buyer received 500 from us").
fn charge_received(a: &Analysis) -> bool {
    const PAPERS: &[&str] = &[
        "bill",
        "bills",
        "invoice",
        "fine",
        "fines",
        "ticket",
        "infringement",
        "penalty",
        "charge",
        "letter",
        "request",
        "notice",
        "email",
        "text",
        "message",
        "quote",
        "reminder",
        "demand",
        "renewal",
        "rates",
        "summons",
        "assessment",
    ];
    let t = &a.text.tokens;
    // Money back on a bill is income all the same ("got 60 back on the power bill", "a refund of 300 on the
    // council bill") — not a request for it, nor "the back tyre".
    let back_after = |k: usize| t.get(k + 1).is_some_and(|n| n.is("back"));
    let money_back = (a.text.has_any(&["refund", "refunded", "reimbursed", "rebate", "credit"])
        || a.entities.iter().any(|e| back_after(e.end() - 1))
        || t.iter().enumerate().any(|(k, w)| w.is_any(&["got", "get", "received"]) && back_after(k)))
        && !a.text.has_any(&["request", "requested", "requesting"]);
    let received =
        |i: usize| t[i].is_any(&["received", "receive", "got", "get", "copped", "cop", "sent", "issued", "slapped"]);
    // The paper named close after the verb, or anywhere before the amount ("received a $300 fine",
    // "received a really hefty electricity bill, $410").
    let paper = t.iter().enumerate().any(|(i, _)| {
        let amount_at = a.entities.iter().map(|e| e.start).find(|&s| s > i).unwrap_or(t.len());
        received(i)
            && !t.get(i + 1).is_some_and(|n| n.is("paid"))
            && t[i + 1..amount_at.max(i + 5).min(i + 8).min(t.len())].iter().any(|n| n.is_any(PAPERS))
    });
    let from_user = t.iter().enumerate().any(|(i, _)| {
        received(i) && t[i + 1..t.len().min(i + 6)].windows(2).any(|w| w[0].is("from") && w[1].is_any(&["us", "me"]))
    }) && !a.text.has_any(&["back", "borrowed", "lent", "owed", "repaid"]);
    (paper && !money_back) || from_user
}

/// Money the user handed to someone ("gave Dave $100 for his share of the fuel", "I lent my son $500",
/// "sent mum 50"): out, not in — the verb opens the message or follows "I"/"we", and no "me" or "us"
/// receives it.
fn handed_over(a: &Analysis) -> bool {
    let t = &a.text.tokens;
    // "grandson paid back the 200 we lent him": the loan is a clause on the amount paid back, not a hand-over.
    let came_back = a.entities.iter().any(|e| {
        t.get(e.end()).is_some_and(|n| n.is_any(&["we", "i"]))
            && t.get(e.end() + 1).is_some_and(|n| n.is_any(&["lent", "loaned"]))
            && t[..e.start].iter().rev().take(3).any(|w| w.is_any(&["back", "repaid"]))
    });
    !came_back
        && t.iter().enumerate().any(|(i, w)| {
            w.is_any(&["gave", "lent", "loaned", "sent", "handed", "transferred", "wired", "venmoed", "shouted"])
                && (i == 0 || t[i - 1].is_any(&["i", "we", "just", "also", ","]))
                && !t.get(i + 1).is_some_and(|n| n.is_any(&["me", "us", "myself", "ourselves", "back"]))
        })
}

/// The user telling of their own income in the plainest form: "I"/"we" (or a diary line) right before a
/// verb of earning ("I earned 1100 this fortnight", "we got paid 880 for harvest work", "netted 410
/// from two shifts"), an amount, and none of question, supposition, plan, denial, someone else's money
/// or hearsay.
pub(crate) fn own_income_told(a: &Analysis) -> bool {
    let t = &a.text;
    // Not "received": what is received may be a bill, a parcel or a letter as well as money.
    let earning = |i: usize| {
        t.tokens[i].is_any(&["earned", "netted", "pocketed"])
            || (t.tokens[i].is_any(&["got", "been"]) && t.tokens.get(i + 1).is_some_and(|n| n.is("paid")))
    };
    // "we were paid 880": passive pay is the user's only with the user as its subject ("Power bill. Was
    // paid $312" tells of the bill).
    let paid_to_user = |i: usize| {
        users_verb(t, i) && t.tokens[i].is_any(&["was", "were"]) && t.tokens.get(i + 1).is_some_and(|n| n.is("paid"))
    };
    let told = (0..t.len())
        .any(|i| ((users_verb(t, i) || i == 0 || t.sentence_break_before(i)) && earning(i)) || paid_to_user(i));
    told && a.entities.iter().any(|e| slots::is_amount(a, e))
        && a.act.may_log_income()
        && !a.act.third_party
        && !a.act.others_act
}
