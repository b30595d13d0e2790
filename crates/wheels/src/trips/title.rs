//! A trip's title: the client's, tidied and bounded, or one made from its route.

use pam_kernel::DomainError;

pub(super) fn check_title(title: &str) -> Result<String, DomainError> {
    if title.chars().count() > 200 {
        return Err(DomainError::invalid(&["body", "title"], "must be at most 200 characters"));
    }
    let t = title.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.is_empty() { Err(DomainError::invalid(&["body", "title"], "must not be empty")) } else { Ok(t) }
}

/// "Origin to Destination", whitespace tidied, shortened with "…" to the 200 characters a title may
/// have (each name may be 200 itself; a title the client never sent must not be refused).
pub(super) fn default_title(origin: &str, destination: &str) -> String {
    let title = format!("{origin} to {destination}").split_whitespace().collect::<Vec<_>>().join(" ");
    if title.chars().count() <= 200 {
        return title;
    }
    let mut short: String = title.chars().take(199).collect();
    short.push('…');
    short
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_made_up_title_fits_the_titles_limit() {
        assert_eq!(default_title(" Sydney ", "Melbourne  VIC"), "Sydney to Melbourne VIC");
        let long = default_title(&"O".repeat(200), &"D".repeat(200));
        assert_eq!(long.chars().count(), 200);
        assert!(long.ends_with('…'));
        assert!(check_title(&long).is_ok());
    }
}
