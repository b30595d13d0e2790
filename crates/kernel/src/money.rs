//! `Money`: an exact amount in integer cents, parsed once at the edge (SPEC §2: > 0, at most two
//! decimals, at most 1,000,000,000; JSON numbers on the wire), and the user's `Currency`.

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType, Type};

pub const MAX_CENTS: i64 = 1_000_000_000 * 100;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(i64);

impl Money {
    pub const ZERO: Money = Money(0);

    pub fn from_cents(cents: i64) -> Money {
        Money(cents)
    }

    pub fn cents(self) -> i64 {
        self.0
    }

    /// Parses a decimal text such as `42.5`, `42.50` or `1e2` into a positive amount.
    pub fn parse(text: &str) -> Result<Money, String> {
        let cents = decimal_to_cents(text.trim()).ok_or_else(|| format!("{text:?} is not an amount"))??;
        Money::positive(cents)
    }

    /// A positive amount within the upper bound.
    pub fn positive(cents: i64) -> Result<Money, String> {
        if cents <= 0 {
            Err("must be greater than 0".into())
        } else if cents > MAX_CENTS {
            Err("must be at most 1000000000".into())
        } else {
            Ok(Money(cents))
        }
    }

    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }

    /// `$42.50`, `€9.99`, `CHF 12.00`: the amount as a person reads it in the given currency.
    pub fn display(self, currency: &str) -> String {
        let symbol = match currency {
            "AUD" | "USD" | "CAD" | "NZD" | "SGD" | "MXN" | "HKD" => "$",
            "GBP" => "£",
            "EUR" => "€",
            "JPY" => "¥",
            "INR" => "₹",
            _ => return format!("{currency} {}", self.to_decimal_string()),
        };
        let text = self.to_decimal_string();
        match text.strip_prefix('-') {
            Some(positive) => format!("-{symbol}{positive}"),
            None => format!("{symbol}{text}"),
        }
    }

    /// `12.30` — for CSV, text and messages.
    pub fn to_decimal_string(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        format!("{sign}{}.{:02}", self.0.abs() / 100, self.0.abs() % 100)
    }
}

// Saturating: sums of stored amounts cannot realistically reach i64's limits, but arithmetic on values
// from outside never panics.
impl std::ops::Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0.saturating_add(rhs.0))
    }
}

impl std::ops::Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0.saturating_sub(rhs.0))
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, |a, b| a + b)
    }
}

/// Cents of a decimal text; Some(Err) when it has more than two decimals, None when it is no number.
fn decimal_to_cents(text: &str) -> Option<Result<i64, String>> {
    let (mantissa, exponent) = match text.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i32>().ok()?),
        None => (text, 0),
    };
    let negative = mantissa.starts_with('-');
    let digits = mantissa.trim_start_matches(['-', '+']);
    let (int_part, frac_part) = digits.split_once('.').unwrap_or((digits, ""));
    if int_part.is_empty() && frac_part.is_empty()
        || !int_part.chars().all(|c| c.is_ascii_digit())
        || !frac_part.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    // value = all_digits × 10^(exponent − len(frac)); cents = value × 100.
    let all: String = format!("{int_part}{frac_part}").trim_start_matches('0').to_string();
    let trimmed = all.trim_end_matches('0');
    let trailing_zeros = (all.len() - trimmed.len()) as i32;
    let scale = exponent - frac_part.len() as i32 + 2 + trailing_zeros;
    if trimmed.is_empty() {
        return Some(Ok(0));
    }
    if scale < 0 {
        return Some(Err("must have at most 2 decimal places".into()));
    }
    if trimmed.len() as i32 + scale > 15 {
        return Some(Err("must be at most 1000000000".into()));
    }
    let mut cents: i64 = trimmed.parse().ok()?;
    for _ in 0..scale {
        cents *= 10;
    }
    Some(Ok(if negative { -cents } else { cents }))
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Cents / 100 as f64 prints as the shortest decimal that round-trips: 0.3, 42.5, 1234.56.
        serializer.serialize_f64(self.as_f64())
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Money, D::Error> {
        struct MoneyVisitor;
        impl Visitor<'_> for MoneyVisitor {
            type Value = Money;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an amount like 42.50")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Money, E> {
                let cents = i64::try_from(v).ok().and_then(|v| v.checked_mul(100)).unwrap_or(i64::MAX);
                Money::positive(cents).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Money, E> {
                Money::positive(v.saturating_mul(100)).map_err(E::custom)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Money, E> {
                if !v.is_finite() {
                    return Err(E::custom("is not a finite number"));
                }
                // The shortest text that round-trips is the number as the client wrote it (42.5 for 42.50).
                Money::parse(&format!("{v}")).map_err(E::custom)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Money, E> {
                Money::parse(v).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(MoneyVisitor)
    }
}

impl utoipa::PartialSchema for Money {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(SchemaType::new(Type::Number))
            .description(Some("An amount in the user's currency: > 0, at most 2 decimals, at most 1000000000"))
            .exclusive_minimum(Some(0))
            .maximum(Some(1_000_000_000))
            .multiple_of(Some(0.01))
            .examples([serde_json::json!(42.5)])
            .into()
    }
}

impl utoipa::ToSchema for Money {}

/// The schema of an amount the server works out rather than one a client gives: a total, an average,
/// what is left of a budget. Cents like [`Money`], but it may be 0 or negative, and a sum is not held to
/// the cap on a single amount. Response fields holding such a figure are documented as this type
/// (`#[schema(value_type = Amount)]`) while their Rust type stays `Money`.
pub struct Amount;

impl utoipa::PartialSchema for Amount {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(SchemaType::new(Type::Number))
            .description(Some(
                "A worked-out amount (a total, an average, a remainder): at most 2 decimals; may be 0 or less",
            ))
            .multiple_of(Some(0.01))
            .examples([serde_json::json!(1234.5)])
            .into()
    }
}

impl utoipa::ToSchema for Amount {}

/// Active ISO 4217 codes.
const ISO_4217: &str = "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN \
BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD \
HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA \
MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF \
SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND \
VUV WST XAF XCD XOF XPF YER ZAR ZMW ZWL";

/// An ISO 4217 currency code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Currency(String);

/// The schema of a currency field checked with [`Currency::parse`]: an active ISO 4217 code (any case,
/// surrounding spaces aside).
pub struct CurrencyCode;

impl utoipa::PartialSchema for CurrencyCode {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(SchemaType::new(Type::String))
            .enum_values(Some(ISO_4217.split_ascii_whitespace()))
            .description(Some("An ISO 4217 currency code"))
            .examples([serde_json::json!("AUD")])
            .into()
    }
}

impl utoipa::ToSchema for CurrencyCode {}

impl Currency {
    pub fn parse(raw: &str) -> Result<Currency, String> {
        let code = raw.trim().to_ascii_uppercase();
        if code.len() == 3 && ISO_4217.split_ascii_whitespace().any(|c| c == code) {
            Ok(Currency(code))
        } else {
            Err(format!("{raw:?} is not an ISO 4217 currency code (e.g. AUD, USD)"))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The default currency for a region given as an ISO country code or an English name (SPEC §2:
/// AU→AUD, US→USD, …, else USD).
pub fn currency_for_region(region: Option<&str>) -> &'static str {
    let Some(region) = region else { return "USD" };
    let r = region.trim().to_ascii_lowercase();
    const TABLE: &[(&[&str], &str)] = &[
        (&["au", "aus", "australia"], "AUD"),
        (&["us", "usa", "united states", "united states of america", "america"], "USD"),
        (&["nz", "new zealand", "aotearoa"], "NZD"),
        (&["ca", "canada"], "CAD"),
        (&["gb", "uk", "united kingdom", "great britain", "england", "scotland", "wales"], "GBP"),
        (
            &[
                "ie",
                "ireland",
                "de",
                "germany",
                "fr",
                "france",
                "es",
                "spain",
                "it",
                "italy",
                "nl",
                "netherlands",
                "pt",
                "portugal",
                "at",
                "austria",
                "be",
                "belgium",
                "fi",
                "finland",
                "gr",
                "greece",
            ],
            "EUR",
        ),
        (&["za", "south africa"], "ZAR"),
        (&["mx", "mexico"], "MXN"),
        (&["jp", "japan"], "JPY"),
        (&["sg", "singapore"], "SGD"),
        (&["ch", "switzerland"], "CHF"),
        (&["se", "sweden"], "SEK"),
        (&["no", "norway"], "NOK"),
        (&["dk", "denmark"], "DKK"),
    ];
    TABLE.iter().find(|(names, _)| names.contains(&r.as_str())).map(|(_, c)| *c).unwrap_or("USD")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_json(text: &str) -> Result<Money, String> {
        serde_json::from_str::<Money>(text).map_err(|e| e.to_string())
    }

    #[test]
    fn amounts_are_exact_cents() {
        assert_eq!(parse_json("42.5").unwrap().cents(), 4250);
        assert_eq!(parse_json("42.50").unwrap().cents(), 4250);
        assert_eq!(parse_json("0.1").unwrap().cents(), 10);
        assert_eq!(parse_json("40").unwrap().cents(), 4000);
        assert_eq!(parse_json("\"19.99\"").unwrap().cents(), 1999);
        assert_eq!(parse_json("1e2").unwrap().cents(), 10000);
        assert_eq!(parse_json("1000000000").unwrap().cents(), MAX_CENTS);
    }

    #[test]
    fn money_rules_refuse_bad_amounts() {
        for bad in ["0", "-5", "0.001", "12.345", "1000000000.01", "1e12", "\"abc\"", "true", "null"] {
            assert!(parse_json(bad).is_err(), "{bad} should be refused");
        }
    }

    proptest::proptest! {
        /// Any amounts written as the client would (JSON numbers with up to two decimals) sum exactly.
        #[test]
        fn sums_are_exact(cents in proptest::collection::vec(1i64..=100_000_000, 1..400)) {
            let parsed: Vec<Money> = cents
                .iter()
                .map(|c| serde_json::from_str::<Money>(&format!("{}.{:02}", c / 100, c % 100)).unwrap())
                .collect();
            let total: Money = parsed.iter().copied().sum();
            proptest::prop_assert_eq!(total.cents(), cents.iter().sum::<i64>());
            for (m, c) in parsed.iter().zip(&cents) {
                proptest::prop_assert_eq!(m.cents(), *c);
                // What goes out on the wire parses back to the same cents.
                let back: Money = serde_json::from_str(&serde_json::to_string(m).unwrap()).unwrap();
                proptest::prop_assert_eq!(back, *m);
            }
        }
    }

    #[test]
    fn amounts_display_with_their_currency() {
        assert_eq!(Money::from_cents(4250).display("AUD"), "$42.50");
        assert_eq!(Money::from_cents(999).display("EUR"), "€9.99");
        assert_eq!(Money::from_cents(1200).display("CHF"), "CHF 12.00");
        assert_eq!(Money::from_cents(-5).display("USD"), "-$0.05");
    }

    #[test]
    fn regions_pick_their_currency() {
        assert_eq!(currency_for_region(Some("AU")), "AUD");
        assert_eq!(currency_for_region(Some("Australia")), "AUD");
        assert_eq!(currency_for_region(Some("us")), "USD");
        assert_eq!(currency_for_region(Some("New Zealand")), "NZD");
        assert_eq!(currency_for_region(Some("Atlantis")), "USD");
        assert_eq!(currency_for_region(None), "USD");
    }

    #[test]
    fn currencies_are_checked() {
        assert_eq!(Currency::parse("aud").unwrap().as_str(), "AUD");
        assert!(Currency::parse("AUS").is_err());
        assert!(Currency::parse("dollars").is_err());
    }

    #[test]
    fn three_dimes_make_exactly_thirty_cents() {
        let dime = parse_json("0.10").unwrap();
        let total: Money = [dime, dime, dime].into_iter().sum();
        assert_eq!(total.cents(), 30);
        assert_eq!(serde_json::to_string(&total).unwrap(), "0.3");
        assert_eq!(total.to_decimal_string(), "0.30");
    }
}
