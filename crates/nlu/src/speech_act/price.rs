//! Prices in force rather than money spent: "diesel's $2.19", "$55 a night", "IGA 3.90 vs Coles 3.10",
//! "1.69 unleaded at the Metro" — and amounts per week, month or year, which are allowances.

use super::words::*;
use crate::entities::{Entity, Kind};
use crate::text::Text;

pub(super) struct Prices {
    /// A price in force rather than money spent.
    pub statement: bool,
    /// An amount per week, month or year ("$25 a week", "100/month").
    pub per_period: bool,
}

impl Prices {
    pub(super) fn of(text: &Text, entities: &[Entity], past_money_verb: bool, first_person: bool) -> Prices {
        let words: Vec<&str> = text.tokens.iter().map(|t| t.norm.as_str()).collect();
        let money_like = |e: &Entity| matches!(e.kind, Kind::Money(_) | Kind::Number { .. });
        let money_at = |j: usize| entities.iter().any(|e| e.start == j && matches!(e.kind, Kind::Money(_)));
        // A seller's standing offer: the verb right after a named seller or "the servo…", with what is sold
        // after it — not the plural noun in "gas bottle refills $60".
        let offer = |i: usize| {
            COMMERCE_PRESENT.contains(&words[i])
                && i > 0
                && (text.tokens[i - 1].capitalised || (i >= 2 && text.tokens[i - 2].is_any(&["the", "this", "that"])))
                && !money_at(i + 1)
        };
        let present_price = words.iter().enumerate().any(|(i, w)| {
            matches!(*w, "is" | "are" | "costs" | "runs" | "running" | "has" | "goes" | "holds")
                || offer(i)
                || (w.ends_with("'s") && entities.iter().any(|e| e.start == i + 1 && money_like(e)))
        });
        let rate = entities.iter().any(|e| money_like(e) && is_rate_after(text, e, RATE_UNITS));
        let per_period = entities.iter().any(|e| money_like(e) && is_rate_after(text, e, PERIOD_UNITS));
        let volume = entities.iter().any(|e| matches!(e.kind, Kind::Volume { .. }));
        let amount_said = entities.iter().any(money_like);
        // Prices set side by side ("IGA 3.90 vs Coles 3.10", "cheaper than the servo").
        // So are prices listed by place or shop ("$2.29 at Roma, $2.19 at Charleville", "Lake Argyle $55, El
        // Questro $40", "campsite prices: …") when nobody says they paid.
        let named_before = |e: &Entity| e.start > 0 && text.tokens[e.start - 1].capitalised;
        let named_after =
            |e: &Entity| text.norm(e.end()) == "at" && text.tokens.get(e.end() + 1).is_some_and(|t| t.capitalised);
        let priced_by_name = entities.iter().filter(|e| money_like(e) && (named_before(e) || named_after(e))).count();
        let paid = text.has_any(PAID_OUT) || text.has("got");
        let listed = !paid
            && entities.iter().filter(|e| money_like(e)).count() >= 2
            && (priced_by_name >= 2 || text.has_any(&["prices", "pricing"]));
        let comparison = listed
            || text.has_any(&["vs", "versus", "v"])
            || ["cheaper than", "dearer than", "compared to", "less than"].iter().any(|p| text.has_phrase(p));
        // A price scoffed at, not paid: "$80 for a powered site, they're dreaming".
        let scoffed = !past_money_verb
            && (text.has("dreaming")
                || ["having a laugh", "havin a laugh", "are they serious", "rip off", "you're joking"]
                    .iter()
                    .any(|p| text.has_phrase(p)));
        // A fuel price, not a purchase: "1.69 unleaded at the Metro", "diesel 2.19" (no one buys $2 of it).
        let fuel_price = entities.iter().any(|e| {
            let small = match &e.kind {
                Kind::Money(m) => m.cents < 800,
                Kind::Number { value, decimals, .. } => *value < 8.0 && *decimals > 0,
                _ => false,
            };
            let fuel = |i: usize| text.tokens.get(i).is_some_and(|t| t.is_any(FUEL_KINDS));
            small && (fuel(e.end()) || (e.start > 0 && fuel(e.start - 1)))
        }) || (text.has_any(FUEL_KINDS)
            && entities
                .iter()
                .filter(|e| matches!(&e.kind, Kind::Number { value, decimals, .. } if *value < 8.0 && *decimals > 0))
                .count()
                >= 2);
        // "the pub wanted twenty-two quid", "he's asking $900 for it": a price asked, not paid — unless the
        // user is the one asking ("we asked for $50 of diesel").
        // Only with a seller named before the verb ("Asked for $50 of diesel" is the user's order), and not
        // when the user then paid ("he was asking $900, got him down to 750 and bought it").
        let asked = words.iter().enumerate().any(|(i, w)| {
            matches!(*w, "wanted" | "asked" | "asking" | "wants" | "asks")
                && words[..i].iter().any(|w| w.chars().all(char::is_alphabetic) && !SUBJECT_FILLERS.contains(w))
                && !words[..i].iter().any(|w| SELF_SUBJECT.contains(w))
                && !words[i + 1..].iter().any(|w| matches!(*w, "paid" | "bought" | "spent" | "forked" | "handed"))
                && entities.iter().any(|e| e.start > i && e.start <= i + 3 && money_like(e))
        });
        // "capped at 180 a month", "forty bucks a month is the new limit": an allowance being set, not a
        // price, when a word of budgeting stands beside the amount per period.
        let allowance = per_period && text.has_any(BUDGET_WORDS);
        // "gas was four ten a gallon in Barstow": a price per litre or gallon with no other amount is a
        // price, whatever the tense — nobody pays for fuel by the litre's price alone.
        let per_fuel_unit =
            |e: &Entity| money_like(e) && is_rate_after(text, e, &["litre", "liter", "l", "gallon", "gal"]);
        let fuel_rate_only = entities.iter().any(per_fuel_unit)
            && entities
                .iter()
                .filter(|e| money_like(e))
                .all(|e| per_fuel_unit(e) || entities.iter().any(|r| per_fuel_unit(r) && r.start == e.end()));
        let price_statement = !allowance
            && (asked
                || scoffed
                || (fuel_rate_only && !volume)
                || ((comparison || fuel_price) && amount_said && !volume && !per_period)
                || (!volume
                    && ((present_price && !first_person && amount_said)
                        || (rate && !past_money_verb && !first_person))));

        Prices { statement: price_statement, per_period }
    }
}

/// Verbs of a seller's standing offer, in the present: "Tractor Supply swaps propane tanks for $24.99",
/// "the servo fills gas bottles for 30".
#[rustfmt::skip]
const COMMERCE_PRESENT: &[&str] = &[
    "sells", "swaps", "charges", "offers", "lists", "rents", "hires", "refills", "fills", "exchanges", "does",
];

/// Words before a verb that are not a seller: "just asked", "then wanted".
const SUBJECT_FILLERS: &[&str] = &["just", "then", "so", "and", "also", "only", "was", "were", "is"];

fn is_rate_after(text: &Text, e: &Entity, units: &[&str]) -> bool {
    let next = text.norm(e.end());
    let after = text.norm(e.end() + 1);
    // "$55 a night", "$2.19 per litre", "$25 each", "140 weekly" — not "3 nights".
    (matches!(next, "a" | "per" | "/" | "an" | "each" | "every") && units.contains(&after))
        || matches!(next, "each" | "pp" | "ea" | "weekly" | "monthly" | "yearly" | "annually" | "/wk" | "pw")
}
