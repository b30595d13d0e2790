//! Spending vocabulary shared by the offline brain and the money domain: the canonical categories and
//! the words travellers use for them (diesel, servo, caravan park, rego…).

mod common;

pub use common::is_common_word;

pub const CANONICAL: &[&str] = &[
    "fuel",
    "campground",
    "groceries",
    "dining",
    "maintenance",
    "repairs",
    "insurance",
    "registration",
    "utilities",
    "internet",
    "phone",
    "entertainment",
    "shopping",
    "health",
    "transport",
    "other",
];

/// Synonyms → canonical category, matched against whole words or phrases.
pub const SYNONYMS: &[(&str, &[&str])] = &[
    (
        "fuel",
        &[
            "diesel",
            "petrol",
            "gas",
            "gasoline",
            "servo",
            "unleaded",
            "lpg",
            "fuel stop",
            "gas station",
            "service station",
            "fill up",
            "fill-up",
            "refuel",
            "fuelled up",
            "filled up",
        ],
    ),
    (
        "campground",
        &[
            "caravan park",
            "rv park",
            "camping",
            "campsite",
            "camp site",
            "camp",
            "campgrounds",
            "holiday park",
            "site fees",
            "park fees",
            "powered site",
            "unpowered site",
            "free camp",
            "national park camping",
            "accommodation",
            "lodging",
            "motel",
            "big4",
            "koa",
            "site",
            "showgrounds",
            "showground",
            "pitch",
            "aire",
        ],
    ),
    (
        "groceries",
        &[
            "grocery",
            "supermarket",
            "food",
            "woolies",
            "woolworths",
            "coles",
            "aldi",
            "iga",
            "walmart",
            "kroger",
            "costco",
            "provisions",
            "shopping for food",
        ],
    ),
    (
        "dining",
        &[
            "restaurant",
            "cafe",
            "café",
            "coffee",
            "coffees",
            "takeaway",
            "take away",
            "grog",
            "takeout",
            "eating out",
            "meal",
            "meals",
            "lunch",
            "dinner",
            "breakfast",
            "pub",
            "bar",
            "fish and chips",
            "fish & chips",
            "pizza",
            "beers",
            "beer",
            "ice cream",
            "ice creams",
            "brekkie",
            "supper",
            "seafood",
            "cafe",
            "bakery",
            "pie",
            "pies",
            "dining out",
        ],
    ),
    (
        "maintenance",
        &[
            "service",
            "servicing",
            "oil change",
            "tyres",
            "tires",
            "tyre",
            "tire",
            "car wash",
            "rv wash",
            "wash",
            "parts",
            "mechanic service",
            // Parts of the van and the car: "a wheel alignment", "a replacement jockey wheel".
            "wheel alignment",
            "alignment",
            "jockey wheel",
            "wheel bearings",
            "bearings",
            "shock absorbers",
            "awning arm",
            "thermostat",
            "oil filter",
            "air filter",
            "towbar",
            "tow bar",
        ],
    ),
    (
        "repairs",
        &[
            "repair",
            "mechanic",
            "fix",
            "fixed",
            "breakdown",
            "towing",
            "tow",
            "windscreen",
            "brake pads",
            "fan belt",
            // A pump fails and is fixed ("fix the busted water pump"), not a water or fuel bill.
            "water pump",
            "fuel pump",
            "gas fitter",
            "gasfitter",
            "plumber",
            "sparky",
            "electrician",
        ],
    ),
    ("insurance", &["rv insurance", "car insurance", "health insurance", "cover", "premium"]),
    ("registration", &["rego", "vehicle registration", "license", "licence", "permit", "registration fees"]),
    (
        "utilities",
        &[
            "power",
            "electricity",
            "water",
            "dump",
            "dump station",
            "laundry",
            "laundromat",
            "gas bottle",
            "gas refill",
            "propane",
            "showers",
        ],
    ),
    ("internet", &["wifi", "wi-fi", "data", "starlink", "broadband", "mobile data"]),
    ("phone", &["mobile", "cell", "phone bill", "telstra", "optus", "verizon", "at&t"]),
    (
        "entertainment",
        &[
            "tours",
            "tour",
            "tickets",
            "movies",
            "museum",
            "attraction",
            "attractions",
            "fun",
            "activities",
            "park entry",
            "park pass",
            "golf",
            "pokies",
            "whale watching",
            "concert",
            "admission",
            "entry fee",
        ],
    ),
    (
        "shopping",
        &[
            "clothes",
            "clothing",
            "gifts",
            "souvenirs",
            "hardware",
            "bunnings",
            "camping gear",
            "gear",
            "supplies",
            "household",
            "op shop",
            "op shops",
            "kmart",
            "tarp",
            "tow strap",
            "bungee",
            "towels",
        ],
    ),
    ("health", &["medical", "doctor", "pharmacy", "chemist", "medicine", "dentist", "vet", "hospital", "prescription"]),
    ("transport", &["tolls", "toll", "ferry", "parking", "bus", "train", "taxi", "uber", "flight", "flights"]),
    ("other", &["misc", "miscellaneous", "general", "sundries"]),
];

/// Trimmed, lower case, inner whitespace collapsed.
pub fn normalise(raw: &str) -> String {
    raw.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// The canonical category a text names exactly (a canonical name or a synonym), if any.
pub fn canonical(raw: &str) -> Option<&'static str> {
    let text = normalise(raw);
    if let Some(c) = CANONICAL.iter().find(|c| **c == text) {
        return Some(c);
    }
    SYNONYMS.iter().find(|(_, words)| words.contains(&text.as_str())).map(|(c, _)| *c)
}

/// Every vocabulary phrase and its category, longest first, padded with spaces for whole-word search.
fn candidates() -> &'static [(&'static str, &'static str, String)] {
    static LIST: std::sync::OnceLock<Vec<(&'static str, &'static str, String)>> = std::sync::OnceLock::new();
    LIST.get_or_init(|| {
        let mut list: Vec<(&'static str, &'static str, String)> =
            CANONICAL.iter().map(|c| (*c, *c, format!(" {c} "))).collect();
        for (category, words) in SYNONYMS {
            list.extend(words.iter().map(|w| (*category, *w, format!(" {w} "))));
        }
        list.sort_by_key(|(_, w, _)| std::cmp::Reverse(w.len()));
        list
    })
}

/// The category a free text mentions, and the words that said so; longer phrases win
/// ("caravan park" over "park"), and a plural counts as its singular ("caravan parks").
pub fn find_in_text(text: &str) -> Option<(&'static str, &'static str)> {
    let text = normalise(text);
    let cleaned = text.replace(|c: char| !c.is_alphanumeric() && c != '&' && c != '-' && c != '4' && c != '\'', " ");
    let padded = format!(" {cleaned} ");
    let singular: String = cleaned
        .split_whitespace()
        // "the vet's bill", "chemist's been $30": the possessive or the "is" names the same thing.
        .map(|w| w.strip_suffix("'s").unwrap_or(w))
        .map(|w| if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") { &w[..w.len() - 1] } else { w })
        .collect::<Vec<_>>()
        .join(" ");
    let singular = format!(" {singular} ");
    candidates()
        .iter()
        .find(|(_, _, padded_word)| padded.contains(padded_word.as_str()) || singular.contains(padded_word.as_str()))
        .map(|(c, w, _)| (*c, *w))
}

/// Every category name and synonym.
pub fn all_words() -> impl Iterator<Item = &'static str> {
    CANONICAL.iter().copied().chain(SYNONYMS.iter().flat_map(|(_, words)| words.iter().copied()))
}

/// The category of a word one letter away from a vocabulary word of five letters or more
/// ("parkng", "grocereis" is two away and does not count).
pub fn near_miss(word: &str) -> Option<&'static str> {
    // An English word is meant as itself ("convert" is not "concert"), or as its singular or plural
    // ("shower" is "showers").
    let english = crate::spelling::is_english(word);
    let plural_pair = |w: &str| w.strip_suffix('s') == Some(word) || word.strip_suffix('s') == Some(w);
    candidates()
        .iter()
        .filter(|(_, w, _)| w.len() >= 5 && !w.contains(' '))
        .find(|(_, w, _)| if english { plural_pair(w) } else { within_one_edit(word, w) })
        .map(|(c, _, _)| *c)
}

fn within_one_edit(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a == b || a.len().abs_diff(b.len()) > 1 {
        return a == b;
    }
    let (mut i, mut j, mut edits) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            i += 1;
            j += 1;
            continue;
        }
        edits += 1;
        if edits > 1 {
            return false;
        }
        match a.len().cmp(&b.len()) {
            std::cmp::Ordering::Greater => i += 1,
            std::cmp::Ordering::Less => j += 1,
            std::cmp::Ordering::Equal => {
                // A swap of neighbours ("grocreies") is one edit too.
                if i + 1 < a.len() && j + 1 < b.len() && a[i] == b[j + 1] && a[i + 1] == b[j] {
                    i += 2;
                    j += 2;
                    continue;
                }
                i += 1;
                j += 1;
            }
        }
    }
    edits + (a.len() - i) + (b.len() - j) <= 1
}

/// The category a free description suggests.
pub fn guess_from_description(description: &str) -> Option<&'static str> {
    find_in_text(description).map(|(c, _)| c)
}
