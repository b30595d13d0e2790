//! Pieces of an utterance: places ("at Dubbo"), routes ("from Brisbane to Cairns"), distances ("450 km").

use crate::intent::words;

/// A place named after "at"/"in"/"near": capitalised words from the original text ("at the Dubbo servo" → Dubbo).
pub fn place(original: &str) -> Option<String> {
    let tokens: Vec<&str> = original.split_whitespace().collect();
    for (i, t) in tokens.iter().enumerate() {
        if !matches!(t.to_lowercase().as_str(), "at" | "in" | "near") {
            continue;
        }
        let mut j = i + 1;
        if tokens.get(j).is_some_and(|w| w.eq_ignore_ascii_case("the")) {
            j += 1;
        }
        let mut name = Vec::new();
        while let Some(w) = tokens.get(j) {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'');
            if w.chars().next().is_some_and(char::is_uppercase)
                && !["I", "On", "For", "Yesterday", "Today", "Last"].contains(&w)
            {
                name.push(w);
                j += 1;
            } else {
                break;
            }
        }
        if !name.is_empty() {
            return Some(name.join(" "));
        }
    }
    None
}

/// Where `needle` (ASCII) first appears in `hay`, ignoring ASCII case, as a byte offset into `hay`
/// itself. Offsets found in a lower-cased copy are not offsets into the original: lower-casing "İ" or
/// "ẞ" changes its length.
pub fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    hay.char_indices()
        .map(|(i, _)| i)
        .find(|&i| hay.get(i..i + needle.len()).is_some_and(|s| s.eq_ignore_ascii_case(needle)))
}

/// "from Sydney to Melbourne", "to Cairns from Brisbane", "Brisbane to Cairns".
pub fn route(original: &str) -> Option<(Option<String>, String)> {
    let cut = |s: &str| -> String {
        let stop =
            [" via ", " on ", " next ", " tomorrow", " this ", " in ", " for ", " leaving ", " starting ", "?", "."];
        let end = stop.iter().filter_map(|st| find_ci(s, st)).min().unwrap_or(s.len());
        s.get(..end).unwrap_or(s).trim().trim_matches(|c: char| !c.is_alphanumeric()).to_string()
    };
    if let Some(f) = find_ci(original, "from ") {
        let after = original.get(f + 5..).unwrap_or_default();
        if let Some(t) = find_ci(after, " to ") {
            return Some((Some(cut(after.get(..t).unwrap_or_default())), cut(after.get(t + 4..).unwrap_or_default())));
        }
    }
    if let Some(t) = find_ci(original, " to ") {
        let rest = original.get(t + 4..).unwrap_or_default();
        if let Some(f) = find_ci(rest, " from ") {
            let origin = rest.get(f + 6..).unwrap_or_default();
            return Some((Some(cut(origin)), cut(rest.get(..f).unwrap_or_default())));
        }
        return Some((None, cut(rest)));
    }
    None
}

pub fn distance_km(lower: &str) -> Option<f64> {
    let ws = words(lower);
    for (i, w) in ws.iter().enumerate() {
        let (num, unit) = match w.find(|c: char| c.is_alphabetic()) {
            Some(p) if p > 0 => (&w[..p], &w[p..]),
            _ => (*w, ws.get(i + 1).copied().unwrap_or_default()),
        };
        if let Ok(n) = num.replace(',', "").parse::<f64>() {
            if unit.starts_with("km") || unit.starts_with("kilomet") || unit.starts_with("klick") {
                return Some(n);
            }
            if unit.starts_with("mile") || unit == "mi" {
                return Some((n * 1.609_344 * 10.0).round() / 10.0);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_are_cut_from_the_original_text_even_when_case_folding_changes_lengths() {
        assert_eq!(route("from Sydney to Melbourne"), Some((Some("Sydney".into()), "Melbourne".into())));
        assert_eq!(route("drive to Cairns from Brisbane"), Some((Some("Brisbane".into()), "Cairns".into())));
        // "İ" lower-cases to two characters and "ẞ" to "ß": byte offsets of a lower-cased copy would
        // slice the original in the middle of a character.
        let (from, to) = route("İİİİ drive FROM İstanbul TO Kẞln").unwrap();
        assert_eq!((from.as_deref(), to.as_str()), (Some("İstanbul"), "Kẞln"));
        assert!(route("ẞẞẞẞ to İ").is_some());
        assert_eq!(find_ci("ẞab", "AB"), Some(3));
    }
}
