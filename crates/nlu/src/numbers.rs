//! Numbers as people type them: digits with thousands separators ("1,200.50"), shorthand ("2k", "50k",
//! "five grand"), and words ("a hundred and twenty", "forty-two", "four thousand two hundred",
//! "twelve hundred", "3 hundred"), plus the spoken prices of a servo sign ("a buck ninety-five", "two oh
//! nine", "thirty two eighty").

use crate::text::Token;

/// A number read from one or more tokens.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Num {
    pub value: f64,
    /// Tokens it took.
    pub used: usize,
    /// It was written in words ("forty"), not digits.
    pub words: bool,
    /// Digits after the decimal point as written ("67.20" → 2).
    pub decimals: usize,
}

const UNITS: &[&str] = &[
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: &[&str] = &["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];

/// The value of one number word ("seven", "forty"), or of a hyphenated pair ("forty-two").
pub fn word_value(word: &str) -> Option<u32> {
    if let Some((a, b)) = word.split_once('-') {
        let (t, u) = (word_value(a)?, word_value(b)?);
        return (t >= 20 && t % 10 == 0 && u < 10).then_some(t + u);
    }
    if let Some(i) = UNITS.iter().position(|u| *u == word) {
        return Some(i as u32);
    }
    if word == "fourty" {
        return Some(40);
    }
    if let Some(tens) = TENS.iter().position(|t| !t.is_empty() && *t == word) {
        return Some(tens as u32 * 10);
    }
    // Run together, as voice typing and hurried thumbs write them: "fortyfive", "twentyone".
    let (t, rest) = TENS.iter().enumerate().skip(2).find_map(|(i, t)| Some((i, word.strip_prefix(t)?)))?;
    let u = UNITS.iter().position(|u| *u == rest).filter(|u| (1..10).contains(u))?;
    Some(t as u32 * 10 + u as u32)
}

/// Digits as written: "1,200", "67.20", "$5" is not a plain number (money reads its own prefix).
pub fn digits(text: &str) -> Option<(f64, usize)> {
    let t = text.replace(',', "");
    if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit() || c == '.') || t.starts_with('.') && t.len() == 1 {
        return None;
    }
    if t.matches('.').count() > 1 || t.len() > 15 {
        return None;
    }
    let decimals = t.split_once('.').map(|(_, f)| f.len()).unwrap_or(0);
    let value: f64 = t.parse().ok()?;
    value.is_finite().then_some((value, decimals))
}

/// "2k", "50K", "1.5k" → thousands.
fn thousands_shorthand(text: &str) -> Option<f64> {
    let n = text.strip_suffix('k')?;
    let (v, _) = digits(n)?;
    Some(v * 1000.0)
}

/// A cardinal number starting at token `i`.
pub fn parse_at(tokens: &[Token], i: usize) -> Option<Num> {
    let first = tokens.get(i)?;
    if let Some((value, decimals)) = digits(&first.norm) {
        // "3 hundred", "2 grand", "1.5 thousand".
        let next = tokens.get(i + 1).map(|t| t.norm.as_str());
        let scale = match next {
            Some("hundred" | "hundy" | "hundies") => 100.0,
            Some("thousand" | "grand") => 1000.0,
            Some("million") => 1_000_000.0,
            _ => 1.0,
        };
        let mut used = if scale > 1.0 { 2 } else { 1 };
        let mut value = value * scale;
        // "4 hundred and twenty", "2 thousand 3 hundred", "2 hundred fifty": the rest of the number,
        // below the scale — after "and", or itself in words or scaled. A bare figure after it is a count
        // or a date of its own ("2 hundred 3 nights", "3 hundred 25/11").
        if scale > 1.0 && value.fract() == 0.0 {
            let and = usize::from(tokens.get(i + used).is_some_and(|t| t.is("and")));
            if let Some(rest) = parse_at(tokens, i + used + and)
                .filter(|r| r.value >= 1.0 && r.value < scale && (and == 1 || r.words || r.used > 1))
            {
                value += rest.value;
                used += and + rest.used;
            }
        }
        return Some(Num { value, used, words: false, decimals: if scale > 1.0 { 0 } else { decimals } });
    }
    if let Some(value) = thousands_shorthand(&first.norm) {
        return Some(Num { value, used: 1, words: false, decimals: 0 });
    }
    words_at(tokens, i)
}

/// A number written in words starting at token `i`.
fn words_at(tokens: &[Token], i: usize) -> Option<Num> {
    let mut total = 0u64;
    let mut current = 0u64;
    let mut used = 0;
    let mut any = false;
    let mut last_was_and = false;
    let mut article = false;
    while let Some(t) = tokens.get(i + used) {
        let w = t.norm.as_str();
        if let Some(v) = word_value(w) {
            // "twenty five" is one number; "five twenty" is two (a price), so stop there.
            if any && !current.is_multiple_of(100) && !last_was_and && (!current.is_multiple_of(10) || v >= 10) {
                break;
            }
            if any && current >= 10 && current.is_multiple_of(10) && current < 100 && v >= 10 && !last_was_and {
                break;
            }
            current = current.saturating_add(u64::from(v));
            any = true;
        } else if matches!(w, "hundred" | "hundy" | "hundies")
            && (any
                || article
                // "hundred and fifty dollars": the "a" dropped, as people say it.
                || (used == 0
                    && tokens.get(i + 1).is_some_and(|t| t.is("and"))
                    && tokens.get(i + 2).is_some_and(|t| word_value(&t.norm).is_some())))
        {
            current = current.max(1).saturating_mul(100);
            any = true;
        } else if (w == "thousand" || w == "grand") && (any || article) {
            total = total.saturating_add(current.max(1).saturating_mul(1000));
            current = 0;
            any = true;
        } else if (w == "a" || w == "an") && !any {
            // "a hundred", "a thousand": only when a scale word follows.
            if !tokens.get(i + used + 1).is_some_and(|n| n.is_any(&["hundred", "thousand", "grand", "hundy"])) {
                return None;
            }
            article = true;
        } else if w == "and" && any && !last_was_and {
            // "a hundred and twenty": only when a number word follows.
            if tokens.get(i + used + 1).is_none_or(|n| word_value(&n.norm).is_none()) {
                break;
            }
            last_was_and = true;
            used += 1;
            continue;
        } else {
            break;
        }
        last_was_and = false;
        used += 1;
    }
    any.then_some(Num { value: total.saturating_add(current) as f64, used, words: true, decimals: 0 })
}

/// A price spoken the way a fuel sign reads: "a buck ninety-five" (1.95), "two oh nine" (2.09),
/// "two dollars four" (2.04), "thirty two eighty" (32.80), "twenty five fifty" (25.50). Only a whole
/// part followed by a cents part below 100.
pub fn spoken_price(tokens: &[Token], i: usize) -> Option<Num> {
    let first = tokens.get(i)?;
    let (whole, mut used) =
        if first.is_any(&["a", "one"]) && tokens.get(i + 1).is_some_and(|t| t.is_any(&["buck", "dollar"])) {
            (1.0, 2)
        } else {
            let n = words_at(tokens, i)?;
            let mut used = n.used;
            if tokens.get(i + used).is_some_and(|t| t.is_any(&["dollars", "dollar", "bucks", "buck"])) {
                used += 1;
            }
            (n.value, used)
        };
    // "oh nine" → 09.
    if tokens.get(i + used).is_some_and(|t| t.is_any(&["oh", "o"])) {
        let digit = tokens.get(i + used + 1).and_then(|t| word_value(&t.norm)).filter(|d| *d < 10)?;
        return Some(Num { value: whole + f64::from(digit) / 100.0, used: used + 2, words: true, decimals: 2 });
    }
    let cents = words_at(tokens, i + used).filter(|c| c.value < 100.0)?;
    used += cents.used;
    Some(Num { value: whole + cents.value / 100.0, used, words: true, decimals: 2 })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Text;

    fn num(text: &str) -> Option<f64> {
        parse_at(&Text::new(text).tokens, 0).map(|n| n.value)
    }

    fn price(text: &str) -> Option<f64> {
        spoken_price(&Text::new(text).tokens, 0).map(|n| (n.value * 100.0).round() / 100.0)
    }

    #[test]
    fn digits_words_and_shorthand() {
        assert_eq!(num("1,200"), Some(1200.0));
        assert_eq!(num("67.20"), Some(67.2));
        assert_eq!(num("2k"), Some(2000.0));
        assert_eq!(num("50k"), Some(50000.0));
        assert_eq!(num("five grand"), Some(5000.0));
        assert_eq!(num("3 hundred"), Some(300.0));
        assert_eq!(num("4 hundred and twenty"), Some(420.0));
        assert_eq!(num("2 thousand 3 hundred"), Some(2300.0));
        assert_eq!(num("2 hundred fifty"), Some(250.0));
        assert_eq!(num("2 hundred 3 nights"), Some(200.0), "a count of its own");
        assert_eq!(num("twelve hundred"), Some(1200.0));
        assert_eq!(num("a hundred and twenty dollars"), Some(120.0));
        assert_eq!(num("four thousand two hundred"), Some(4200.0));
        assert_eq!(num("forty-two"), Some(42.0));
        assert_eq!(num("twenty five"), Some(25.0));
        assert_eq!(num("two hundred and fifty"), Some(250.0));
        assert_eq!(num("hundred and fifty"), Some(150.0));
        assert_eq!(num("hundred"), None, "a bare hundred is no amount");
        assert_eq!(num("a day"), None);
        assert_eq!(num("1.2.3"), None);
    }

    #[test]
    fn spoken_prices() {
        assert_eq!(price("a buck ninety-five"), Some(1.95));
        assert_eq!(price("two oh nine"), Some(2.09));
        assert_eq!(price("two dollars four"), Some(2.04));
        assert_eq!(price("thirty two eighty"), Some(32.8));
        assert_eq!(price("twenty five fifty"), Some(25.5));
        assert_eq!(price("twenty five"), None);
    }

    #[test]
    fn endless_scale_words_saturate_instead_of_overflowing() {
        let hundreds = "hundred ".repeat(40);
        assert!(num(&format!("nine {hundreds}")).is_some_and(f64::is_finite));
        let thousands = "thousand ".repeat(40);
        assert!(num(&format!("a {thousands}")).is_some_and(f64::is_finite));
        assert!(num(&"ninety nine hundred thousand ".repeat(30)).is_some_and(f64::is_finite));
    }

    proptest::proptest! {
        /// Any run of number words, scales and joiners is read without a panic (overflow included).
        #[test]
        fn number_words_in_any_order_never_panic(words in proptest::collection::vec(
            proptest::sample::select(vec!["a", "an", "and", "one", "nine", "twelve", "ninety", "hundred",
                "thousand", "grand", "k", "2k", "1,200", "67.20", "oh", "dollars", "buck", "fifty", "99"]),
            0..60,
        )) {
            let text = words.join(" ");
            let tokens = Text::new(&text).tokens;
            for i in 0..tokens.len() {
                let _ = parse_at(&tokens, i);
                let _ = spoken_price(&tokens, i);
            }
        }
    }
}
