//! Money: "$42.50", "US$45", "A$60", "£40", "AUD 120", "120 aud", "165 dollars", "forty bucks", "a
//! hundred and twenty dollars", "five grand", "a buck ninety-five", "two dollars four". A bare number is
//! not money here; the slot filler decides what a bare number is from the rest of the sentence.

use crate::numbers::{self, Num};
use crate::text::Token;

#[derive(Clone, Debug, PartialEq)]
pub struct Money {
    pub cents: i64,
    /// ISO code when the text names a currency; a bare `$` or "bucks" is the user's own currency.
    pub currency: Option<&'static str>,
}

const CODES: &[(&str, &str)] = &[
    ("aud", "AUD"),
    ("usd", "USD"),
    ("nzd", "NZD"),
    ("cad", "CAD"),
    ("gbp", "GBP"),
    ("eur", "EUR"),
    ("euros", "EUR"),
    ("euro", "EUR"),
    ("pounds", "GBP"),
    ("quid", "GBP"),
];
const PREFIXES: &[(&str, Option<&str>)] = &[
    ("aud$", Some("AUD")),
    ("au$", Some("AUD")),
    ("a$", Some("AUD")),
    ("us$", Some("USD")),
    ("nz$", Some("NZD")),
    ("ca$", Some("CAD")),
    ("c$", Some("CAD")),
    ("$", None),
    ("£", Some("GBP")),
    ("€", Some("EUR")),
];
/// Words after a number that make it money in the user's own currency.
const MONEY_WORDS: &[&str] = &["dollars", "dollar", "bucks", "buck", "dollarydoos", "clams"];

/// A banknote named for its value: "a tenner", "two fivers".
fn note(word: &str) -> Option<f64> {
    match word {
        "tenner" | "tenners" => Some(10.0),
        "fiver" | "fivers" => Some(5.0),
        _ => None,
    }
}

fn code(word: &str) -> Option<&'static str> {
    CODES.iter().find(|(w, _)| *w == word).map(|(_, c)| *c)
}

fn to_cents(value: f64) -> Option<i64> {
    let cents = (value * 100.0).round();
    (cents.is_finite() && (0.0..1e13).contains(&cents)).then_some(cents as i64)
}

/// Money starting at token `i`: the value and the number of tokens it took.
pub fn parse_at(tokens: &[Token], i: usize) -> Option<(Money, usize)> {
    let t = tokens.get(i)?;
    // A currency sign glued to the number, or standing before it ("US$ 60").
    for (prefix, currency) in PREFIXES {
        if let Some(rest) = t.norm.strip_prefix(prefix) {
            if rest.is_empty() {
                let n = numbers::parse_at(tokens, i + 1)?;
                return Some((Money { cents: to_cents(n.value)?, currency: *currency }, 1 + n.used));
            }
            // "$50 USD": a bare dollar sign, then the code saying whose dollars.
            if currency.is_none()
                && let Some(n) = numbers::digits(rest)
                && let Some(c) = tokens.get(i + 1).and_then(|t| code(&t.norm))
            {
                return Some((Money { cents: to_cents(n.0)?, currency: Some(c) }, 2));
            }
            let inner = Token { norm: rest.to_string(), span: t.span.clone(), capitalised: false };
            let mut rest_tokens = vec![inner];
            rest_tokens.extend(tokens.get(i + 1..i + 3).unwrap_or_default().iter().cloned());
            let n = numbers::parse_at(&rest_tokens, 0)?;
            return Some((Money { cents: to_cents(n.value)?, currency: *currency }, n.used));
        }
    }
    // "AUD 120".
    if let Some(c) = code(&t.norm).filter(|_| t.norm.len() == 3) {
        let n = numbers::parse_at(tokens, i + 1)?;
        return Some((Money { cents: to_cents(n.value)?, currency: Some(c) }, 1 + n.used));
    }
    // "a buck ninety-five", "two dollars four".
    if let Some(p) = numbers::spoken_price(tokens, i)
        && tokens[i..i + p.used].iter().any(|t| t.is_any(MONEY_WORDS))
    {
        return Some((Money { cents: to_cents(p.value)?, currency: None }, p.used));
    }
    // Cents: "85c", "95 cents".
    if let Some(c) = t.norm.strip_suffix('c').and_then(numbers::digits).filter(|(v, d)| *d == 0 && *v < 100.0) {
        return Some((Money { cents: c.0 as i64, currency: None }, 1));
    }
    // "a tenner", "a fiver": the note is the amount.
    if let Some(value) = note(&t.norm) {
        return Some((Money { cents: to_cents(value)?, currency: None }, 1));
    }
    let n: Num = numbers::parse_at(tokens, i)?;
    // "two tenners".
    if let Some(value) = tokens.get(i + n.used).and_then(|t| note(&t.norm)) {
        return Some((Money { cents: to_cents(n.value * value)?, currency: None }, n.used + 1));
    }
    if tokens.get(i + n.used).is_some_and(|t| t.is_any(&["cents", "cent"])) && n.value < 100.0 {
        return Some((Money { cents: n.value as i64, currency: None }, n.used + 1));
    }
    let after = tokens.get(i + n.used).map(|t| t.norm.as_str()).unwrap_or("");
    if MONEY_WORDS.contains(&after) {
        // "2 dollars 10 a litre", "eighty-seven dollars and twelve cents": the cents after the dollars.
        let mut at = i + n.used + 1;
        let and = tokens.get(at).is_some_and(|t| t.is("and"));
        if and {
            at += 1;
        }
        if n.value.fract() == 0.0
            && let Some(c) = numbers::parse_at(tokens, at).filter(|c| c.value.fract() == 0.0 && c.value < 100.0)
        {
            let next = tokens.get(at + c.used).map(|t| t.norm.as_str()).unwrap_or("");
            let next2 = tokens.get(at + c.used + 1).map(|t| t.norm.as_str()).unwrap_or("");
            let cents_word = matches!(next, "cents" | "cent" | "c");
            let per_unit = matches!(next, "a" | "per" | "/")
                && matches!(next2, "litre" | "liter" | "l" | "gallon" | "gal" | "ltr");
            // After "and" only with "cents" ("45 dollars and 50" may be two prices).
            if cents_word || (!and && (per_unit || next.is_empty() || matches!(next, "," | "." | "!"))) {
                return Some((
                    Money { cents: to_cents(n.value)? + c.value as i64, currency: None },
                    at + c.used + usize::from(cents_word) - i,
                ));
            }
        }
        return Some((Money { cents: to_cents(n.value)?, currency: None }, n.used + 1));
    }
    if let Some(c) = code(after) {
        return Some((Money { cents: to_cents(n.value)?, currency: Some(c) }, n.used + 1));
    }
    // "five grand", "2 hundy": grand and hundy are only ever money.
    if tokens.get(i + n.used - 1).is_some_and(|t| t.is_any(&["grand", "hundy", "hundies"])) {
        return Some((Money { cents: to_cents(n.value)?, currency: None }, n.used));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Text;

    fn money(text: &str) -> Option<(i64, Option<&'static str>, usize)> {
        let t = Text::new(text);
        parse_at(&t.tokens, 0).map(|(m, used)| (m.cents, m.currency, used))
    }

    #[test]
    fn signs_codes_and_words() {
        assert_eq!(money("$42.50"), Some((4250, None, 1)));
        assert_eq!(money("$1,200 for rego"), Some((120_000, None, 1)));
        assert_eq!(money("US$45"), Some((4500, Some("USD"), 1)));
        assert_eq!(money("US$ 60 on gas"), Some((6000, Some("USD"), 2)));
        assert_eq!(money("A$60"), Some((6000, Some("AUD"), 1)));
        assert_eq!(money("£40"), Some((4000, Some("GBP"), 1)));
        assert_eq!(money("AUD 120"), Some((12_000, Some("AUD"), 2)));
        assert_eq!(money("NZD 400"), Some((40_000, Some("NZD"), 2)));
        assert_eq!(money("120 aud"), Some((12_000, Some("AUD"), 2)));
        assert_eq!(money("165 dollars"), Some((16_500, None, 2)));
        assert_eq!(money("forty bucks"), Some((4000, None, 2)));
        assert_eq!(money("a hundred and twenty dollars"), Some((12_000, None, 5)));
        assert_eq!(money("five grand"), Some((500_000, None, 2)));
        assert_eq!(money("2 hundy"), Some((20_000, None, 2)));
        assert_eq!(money("a hundy"), Some((10_000, None, 2)));
        assert_eq!(money("tenner"), Some((1_000, None, 1)));
        assert_eq!(money("two fivers"), Some((1_000, None, 2)));
        assert_eq!(money("$50 USD"), Some((5_000, Some("USD"), 2)));
        assert_eq!(money("a buck ninety-five"), Some((195, None, 3)));
        assert_eq!(money("two dollars four a litre"), Some((204, None, 3)));
        assert_eq!(money("$3k"), Some((300_000, None, 1)));
        assert_eq!(money("85c"), Some((85, None, 1)));
        assert_eq!(money("95 cents"), Some((95, None, 2)));
        assert_eq!(money("120 for the park"), None);
        assert_eq!(money("$"), None);
        assert_eq!(money("$99999999999999999999"), None);
    }
}
