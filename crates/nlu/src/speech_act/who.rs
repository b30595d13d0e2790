//! Who the sentence is about: the user, or someone else — someone else's purchase ("Dave filled up",
//! "my buddy put 90L in"), their own earnings ("Gary earned 600"), an order done by or passed on to
//! someone else ("the neighbours set an alarm", "tell Dave to book the site"), someone else's entry
//! ("Trev: 95L @ 2.24").

use super::grammar::past_tense;
use super::money_in::PAYERS;
use super::words::*;
use crate::entities::Entity;
use crate::text::{Text, Token};

pub(super) struct Who {
    pub third_party: bool,
    pub others_act: bool,
    pub relayed: bool,
    pub others_income: bool,
    pub money_in: bool,
}

/// A word for a person other than the user ("sister", "the neighbours", "my buddy's", "sister-in-law").
pub(crate) fn person(t: &Token) -> bool {
    let base = t.norm.trim_end_matches("'s");
    is_person_word(base) || base.split_once('-').is_some_and(|(head, _)| is_person_word(head))
}

impl Who {
    pub(super) fn of(text: &Text, entities: &[Entity], words: &[&str]) -> Who {
        let tokens = &text.tokens;
        let in_entity = |i: usize| entities.iter().any(|e| e.covers(i));
        // Who did it: the words before the first money verb.
        let verb_at = words.iter().position(|w| is_spent(w) || EARNED.contains(w) || REPORTED.contains(w));
        let subject = &tokens[..verb_at.unwrap_or(0)];
        // A name: a capitalised word that is not an acronym (RV, KOA), a shop or category word, a day, or
        // a word the corpus uses in lower case ("Haircut was $35").
        let name = |i: usize| {
            let t = &tokens[i];
            t.capitalised
                && !in_entity(i)
                && !t.is_any(OPENERS)
                // "Broadcast to the forum - …": an order's verb opening the sentence, not a name.
                && (i > 0 || !is_order_verb(&t.norm))
                && t.norm.len() > 1
                && text.folded[t.span.clone()].chars().skip(1).any(char::is_lowercase)
                && crate::vocabulary::canonical(&t.norm).is_none()
                && crate::vocabulary::find_in_text(&t.norm).is_none()
                // A common word is no name, unless it opens the sentence as the one who paid ("Jan paid $18").
                && (!crate::spelling::is_common_word(&t.norm)
                    || (i == 0
                        && t.norm.len() >= 3
                        // "Expense: 12.40", "Receipt - …": a label, not a name.
                        && !t.is_any(super::words::RECORD)
                        && !t.is_any(&["receipt", "budget", "timer", "alarm", "post", "reminder", "calendar", "total", "docket", "entry", "paid", "spent"])
                        && tokens.get(1).is_some_and(|n| {
                            // "Tank was empty": a copula after a common word tells of a thing ("Sarah went to
                            // town" still tells of someone).
                            (is_spent(&n.norm) && !n.is_any(&["was", "were"]))
                                || (EARNED.contains(&n.norm.as_str()) && !INCOME_NOUNS.contains(&n.norm.as_str()))
                                // "Sarah set a 20 minute timer", "Jo booked the site": done by someone else.
                                || n.is_any(&["set", "booked", "planned", "added", "posted", "scheduled", "wrote", "shared"])
                        })))
        };
        // The subject's head: a name opening the sentence ("Pete just spent"), or names joined to it
        // ("Helen and Ray booked") — not a place further in ("tour of the Bungle Bungles was 299").
        let others = |subject: &[Token], verb_at: Option<usize>| {
            // The name must head the subject: "Relief milking shifts paid…" opens with a capital, but
            // its subject is the shifts; "Pete from next door spent…" is Pete.
            let named_subject = verb_at.is_some_and(|v| v > 0)
                && name(0)
                && subject[1..]
                    .iter()
                    .enumerate()
                    .take_while(|(_, t)| !t.is_any(&["from", "at", "in", "of", "with", "next", "over", "across"]))
                    .all(|(k, t)| {
                        t.capitalised || t.is_any(FILLERS) || t.is_any(&["and", "&", ","]) || in_entity(k + 1)
                    });
            // "the Hendersons", "the Woods" — not a shop ("the Bunnings trip").
            let family_name = (1..subject.len()).any(|i| {
                let t = &subject[i];
                subject[i - 1].is("the")
                    && t.capitalised
                    && t.norm.ends_with('s')
                    && crate::vocabulary::canonical(&t.norm).is_none()
                    && crate::vocabulary::find_in_text(&t.norm).is_none()
            });
            // "Jan's", "my sister's" — not "Doctor's gap fee", whose capital only opens the sentence.
            let possessive_other = subject.iter().enumerate().any(|(k, t)| {
                t.norm.ends_with("'s")
                    && (person(t)
                        || (t.capitalised
                            && (k > 0 || !crate::spelling::is_common_word(t.norm.trim_end_matches("'s")))))
            });
            // "Gwens grocery bill", "Phils fifth wheel": a possessive typed without its apostrophe — a
            // capitalised word no word list knows, with or without its "s", before an everyday word.
            let unknown = |w: &str| {
                !crate::spelling::is_known_word(w)
                    && !crate::spelling::is_english(w)
                    && crate::vocabulary::canonical(w).is_none()
            };
            let bare_possessive =
                subject.first().is_some_and(|t| {
                    t.capitalised
                        && t.norm.len() > 3
                        && t.norm.ends_with('s')
                        && !t.norm.ends_with("ss")
                        && unknown(&t.norm)
                        && unknown(&t.norm[..t.norm.len() - 1])
                }) && subject.get(1).is_some_and(|n| !n.capitalised && crate::spelling::is_common_word(&n.norm));
            let possessive_other = possessive_other || bare_possessive;
            // "a couple of shifts": a number, not a pair of people. "mini golf with the grandkids": company
            // kept, not who did it.
            let with_them = |k: usize| {
                subject[..k].iter().rev().take(3).any(|t| t.is_any(&["with", "w/"]))
                    && subject[k.saturating_sub(3)..k].iter().all(|t| !t.is_punct())
            };
            let someone = subject.iter().enumerate().any(|(k, t)| {
                person(t) && !(t.is("couple") && subject.get(k + 1).is_some_and(|n| n.is("of"))) && !with_them(k)
            });
            // "our wifi pass", "my rego": the user's own things are not someone else.
            let own_thing = subject.iter().any(|t| t.is_any(&["my", "our"])) && !someone;
            (named_subject || someone || family_name || possessive_other)
                && !own_thing
                // "Centrelink came in", "the VA paid": who pays the user's income is no one else acting.
                && !subject.iter().any(|t| t.is_any(PAYERS))
                && !subject.iter().any(|t| t.is_any(SELF_SUBJECT))
        };
        // Income named by its noun ("Age pension landed", "Veterans pension in"): the words before it name
        // the kind of income, not who earned it — unless they say whose it is ("Dad's pension").
        let income_noun = verb_at.is_some_and(|v| INCOME_NOUNS.contains(&words[v]));
        let whose = subject.iter().any(|t| t.norm.ends_with("'s") || t.is_any(&["his", "her", "their"]));
        let other_subject = others(subject, verb_at) && (!income_noun || whose);
        // For an order: the words before the first verb of any kind.
        let act_at = (1..tokens.len()).find(|&i| {
            !in_entity(i)
                && !tokens[i].capitalised
                && (is_finite(&tokens[i].norm)
                    || is_order_verb(&tokens[i].norm)
                    || is_spent(words[i])
                    || past_tense(text, i)
                    || (words[i].len() > 5 && words[i].ends_with("ing")))
        });
        // "tell Dave to book the site", "ask the missus to set an alarm": an order for someone else
        // (not "tell everyone…", a post).
        let relayed = (0..tokens.len()).any(|i| {
            // "tell Jo to…", "ask my husband to…": the person may come after a possessive.
            let k = if tokens.get(i + 1).is_some_and(|t| t.is_any(&["my", "our", "the"])) { i + 2 } else { i + 1 };
            tokens[i].is_any(&["tell", "ask", "get", "remind"])
                && tokens.get(k).is_some_and(|t| {
                    !t.is_any(&["everyone", "everybody", "folks", "people", "group", "community", "all", "me", "us"])
                        && (person(t) || (t.capitalised && !in_entity(k)))
                })
                && tokens[(k + 1).min(tokens.len())..].iter().take(3).any(|t| t.is("to"))
        });
        // "Trev: 95L @ 2.24", "Ray's ute: 78L", "Gaz - packing shed, 640": someone else's entry.
        let labelled_other = tokens.len() > 2
            && (name(0) || person(&tokens[0]))
            && (0..5.min(tokens.len())).any(|i| tokens[i].is_any(&[":", "-"]))
            && !tokens[..5.min(tokens.len())].iter().any(|t| t.is_any(FIRST_PERSON));
        let others_act = relayed
            || labelled_other
            || act_at.is_some_and(|v| {
                others(&tokens[..v], Some(v)) && !tokens[v + 1..].iter().take(3).any(|t| t.is_any(&["me", "us"]))
            });
        // "Centrelink paid us": the user is on the receiving end. "The nomads across from us bought":
        // the user is only a landmark in someone else's sentence.
        let after_verb = verb_at.map(|v| &tokens[(v + 1).min(tokens.len())..]).unwrap_or(&[]);
        // Right after the verb: "paid us", "paid me back" — not "$186 for the six of us".
        // And "hubby got the tyres rotated, cost us 60 bucks": whoever took the van in, the money was the user's.
        let to_self = after_verb.iter().take(2).any(|t| t.is_any(SELF_OBJECT))
            || [
                "owes us",
                "owed us",
                "owes me",
                "owed me",
                "cost us",
                "cost me",
                "set us back",
                "set me back",
                "charged us",
                "charged me",
                "stung us",
                "stung me",
            ]
            .iter()
            .any(|p| text.has_phrase(p));
        let third_party = (other_subject && !to_self) || labelled_other;
        // Someone else paying is how income arrives, but only to the user: "paid me", "paid us", or
        // money that is income by its name ("the tenants paid the rent", "bond back").
        let income_word = text.has_any(INCOME_WORDS);
        // "my brother paid out the deposit on his van": someone else paying for their own thing.
        let their_own = after_verb.iter().any(|t| t.is_any(&["his", "her", "their"]));
        // "the neighbours sold us their old generator": the user bought, nobody paid the user.
        let sold_to_self =
            verb_at.is_some_and(|v| words[v] == "sold") && after_verb.first().is_some_and(|t| t.is_any(SELF_OBJECT));
        let others_income = other_subject
            && (sold_to_self
                || (!to_self
                    && (verb_at.is_some_and(|v| EARNED.contains(&words[v]))
                        || their_own
                        || subject
                            .iter()
                            .any(|t| t.is_any(&["paycheck", "paycheque", "wages", "salary", "pension"]))
                        || !income_word)));

        // "the insurance paid out €800 to the other bloke": money that went to someone else.
        let to_another = super::money_in::paid_to_another(text, entities, words);
        Who {
            third_party: third_party || to_another,
            others_act,
            relayed,
            others_income: others_income || to_another,
            money_in: super::money_in::money_in(text, entities, words),
        }
    }
}

/// Words before a verb that are not its subject.
#[rustfmt::skip]
pub(super) const FILLERS: &[&str] = &[
    "just", "finally", "ugh", "so", "then", "and", "today", "yesterday", "well", "oh", "also", "already", "only",
    "ok", "okay", "right", "welp", "yep", "yeah", "had", "have", "has", "to",
];

/// Income named by a noun that the subject finder takes for its verb.
const INCOME_NOUNS: &[&str] = &["paycheck", "paycheque", "wages", "salary", "pension"];
