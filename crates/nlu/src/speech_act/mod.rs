//! What kind of thing a sentence does, apart from its topic: asks, supposes, denies, reports someone
//! else, quotes a price — or reports or orders something done. These are high-precision rules; they are
//! both features for the classifier and a gate: a sentence that asks, supposes, denies, speaks of
//! someone else or quotes a price never logs money, whatever the classifier thinks.
//!
//! Denials and suppositions count in the clause that holds the amount ("I didn't buy the $60 esky");
//! elsewhere they are colour ("bulk billing wasn't on, so the GP charged us $95", "$4 for a shower,
//! worth every cent"). Calling something off ("don't log it", "skip it") counts anywhere.

mod words;

use crate::entities::{Entity, Kind};
use crate::text::Text;
use words::*;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SpeechAct {
    /// A question ("how much…", "is it…?") that is not a polite order ("can you log…").
    pub question: bool,
    /// "can you…", "could you…", "please…", "how about we…": an order asked politely.
    pub polite_request: bool,
    /// "if", "would", "thinking about", "going to", "might": not something that happened.
    pub hypothetical: bool,
    /// "didn't", "don't", "never mind", "hold off", "cancel".
    pub negated: bool,
    /// A day still to come, or "later": a purchase on it has not happened (an order for it is fine).
    pub future: bool,
    /// Someone else spent it ("Dave filled up", "my mate spent", "the Hendersons dropped $400").
    pub third_party: bool,
    /// Someone else earned it ("Gary earned 600", "our son's paycheck was $3,100").
    pub others_income: bool,
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
    /// An amount per week, month or year ("$25 a week", "100/month"): an allowance, as budgets are.
    pub per_period: bool,
    /// "how do I…", "explain…", "what's the way to…": a question about using the app.
    pub how_to: bool,
}

/// Token ranges of the clauses.
fn clauses(text: &Text) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, t) in text.tokens.iter().enumerate() {
        if t.is_any(CLAUSE_BREAKS) {
            if i > start {
                out.push((start, i));
            }
            start = i + 1;
        }
    }
    if start < text.len() {
        out.push((start, text.len()));
    }
    out
}

fn is_amount(e: &Entity) -> bool {
    matches!(e.kind, Kind::Money(_) | Kind::Number { .. } | Kind::Volume { .. })
}

fn is_rate_after(text: &Text, e: &Entity, units: &[&str]) -> bool {
    let next = text.norm(e.end());
    let after = text.norm(e.end() + 1);
    // "$55 a night", "$2.19 per litre", "$25 each", "140 weekly" — not "3 nights".
    (matches!(next, "a" | "per" | "/" | "an" | "each" | "every") && units.contains(&after))
        || matches!(next, "each" | "pp" | "ea" | "weekly" | "monthly" | "yearly" | "annually" | "/wk" | "pw")
}

/// A past-tense verb by its ending ("dinged", "crossed"), not a name or an order verb.
fn past_tense(text: &Text, i: usize) -> bool {
    let t = &text.tokens[i];
    t.norm.len() >= 5 && t.norm.ends_with("ed") && t.norm.chars().all(char::is_alphabetic) && !(t.capitalised && i > 0)
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

        let polite_request = words
            .windows(2)
            .any(|w| matches!(w[0], "can" | "could" | "would" | "will") && matches!(w[1], "you" | "u" | "ya" | "ye"))
            || (first == "how" && second == "about")
            || text.has_any(&["please", "pls", "plz"])
            // "can we budget 20 a week for the pokies" orders; "can we make it to Broome in a day" asks.
            || (matches!(first, "can" | "could")
                && second == "we"
                && matches!(text.norm(2), "budget" | "set" | "add" | "plan" | "log" | "put" | "schedule" | "book" | "change" | "record"));
        let clause_opens_question = parts.iter().any(|(s, _)| WH.contains(&text.norm(*s)));
        let asks =
            text.has("?") || clause_opens_question || (AUX.contains(&first) && !polite_request) || first == "any";
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
        let hypothetical = words.iter().enumerate().any(|(i, w)| {
            HYPOTHETICAL.contains(w)
                && (in_money_clause(i) || in_first_clause(i) || *w == "if")
                && !(*w == "would" && words.get(i + 1) == Some(&"you"))
                && !(*w == "could" && matches!(words.get(i + 1), Some(&"you") | Some(&"u")))
        }) || HYPOTHETICAL_PHRASES.iter().any(|p| text.find_phrase(p).is_some_and(in_money_clause));

        // "skip it", "forget the coffee" call off when they open a clause; "the truck stop" does not.
        let clause_start = |i: usize| {
            i == 0
                || tokens[i - 1].is_any(CLAUSE_BREAKS)
                || tokens[i - 1].is_any(&["just", "please", "pls", "oh", "nah"])
        };
        let called_off = words
            .iter()
            .enumerate()
            .any(|(i, w)| matches!(*w, "don't" | "dont" | "nah") || (CALL_OFF.contains(w) && clause_start(i)))
            || CALL_OFF_PHRASES.iter().any(|p| text.has_phrase(p))
            || (first == "no" && second == ",")
            || (first == "wait" && text.len() > 1);
        // A denial counts in the amount's clause, or in the first clause when the user is its subject
        // ("we didn't go to Maccas in the end, so no 30 bucks"), not in a side remark ("bulk billing
        // wasn't on, so the GP charged us $95"); "no $30" denies the amount itself.
        let self_first = (first_clause.0..first_clause.1).any(|i| tokens[i].is_any(SELF_SUBJECT));
        let negated = called_off
            || words.iter().enumerate().any(|(i, w)| {
                NEGATION.contains(w)
                    && (in_money_clause(i) || (self_first && in_first_clause(i)))
                    && !(*w == "not" && words.get(i + 1) == Some(&"sure"))
            })
            || entities.iter().any(|e| is_amount(e) && e.start > 0 && tokens[e.start - 1].is("no"));

        // Who did it: the words before the first money verb.
        let verb_at = words.iter().position(|w| SPENT.contains(w) || EARNED.contains(w) || REPORTED.contains(w));
        let subject = &tokens[..verb_at.unwrap_or(0)];
        // A name: a capitalised word that is not an acronym (RV, KOA), a shop or category word, a day, or
        // a word the corpus uses in lower case ("Haircut was $35").
        let name = |i: usize| {
            let t = &tokens[i];
            t.capitalised
                && !in_entity(i)
                && !t.is_any(OPENERS)
                && t.norm.len() > 1
                && text.folded[t.span.clone()].chars().skip(1).any(char::is_lowercase)
                && crate::vocabulary::canonical(&t.norm).is_none()
                && crate::vocabulary::find_in_text(&t.norm).is_none()
                && !crate::spelling::is_common_word(&t.norm)
        };
        // The subject's head: a name opening the sentence ("Pete just spent"), or names joined to it
        // ("Helen and Ray booked") — not a place further in ("tour of the Bungle Bungles was 299").
        let named_subject = verb_at.is_some_and(|v| v > 0) && name(0);
        let person = |t: &crate::text::Token| {
            let base = t.norm.trim_end_matches("'s");
            PERSONS.contains(&base) || PERSONS.iter().any(|p| base.starts_with(&format!("{p}-")))
        };
        let family_name = subject.windows(2).any(|w| w[0].is("the") && w[1].capitalised && w[1].norm.ends_with('s'));
        let possessive_other = subject.iter().any(|t| t.norm.ends_with("'s") && (t.capitalised || person(t)));
        // "our wifi pass", "my rego": the user's own things are not someone else.
        let own_thing = subject.iter().any(|t| t.is_any(&["my", "our"])) && !subject.iter().any(person);
        let other_subject = (named_subject || subject.iter().any(person) || family_name || possessive_other)
            && !own_thing
            && !subject.iter().any(|t| t.is_any(SELF_SUBJECT));
        // "Centrelink paid us": the user is on the receiving end. "The nomads across from us bought":
        // the user is only a landmark in someone else's sentence.
        let after_verb = verb_at.map(|v| &tokens[(v + 1).min(tokens.len())..]).unwrap_or(&[]);
        let to_self = after_verb.iter().any(|t| t.is_any(SELF_OBJECT));
        let third_party = other_subject && !to_self;
        // Someone else paying is how income arrives, but only to the user: "paid me", "paid us", or
        // money that is income by its name ("the tenants paid the rent", "bond back").
        let income_word = text.has_any(INCOME_WORDS);
        let others_income = other_subject
            && !to_self
            && (verb_at.is_some_and(|v| EARNED.contains(&words[v]))
                || subject.iter().any(|t| t.is_any(&["paycheck", "paycheque", "wages", "salary", "pension"]))
                || !income_word);

        let reported = words.iter().any(|w| REPORTED.contains(w)) && !text.has_phrase("pay me");
        let past_money_verb = words.iter().any(|w| SPENT.contains(w) || EARNED.contains(w));
        let first_person = words.iter().any(|w| FIRST_PERSON.contains(w));
        let present_price = words.iter().enumerate().any(|(i, w)| {
            matches!(*w, "is" | "are" | "costs" | "runs" | "running" | "has" | "goes" | "sells" | "holds")
                || (w.ends_with("'s") && i + 1 < words.len() && entities.iter().any(|e| e.start == i + 1))
        });
        let money_like = |e: &Entity| matches!(e.kind, Kind::Money(_) | Kind::Number { .. });
        let rate = entities.iter().any(|e| money_like(e) && is_rate_after(text, e, RATE_UNITS));
        let per_period = entities.iter().any(|e| money_like(e) && is_rate_after(text, e, PERIOD_UNITS));
        let volume = entities.iter().any(|e| matches!(e.kind, Kind::Volume { .. }));
        let amount_said = entities.iter().any(money_like);
        let price_statement =
            !volume && ((present_price && !first_person && amount_said) || (rate && !past_money_verb && !first_person));

        let record_order = RECORD.contains(&first)
            || (polite_request && text.has_any(&["log", "add", "record"]))
            || text.has_phrase("log it")
            || text.has_phrase("add it");

        let imperative = tokens.iter().enumerate().any(|(i, t)| {
            t.is_any(ORDER_VERBS)
                && (i == 0 || tokens[i - 1].is_any(&[",", "and", "please", "pls", "just", "-", ":", "now", "so", "pam"]))
        }) || polite_request
            // "I want a $500 limit on repairs" orders; "I want to get a new phone, maybe $900" wishes.
            || (WANTS.iter().any(|p| text.has_phrase(p)) && !hypothetical);

        // Words inside a value ("8:30 am") or a name ("Broken Hill") are not the sentence's verb.
        let declarative = !question
            && !imperative
            && (0..text.len()).any(|i| {
                !in_entity(i)
                    && ((tokens[i].is_any(FINITE) && !(tokens[i].capitalised && i > 0)) || past_tense(text, i))
            });
        let price_question = asks
            && words.iter().any(|w| PRICE_WORDS.contains(w))
            && !first_person
            && !entities
                .iter()
                .any(|e| matches!(e.kind, Kind::Distance { .. } | Kind::Volume { .. } | Kind::Consumption { .. }))
            && !text.has_any(&["from", "to", "trip", "drive", "route"]);

        SpeechAct {
            question,
            polite_request,
            hypothetical,
            negated,
            future: future_day,
            third_party,
            others_income,
            reported,
            price_statement,
            past_money_verb,
            record_order,
            imperative,
            declarative,
            price_question,
            per_period,
            how_to,
        }
    }

    /// Whether the sentence may log money spent (an expense or a fill-up).
    pub fn may_log_money(&self) -> bool {
        !(self.question
            || self.hypothetical
            || self.future
            || self.negated
            || self.third_party
            || self.reported
            || self.price_statement)
    }

    /// Whether the sentence may record income: as for spending, except that someone else paying the
    /// user is how income arrives ("the tenants paid the rent") — only someone else's own earnings
    /// are not the user's.
    pub fn may_log_income(&self) -> bool {
        !(self.question
            || self.hypothetical
            || self.future
            || self.negated
            || self.others_income
            || self.reported
            || self.price_statement)
    }

    /// Whether the sentence may give an order that changes data (a budget, an event, a timer, a post):
    /// an order ("set…", "can you add…", "I want…") or a note with no verb ("dentist tomorrow at
    /// 10am"), not denied; a question, a supposition or a statement orders nothing unless an order
    /// comes with it ("we're thinking of doing Bourke to Longreach, plan it out").
    pub fn may_order(&self) -> bool {
        !self.negated
            && (self.imperative
                || !(self.question || self.hypothetical || self.declarative || self.price_statement || self.reported))
    }

    /// Whether the sentence asks for something to be looked up: a question, an order or a bare note
    /// ("budget check"), not a statement ("it rained all day in Hobart") or a price question.
    pub fn may_read(&self) -> bool {
        !self.price_question && (self.question || self.imperative || !self.declarative)
    }

    /// Classifier features.
    pub fn features(self) -> impl Iterator<Item = &'static str> {
        [
            (self.question, "act:question"),
            (self.polite_request, "act:polite"),
            (self.hypothetical, "act:hypothetical"),
            (self.negated, "act:negated"),
            (self.future, "act:future"),
            (self.third_party, "act:third_party"),
            (self.others_income, "act:others_income"),
            (self.reported, "act:reported"),
            (self.price_statement, "act:price"),
            (self.past_money_verb, "act:past_money"),
            (self.record_order, "act:record"),
            (self.imperative, "act:imperative"),
            (self.declarative, "act:declarative"),
            (self.price_question, "act:price_question"),
            (self.per_period, "act:per_period"),
            (self.how_to, "act:how_to"),
        ]
        .into_iter()
        .filter_map(|(on, name)| on.then_some(name))
    }
}

#[cfg(test)]
mod tests;
