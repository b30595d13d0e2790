//! Spending vocabulary shared by the offline brain and the money domain: the canonical categories and
//! the words travellers use for them (diesel, servo, caravan park, rego…).

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
            "propane",
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
        ],
    ),
    ("repairs", &["repair", "mechanic", "fix", "breakdown", "towing", "tow", "windscreen"]),
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

/// The category a free text mentions, and the words that said so; longer phrases win
/// ("caravan park" over "park").
pub fn find_in_text(text: &str) -> Option<(&'static str, &'static str)> {
    let text = normalise(text);
    let padded = format!(" {} ", text.replace(|c: char| !c.is_alphanumeric() && c != '&' && c != '-' && c != '4', " "));
    let mut candidates: Vec<(&'static str, &'static str)> = CANONICAL.iter().map(|c| (*c, *c)).collect();
    for (category, words) in SYNONYMS {
        candidates.extend(words.iter().map(|w| (*category, *w)));
    }
    candidates.sort_by_key(|(_, w)| std::cmp::Reverse(w.len()));
    candidates.into_iter().find(|(_, w)| padded.contains(&format!(" {w} ")))
}

/// The category a free description suggests.
pub fn guess_from_description(description: &str) -> Option<&'static str> {
    find_in_text(description).map(|(c, _)| c)
}
