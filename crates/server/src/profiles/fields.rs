//! Profile field types parsed once at the edge: currency, time zone, region, language, coordinates.

use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;

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

/// An IANA time zone name.
pub fn parse_timezone(raw: &str) -> Result<String, String> {
    raw.trim()
        .parse::<chrono_tz::Tz>()
        .map(|tz| tz.name().to_string())
        .map_err(|_| format!("{raw:?} is not an IANA time zone (e.g. Australia/Sydney)"))
}

/// A language tag like `en`, `en-AU`.
pub fn parse_language(raw: &str) -> Result<String, String> {
    let tag = raw.trim();
    let ok = (2..=35).contains(&tag.len())
        && tag.split('-').all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric()));
    if ok { Ok(tag.to_string()) } else { Err(format!("{raw:?} is not a language tag (e.g. en or en-AU)")) }
}

/// Trimmed text of at most `max` characters; blank becomes None.
pub fn optional_text(raw: Option<String>, max: usize) -> Result<Option<String>, String> {
    match raw.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()) {
        Some(s) if s.chars().count() > max => Err(format!("must be at most {max} characters")),
        other => Ok(other),
    }
}

pub fn latitude(v: f64) -> Result<f64, String> {
    if v.is_finite() && (-90.0..=90.0).contains(&v) { Ok(v) } else { Err("latitude must be between -90 and 90".into()) }
}

pub fn longitude(v: f64) -> Result<f64, String> {
    if v.is_finite() && (-180.0..=180.0).contains(&v) {
        Ok(v)
    } else {
        Err("longitude must be between -180 and 180".into())
    }
}

/// A short list of tags (travel styles, interests).
pub fn tag_list(raw: Vec<String>) -> Result<Vec<String>, String> {
    if raw.len() > 50 {
        return Err("at most 50 items".into());
    }
    let mut out = Vec::with_capacity(raw.len());
    for item in raw {
        let item = item.trim().to_string();
        if item.is_empty() {
            continue;
        }
        if item.chars().count() > 100 {
            return Err("each item must be at most 100 characters".into());
        }
        if !out.contains(&item) {
            out.push(item);
        }
    }
    Ok(out)
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Units {
    Metric,
    Imperial,
}

impl Units {
    pub fn as_str(self) -> &'static str {
        match self {
            Units::Metric => "metric",
            Units::Imperial => "imperial",
        }
    }
    pub fn for_region(region: Option<&str>) -> Units {
        match region.map(|r| r.trim().to_ascii_lowercase()).as_deref() {
            Some("us" | "usa" | "united states" | "united states of america" | "america") => Units::Imperial,
            _ => Units::Metric,
        }
    }
}

/// A field of a partial update: absent (leave as is), `null` (clear), or a new value.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Patch<T> {
    #[default]
    Absent,
    Null,
    Value(T),
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Patch<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(deserializer).map(|v| v.map_or(Patch::Null, Patch::Value))
    }
}

impl<T> Patch<T> {
    /// The value after applying this patch to `current`.
    pub fn apply(self, current: Option<T>) -> Option<T> {
        match self {
            Patch::Absent => current,
            Patch::Null => None,
            Patch::Value(v) => Some(v),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn currencies_and_zones_are_checked() {
        assert_eq!(Currency::parse("aud").unwrap().as_str(), "AUD");
        assert!(Currency::parse("AUS").is_err());
        assert!(Currency::parse("dollars").is_err());
        assert_eq!(parse_timezone("Australia/Sydney").unwrap(), "Australia/Sydney");
        assert!(parse_timezone("Mars/Olympus").is_err());
        assert!(parse_language("en-AU").is_ok());
        assert!(parse_language("e").is_err());
        assert!(latitude(91.0).is_err());
        assert!(longitude(f64::NAN).is_err());
    }
}
