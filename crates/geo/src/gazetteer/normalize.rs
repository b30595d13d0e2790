//! How names are compared: folded (case, accents and punctuation gone) and then canonical (the
//! abbreviations people write — "Mt", "St", "Pt" — made the same as the words they stand for).

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Longest query text looked at; a longer paste is cut here so no request can make us fold megabytes.
pub(crate) const MAX_QUERY_CHARS: usize = 200;

/// Lower-case ASCII words separated by single spaces: "Café du Nord" → "cafe du nord",
/// "Hawke's Bay" → "hawkes bay", "N.S.W." → "nsw", "Stratford-upon-Avon" → "stratford upon avon".
///
/// Uses the rule `data/generate.py` used for the `ascii_name` column (NFKD, combining marks dropped, a
/// few letters NFKD does not decompose spelled out), so a query folds to the same bytes as the row.
pub(crate) fn fold(text: &str) -> String {
    let mut folded = Folded { text: String::with_capacity(text.len()), space_pending: false };
    let chars = text.chars().take(MAX_QUERY_CHARS);
    // ASCII (every gazetteer row, most queries) is its own NFKD form, so the decomposer is skipped.
    if text.is_ascii() {
        chars.for_each(|ch| folded.add(ch));
    } else {
        chars.nfkd().for_each(|ch| folded.add(ch));
    }
    folded.text
}

/// Folded text being built; a separator only becomes a space when a word follows it.
struct Folded {
    text: String,
    space_pending: bool,
}

impl Folded {
    fn push(&mut self, piece: &str) {
        if self.space_pending && !self.text.is_empty() {
            self.text.push(' ');
        }
        self.space_pending = false;
        self.text.push_str(piece);
    }

    fn add(&mut self, ch: char) {
        // Apostrophes and dots vanish without a space: "O'Brien" = "OBrien", "N.S.W." = "NSW".
        if is_combining_mark(ch) || matches!(ch, '\'' | '.' | '’' | '‘' | 'ʻ' | 'ʼ' | '`' | '´') {
            return;
        }
        for lower in ch.to_lowercase() {
            let mut buf = [0u8; 4];
            match lower {
                'a'..='z' | '0'..='9' => self.push(lower.encode_utf8(&mut buf)),
                '&' => {
                    self.space_pending = true;
                    self.push("and");
                    self.space_pending = true;
                }
                _ => match spelled_out(lower) {
                    Some(spelling) => self.push(spelling),
                    // Other scripts are kept as they are (no row has them, so they simply do not match).
                    None if lower.is_alphanumeric() => self.push(lower.encode_utf8(&mut buf)),
                    None => self.space_pending = true,
                },
            }
        }
    }
}

/// Letters NFKD leaves whole, as generate.py's ASCII_MAP spells them.
fn spelled_out(ch: char) -> Option<&'static str> {
    Some(match ch {
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'ø' => "o",
        'ł' => "l",
        'đ' | 'ð' => "d",
        'þ' => "th",
        'ı' => "i",
        'ħ' => "h",
        'ə' => "e",
        'ŋ' => "ng",
        'ĸ' => "k",
        'ſ' => "s",
        _ => return None,
    })
}

/// Words that are written both in full and abbreviated, and the one form both become.
/// "Pt" is both "Port" and "Point" in Australian usage, so all three share one form; an exact spelling
/// still wins over an abbreviation when both kinds of row exist (see `lookup`).
const ABBREVIATIONS: &[(&str, &[&str])] = &[
    ("mt", &["mount"]),
    ("mtn", &["mountain"]),
    ("st", &["saint"]),
    ("ste", &["sainte"]),
    ("pt", &["port", "point"]),
    ("ft", &["fort"]),
];

fn canonical_word(word: &str) -> &str {
    for (short, long_forms) in ABBREVIATIONS {
        if word == *short || long_forms.contains(&word) {
            return short;
        }
    }
    word
}

/// The index key of a folded name: every abbreviable word in its short form ("mount gambier" →
/// "mt gambier", "saint helens" → "st helens").
pub(crate) fn canonical(folded: &str) -> String {
    let mut out = String::with_capacity(folded.len());
    for word in folded.split(' ').filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(canonical_word(word));
    }
    out
}

/// Index keys to look for when `folded` is what someone has typed so far (autocomplete): the text as
/// typed (so "st" still reaches "Stanthorpe"), its canonical form, and, when the last word is the start
/// of a long form ("mou", "por"), the text with that word's short form. A short form stands for a whole
/// word, so it is followed by a space ("mount" → "mt ", which does not reach "Mthatha").
pub(crate) fn prefix_variants(folded: &str) -> Vec<String> {
    let (head, last) = match folded.rsplit_once(' ') {
        Some((head, last)) => (canonical(head), last),
        None => (String::new(), folded),
    };
    let join = |word: &str| if head.is_empty() { word.to_string() } else { format!("{head} {word}") };
    let mut variants = vec![join(last)];
    let last_canonical = canonical_word(last);
    if last_canonical != last {
        variants.push(join(&format!("{last_canonical} ")));
    }
    if last.len() >= 2 {
        for (short, long_forms) in ABBREVIATIONS {
            if long_forms.iter().any(|long| long.len() > last.len() && long.starts_with(last)) {
                variants.push(join(&format!("{short} ")));
            }
        }
    }
    variants.sort();
    variants.dedup();
    variants
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_drops_case_accents_and_punctuation() {
        let cases = [
            ("Café", "cafe"),
            ("  São   Paulo ", "sao paulo"),
            ("Hawke's Bay", "hawkes bay"),
            ("Hawke’s Bay", "hawkes bay"),
            ("N.S.W.", "nsw"),
            ("Stratford-upon-Avon", "stratford upon avon"),
            ("Köln", "koln"),
            ("Straße", "strasse"),
            ("Łódź", "lodz"),
            ("Newfoundland & Labrador", "newfoundland and labrador"),
            ("Perth, WA", "perth wa"),
            ("", ""),
        ];
        for (input, expected) in cases {
            assert_eq!(fold(input), expected, "fold({input:?})");
        }
    }

    #[test]
    fn very_long_input_is_cut() {
        let long = "a".repeat(10_000);
        assert_eq!(fold(&long).len(), MAX_QUERY_CHARS);
    }

    #[test]
    fn abbreviations_and_full_words_share_a_key() {
        assert_eq!(canonical("mt gambier"), canonical("mount gambier"));
        assert_eq!(canonical("st helens"), canonical("saint helens"));
        assert_eq!(canonical("pt augusta"), canonical("port augusta"));
        assert_eq!(canonical("ft worth"), "ft worth");
        assert_ne!(canonical("stanthorpe"), canonical("saint anthorpe"));
    }

    #[test]
    fn prefix_variants_cover_typed_abbreviations_and_partial_words() {
        assert_eq!(prefix_variants("mou"), ["mou", "mt ", "mtn "]);
        assert_eq!(prefix_variants("mount"), ["mount", "mt ", "mtn "]);
        assert_eq!(prefix_variants("st"), ["st"]);
        assert_eq!(prefix_variants("port aug"), ["pt aug"]);
        assert_eq!(prefix_variants("mount gam"), ["mt gam"]);
    }
}
