//! The word lists the speech-act rules read. Each list is a closed class of English (auxiliaries,
//! negations, pronouns) or the verbs of one kind of act; none is a list of whole phrasings.

#[rustfmt::skip]
pub const WH: &[&str] = &[
    "how", "what", "what's", "whats", "what'll", "where", "where's", "when", "when's", "which", "who", "why",
    "how's", "hows", "how'd", "how're", "whereabouts", "what've", "what're", "what'd", "where'd", "when'd",
    "who's", "how've", "whatre",
];
/// Auxiliaries that open a yes/no question ("is it…", "did I…").
#[rustfmt::skip]
pub const AUX: &[&str] = &[
    "is", "are", "am", "do", "does", "did", "was", "were", "will", "would", "should", "can", "could", "have", "has",
    "isn't", "aren't", "didn't", "shall", "reckon", "any", "anything",
];
#[rustfmt::skip]
pub const HYPOTHETICAL: &[&str] = &[
    "if", "would", "should", "might", "maybe", "perhaps", "thinking", "considering", "gonna", "hoping", "hope",
    "wanna", "reckon", "worth", "afford", "could", "'ll", "i'll", "we'll", "it'll", "that'll", "someday",
    "eventually", "probably", "possibly", "whether", "tempted", "eyeing", "wishlist", "wish", "wishing", "owes",
    "owe", "owing", "pending", "expecting", "roughly", "approximately", "hopefully",
];
#[rustfmt::skip]
pub const HYPOTHETICAL_PHRASES: &[&str] = &[
    "going to", "plan to", "planning to", "planning on", "want to get", "want to buy", "would love", "i'd love",
    "one day", "next year", "what if", "eye on", "wish list", "mull it over", "think it over", "sleep on it",
    "supposed to", "meant to",
];
/// Negations of a statement: they deny the clause they are in ("I didn't buy the esky").
#[rustfmt::skip]
pub const NEGATION: &[&str] = &[
    "didn't", "didnt", "not", "never", "haven't", "havent", "hasn't", "hasnt", "wasn't", "wasnt", "won't", "wont",
    "almost", "nope", "isn't", "aren't", "weren't", "shouldn't", "doesn't", "couldn't", "wouldn't",
];
/// Negations of an order: they call off whatever the sentence is about ("don't log it", "skip it").
#[rustfmt::skip]
pub const CALL_OFF: &[&str] = &[
    "don't", "dont", "cancel", "forget", "skip", "nevermind", "undo", "nah", "scratch", "ignore", "stop", "scrap",
    "disregard", "delete", "remove", "erase", "discard", "ditch", "bin", "deleted", "cancelled", "canceled",
    "scrapped", "scratched", "binned",
];
#[rustfmt::skip]
pub const CALL_OFF_PHRASES: &[&str] = &[
    "do not", "hold off", "never mind", "decided against", "no need", "leave it", "wasn't mine", "leave the",
    "already logged", "already in", "already added", "already recorded", "already entered", "double up",
    "double count", "in there already", "put it back", "put them back", "scratch that",
];
/// Sarcasm's own tags: "'I love corrugated roads' — said no one ever", "sure, we got paid 880, in my dreams".
pub const SARCASM_TAGS: &[&str] =
    &["said no one ever", "said nobody ever", "said no-one ever", "in my dreams", "in your dreams", "dream on"];
/// People other than the user.
#[rustfmt::skip]
pub const PERSONS: &[&str] = &[
    "mate", "mates", "son", "daughter", "brother", "sister", "mum", "mom", "dad", "wife", "husband", "partner",
    "friend", "friends", "neighbour", "neighbours", "neighbor", "neighbors", "guy", "guys", "bloke", "blokes",
    "lady", "woman", "man", "kids", "family", "group", "they", "he", "she", "someone", "somebody", "everyone",
    "nomads", "couple", "people", "others", "cousin", "aunt", "uncle", "niece", "nephew", "grandson",
    "granddaughter", "grandkids", "boss", "colleague", "workmate", "sis", "bro", "hubby's", "folks", "parents",
    "tourists", "travellers", "travelers", "campers", "fella", "fellas", "sheila", "missus", "buddy", "buddies",
    "pal", "pals", "girlfriend", "boyfriend", "fiance", "fiancee", "spouse", "grandma", "grandpa", "nan", "nana",
    "granny", "gran", "grandad", "grandparents", "stepson", "stepdaughter", "roommate", "flatmate", "housemate",
    "coworker", "co-worker", "kid", "child", "children", "teenager", "in-laws", "sister-in-law",
    "brother-in-law", "mother-in-law", "father-in-law", "hubby", "hubs", "wifey", "mother", "father", "grandmother",
    "grandfather", "stepdad", "stepmum", "stepmom", "rellies", "relatives", "backpackers",
];
/// The user as subject or as receiver.
#[rustfmt::skip]
pub const SELF_SUBJECT: &[&str] = &["i", "we", "i've", "we've", "i'm", "we're", "i'd", "we'd", "ive", "im"];
#[rustfmt::skip]
pub const SELF_OBJECT: &[&str] = &["me", "us", "i", "we", "myself", "ourselves"];
#[rustfmt::skip]
pub const FIRST_PERSON: &[&str] = &[
    "i", "i'm", "im", "i've", "ive", "i'd", "me", "we", "we're", "we've", "we'd", "us", "myself", "ourselves", "my",
    "our",
];
/// Someone said or quoted it.
#[rustfmt::skip]
pub const REPORTED: &[&str] = &[
    "quoted", "quote", "quotes", "reckons", "said", "says", "say", "apparently", "advertised", "menu", "told",
    "according", "wants", "charges", "heard", "supposedly", "rumour", "news", "offered", "offering", "offers",
    "asking",
];
/// Words of the user spending that no income sentence uses.
#[rustfmt::skip]
pub const USER_SPENDING: &[&str] = &[
    "spent", "bought", "purchased", "blew", "splurged", "forked", "shelled", "coughed", "shouted",
];
/// Verbs of the user paying money out, unmistakably (not "got", "was", "came"): a price list beside one is
/// a purchase, and "nearly" before one denies it.
#[rustfmt::skip]
pub const PAID_OUT: &[&str] = &[
    "spent", "paid", "bought", "dropped", "forked", "grabbed", "blew", "shelled", "splurged",
];
/// Verbs that report money spent.
#[rustfmt::skip]
pub const SPENT: &[&str] = &[
    "spent", "paid", "bought", "grabbed", "dropped", "forked", "shelled", "coughed", "splurged", "blew", "charged",
    "cost", "came", "took", "shouted", "fixed", "replaced", "got", "gave", "had", "was", "were", "filled", "put",
    "pumped", "refuelled", "refueled", "fueled", "fuelled", "gassed", "topped", "purchased", "picked", "renewed",
    "stayed", "booked", "copped", "parted", "ordered", "treated", "invested", "blown", "went", "brimmed", "rang",
    "snagged", "scored", "tanked",
];
/// Verbs (and nouns) of someone's own earnings: "Gary earned 600", "our son's paycheck".
#[rustfmt::skip]
pub const EARNED: &[&str] = &[
    "earned", "earns", "earning", "received", "made", "makes", "paycheck", "paycheque", "wages", "salary", "pension",
    "won", "got", "sold",
];
#[rustfmt::skip]
pub const RECORD: &[&str] = &[
    "log", "add", "record", "expense", "expenses", "income", "enter", "note", "track", "jot", "pls", "please", "fuel",
];
/// Verbs that open an order.
#[rustfmt::skip]
pub const ORDER_VERBS: &[&str] = &[
    "plan", "add", "set", "put", "make", "schedule", "remind", "draft", "write", "post", "log", "record", "book",
    "create", "map", "organise", "organize", "lay", "pencil", "share", "publish", "limit", "cap", "budget", "wake",
    "start", "give", "allow", "keep", "change", "update", "increase", "lower", "drop", "raise", "note", "enter",
    "track", "save", "pop", "get", "work", "calculate", "estimate", "show", "list", "tell", "find", "check", "stick",
    "chuck", "bung", "run", "read", "whack", "forecast", "predict", "project", "compare", "summarise", "summarize",
    "break", "let", "help", "allocate", "sort", "reserve", "earmark", "bump", "lock", "announce", "broadcast", "warn",
    "alert", "notify", "inform", "spread", "restrict", "reduce", "trim", "adjust", "boost", "reset", "plot", "pare",
    "knock", "double", "halve", "ping", "buzz", "nudge", "beep", "shout", "yell", "holler", "fire",
];
#[rustfmt::skip]
pub const WANTS: &[&str] = &[
    "i want", "i'd like", "id like", "i need", "let's", "lets", "we want", "we need", "i wanna", "can i get",
    "could i get", "can i have", "i'll have", "we'd like", "we'd love", "i'd love", "id love", "we would love",
    "i would love", "lemme", "let me",
];
/// Words of budgeting: beside an amount per period they make it an allowance.
#[rustfmt::skip]
pub const BUDGET_WORDS: &[&str] =
    &["budget", "budgeted", "limit", "cap", "capped", "max", "maximum", "allowance", "rule", "allow", "allowed"];

/// Words after a price that make it a rate in force ("$55 a night", "$2.19 a litre").
#[rustfmt::skip]
pub const RATE_UNITS: &[&str] = &[
    "night", "nights", "litre", "liter", "l", "gallon", "gal", "kilo", "kg", "load", "head", "each", "hour", "person",
];
/// Words after an amount that make it a budget-like allowance ("$25 a week", "100/month").
#[rustfmt::skip]
pub const PERIOD_UNITS: &[&str] = &[
    "week", "wk", "month", "mth", "year", "yr", "fortnight", "weekly", "monthly", "yearly", "annually",
];
/// Finite verbs that make a sentence a statement when no order or question goes with it.
#[rustfmt::skip]
pub const FINITE: &[&str] = &[
    "was", "were", "is", "are", "am", "'s", "it's", "that's", "there's", "we're", "i'm", "they're", "has", "have",
    "had", "got", "saw", "took", "went", "came", "did", "drove", "stayed", "closes", "opened", "holds", "posted",
    "said", "says", "reckons", "recommends", "suggests", "sounds", "advises", "keeps", "kept", "beeps", "rings",
    "usually", "normally", "generally", "typically", "runs", "spent", "paid", "bought", "earned", "filled", "made", "left", "love", "hate",
    "think", "thinks", "know", "knows", "looks", "seems", "feels", "felt", "goes", "broke", "broken", "snoring",
    "doesn't", "don't", "didn't", "isn't", "wasn't", "we've", "i've", "been", "hit", "costs", "sells", "told",
    "opens", "rang", "ran", "sat", "won", "lost", "heard", "read", "ate", "drank", "slept",
    // English's irregular past tenses, less those that are also orders ("set", "put", "cut", "let") or
    // everyday nouns ("a flu shot", "a bit", "LED lights").
    "woke", "awoke", "rode", "wrote", "spoke", "chose", "froze", "stole", "flew", "threw", "grew", "knew", "drew",
    "began", "sang", "swam", "sank", "shrank", "became", "gave", "forgave", "fell", "kept", "swept", "wept",
    "meant", "met", "led", "fed", "fled", "sped", "held", "sold", "found", "fought", "brought", "caught",
    "taught", "sought", "thought", "stood", "understood", "laid", "shook", "forgot", "sent", "lent", "bent",
    "built", "dealt", "dreamt", "learnt", "burnt", "crept", "slid", "hid", "struck", "hung", "swung", "dug",
    "wore", "tore", "swore", "beat",
];
#[rustfmt::skip]
pub const PRICE_WORDS: &[&str] = &[
    "cost", "costs", "price", "prices", "priced", "dearer", "cheaper", "cheapest", "expensive", "fair", "reasonable",
    "realistic", "usually", "normally", "typically", "quote", "rates",
];
/// Everyday first words that are not a person's name ("Just paid the rego").
#[rustfmt::skip]
pub const OPENERS: &[&str] = &[
    "just", "finally", "already", "also", "then", "so", "ok", "okay", "today", "yesterday", "recently", "and",
    "well", "oh", "right", "anyway", "yep", "yeah", "again", "last", "only", "spent", "paid", "bought",
];
/// Words that end a clause.
#[rustfmt::skip]
pub const CLAUSE_BREAKS: &[&str] = &[",", ";", "-", "but", "so", "though", "although", "because", "cos", "coz", "!", "?", "."];
/// Money that is income by its name.
#[rustfmt::skip]
pub const INCOME_WORDS: &[&str] = &[
    "rent", "bond", "refund", "wages", "salary", "pension", "dividends", "interest", "payout", "stipend", "income",
    "back", "owed", "invoice", "fee", "commission", "royalties", "deposit",
];

/// Participles that open a noun phrase rather than tell what happened ("estimated travel time Denver
/// to Moab", "expected spending for the rest of the month", "itemised list of this week's spending").
pub const ADJECTIVAL: &[&str] = &[
    "estimated",
    "expected",
    "projected",
    "predicted",
    "forecasted",
    "detailed",
    "itemised",
    "itemized",
    "combined",
    "updated",
    "recommended",
    "suggested",
    "approximated",
    "anticipated",
    "scheduled",
];

/// Courtesy formulas that wrap a request ("I was wondering whether you might…", "I should like…", "…if
/// you'd be so kind"): a request however hedged, so their "might", "would" and "whether" suppose nothing.
#[rustfmt::skip]
pub const COURTESY: &[&str] = &[
    "wondering whether", "wondering if", "i should like", "we should like", "i would like", "we would like",
    "i'd like", "we'd like", "id like", "if you'd", "if you would", "if you could", "would it be possible",
    "might you", "might i", "so kind", "be grateful", "do you mind", "would you mind", "kindly",
    "not too much trouble", "would you be", "could i", "may i", "i'd love it if", "i'd appreciate",
    "i would appreciate", "whether you might", "whether you could", "whether you would", "if you might",
    "reckon you could", "reckon you can", "think you could", "think you can", "suppose you could",
    "any chance you", "any chance of", "hoping you could", "hoping you can", "hoping you'd", "hoping you might",
    "hoping you would", "need you to", "want you to",
];

/// Words that can be the subject of a verb: before an order verb they make it a statement ("we set it").
pub const SUBJECTS: &[&str] =
    &["i", "we", "you", "they", "he", "she", "i'll", "we'll", "you'll", "they'll", "i've", "we've", "to", "who"];

/// Words before a noun: a participle after one describes the noun ("the boiled eggs").
#[rustfmt::skip]
pub const DETERMINERS: &[&str] = &[
    "the", "a", "an", "my", "our", "your", "his", "her", "their", "some", "for", "of", "with", "this", "that",
    "these", "those", "any", "no", "and",
];

/// Kinds of fuel, for prices said beside them ("1.69 unleaded").
pub const FUEL_KINDS: &[&str] =
    &["unleaded", "diesel", "ulp", "petrol", "gas", "lpg", "e10", "premium", "pulp", "91", "95", "98", "gasoline"];

/// Words that, just before an order verb, make it something told rather than asked ("I already set it",
/// "we should cap it", "he'll put that in"): adverbs of time and modals.
pub const NOT_BEFORE_AN_ORDER: &[&str] = &[
    "already", "just", "then", "also", "never", "should", "would", "could", "might", "will", "can", "must", "'ll",
    "to", "didn't", "did", "had", "has", "have",
];

/// A lookup for a long list, built once: the lists above are read for every word of every sentence.
macro_rules! word_set {
    ($name:ident, $list:expr) => {
        pub fn $name(word: &str) -> bool {
            static SET: std::sync::OnceLock<std::collections::HashSet<&'static str>> = std::sync::OnceLock::new();
            SET.get_or_init(|| $list.iter().copied().collect()).contains(word)
        }
    };
}
word_set!(is_finite, FINITE);
word_set!(is_order_verb, ORDER_VERBS);
word_set!(is_person_word, PERSONS);
word_set!(is_spent, SPENT);
