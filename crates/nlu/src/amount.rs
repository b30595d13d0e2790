//! Amounts in plain English: "$42.50", "$1,200", "42.50 dollars", "forty bucks", "AUD 120", "120 aud",
//! "a hundred and twenty dollars", "A$60".

/// An amount in cents and the currency named with it, if any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Amount {
    pub cents: i64,
    pub currency: Option<&'static str>,
}

const CODES: &[(&str, &str)] =
    &[("aud", "AUD"), ("usd", "USD"), ("nzd", "NZD"), ("cad", "CAD"), ("gbp", "GBP"), ("eur", "EUR")];
const PREFIXES: &[(&str, Option<&str>)] = &[
    ("a$", Some("AUD")),
    ("au$", Some("AUD")),
    ("aud$", Some("AUD")),
    ("us$", Some("USD")),
    ("nz$", Some("NZD")),
    ("c$", Some("CAD")),
    ("ca$", Some("CAD")),
    ("£", Some("GBP")),
    ("€", Some("EUR")),
    ("$", None),
];
const MONEY_WORDS: &[&str] = &["dollars", "dollar", "bucks", "buck", "quid"];

fn number(token: &str) -> Option<i64> {
    let t = token.replace(',', "");
    let t = t.trim_end_matches(['.', ',', '!', '?', ';', ':']);
    if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit() || c == '.') || t.matches('.').count() > 1 {
        return None;
    }
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    if frac.len() > 2 {
        return None;
    }
    let whole: i64 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
    let frac: i64 = if frac.is_empty() { 0 } else { format!("{frac:0<2}").parse().ok()? };
    whole.checked_mul(100)?.checked_add(frac)
}

fn word_value(word: &str) -> Option<i64> {
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
    if let Some(i) = UNITS.iter().position(|u| *u == word) {
        return Some(i as i64);
    }
    TENS.iter().position(|t| !t.is_empty() && *t == word).map(|i| i as i64 * 10)
}

/// "a hundred and twenty", "forty-five", "two thousand" → whole units.
fn words_number(words: &[&str]) -> Option<(i64, usize)> {
    let mut total = 0i64;
    let mut current = 0i64;
    let mut used = 0;
    let mut any = false;
    for w in words {
        let parts: Vec<&str> = w.split('-').collect();
        if parts.iter().all(|p| word_value(p).is_some()) && !w.is_empty() {
            current = current.saturating_add(parts.iter().map(|p| word_value(p).unwrap_or(0)).sum::<i64>());
            any = true;
        } else if *w == "hundred" {
            current = current.max(1).saturating_mul(100);
            any = true;
        } else if *w == "thousand" {
            total = total.saturating_add(current.max(1).saturating_mul(1000));
            current = 0;
            any = true;
        } else if (*w == "a" || *w == "an") && !any {
            current = 1;
        } else if *w == "and" && any {
        } else {
            break;
        }
        used += 1;
    }
    if any { Some((total.saturating_add(current), used)) } else { None }
}

fn clean(token: &str) -> String {
    token.trim_matches(|c: char| matches!(c, ',' | '!' | '?' | ';' | ':' | '(' | ')' | '"' | '\'')).to_lowercase()
}

/// The first amount in a text.
pub fn find(text: &str) -> Option<Amount> {
    let tokens: Vec<String> = text.split_whitespace().map(clean).collect();
    for (i, token) in tokens.iter().enumerate() {
        let token = token.trim_end_matches('.');
        for (prefix, currency) in PREFIXES {
            if let Some(rest) = token.strip_prefix(prefix)
                && let Some(cents) = number(rest)
            {
                return Some(Amount { cents, currency: *currency });
            }
        }
        if let Some(cents) = number(token) {
            let next = tokens.get(i + 1).map(|t| t.trim_end_matches('.'));
            let prev = i.checked_sub(1).and_then(|p| tokens.get(p)).map(|t| t.as_str());
            if let Some((_, code)) = next.and_then(|n| CODES.iter().find(|(c, _)| *c == n)) {
                return Some(Amount { cents, currency: Some(code) });
            }
            if let Some((_, code)) = prev.and_then(|p| CODES.iter().find(|(c, _)| *c == p)) {
                return Some(Amount { cents, currency: Some(code) });
            }
            if next.is_some_and(|n| MONEY_WORDS.contains(&n)) {
                return Some(Amount { cents, currency: None });
            }
        }
    }
    // Spelled-out amounts need a money word after them: "forty bucks", "a hundred dollars".
    let words: Vec<&str> = tokens.iter().map(|t| t.trim_end_matches('.')).collect();
    for i in 0..words.len() {
        if let Some((units, used)) = words_number(&words[i..])
            && words.get(i + used).is_some_and(|w| MONEY_WORDS.contains(w) || CODES.iter().any(|(c, _)| c == w))
        {
            let currency = words.get(i + used).and_then(|w| CODES.iter().find(|(c, _)| c == w)).map(|(_, c)| *c);
            return units.checked_mul(100).map(|cents| Amount { cents, currency });
        }
    }
    // A bare number after a spending verb: "spent 80 on diesel".
    for (i, token) in tokens.iter().enumerate() {
        if let Some(cents) = number(token.trim_end_matches('.'))
            && i > 0
            && ["spent", "paid", "cost", "costs", "was", "for", "dropped", "about", "budget", "to", "of"]
                .contains(&tokens[i - 1].as_str())
        {
            return Some(Amount { cents, currency: None });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_in_many_phrasings() {
        for (text, cents, currency) in [
            ("I spent $42.50 on diesel", 4250, None),
            ("paid $1,200 for rego", 120_000, None),
            ("42.50 dollars on fuel", 4250, None),
            ("forty bucks on coffee", 4000, None),
            ("AUD 120 at the caravan park", 12_000, Some("AUD")),
            ("120 aud for the park", 12_000, Some("AUD")),
            ("a hundred and twenty dollars on groceries", 12_000, None),
            ("forty-five dollars", 4500, None),
            ("A$60 for the site", 6000, Some("AUD")),
            ("spent 80 on diesel", 8000, None),
            ("$7.5 coffee", 750, None),
        ] {
            assert_eq!(find(text), Some(Amount { cents, currency }), "{text}");
        }
        assert_eq!(find("how much have I spent this month?"), None);
        assert_eq!(find("$12.345"), None);
    }
}
