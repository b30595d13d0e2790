//! Checks on text and numbers that many inputs share: trimmed optional text, tags, URLs, plausible dates,
//! coordinates, time zones and language tags. Each returns the parsed value or why it was refused.

use chrono::{Datelike, NaiveDate};

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

pub fn tags(raw: Vec<String>) -> Result<Vec<String>, String> {
    if raw.len() > 20 {
        return Err("at most 20 tags".into());
    }
    let mut out: Vec<String> = Vec::new();
    for tag in raw {
        let tag = tag.trim().to_lowercase();
        if tag.chars().count() > 50 {
            return Err("each tag must be at most 50 characters".into());
        }
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
