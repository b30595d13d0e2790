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

/// "from Sydney to Melbourne", "to Cairns from Brisbane", "Brisbane to Cairns".
pub fn route(original: &str) -> Option<(Option<String>, String)> {
    let lower = original.to_lowercase();
    let cut = |s: &str| -> String {
        let stop =
            [" via ", " on ", " next ", " tomorrow", " this ", " in ", " for ", " leaving ", " starting ", "?", "."];
        let mut end = s.len();
        for st in stop {
            if let Some(p) = s.to_lowercase().find(st) {
                end = end.min(p);
            }
        }
        s[..end].trim().trim_matches(|c: char| !c.is_alphanumeric()).to_string()
    };
    if let Some(f) = lower.find("from ") {
        let after = &original[f + 5..];
        if let Some(t) = after.to_lowercase().find(" to ") {
            return Some((Some(cut(&after[..t])), cut(&after[t + 4..])));
        }
    }
    if let Some(t) = lower.find(" to ") {
        let dest = cut(&original[t + 4..]);
        if let Some(f) = lower[t..].find(" from ") {
            return Some((Some(cut(&original[t + f + 6..])), cut(&original[t + 4..t + f])));
        }
        return Some((None, dest));
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
