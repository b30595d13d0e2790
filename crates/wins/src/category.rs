//! Expense categories are the user's own words ("Campgrounds", "RV Parks", "Coffee"…): stored as given
//! (trimmed), returned as given, and matched without regard to case or spacing through a folded key.
//! Everyday words are mapped to a category only when PAM infers one from free text: then the user's own
//! category that means the same thing wins, and a known synonym (diesel, servo, rego…) gives the
//! canonical name when the user has none.

pub use pam_nlu::vocabulary::{CANONICAL, canonical, guess_from_description};

/// A category as written: inner whitespace collapsed, 1–50 characters (counted as sent).
pub fn parse(raw: &str) -> Result<String, String> {
    if raw.chars().count() > 50 {
        return Err("must be at most 50 characters".into());
    }
    let text = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return Err("must not be empty".into());
    }
    Ok(text)
}

/// What two spellings of one category share: case and spacing folded ("RV  parks" = "rv parks").
pub fn key(text: &str) -> String {
    pam_nlu::vocabulary::normalise(text)
}

/// The canonical category a word means, allowing a plural ("Campgrounds", "RV Parks").
fn meaning(text: &str) -> Option<&'static str> {
    canonical(text).or_else(|| text.strip_suffix(['s', 'S']).and_then(canonical))
}

/// Whether a user's category means the canonical one (their "Diesel" or "Fuel" means fuel).
pub fn means(users: &str, canonical_name: &str) -> bool {
    meaning(users) == Some(canonical_name)
}

/// The category to store for one PAM inferred from free text: the user's own spelling of it when they
/// have one (same key, or the same meaning), else the canonical name of a known synonym, else the text.
pub fn resolve_inferred(inferred: &str, users: &[String]) -> String {
    let wanted = key(inferred);
    if let Some(own) = users.iter().find(|u| key(u) == wanted) {
        return own.clone();
    }
    let Some(meant) = meaning(inferred) else { return inferred.trim().to_string() };
    match users.iter().find(|u| meaning(u) == Some(meant)) {
        Some(own) => own.clone(),
        None => meant.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_are_kept_as_written_and_matched_by_key() {
        assert_eq!(parse("  RV   Parks ").unwrap(), "RV Parks");
        assert_eq!(parse("Coffee").unwrap(), "Coffee");
        assert_eq!(key("RV  Parks"), key("rv parks"));
        assert!(parse("   ").is_err());
        assert!(parse(&"x".repeat(51)).is_err());
    }

    #[test]
    fn inferred_words_land_in_the_users_own_category() {
        let users = vec!["Campgrounds".to_string(), "Fuel".to_string(), "Snacks".to_string()];
        assert_eq!(resolve_inferred("caravan park", &users), "Campgrounds");
        assert_eq!(resolve_inferred("diesel", &users), "Fuel");
        assert_eq!(resolve_inferred("fuel", &users), "Fuel");
        assert_eq!(resolve_inferred("snacks", &users), "Snacks");
        assert_eq!(resolve_inferred("rego", &users), "registration", "a synonym with no user category: canonical");
        assert_eq!(resolve_inferred("didgeridoo lessons", &users), "didgeridoo lessons");
        assert_eq!(resolve_inferred("diesel", &[]), "fuel");
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
