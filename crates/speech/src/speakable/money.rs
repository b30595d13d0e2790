//! Money read the way people say it: "$42.50" → "42 dollars 50", "$0.95" → "95 cents", "A$12" → "12
//! Australian dollars", "-$40" → "minus 40 dollars", "$5k" → "5 thousand dollars", "120 AUD" → "120
//! Australian dollars", "$1.859/L" → "1.859 dollars per litre". Numbers stay digits: the engine reads
//! "1234" as "one thousand two hundred…" by itself; what it cannot know is that "$" belongs after them.

struct Currency {
    one: &'static str,
    many: &'static str,
    cent: &'static str,
    cents: &'static str,
}

const DOLLAR: Currency = Currency { one: "dollar", many: "dollars", cent: "cent", cents: "cents" };
const AUD: Currency = Currency { one: "Australian dollar", many: "Australian dollars", cent: "cent", cents: "cents" };
const USD: Currency = Currency { one: "US dollar", many: "US dollars", cent: "cent", cents: "cents" };
const NZD: Currency = Currency { one: "New Zealand dollar", many: "New Zealand dollars", cent: "cent", cents: "cents" };
const CAD: Currency = Currency { one: "Canadian dollar", many: "Canadian dollars", cent: "cent", cents: "cents" };
const EUR: Currency = Currency { one: "euro", many: "euros", cent: "cent", cents: "cents" };
const GBP: Currency = Currency { one: "pound", many: "pounds", cent: "penny", cents: "pence" };

/// Symbols written before the amount; longest first so "AU$" is not read as "A" then "U$".
const SYMBOLS: &[(&str, &Currency)] = &[
    ("AU$", &AUD),
    ("US$", &USD),
    ("NZ$", &NZD),
    ("CA$", &CAD),
    ("A$", &AUD),
    ("C$", &CAD),
    ("$", &DOLLAR),
    ("€", &EUR),
    ("£", &GBP),
];

/// ISO codes, written before ("AUD 120") or after ("120 AUD") the amount.
const CODES: &[(&str, &Currency)] =
    &[("AUD", &AUD), ("USD", &USD), ("NZD", &NZD), ("CAD", &CAD), ("EUR", &EUR), ("GBP", &GBP)];

struct Amount {
    whole: String,
    fraction: String,
    scale: Option<&'static str>,
}

pub(super) fn read_money(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 16);
    let mut i = 0;
    while i < chars.len() {
        if let Some((consumed, spoken)) = money_at(&chars, i) {
            out.push_str(&spoken);
            i += consumed;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

fn word_char(chars: &[char], at: usize) -> bool {
    chars.get(at).is_some_and(|c| c.is_alphanumeric())
}

fn matches_at(chars: &[char], at: usize, word: &str) -> bool {
    word.chars().enumerate().all(|(k, w)| chars.get(at + k) == Some(&w))
}

/// Money starting at `i`: how many chars it spans and how it is said.
fn money_at(chars: &[char], i: usize) -> Option<(usize, String)> {
    if i > 0 && word_char(chars, i - 1) {
        return None;
    }
    let negative = matches!(chars[i], '-' | '−') && !word_char(chars, i + 1);
    let start = if negative { i + 1 } else { i };
    let sign = if negative { "minus " } else { "" };
    for (symbol, currency) in SYMBOLS {
        if matches_at(chars, start, symbol) {
            let at = start + symbol.chars().count();
            let (n, amount) = number_at(chars, at)?;
            let (p, per) = per_unit(chars, at + n);
            return Some((at + n + p - i, format!("{sign}{}{per}", say(&amount, currency))));
        }
    }
    for (code, currency) in CODES {
        if matches_at(chars, start, code) && !word_char(chars, start + 3) {
            let at = start + 3 + usize::from(chars.get(start + 3) == Some(&' '));
            let (n, amount) = number_at(chars, at)?;
            return Some((at + n - i, format!("{sign}{}", say(&amount, currency))));
        }
    }
    // "120 AUD": a number followed by a code.
    if !negative && chars[i].is_ascii_digit() {
        let (n, amount) = number_at(chars, i)?;
        let at = i + n + usize::from(chars.get(i + n) == Some(&' '));
        for (code, currency) in CODES {
            if matches_at(chars, at, code) && !word_char(chars, at + 3) {
                return Some((at + 3 - i, say(&amount, currency)));
            }
        }
    }
    None
}

/// Digits with optional thousands commas, an optional fraction and an optional k/m/bn scale.
fn number_at(chars: &[char], start: usize) -> Option<(usize, Amount)> {
    let digit = |at: usize| chars.get(at).is_some_and(char::is_ascii_digit);
    if !digit(start) {
        return None;
    }
    let mut at = start;
    let mut whole = String::new();
    loop {
        if digit(at) {
            whole.push(chars[at]);
            at += 1;
        } else if chars.get(at) == Some(&',') && (1..=3).all(|k| digit(at + k)) && !digit(at + 4) {
            at += 1;
        } else {
            break;
        }
    }
    let mut fraction = String::new();
    if chars.get(at) == Some(&'.') && digit(at + 1) {
        at += 1;
        while digit(at) {
            fraction.push(chars[at]);
            at += 1;
        }
    }
    let mut scale = None;
    for (suffix, word) in [("bn", "billion"), ("k", "thousand"), ("K", "thousand"), ("m", "million"), ("M", "million")]
    {
        let len = suffix.chars().count();
        if matches_at(chars, at, suffix) && !word_char(chars, at + len) {
            scale = Some(word);
            at += len;
            break;
        }
    }
    let whole = whole.trim_start_matches('0');
    let whole = if whole.is_empty() { "0".to_string() } else { whole.to_string() };
    Some((at - start, Amount { whole, fraction, scale }))
}

/// "/L", "/night" after an amount: " per litre", " per night".
fn per_unit(chars: &[char], at: usize) -> (usize, String) {
    if chars.get(at) != Some(&'/') {
        return (0, String::new());
    }
    let word: String = chars[at + 1..].iter().take_while(|c| c.is_alphabetic()).collect();
    if word.is_empty() {
        return (0, String::new());
    }
    let unit = match word.as_str() {
        "L" | "l" | "litre" | "liter" => "litre",
        "km" => "kilometre",
        "gal" => "gallon",
        "h" | "hr" => "hour",
        "kWh" => "kilowatt hour",
        "kg" => "kilogram",
        other => other,
    };
    (1 + word.chars().count(), format!(" per {unit}"))
}

fn say(amount: &Amount, currency: &Currency) -> String {
    let Amount { whole, fraction, scale } = amount;
    if let Some(scale) = scale {
        let number = if fraction.is_empty() { whole.clone() } else { format!("{whole}.{fraction}") };
        return format!("{number} {scale} {}", currency.many);
    }
    let unit = if whole == "1" { currency.one } else { currency.many };
    let cents: u32 = match fraction.len() {
        0 => 0,
        1 => fraction.parse::<u32>().unwrap_or(0) * 10,
        2 => fraction.parse().unwrap_or(0),
        // Fuel prices per litre ($1.859): a decimal number of dollars, read as such.
        _ => return format!("{whole}.{fraction} {}", currency.many),
    };
    let cent = if cents == 1 { currency.cent } else { currency.cents };
    match cents {
        0 => format!("{whole} {unit}"),
        c if whole == "0" => format!("{c} {cent}"),
        // "42 dollars 50" is how it is said; "42 dollars 5" would be heard as 42.50.
        c if c >= 10 => format!("{whole} {unit} {c}"),
        c => format!("{whole} {unit} {c} {cent}"),
    }
}
