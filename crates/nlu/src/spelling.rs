//! Spelling correction for the classifier: a word it never saw that is one edit from a word it knows
//! ("tirp" → "trip", "parkng" → "parking", "calender" → "calendar") is read as that word. Built from
//! the words of the training sentences and the vocabularies, looked up by single-letter deletions
//! (the "symmetric delete" method), so a lookup costs a handful of hash probes, not a scan.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use crate::corpus::{self, Split};
use crate::text::Text;
use crate::{concepts, vocabulary};

struct Lexicon {
    words: HashSet<String>,
    /// A word with one letter deleted → the known words it came from (the first one wins).
    deletions: HashMap<String, String>,
}

fn deletions(word: &str) -> impl Iterator<Item = String> + '_ {
    let chars: Vec<char> = word.chars().collect();
    (0..chars.len()).map(move |i| chars.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, c)| *c).collect())
}

fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| {
        let mut words: HashSet<String> = HashSet::new();
        for e in corpus::examples().iter().filter(|e| e.split == Split::Train) {
            words.extend(Text::new(&e.text).tokens.into_iter().map(|t| t.norm));
        }
        words.extend(concepts::all_words().map(str::to_string));
        words.extend(vocabulary::all_words().filter(|w| !w.contains(' ')).map(str::to_string));
        words.retain(|w| w.chars().all(|c| c.is_alphabetic() || c == '\''));
        let mut sorted: Vec<&String> = words.iter().filter(|w| w.chars().count() >= 5).collect();
        sorted.sort();
        let mut deletions = HashMap::new();
        for w in sorted {
            deletions.entry(w.clone()).or_insert_with(|| w.clone());
            for d in deletions_of(w) {
                deletions.entry(d).or_insert_with(|| w.clone());
            }
        }
        Lexicon { words, deletions }
    })
}

fn deletions_of(word: &str) -> Vec<String> {
    deletions(word).collect()
}

/// Whether the word was seen in a training sentence or is in a vocabulary.
pub fn is_known_word(word: &str) -> bool {
    lexicon().words.contains(word)
}

/// Whether a word is an everyday word: seen in lower case in the middle of a training sentence. Names
/// ("Dave", "Helen") are written with a capital wherever they stand.
pub fn is_common_word(word: &str) -> bool {
    static COMMON: OnceLock<HashSet<String>> = OnceLock::new();
    COMMON
        .get_or_init(|| {
            let mut set = HashSet::new();
            for e in corpus::examples().iter().filter(|e| e.split == Split::Train) {
                let t = Text::new(&e.text);
                set.extend(t.tokens.iter().skip(1).filter(|k| !k.capitalised).map(|k| k.norm.clone()));
            }
            set
        })
        .contains(word)
}

/// Whether a word is an everyday word, no name: written in lower case inside a training sentence that uses
/// capitals (where lower case is a choice: a sentence typed all in lower case tells nothing), and never
/// with a capital inside one (not at its start, nor after a full stop), and, from five letters on, in the
/// English word list. "mate", "heading" and "weekend"
/// are; "broome", "creek" and "port" are not. Tells a place's edges in a sentence typed without capitals.
pub fn is_everyday_word(word: &str) -> bool {
    static EVERYDAY: OnceLock<HashSet<String>> = OnceLock::new();
    EVERYDAY
        .get_or_init(|| {
            let (mut lower, mut names) = (HashSet::new(), HashSet::new());
            for e in corpus::examples().iter().filter(|e| e.split == Split::Train) {
                let t = Text::new(&e.text);
                if t.shouted() || !t.tokens.iter().skip(1).any(|k| k.capitalised) {
                    continue;
                }
                let after_stop = |k: usize| matches!(t.norm(k), "." | "!" | "?" | ":" | "\"" | "'");
                for k in 1..t.len() {
                    let token = &t.tokens[k];
                    if !token.capitalised {
                        lower.insert(token.norm.clone());
                    } else if !after_stop(k - 1) {
                        names.insert(token.norm.clone());
                    }
                }
            }
            lower.retain(|w| !names.contains(w));
            lower
        })
        .contains(word)
        // A longer word is an English one too ("buller" in "rough ETA to mt buller" is no everyday word).
        && (word.chars().count() < 5 || is_english(word))
}

/// The known word an unknown one was most likely meant as: drawn out for effect ("hiii", "hellooo",
/// "pleeease" — no English word has a letter three times in a row), or one edit away.
pub fn correct(word: &str) -> Option<&'static str> {
    let lex = lexicon();
    if let Some(w) = drawn_out(word).and_then(|w| lex.words.get(&w)) {
        return Some(w.as_str());
    }
    // Four-letter words are too often real words the corpus never used ("plot" is not "pilot").
    if word.chars().count() < 5 || lex.words.contains(word) || !word.chars().all(char::is_alphabetic) {
        return None;
    }
    // An English word the corpus never used is not a typo: "convert £200 to AUD" is no concert.
    if is_english(word) {
        return None;
    }
    if let Some(w) = lex.deletions.get(word) {
        return Some(w.as_str());
    }
    deletions(word).find_map(|d| lex.deletions.get(&d)).map(String::as_str)
}

/// Everyday English words of five letters or more, one per line in byte order: SCOWL's lists up to size 35
/// in American, British, Australian and Canadian spelling (`data/english-words.COPYRIGHT` gives their
/// terms). Kept as the text itself and searched by halves, so it costs the binary 350 KB and the heap a
/// table of line starts.
pub(crate) fn is_english(word: &str) -> bool {
    static WORDS: OnceLock<Vec<&'static str>> = OnceLock::new();
    WORDS
        .get_or_init(|| {
            let text = include_str!("../data/english-words.txt");
            let mut words = Vec::with_capacity(text.lines().count());
            words.extend(text.lines());
            words
        })
        .binary_search(&word)
        .is_ok()
}

/// A word with its runs of three or more of one letter cut to two when that is a known word ("gooood" →
/// "good", not "god"), else to one ("sooo" → "so").
fn drawn_out(word: &str) -> Option<String> {
    let chars: Vec<char> = word.chars().collect();
    if !chars.windows(3).any(|w| w[0] == w[1] && w[1] == w[2] && w[0].is_alphabetic()) {
        return None;
    }
    let cut = |keep: usize| {
        let mut out = String::with_capacity(word.len());
        let mut i = 0;
        while i < chars.len() {
            let run = chars[i..].iter().take_while(|c| **c == chars[i]).count();
            let kept = if run >= 3 { keep } else { run };
            out.extend(std::iter::repeat_n(chars[i], kept));
            i += run;
        }
        out
    };
    let (one, two) = (cut(1), cut(2));
    Some(if is_known_word(&two) { two } else { one })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit_from_a_known_word() {
        assert_eq!(correct("remnd"), Some("remind"));
        assert_eq!(correct("calandar"), Some("calendar"));
        assert_eq!(correct("budgte"), Some("budget"));
        assert_eq!(correct("trip"), None);
        assert_eq!(correct("xyzzyq"), None);
        assert_eq!(correct("ab"), None);
    }

    #[test]
    fn an_english_word_the_corpus_never_used_is_meant_as_itself() {
        assert_eq!(correct("convert"), None, "not \"concert\"");
        assert_eq!(correct("vanguard"), None);
        assert!(is_english("dividend") && !is_english("grocey"));
        // Typos are still read as the word meant.
        assert_eq!(correct("grocey"), Some("grocery"));
        assert_eq!(crate::vocabulary::near_miss("convert"), None);
        assert_eq!(crate::vocabulary::near_miss("shower"), Some("utilities"), "a singular is its plural");
    }

    #[test]
    fn a_word_drawn_out_for_effect_is_the_word() {
        assert_eq!(correct("hiii"), Some("hi"));
        assert_eq!(correct("hellooo"), Some("hello"));
        assert_eq!(correct("gooood"), Some("good"), "a run cut to two when that is the word");
        assert_eq!(correct("zzzzz"), None, "nothing known underneath");
    }
}
