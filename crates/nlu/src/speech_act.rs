//! What kind of thing a sentence does, apart from its topic: asks, supposes, denies, reports someone
//! else, quotes a price — or reports or orders something done. These are high-precision rules; they are
//! both features for the classifier and a gate: a sentence that asks, supposes, denies, speaks of
//! someone else or quotes a price never logs money, whatever the classifier thinks.

use crate::entities::{Entity, Kind};
use crate::text::Text;

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
    /// Someone else did it ("Dave filled up", "my mate spent").
    pub third_party: bool,
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
}

/// Finite verbs that make a sentence a statement when no order or question goes with it.
const FINITE: &[&str] = &[
    "was", "were", "is", "are", "am", "'s", "it's", "that's", "there's", "we're", "i'm", "they're", "has", "have",
    "had", "got", "saw", "took", "went", "came", "did", "drove", "stayed", "rained", "closes", "opened", "holds",
    "ticked", "posted", "moved", "said", "says", "reckons", "runs", "spent", "paid", "bought", "earned", "filled",
    "booked", "made", "left", "arrived", "crossed", "parked", "love", "loved", "hate", "think", "thinks", "know",
    "knows", "looks", "seems", "feels", "felt", "went", "goes", "broke", "broken", "snoring", "doesn't", "don't",
    "didn't", "isn't", "wasn't", "we've", "i've", "been", "hit", "costs", "sells",
];
const PRICE_WORDS: &[&str] = &[
    "cost",
    "costs",
    "price",
    "prices",
    "priced",
    "dearer",
    "cheaper",
    "cheapest",
    "expensive",
    "fair",
    "reasonable",
    "realistic",
    "usually",
    "normally",
    "typically",
    "quote",
    "going",
    "rate",
];

const WH: &[&str] = &[
    "how", "what", "what's", "whats", "what'll", "where", "where's", "when", "when's", "which", "who", "why", "how's",
    "hows", "how'd", "how're",
];
const AUX: &[&str] = &[
    "is", "are", "am", "do", "does", "did", "was", "were", "will", "would", "should", "can", "could", "have", "has",
    "any", "anything", "isn't", "aren't", "didn't", "shall", "reckon",
];
const HYPOTHETICAL: &[&str] = &[
    "if",
    "would",
    "should",
    "might",
    "maybe",
    "perhaps",
    "thinking",
    "considering",
    "gonna",
    "hoping",
    "hope",
    "wanna",
    "reckon",
    "worth",
    "afford",
    "could",
    "'ll",
    "i'll",
    "we'll",
    "it'll",
    "that'll",
    "someday",
    "eventually",
    "probably",
    "possibly",
    "whether",
];
const NEGATION: &[&str] = &[
    "don't",
    "dont",
    "didn't",
    "didnt",
    "not",
    "never",
    "nah",
    "haven't",
    "havent",
    "hasn't",
    "hasnt",
    "wasn't",
    "wasnt",
    "won't",
    "wont",
    "cancel",
    "forget",
    "skip",
    "nevermind",
    "undo",
    "almost",
    "nope",
    "no",
    "isn't",
    "aren't",
    "weren't",
    "shouldn't",
    "doesn't",
];
const PERSONS: &[&str] = &[
    "mate",
    "mates",
    "son",
    "daughter",
    "brother",
    "sister",
    "mum",
    "mom",
    "dad",
    "wife",
    "husband",
    "partner",
    "friend",
    "friends",
    "neighbour",
    "neighbours",
    "neighbor",
    "neighbors",
    "guy",
    "bloke",
    "lady",
    "woman",
    "man",
    "kids",
    "family",
    "group",
    "they",
    "he",
    "she",
    "someone",
    "somebody",
    "everyone",
    "nomads",
    "couple",
    "people",
    "others",
    "bob",
    "dave",
    "jan",
    "pete",
    "gary",
    "sue",
    "helen",
    "ray",
    "johnsons",
    "cousin",
    "aunt",
    "uncle",
];
const FIRST_PERSON: &[&str] = &[
    "i",
    "i'm",
    "im",
    "i've",
    "ive",
    "i'd",
    "me",
    "we",
    "we're",
    "we've",
    "we'd",
    "us",
    "myself",
    "ourselves",
    "my",
    "our",
];
const REPORTED: &[&str] = &[
    "quoted",
    "quote",
    "quotes",
    "reckons",
    "said",
    "says",
    "say",
    "apparently",
    "advertised",
    "menu",
    "told",
    "according",
    "wants",
    "charges",
    "heard",
    "supposedly",
    "rumour",
    "news",
];
/// Verbs that report money spent or received.
const PAST_MONEY: &[&str] = &[
    "spent",
    "paid",
    "bought",
    "grabbed",
    "dropped",
    "forked",
    "shelled",
    "coughed",
    "splurged",
    "blew",
    "charged",
    "cost",
    "came",
    "took",
    "shouted",
    "fixed",
    "replaced",
    "got",
    "gave",
    "had",
    "was",
    "were",
    "earned",
    "received",
    "sold",
    "landed",
    "filled",
    "put",
    "pumped",
    "refuelled",
    "refueled",
    "fueled",
    "fuelled",
    "gassed",
    "topped",
    "purchased",
    "picked",
    "renewed",
    "stayed",
    "booked",
];
/// Verbs that open an order.
const ORDER_VERBS: &[&str] = &[
    "plan",
    "add",
    "set",
    "put",
    "make",
    "schedule",
    "remind",
    "draft",
    "write",
    "post",
    "log",
    "record",
    "book",
    "create",
    "map",
    "organise",
    "organize",
    "lay",
    "pencil",
    "share",
    "publish",
    "limit",
    "cap",
    "budget",
    "wake",
    "start",
    "give",
    "allow",
    "keep",
    "change",
    "update",
    "increase",
    "lower",
    "drop",
    "raise",
    "note",
    "enter",
    "track",
    "save",
    "pop",
    "get",
    "work",
    "calculate",
    "estimate",
    "show",
    "list",
    "tell",
    "find",
    "check",
];
const RECORD: &[&str] = &[
    "log", "add", "record", "expense", "expenses", "income", "enter", "note", "track", "jot", "pls", "please", "fuel",
];
/// Words after a price that make it a rate in force ("$55 a night", "$2.19 a litre").
const RATE_UNITS: &[&str] = &[
    "night", "nights", "litre", "liter", "l", "gallon", "gal", "kilo", "kg", "load", "head", "each", "hour", "person",
];

fn is_rate_after(text: &Text, e: &Entity) -> bool {
    let next = text.norm(e.end());
    let after = text.norm(e.end() + 1);
    (matches!(next, "a" | "per" | "/" | "an") && RATE_UNITS.contains(&after)) || next == "each" || next == "pp"
}

impl SpeechAct {
    pub fn of(text: &Text, entities: &[Entity]) -> SpeechAct {
        let tokens = &text.tokens;
        let first = text.norm(0);
        let second = text.norm(1);
        let words: Vec<&str> = tokens.iter().map(|t| t.norm.as_str()).collect();
        let polite_request = words
            .windows(2)
            .any(|w| matches!(w[0], "can" | "could" | "would" | "will") && matches!(w[1], "you" | "u" | "ya" | "ye"))
            || (first == "how" && second == "about")
            || words.contains(&"please")
            || words.contains(&"pls")
            || (matches!(first, "can" | "could") && matches!(second, "we") && !text.has("afford"));
        let asks = text.has("?")
            || WH.contains(&first)
            || (AUX.contains(&first) && !polite_request && first != "any")
            || first == "any" && text.len() <= 6;
        let question = asks && !polite_request;

        let hypothetical = words.iter().enumerate().any(|(i, w)| {
            HYPOTHETICAL.contains(w)
                && !(*w == "would" && words.get(i + 1) == Some(&"you"))
                && !(*w == "could" && matches!(words.get(i + 1), Some(&"you") | Some(&"u")))
                && !(*w == "plan" && i <= 1)
        }) || text.has_phrase("going to")
            || text.has_phrase("plan to")
            || text.has_phrase("planning to")
            || text.has_phrase("planning on")
            || text.has_phrase("want to get")
            || text.has_phrase("want to buy")
            || text.has_phrase("would love")
            || text.has_phrase("i'd love")
            || text.has_phrase("one day")
            || text.has_phrase("next year")
            || text.has_phrase("what if");

        let negated = words.iter().enumerate().any(|(i, w)| {
            NEGATION.contains(w)
                // "no need", "not now" and the like are negations; "no dramas" inside a quoted post is
                // handled by the post's own slot (its content is cut out before this runs on it).
                && !(*w == "no" && i > 0 && !matches!(words.get(i - 1), Some(&",")))
                && !(*w == "not" && matches!(words.get(i + 1), Some(&"sure")))
        }) || text.has_phrase("hold off")
            || text.has_phrase("never mind")
            || text.has_phrase("decided against")
            || text.has_phrase("no need")
            || text.has_phrase("leave it")
            || text.has_phrase("wasn't mine")
            || (first == "wait" && text.len() > 1);

        let first_person = words.iter().any(|w| FIRST_PERSON.contains(w));
        let verb_at = words.iter().position(|w| PAST_MONEY.contains(w) || REPORTED.contains(w));
        let subject = &tokens[..verb_at.unwrap_or(0)];
        // "Dave filled up…": a capitalised first word before the verb that is not an everyday opener.
        const OPENERS: &[&str] = &[
            "just",
            "finally",
            "already",
            "also",
            "then",
            "so",
            "ok",
            "okay",
            "today",
            "yesterday",
            "recently",
            "and",
            "well",
            "oh",
            "right",
            "anyway",
            "yep",
            "yeah",
            "again",
            "last",
        ];
        let named_subject = verb_at == Some(1)
            && tokens[0].capitalised
            && !tokens[0].is_any(OPENERS)
            && !entities.iter().any(|e| e.covers(0));
        let person_subject = subject.iter().any(|t| t.is_any(PERSONS));
        let possessive_other = subject.iter().any(|t| t.norm.ends_with("'s") && t.capitalised);
        // "Centrelink paid us": the user is on the receiving end. "The nomads across from us bought":
        // the user is only a landmark in someone else's sentence.
        let after_verb = &tokens[verb_at.map(|v| v + 1).unwrap_or(tokens.len()).min(tokens.len())..];
        let third_party = (named_subject || person_subject || possessive_other)
            && !subject.iter().any(|t| t.is_any(&["i", "we", "i've", "we've", "i'm", "we're"]))
            && !after_verb.iter().any(|t| t.is_any(&["me", "us", "i", "we", "myself", "ourselves"]));

        let reported = words.iter().any(|w| REPORTED.contains(w)) && !text.has_phrase("pay me");

        let past_money_verb = words.iter().any(|w| PAST_MONEY.contains(w));
        let present_price = words.iter().enumerate().any(|(i, w)| {
            matches!(*w, "is" | "are" | "costs" | "runs" | "running" | "has" | "goes" | "sells" | "holds")
                || (w.ends_with("'s") && i + 1 < words.len() && entities.iter().any(|e| e.start == i + 1))
        });
        let rate =
            entities.iter().any(|e| matches!(e.kind, Kind::Money(_) | Kind::Number { .. }) && is_rate_after(text, e));
        let volume = entities.iter().any(|e| matches!(e.kind, Kind::Volume { .. }));
        let amount_said = entities.iter().any(|e| e.money().is_some() || matches!(e.kind, Kind::Number { .. }));
        let price_statement =
            !volume && ((present_price && !first_person && amount_said) || (rate && !past_money_verb && !first_person));

        let record_order = RECORD.contains(&first)
            || (polite_request && words.iter().any(|w| matches!(*w, "log" | "add" | "record")))
            || tokens.get(1).is_some_and(|t| t.is(":") || t.is("-")) && RECORD.contains(&first);

        let imperative = tokens.iter().enumerate().any(|(i, t)| {
            t.is_any(ORDER_VERBS)
                && (i == 0 || tokens[i - 1].is_any(&[",", "and", "please", "pls", "just", "-", ":", "now", "so"]))
        }) || polite_request
            || ["i want", "i'd like", "id like", "i need", "let's", "lets", "we want", "we need", "i wanna"]
                .iter()
                .any(|p| text.has_phrase(p));

        // Words inside a value ("8:30 am") or a name ("Broken Hill") are not the sentence's verb.
        let declarative = !question
            && !imperative
            && tokens
                .iter()
                .enumerate()
                .any(|(i, t)| t.is_any(FINITE) && !(t.capitalised && i > 0) && !entities.iter().any(|e| e.covers(i)));
        let own = words.iter().any(|w| matches!(*w, "i" | "we" | "us" | "me" | "my" | "our" | "i've" | "we've"));
        let price_question = asks
            && words.iter().any(|w| PRICE_WORDS.contains(w))
            && !own
            && !entities
                .iter()
                .any(|e| matches!(e.kind, Kind::Distance { .. } | Kind::Volume { .. } | Kind::Consumption { .. }))
            && !text.has_any(&["from", "to", "trip", "drive", "route"]);

        SpeechAct {
            declarative,
            price_question,
            imperative,
            question,
            polite_request,
            hypothetical,
            negated,
            third_party,
            reported,
            price_statement,
            past_money_verb,
            record_order,
        }
    }

    /// Whether the sentence may log money (an expense, income or a fill-up) at all.
    pub fn may_log_money(&self) -> bool {
        !(self.question
            || self.hypothetical
            || self.negated
            || self.third_party
            || self.reported
            || self.price_statement)
    }

    /// Whether the sentence may give an order that changes data (a budget, an event, a timer, a post):
    /// an order ("set…", "can you add…", "I want…") or a note with no verb ("dentist tomorrow at
    /// 10am"), not denied; a question, a supposition or a statement orders nothing unless an order
    /// comes with it ("we're thinking of doing Bourke to Longreach, plan it out").
    pub fn may_order(&self) -> bool {
        !self.negated && (self.imperative || !(self.question || self.hypothetical || self.declarative))
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
            (self.third_party, "act:third_party"),
            (self.reported, "act:reported"),
            (self.price_statement, "act:price"),
            (self.past_money_verb, "act:past_money"),
            (self.record_order, "act:record"),
            (self.imperative, "act:imperative"),
            (self.declarative, "act:declarative"),
            (self.price_question, "act:price_question"),
        ]
        .into_iter()
        .filter_map(|(on, name)| on.then_some(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::scan;

    fn act(text: &str) -> SpeechAct {
        let t = Text::new(text);
        let e = scan(&t.tokens);
        SpeechAct::of(&t, &e)
    }

    #[test]
    fn reports_and_orders_may_log() {
        for s in [
            "I spent $42.50 on diesel yesterday",
            "Can you log the $29.95 I spent on a new phone charger",
            "KOA in Moab charged us $62 for the night",
            "Centrelink paid us 1,200 yesterday",
            "groceries 67.20",
            "the hubby and I had brekkie at a little cafe in Daylesford, 38 bucks",
            "ok so the caravan park in Exmouth was $58 a night and we stayed two nights, so $116",
        ] {
            assert!(act(s).may_log_money(), "{s}: {:?}", act(s));
        }
    }

    #[test]
    fn questions_suppositions_denials_others_and_quotes_may_not() {
        for s in [
            "is $2.10 a litre expensive?",
            "the caravan park quoted us $55 a night",
            "diesel's $2.19 at the Shell",
            "should I spend $80 on a tow strap",
            "I'm going to buy a new battery for $400 next week",
            "Dave filled up with 80 litres at $2.20 in Cobar",
            "my mate spent $90 on a fishing rod",
            "I didn't buy the $60 esky after all",
            "hold off on logging the $95 until I find the receipt",
            "if we stay three nights at $45 that's 135, worth it?",
            "gas is $3.29 a gallon at the Flying J in Amarillo",
            "did I spend $50 at Coles yesterday?",
        ] {
            assert!(!act(s).may_log_money(), "{s}: {:?}", act(s));
        }
    }
}
