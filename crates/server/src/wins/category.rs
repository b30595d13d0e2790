//! Expense categories: free text normalised (trimmed, lower case), with synonyms mapped into the
//! canonical set that reports and PAM use.

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

/// Synonyms → canonical category. Matched against the whole normalised text.
const SYNONYMS: &[(&str, &[&str])] = &[
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
        ],
    ),
    (
        "dining",
        &[
            "restaurant",
            "cafe",
            "café",
            "coffee",
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
    ("repairs", &["repair", "mechanic", "fix", "breakdown", "towing", "tow"]),
    ("insurance", &["rv insurance", "car insurance", "health insurance", "cover", "premium"]),
    ("registration", &["rego", "vehicle registration", "license", "licence", "permit", "registration fees"]),
    (
        "utilities",
        &["power", "electricity", "water", "dump", "dump station", "laundry", "laundromat", "gas bottle", "gas refill"],
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

/// The canonical category a text names, if it names one.
pub fn canonical(raw: &str) -> Option<&'static str> {
    let text = normalise(raw);
    if let Some(c) = CANONICAL.iter().find(|c| **c == text) {
        return Some(c);
    }
    SYNONYMS.iter().find(|(_, words)| words.contains(&text.as_str())).map(|(c, _)| *c)
}

/// What is stored for a user's category: the canonical name when the text is one or a synonym of one,
/// else the normalised free text (which reports group under "other").
pub fn parse(raw: &str) -> Result<String, String> {
    let text = normalise(raw);
    if text.is_empty() {
        return Err("must not be empty".into());
    }
    if text.chars().count() > 50 {
        return Err("must be at most 50 characters".into());
    }
    Ok(canonical(&text).map(str::to_string).unwrap_or(text))
}

/// The canonical bucket of a stored category, for reports and budgets.
pub fn bucket(stored: &str) -> &'static str {
    canonical(stored).unwrap_or("other")
}

/// Guesses a category from a free description ("Diesel at the Dubbo servo") by its words.
pub fn guess_from_description(description: &str) -> Option<&'static str> {
    let text = normalise(description);
    let padded = format!(" {} ", text.replace(|c: char| !c.is_alphanumeric() && c != '&' && c != '-', " "));
    // Longer phrases first so "caravan park" wins over "park".
    let mut candidates: Vec<(&'static str, &str)> = CANONICAL.iter().map(|c| (*c, *c)).collect();
    for (category, words) in SYNONYMS {
        candidates.extend(words.iter().map(|w| (*category, *w)));
    }
    candidates.sort_by_key(|(_, w)| std::cmp::Reverse(w.len()));
    candidates.into_iter().find(|(_, w)| padded.contains(&format!(" {w} "))).map(|(c, _)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synonyms_map_to_the_canonical_set() {
        for (input, expected) in [
            ("Diesel", "fuel"),
            ("  SERVO ", "fuel"),
            ("gas", "fuel"),
            ("Caravan  Park", "campground"),
            ("RV park", "campground"),
            ("rego", "registration"),
            ("fuel", "fuel"),
            ("Woolies", "groceries"),
        ] {
            assert_eq!(parse(input).unwrap(), expected, "{input}");
        }
        assert_eq!(parse("Souvenirs").unwrap(), "shopping");
        assert_eq!(parse("Didgeridoo lessons").unwrap(), "didgeridoo lessons");
        assert_eq!(bucket("didgeridoo lessons"), "other");
        assert!(parse("   ").is_err());
    }

    #[test]
    fn descriptions_are_categorised_by_their_words() {
        assert_eq!(guess_from_description("Filled up with diesel at the Dubbo servo"), Some("fuel"));
        assert_eq!(guess_from_description("Two nights at Big4 caravan park"), Some("campground"));
        assert_eq!(guess_from_description("Fish & chips at the pier"), Some("dining"));
        assert_eq!(guess_from_description("New tyres for the van"), Some("maintenance"));
        assert_eq!(guess_from_description("Blah blah"), None);
    }
}
