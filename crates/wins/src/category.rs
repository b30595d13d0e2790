//! Expense categories: free text normalised (trimmed, lower case), with synonyms mapped into the
//! canonical set that reports and PAM use.

pub use pam_nlu::vocabulary::{CANONICAL, canonical, guess_from_description, normalise};

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
