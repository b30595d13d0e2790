//! Tokens of an utterance. The text is first folded (curly quotes to straight ones, arrows to `>`,
//! dashes to `-`), then split into words, numbers and the punctuation that carries meaning (`,` `:`
//! `?` `/` `@` `=` `>` `-` `(` `)`). Each token keeps its byte range in the folded text, so slot values
//! ("Port Augusta", a post's content) are cut from what the user wrote, with their capitals.

use std::ops::Range;

#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    /// Lower case, as compared against vocabularies.
    pub norm: String,
    /// Byte range in [`Text::folded`].
    pub span: Range<usize>,
    /// The word began with a capital letter as written.
    pub capitalised: bool,
}

impl Token {
    pub fn is(&self, word: &str) -> bool {
        self.norm == word
    }

    pub fn is_any(&self, words: &[&str]) -> bool {
        words.contains(&self.norm.as_str())
    }

    pub fn is_punct(&self) -> bool {
        self.norm.chars().all(|c| !c.is_alphanumeric())
    }
}

/// A folded utterance and its tokens.
#[derive(Clone, Debug)]
pub struct Text {
    pub folded: String,
    pub tokens: Vec<Token>,
    /// Which words the tokens hold, as a Bloom filter: the phrase lists are looked up in every
    /// sentence, most of their words are in none, and a bit test turns those away without a scan.
    words: WordFilter,
}

/// A 512-bit Bloom filter over the tokens' words, two bits a word: with the 30-odd words of a long
/// message about one look-up in a hundred passes wrongly, and then the scan that follows says no.
#[derive(Clone, Debug, Default)]
struct WordFilter([u64; 8]);

impl WordFilter {
    fn of(tokens: &[Token]) -> WordFilter {
        let mut f = WordFilter::default();
        for t in tokens {
            for bit in WordFilter::bits(&t.norm) {
                f.0[bit / 64] |= 1 << (bit % 64);
            }
        }
        f
    }

    /// FNV-1a of the word, its low and high bits as the two positions.
    fn bits(word: &str) -> [usize; 2] {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in word.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        [(h & 511) as usize, ((h >> 32) & 511) as usize]
    }

    fn may_hold(&self, word: &str) -> bool {
        WordFilter::bits(word).iter().all(|bit| self.0[bit / 64] & (1 << (bit % 64)) != 0)
    }
}

/// Texting shorthand and what it stands for: a closed set, one word each.
const SHORTHAND: &[(&str, &str)] = &[
    ("u", "you"),
    ("r", "are"),
    ("ur", "your"),
    ("wat", "what"),
    ("wot", "what"),
    ("wut", "what"),
    ("n", "and"),
    ("thx", "thanks"),
    ("thnx", "thanks"),
    ("tho", "though"),
    ("bout", "about"),
    ("abt", "about"),
    ("b4", "before"),
    ("2day", "today"),
    ("2nite", "tonight"),
    ("2night", "tonight"),
    ("tonite", "tonight"),
    ("2moro", "tomorrow"),
    ("2morrow", "tomorrow"),
    ("tmr", "tomorrow"),
    ("tomoz", "tomorrow"),
    ("pd", "paid"),
    ("ppl", "people"),
    ("bc", "because"),
    ("rly", "really"),
    ("prolly", "probably"),
    ("smth", "something"),
    ("sth", "something"),
    ("msg", "message"),
    ("whatd", "what'd"),
    ("nvm", "nevermind"),
    ("cn", "can"),
    ("cud", "could"),
    ("shud", "should"),
    ("wud", "would"),
];

/// Characters that are tokens of their own.
const PUNCT: &[char] = &[',', ';', ':', '?', '!', '/', '@', '=', '>', '(', ')', '"', '+', '&', '|', '*', '#', '<', '['];

fn fold(original: &str) -> String {
    let mut out = String::with_capacity(original.len());
    for c in original.chars() {
        match c {
            '\u{2018}' | '\u{2019}' | '\u{02bc}' | '`' | '\u{00b4}' => out.push('\''),
            '\u{201c}' | '\u{201d}' | '\u{201e}' => out.push('"'),
            '\u{2013}' | '\u{2014}' | '\u{2212}' => out.push('-'),
            '\u{2192}' | '\u{21d2}' | '\u{27a1}' => out.push('>'),
            '\u{2026}' => out.push_str("..."),
            '\u{00a0}' | '\t' | '\n' | '\r' => out.push(' '),
            ']' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// A character that may sit inside a word or number token.
fn word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '\'' | '.' | '-' | '$' | '£' | '€' | '%' | '_')
}

impl Text {
    pub fn new(original: &str) -> Text {
        let folded = fold(original);
        let mut tokens = Vec::new();
        let mut start = None;
        let bytes: Vec<(usize, char)> = folded.char_indices().collect();
        let mut i = 0;
        while i <= bytes.len() {
            let (at, c) = bytes.get(i).copied().unwrap_or((folded.len(), ' '));
            // A comma between digits is a thousands separator ("1,200"), not a break.
            let thousands = c == ','
                && i > 0
                && bytes.get(i - 1).is_some_and(|(_, p)| p.is_ascii_digit())
                && bytes.get(i + 1..i + 4).is_some_and(|n| n.iter().all(|(_, d)| d.is_ascii_digit()))
                && bytes.get(i + 4).is_none_or(|(_, d)| !d.is_ascii_digit());
            // "2:30" and "10:45" are clock times: keep them whole.
            let clock = c == ':'
                && i > 0
                && bytes.get(i - 1).is_some_and(|(_, p)| p.is_ascii_digit())
                && bytes.get(i + 1..i + 3).is_some_and(|n| n.iter().all(|(_, d)| d.is_ascii_digit()));
            if (word_char(c) && c != '\u{fe0f}') || thousands || clock {
                start.get_or_insert(at);
            } else {
                if let Some(s) = start.take() {
                    push_word(&folded, s, at, &mut tokens);
                }
                if PUNCT.contains(&c) {
                    tokens.push(Token { norm: c.to_string(), span: at..at + c.len_utf8(), capitalised: false });
                }
            }
            i += 1;
        }
        let words = WordFilter::of(&tokens);
        Text { folded, tokens, words }
    }

    /// Texting shorthand read as the words it stands for ("u" you, "r" are, "wat" what, "pd" paid),
    /// and a dropped g put back where `known` knows the word with it ("doin" doing, "spendin"
    /// spending). The span, and so any value cut from the text, stays as written.
    pub fn expand_texting(&mut self, known: impl Fn(&str) -> bool) {
        for t in &mut self.tokens {
            if let Some((_, full)) = SHORTHAND.iter().find(|(short, _)| *short == t.norm) {
                t.norm = (*full).to_string();
            } else if t.norm.len() >= 4
                && t.norm.ends_with("in")
                && t.norm.chars().all(|c| c.is_ascii_alphabetic())
                && t.norm != "thin"
            {
                let with_g = format!("{}g", t.norm);
                if known(&with_g) {
                    t.norm = with_g;
                }
            }
        }
        self.words = WordFilter::of(&self.tokens);
    }

    /// Whether the sentence is written all in capitals (at least 8 letters, none lower case).
    pub fn shouted(&self) -> bool {
        let letters = || self.folded.chars().filter(|c| c.is_alphabetic());
        letters().count() >= 8 && !letters().any(char::is_lowercase)
    }

    /// A shouted sentence ("ANY APPOINTMENTS TODAY?") has no capitals to tell names by: every word
    /// would look like one. There, only the words `known` does not know keep their capital.
    pub fn unshout(&mut self, known: impl Fn(&str) -> bool) {
        if self.shouted() {
            for t in &mut self.tokens {
                t.capitalised = t.capitalised && !known(&t.norm);
            }
        }
    }

    /// The text the user wrote between two tokens (inclusive), as written.
    pub fn slice(&self, first: usize, last: usize) -> &str {
        match (self.tokens.get(first), self.tokens.get(last)) {
            (Some(a), Some(b)) if a.span.start <= b.span.end => self.folded.get(a.span.start..b.span.end).unwrap_or(""),
            _ => "",
        }
    }

    /// The text from the start of a token to the end of the utterance.
    pub fn rest_from(&self, first: usize) -> &str {
        self.tokens.get(first).and_then(|t| self.folded.get(t.span.start..)).unwrap_or("")
    }

    pub fn norm(&self, i: usize) -> &str {
        self.tokens.get(i).map(|t| t.norm.as_str()).unwrap_or("")
    }

    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// The index of the first token equal to one of `words`.
    pub fn position(&self, words: &[&str]) -> Option<usize> {
        if !words.iter().any(|w| self.words.may_hold(w)) {
            return None;
        }
        self.tokens.iter().position(|t| t.is_any(words))
    }

    pub fn has(&self, word: &str) -> bool {
        self.words.may_hold(word) && self.tokens.iter().any(|t| t.is(word))
    }

    pub fn has_any(&self, words: &[&str]) -> bool {
        words.iter().any(|w| self.has(w))
    }

    /// Whether a sentence ends right before token `k`: a "?" or "!" token, or a full stop or either mark in
    /// the text between the two tokens ("… water over the causeway. Tell the community").
    pub fn sentence_break_before(&self, k: usize) -> bool {
        k > 0
            && k < self.tokens.len()
            && (self.tokens[k - 1].is_any(&["?", "!"])
                || self
                    .folded
                    .get(self.tokens[k - 1].span.end..self.tokens[k].span.start)
                    .is_some_and(|gap| gap.contains(['.', '!', '?'])))
    }

    /// Whether the token sequence contains `phrase` (space-separated words).
    pub fn has_phrase(&self, phrase: &str) -> bool {
        self.find_phrase(phrase).is_some()
    }

    /// Where `phrase` (space-separated words) starts.
    pub fn find_phrase(&self, phrase: &str) -> Option<usize> {
        // No allocation: this runs for every phrase list on every sentence.
        if !phrase.split(' ').all(|w| self.words.may_hold(w)) {
            return None;
        }
        let n = phrase.split(' ').count();
        let first = phrase.split(' ').next()?;
        if n > self.tokens.len() {
            return None;
        }
        (0..=self.tokens.len() - n).find(|&i| {
            self.tokens[i].is(first) && phrase.split(' ').enumerate().skip(1).all(|(k, w)| self.tokens[i + k].is(w))
        })
    }
}

fn push_word(folded: &str, start: usize, end: usize, tokens: &mut Vec<Token>) {
    let Some(raw) = folded.get(start..end) else { return };
    // Quotes and dots that wrap a word are not part of it ("'leave", "Kakadu'", "done."), but the dot
    // of a number ("2.05") or an abbreviation inside a word stays.
    let trimmed_start = raw.len() - raw.trim_start_matches(['\'', '.', '-']).len();
    let inner = &raw[trimmed_start..];
    let inner = inner.trim_end_matches(['\'', '-', '.']);
    if inner.is_empty() {
        if raw.trim_matches('.').is_empty() && raw.len() >= 3 {
            return; // "..."
        }
        if raw == "-" {
            tokens.push(Token { norm: "-".into(), span: start..end, capitalised: false });
        }
        return;
    }
    let s = start + trimmed_start;
    let e = s + inner.len();
    let capitalised = inner.chars().next().is_some_and(char::is_uppercase);
    tokens.push(Token { norm: inner.to_lowercase(), span: s..e, capitalised });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norms(text: &str) -> Vec<String> {
        Text::new(text).tokens.into_iter().map(|t| t.norm).collect()
    }

    #[test]
    fn words_numbers_and_meaningful_punctuation() {
        assert_eq!(
            norms("Spent $1,200.50 on rego, yesterday."),
            ["spent", "$1,200.50", "on", "rego", ",", "yesterday"]
        );
        assert_eq!(norms("Fuel: 61L / $124.44 / 77,890 km"), ["fuel", ":", "61l", "/", "$124.44", "/", "77,890", "km"]);
        assert_eq!(norms("what's on at 2:30?"), ["what's", "on", "at", "2:30", "?"]);
        assert_eq!(norms("Brisbane→Toowoomba→Roma"), ["brisbane", ">", "toowoomba", ">", "roma"]);
        assert_eq!(norms("add 'leave Kakadu' for Saturday"), ["add", "leave", "kakadu", "for", "saturday"]);
        assert_eq!(norms("Expense - 4.20 - coffee"), ["expense", "-", "4.20", "-", "coffee"]);
        assert_eq!(norms("forty-two dollars 👍 ok..."), ["forty-two", "dollars", "ok"]);
        assert_eq!(norms("1,2,3"), ["1", ",", "2", ",", "3"]);
    }

    #[test]
    fn slices_keep_what_was_written() {
        let t = Text::new("plan a trip to Port Augusta");
        assert_eq!(t.slice(4, 5), "Port Augusta");
        assert_eq!(t.rest_from(3), "to Port Augusta");
        assert!(t.tokens[4].capitalised);
        assert_eq!(t.find_phrase("a trip"), Some(1));
    }

    #[test]
    fn the_word_filter_never_turns_away_a_word_that_is_there() {
        let t = Text::new("jus pd 40 for the van wash n a coffee at the servo in Longreach");
        for token in &t.tokens {
            assert!(t.has(&token.norm), "{} is in the sentence", token.norm);
        }
        assert!(t.has_phrase("the van wash"));
        assert_eq!(t.position(&["coffee", "tea"]), Some(9));
        assert!(!t.has("diesel"));
        assert!(!t.has_phrase("the van park"));
        // Texting shorthand is read as its word, and the filter learns the new word.
        let mut t = Text::new("can u log it n thx");
        t.expand_texting(|_| false);
        assert!(t.has("you") && t.has_phrase("log it and thanks"));
        assert!(!t.has("u"));
    }
}
