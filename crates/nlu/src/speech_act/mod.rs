//! What kind of thing a sentence does, apart from its topic: asks, supposes, denies, reports someone
//! else, quotes a price — or reports or orders something done. These are high-precision rules; they are
//! both features for the classifier and a gate: a sentence that asks, supposes, denies, speaks of
//! someone else or quotes a price never logs money, whatever the classifier thinks.
//!
//! Denials and suppositions count in the clause that holds the amount ("I didn't buy the $60 esky");
//! elsewhere they are colour ("bulk billing wasn't on, so the GP charged us $95", "$4 for a shower,
//! worth every cent"). Calling something off counts wherever it opens a clause ("…, actually don't log it", "skip it")
//! or names what not to do ("don't add the $22"), not in a side remark ("so the neighbours don't fuss").

mod allows;
mod denial;
mod grammar;
mod money_in;
mod price;
mod voice;
mod who;
mod words;

pub(crate) use grammar::is_year;

/// An order that is not the user's: the whole of it quoted from someone else ("'post to the forum: …' is
/// what Barry wrote").
pub(crate) fn order_quoted(text: &crate::text::Text) -> bool {
    voice::quoted_writing(text) == Some(0)
}
pub(crate) use money_in::{sold_to_user, users_spending_word};
pub(crate) use who::person;
pub(crate) use words::{BUDGET_WORDS, CALL_OFF, SARCASM_TAGS, SUBJECTS, USER_SPENDING, WANTS, WH, is_finite};

use grammar::{clauses, is_amount, past_tense};

use crate::entities::{Entity, Kind};
use crate::text::Text;
use words::*;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SpeechAct {
    /// A question ("how much…", "is it…?") that is not a polite order ("can you log…").
    pub question: bool,
    /// "can you…", "could you…", "please…", "how about we…": an order asked politely.
    pub polite_request: bool,
    /// A request wrapped in a courtesy formula ("I was wondering whether you might…", "I should like…").
    pub courteous: bool,
    /// "if", "would", "thinking about", "going to", "might": not something that happened.
    pub hypothetical: bool,
    /// "didn't", "don't", "never mind", "hold off", "cancel".
    pub negated: bool,
    /// A day still to come, or "later", or long ago ("back in 1985"): no purchase to log now (an order for
    /// a day to come is fine).
    pub future: bool,
    /// Someone else spent it ("Dave filled up", "my mate spent", "the Hendersons dropped $400").
    pub third_party: bool,
    /// Someone else does or did what the sentence is about ("the neighbours set an alarm for 5", "my
    /// brother's planning a run to Moab", "Jan posted about the dump point"): nothing to order.
    pub others_act: bool,
    /// An order passed on to someone else ("tell Dave to book the site").
    pub relayed: bool,
    /// Put off until something else happens ("once the invoice clears", "after dinner", "if fuel drops").
    pub deferred: bool,
    /// Someone else earned it ("Gary earned 600", "our son's paycheck was $3,100").
    pub others_income: bool,
    /// Money came to the user ("Centrelink paid us", "pay's in, 3.1k"), not from them.
    pub money_in: bool,
    /// Someone said or quoted it ("quoted us", "reckons", "apparently", "the menu says").
    pub reported: bool,
    /// A price in force rather than money spent ("diesel's $2.19", "$55 a night", "gas is $3.29 a gallon").
    pub price_statement: bool,
    /// A verb that reports money spent or received ("spent", "paid", "bought", "got paid").
    pub past_money_verb: bool,
    /// An order to record ("log", "add", "record", "Expense:").
    pub record_order: bool,
    /// A clause that opens with an order ("plan it for me", "set a timer", "remind me…").
    pub imperative: bool,
    /// A plain statement: a finite verb that tells rather than orders or asks ("it rained all day in
    /// Hobart", "we drove 300 miles"). A note with no verb ("dentist tomorrow at 10am") is not one.
    pub declarative: bool,
    /// A question about what something costs in general ("what does a powered site usually cost?"):
    /// not about the user's own spending, a trip or a fill-up, so offline there is nothing to look up.
    pub price_question: bool,
    /// The sentence works out a total ("2 x $18 = $36", "total $110", "$165 all up").
    pub totalled: bool,
    /// An amount per week, month or year ("$25 a week", "100/month"): an allowance, as budgets are.
    pub per_period: bool,
    /// "how do I…", "explain…", "what's the way to…": a question about using the app.
    pub how_to: bool,
    /// A question told as a statement ("the missus wants to know if we're free Friday arvo", "I can't
    /// remember if the ferry is this week"): it may be answered with a read, as a question is.
    pub asked_within: bool,
}

impl SpeechAct {
    pub fn of(text: &Text, entities: &[Entity]) -> SpeechAct {
        let tokens = &text.tokens;
        let words: Vec<&str> = tokens.iter().map(|t| t.norm.as_str()).collect();
        let first = text.norm(0);
        let second = text.norm(1);
        let parts = clauses(text);
        let in_entity = |i: usize| entities.iter().any(|e| e.covers(i));
        // The clause holding the first amount, if any; else the whole sentence.
        let money_clause = entities
            .iter()
            .find(|e| is_amount(e))
            .and_then(|e| parts.iter().copied().find(|(s, end)| (*s..*end).contains(&e.start)))
            .unwrap_or((0, text.len()));
        let in_money_clause = |i: usize| (money_clause.0..money_clause.1).contains(&i);

        let polite_request = voice::polite_request(text, entities);
        // "how much…", and after a softener: "roughly how many km…", "so what's on…".
        let courtesy = voice::courtesy(text);
        let courteous = !courtesy.is_empty();
        let in_courtesy = |i: usize| courtesy.iter().any(|(s, e)| (*s..*e).contains(&i));
        let clause_opens_question = parts.iter().any(|(s, _)| {
            // "what a night!", "what an effort": an exclamation, not a question.
            let exclaimed = text.norm(*s) == "what" && matches!(text.norm(s + 1), "a" | "an");
            (WH.contains(&text.norm(*s)) && !exclaimed)
                || (WH.contains(&text.norm(s + 1))
                    && (text.norm(*s).ends_with("ly")
                        || matches!(text.norm(*s), "so" | "and" | "ok" | "okay" | "just")))
        });
        // "how much", "how long", "how far", "how many" ask wherever they stand ("if gas is $3.89 a
        // gallon how much for 600 miles").
        let how_much = ["how much", "how many", "how long", "how far"].iter().any(|p| text.has_phrase(p));
        // An auxiliary before its subject asks ("what will we have spent", "are they due"), unless
        // a subject comes first ("I wonder if we have").
        let inverted = (0..tokens.len().saturating_sub(1)).any(|i| {
            tokens[i].is_any(AUX)
                && !tokens[i].is_any(&["reckon", "any", "anything"])
                && tokens[i + 1].is_any(&["i", "we", "you", "it", "they", "there", "he", "she"])
                && (i == 0
                    || !tokens[i - 1].is_any(SUBJECTS) && !tokens[i - 1].is_any(&["if", "whether", "when", "as"]))
        });
        // "did a DoorDash shift last night, cleared 87", "did 38 hours at the shed": a diary line with
        // its subject left out — the auxiliary has an object where a question's subject would stand.
        // A question in that shape ("did a $45 refund come through") has no second clause or past verb.
        let diary_did = matches!(first, "did" | "do" | "done")
            && (in_entity(1)
                || matches!(second, "a" | "an" | "some" | "another" | "few" | "couple" | "heaps" | "lots"))
            && (text.has(",") || (2..tokens.len()).any(|i| past_tense(text, i)));
        // A question word with its auxiliary after a clause that sets it up ("if we do 900 miles this week
        // what'll gas run at $3.55", "if the rego comes out, where does that leave us") — not a relative
        // clause ("that's what's left", "I know what it cost").
        let wh_asks_later = text.has("if")
            && (1..tokens.len()).any(|i| {
                WH.contains(&words[i])
                    && (words[i].contains('\'') || words.get(i + 1).is_some_and(|n| AUX.contains(n)))
                    && !tokens[i - 1]
                        .is_any(&["that's", "thats", "is", "know", "see", "about", "of", "exactly", "that"])
            });
        let asks = text.has("?")
            || wh_asks_later
            || clause_opens_question
            || how_much
            || inverted
            || (AUX.contains(&first) && !polite_request && !diary_did)
            || first == "any";
        let question = asks && !polite_request;
        let how_to = text.has_phrase("how do i")
            || text.has_phrase("how do you")
            || text.has_phrase("how can i")
            || text.has_phrase("how does")
            || text.has_phrase("the way to")
            || text.has_any(&["explain", "tutorial", "instructions"]);

        let first_clause = parts.first().copied().unwrap_or((0, 0));
        let in_first_clause = |i: usize| (first_clause.0..first_clause.1).contains(&i);
        // Something still to come: a day after today, or "later", "next…".
        let future_day = entities.iter().any(|e| match e.kind {
            Kind::Day(crate::entities::DayExpr::Offset(n)) => n > 0,
            Kind::Day(crate::entities::DayExpr::Weekday { next_week, .. }) => next_week,
            _ => false,
        }) || text.has_any(&["later", "tomorrow", "tmrw"]);
        // Long ago: "back in 1985 I earned four bucks an hour", "years ago we paid $2 a litre".
        // A memory told: "I remember filling up at Eucla for $1.20 a litre", "remember when diesel was $1".
        let recalled = ["i remember", "we remember", "remember when", "remember the time", "remember that time"]
            .iter()
            .any(|p| text.has_phrase(p));
        let long_ago = recalled
            || ["back in", "years ago", "years back", "a year ago", "a year back", "decades ago", "when i was", "in the old days"]
                .iter()
                .any(|p| text.has_phrase(p))
            // "my first van cost me $4,000 in 1985": a year gone by.
            || (1..tokens.len()).any(|i| {
                tokens[i - 1].is_any(&["in", "since"]) && is_year(words[i]) && words[i] < "2024"
            });
        // What a limit "should be" sets it ("the tours budget should be $500 a year"); asked, it is a
        // question ("should the fuel budget be 600?").
        let directive = !asks
            && !words.iter().any(|w| *w == "if" || REPORTED.contains(w))
            && ["should be", "needs to be", "ought to be", "has to be"].iter().any(|p| text.has_phrase(p))
            && text.has_any(&["budget", "budgeted", "limit", "cap", "capped", "limited", "allowance"]);
        let hypothetical = words.iter().enumerate().any(|(i, w)| {
            HYPOTHETICAL.contains(w)
                && !in_courtesy(i)
                // "hope you're well", "hope ya had a good weekend": a greeting, not a wish about the money.
                && !(matches!(*w, "hope" | "hoping")
                    && matches!(
                        words.get(i + 1),
                        Some(&"you" | &"you're" | &"youre" | &"ya" | &"u" | &"ur" | &"all" | &"everyone" | &"your")
                    ))
                && (in_money_clause(i)
                    || in_first_clause(i)
                    || matches!(*w, "if" | "pending" | "wishlist" | "roughly" | "approximately"))
                && !(*w == "would" && matches!(words.get(i + 1), Some(&"you" | &"ya" | &"ye" | &"u")))
                && !(*w == "could" && matches!(words.get(i + 1), Some(&"you") | Some(&"u")))
                && !(*w == "should" && directive)
                // "I wanna cap the Starlink at 140", "wanna remember the groomer Monday" want it done now.
                && !(*w == "wanna" && (i == 0 || matches!(words[i - 1], "i" | "we" | ",")))
                // "worth every cent", "it was worth it": a purchase judged after the fact.
                && !(*w == "worth"
                    && (matches!(words.get(i + 1), Some(&"every"))
                        || (i > 0 && matches!(words[i - 1], "was" | "were" | "well"))))
                // "95 worth of diesel": an amount's worth, not whether something is worth it.
                && !(*w == "worth"
                    && words.get(i + 1) == Some(&"of")
                    && i > 0
                    && entities.iter().any(|e| is_amount(e) && e.end() == i))
        }) || HYPOTHETICAL_PHRASES.iter().any(|p| {
            // "a trip plan to Mount Gambier" names a place, not an intention.
            text.find_phrase(p).is_some_and(|at| {
                let after = at + p.split(' ').count();
                // "going to Canberra", "going to the coast": a move, not an intention.
                let moving = *p == "going to"
                    && tokens.get(after).is_some_and(|t| t.capitalised || t.is_any(&["the", "a", "an", "my", "our"]));
                // "I'd love to share a little review with the community": a request, like "I'd like to".
                // Not with an excuse after it ("I'd love to post a photo but I'm flat out").
                let asks = matches!(*p, "would love" | "i'd love")
                    && tokens.get(after).is_some_and(|t| t.is("to"))
                    && tokens.get(after + 1).is_some_and(|t| is_order_verb(&t.norm))
                    && !tokens[after..].iter().any(|t| t.is("but"));
                let names_a_place = p.starts_with("plan") && tokens.get(after).is_some_and(|t| t.capitalised);
                // Putting off a decision ("I'd like to mull it over") holds back the whole message.
                let deferred = matches!(*p, "mull it over" | "think it over" | "sleep on it");
                (in_money_clause(at) || deferred) && !(moving || asks || names_a_place)
            })
        });

        let negated = denial::negated(text, entities, &words, money_clause, first_clause);

        let who = who::Who::of(text, entities, &words);
        let reported = voice::reported(text, &words);
        // "the board's got forty posts", "we've got a dentist appointment": "got" that has, not bought.
        let possession = |i: usize| {
            words[i] == "got"
                && i > 0
                && (words[i - 1].ends_with("'s")
                    || words[i - 1].ends_with("'ve")
                    || matches!(words[i - 1], "has" | "have"))
        };
        let past_money_verb =
            words.iter().enumerate().any(|(i, w)| (is_spent(w) || EARNED.contains(w)) && !possession(i));
        let first_person = words.iter().any(|w| FIRST_PERSON.contains(w));
        let prices = price::Prices::of(text, entities, past_money_verb, first_person);
        let record_order = RECORD.contains(&first)
            || ((polite_request || courteous)
                && text.has_any(&["log", "add", "record", "enter", "note", "track", "jot", "expense", "income"]))
            || text.has_phrase("log it")
            || text.has_phrase("add it");
        // "add it up for me: 45 fuel, 30 groceries" asks for a sum.
        let record_order = record_order && !text.has_phrase("add it up") && !text.has_phrase("add up");

        let imperative = voice::order_verb_given(text)
            || polite_request
            || courteous
            // "I want a $500 limit on repairs" orders; "I want to get a new phone, maybe $900" wishes.
            || (WANTS.iter().any(|p| text.has_phrase(p)) && !hypothetical)
            // "need a 6 minute timer for the eggs": a want with its subject dropped.
            || (matches!(first, "need" | "want") && !hypothetical)
            || directive;

        // Words inside a value ("8:30 am") or a name ("Broken Hill") are not the sentence's verb: a
        // capital inside the sentence, or two opening it.
        let name_part =
            |i: usize| tokens[i].capitalised && (i > 0 || tokens.get(1).is_some_and(|t| t.capitalised && !t.is("i")));
        // "that 20 min timer earlier", "dentist yesterday at 10", "rego inspection done": told of the past, not
        // asked for.
        // "Done" tells only as a thing's state, not after a verb ("when the spuds are done") or in a clause
        // of time or purpose ("so we're done packing by 8").
        let done = (0..tokens.len()).any(|i| {
            tokens[i].is_any(&["done", "finished", "completed"])
                && !(i > 0 && {
                    let before = &tokens[i - 1];
                    before.is_any(&["are", "is", "be", "get", "got", "were", "was", "been", "being"])
                        || before.norm.ends_with("'re")
                        || before.norm.ends_with("'s")
                })
                && !tokens[..i]
                    .iter()
                    .any(|t| t.is_any(&["when", "till", "until", "once", "so", "before", "by", "after"]))
        });
        let past_marker =
            text.has_any(&["earlier", "ago", "yesterday", "already"]) || text.has_phrase("last night") || done;
        let verb = |i: usize| {
            !in_entity(i)
                && !name_part(i)
                && (is_finite(&tokens[i].norm)
                    // "we set the tyres to 50 psi", "I put the awning out": a verb after its subject tells.
                    || (i > 0
                        && tokens[i - 1].is_any(&["i", "we", "they", "he", "she"])
                        && is_order_verb(&tokens[i].norm))
                    || past_tense(text, i)
                    // "unleaded's sitting at 2.05", "the park's charging $50": is, not has.
                    || (tokens[i].norm.ends_with("'s") && tokens.get(i + 1).is_some_and(|n| n.norm.ends_with("ing"))))
        };
        // A note first, then a remark on it in the present ("twenty minute timer for the snags, they're on
        // the barbie"): the note is what was said; the remark does not make it a statement.
        // Or the remark first and the note last, with a value in it ("tea's steeping, 4 minute timer").
        let last_clause = parts.last().copied().unwrap_or((0, 0));
        let note_last = !(last_clause.0..last_clause.1).any(verb)
            && entities.iter().any(|e| {
                (last_clause.0..last_clause.1).contains(&e.start)
                    && matches!(e.kind, Kind::Duration { .. } | Kind::Time(_))
            });
        let remarked_note = parts.len() > 1
            && (!(first_clause.0..first_clause.1).any(verb) || note_last)
            && !(0..text.len()).any(|i| past_tense(text, i));
        // A memory is told, whatever it recalls ("I remember setting an alarm for 5am").
        let declarative =
            !question && !imperative && (past_marker || recalled || (!remarked_note && (0..text.len()).any(verb)));
        // "the going rate", "what's the rate for…" — not "at this rate", a trend.
        let rate_asked = text.has_phrase("going rate")
            || (text.has("rate") && !text.has_phrase("this rate") && !text.has_phrase("that rate"));
        let price_question = asks
            && (words.iter().any(|w| PRICE_WORDS.contains(w)) || rate_asked)
            && !first_person
            && !entities
                .iter()
                .any(|e| matches!(e.kind, Kind::Distance { .. } | Kind::Volume { .. } | Kind::Consumption { .. }))
            && !text.has_any(&["from", "to", "trip", "drive", "route"]);

        SpeechAct {
            question,
            polite_request,
            courteous,
            hypothetical,
            negated,
            future: future_day || long_ago || grammar::told_ahead(text, entities),
            third_party: who.third_party,
            others_act: who.others_act,
            relayed: who.relayed,
            deferred: grammar::deferred(text, entities),
            others_income: who.others_income,
            money_in: who.money_in,
            reported,
            price_statement: prices.statement,
            past_money_verb,
            record_order,
            imperative,
            declarative,
            price_question,
            // "…, so 42": the sum said after the items.
            totalled: text.has("=")
                || text.has("total")
                || text.has_phrase("all up")
                || entities.iter().any(|e| {
                    // "…, so 42", "…, that's 14.70": the sum said after the items.
                    is_amount(e) && e.start > 0 && tokens[e.start - 1].is_any(&["so", "that's", "thats"])
                }),
            per_period: prices.per_period,
            how_to,
            asked_within: grammar::asked_within(text),
        }
    }
}

#[cfg(test)]
mod tests;
