//! Checks on text and numbers that many inputs share: trimmed optional text, tags, URLs, plausible dates,
//! coordinates, time zones and language tags. Each returns the parsed value or why it was refused.

use chrono::{Datelike, NaiveDate};
use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaFormat, SchemaType, Type};
use utoipa::openapi::{KnownFormat, RefOr};

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

/// Trimmed text of at most `max` characters; blank becomes None. The length is counted as sent (what a
/// `maxLength` in the documents counts): surrounding spaces do not make room for more.
pub fn optional_text(raw: Option<String>, max: usize) -> Result<Option<String>, String> {
    match raw {
        Some(s) if s.chars().count() > max => Err(format!("must be at most {max} characters")),
        other => Ok(other.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())),
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
        if item.chars().count() > 100 {
            return Err("each item must be at most 100 characters".into());
        }
        let item = item.trim().to_string();
        if item.is_empty() {
            continue;
        }
        if !out.contains(&item) {
            out.push(item);
        }
    }
    Ok(out)
}

pub fn tags(raw: Vec<String>) -> Result<Vec<String>, String> {
    if raw.len() > 20 {
        return Err("at most 20 tags".into());
    }
    let mut out: Vec<String> = Vec::new();
    for tag in raw {
        if tag.chars().count() > 50 {
            return Err("each tag must be at most 50 characters".into());
        }
        let tag = tag.trim().to_lowercase();
        if !tag.is_empty() && !out.contains(&tag) {
            out.push(tag);
        }
    }
    Ok(out)
}

pub fn url(raw: Option<String>) -> Result<Option<String>, String> {
    match optional_text(raw, 2000)? {
        Some(u) if u.starts_with("https://") || u.starts_with("http://") || u.starts_with("/api/") => Ok(Some(u)),
        Some(_) => Err("must be an http(s) URL".into()),
        None => Ok(None),
    }
}

/// Dates between 1970 and 2100: anything else is a typo, not a travel expense.
pub fn plausible_date(date: NaiveDate) -> Result<(), String> {
    if (1970..=2100).contains(&date.year()) { Ok(()) } else { Err("must be between 1970 and 2100".into()) }
}

/// The pattern the documents give text that must hold something besides whitespace (the checks above
/// trim it, so blank text is no name, no category, no message): a character that is not whitespace as
/// Rust's `trim` sees it. Spelled out rather than `\S`, whose ECMA-262 reading (JSON Schema's) differs from
/// Rust's at U+0085 and U+FEFF. Attributes need the literal, so they repeat it; a test compares them.
pub const NOT_BLANK: &str = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]";

/// Pieces of the documents' patterns, as string literals for `concat!` (crates that write patterns of
/// their own build them from these, so a date or a run of spaces is spelled one way everywhere).
/// `pattern_piece!(spaces)`: any run of what Rust's `trim` removes; `pattern_piece!(date)`: a
/// `YYYY-MM-DD` day in 1970–2100 that is on the calendar (no 30 February; 29 February in leap years only).
#[macro_export]
macro_rules! pattern_piece {
    (spaces) => {
        r"[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*"
    };
    (date) => {
        concat!(
            r"((19[7-9][0-9]|20[0-9][0-9]|2100)-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])",
            r"|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))",
            r"|(19(7[26]|8[048]|9[26])|20([02468][048]|[13579][26]))-02-29)"
        )
    };
}

/// The `YYYY-MM-DD` spelling of a date [`plausible_date`] accepts (years 1970–2100).
pub const PLAUSIBLE_DATE_PATTERN: &str = concat!("^", pattern_piece!(date), "$");

/// A string schema with a pattern, its description and an example: the start of every hand-written
/// text schema (callers add a format or a length where theirs has one).
pub fn pattern_schema(pattern: &'static str, description: &'static str, example: &str) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(SchemaType::new(Type::String))
        .pattern(Some(pattern))
        .description(Some(description))
        .examples([serde_json::json!(example)])
}

/// The schema of a date field checked with [`plausible_date`] (`#[schema(value_type = PlausibleDate)]`):
/// a `date` between 1970 and 2100.
pub struct PlausibleDate;

impl utoipa::PartialSchema for PlausibleDate {
    fn schema() -> RefOr<Schema> {
        pattern_schema(PLAUSIBLE_DATE_PATTERN, "`YYYY-MM-DD`, a date between 1970 and 2100", "2026-03-14")
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
            .into()
    }
}

impl utoipa::ToSchema for PlausibleDate {}

/// Named schemas for a day, an instant and an id, for optional fields: `#[schema(value_type =
/// Option<Day>)]` documents the field as `oneOf: [Date, null]`, each branch whole, where `Option<NaiveDate>`
/// gives `type: [string, null], format: date` — whose `format` some client generators drop for the
/// string branch (schemathesis drew `""` for such a field as valid data).
macro_rules! formatted_string {
    ($(#[$doc:meta])* $rust:ident, $name:literal, $format:ident, $example:literal) => {
        $(#[$doc])*
        pub struct $rust;

        impl utoipa::PartialSchema for $rust {
            fn schema() -> RefOr<Schema> {
                ObjectBuilder::new()
                    .schema_type(SchemaType::new(Type::String))
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::$format)))
                    .examples([serde_json::json!($example)])
                    .into()
            }
        }

        impl utoipa::ToSchema for $rust {
            fn name() -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed($name)
            }
        }
    };
}

formatted_string!(
    /// A calendar day, `YYYY-MM-DD`.
    Day, "Date", Date, "2026-03-14"
);
formatted_string!(
    /// An instant, RFC 3339 with an offset.
    Instant, "DateTime", DateTime, "2026-03-14T09:30:00+10:00"
);
formatted_string!(
    /// An id.
    Id, "Uuid", Uuid, "01a233ab-f402-74d9-bed2-089b7bf08c49"
);

/// The schema of one of [`tags`]: at most 50 characters (a list holds at most 20).
pub struct Tag;

impl utoipa::PartialSchema for Tag {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new().schema_type(SchemaType::new(Type::String)).max_length(Some(50)).into()
    }
}

impl utoipa::ToSchema for Tag {}

/// The schema of one item of a [`tag_list`]: at most 100 characters (a list holds at most 50).
pub struct ListItem;

impl utoipa::PartialSchema for ListItem {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new().schema_type(SchemaType::new(Type::String)).max_length(Some(100)).into()
    }
}

impl utoipa::ToSchema for ListItem {}

/// The schema of a link checked with [`url`]: `http://`, `https://` or one of our own `/api/` paths, at
/// most 2000 characters (blank text is taken as no link).
pub struct Link;

/// The pattern of a [`Link`] (surrounding whitespace is trimmed).
pub const LINK_PATTERN: &str = concat!("^", pattern_piece!(spaces), "(https?://|/api/|$)");

impl utoipa::PartialSchema for Link {
    fn schema() -> RefOr<Schema> {
        pattern_schema(
            LINK_PATTERN,
            "An http(s) URL, or a path under /api/; blank means none",
            "https://example.com/receipt.jpg",
        )
        .max_length(Some(2000))
        .into()
    }
}

impl utoipa::ToSchema for Link {}

/// The schema of a zone checked with [`parse_timezone`]: one of the IANA names (surrounding spaces aside).
pub struct TimeZoneName;

impl utoipa::PartialSchema for TimeZoneName {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(SchemaType::new(Type::String))
            .enum_values(Some(chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name())))
            .description(Some("An IANA time zone name"))
            .examples([serde_json::json!("Australia/Sydney")])
            .into()
    }
}

impl utoipa::ToSchema for TimeZoneName {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_languages_and_coordinates_are_checked() {
        assert_eq!(parse_timezone("Australia/Sydney").unwrap(), "Australia/Sydney");
        assert!(parse_timezone("Mars/Olympus").is_err());
        assert!(parse_language("en-AU").is_ok());
        assert!(parse_language("e").is_err());
        assert!(latitude(91.0).is_err());
        assert!(longitude(f64::NAN).is_err());
    }

    #[test]
    fn tags_are_trimmed_lowercased_and_unique() {
        assert_eq!(tags(vec![" Beach ".into(), "beach".into(), "".into()]).unwrap(), vec!["beach".to_string()]);
        assert!(tags(vec!["x".into(); 21]).is_err());
        assert!(url(Some("javascript:alert(1)".into())).is_err());
        assert!(plausible_date(NaiveDate::from_ymd_opt(1969, 12, 31).unwrap()).is_err());
    }
}
