//! Measures with units: volumes ("65 litres", "80L", "19.3 gallons"), distances ("450 km", "300 miles",
//! "700k" near travel words), fuel consumption ("14 L/100km", "16L/100", "12 mpg", "17 litres per 100
//! km") and durations ("20 minutes", "1h 15m", "half an hour", "an hour and a half", "90 second").

use crate::numbers::{self, Num};
use crate::text::Token;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VolumeUnit {
    Litres,
    Gallons,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DistanceUnit {
    Km,
    Miles,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConsumptionUnit {
    LitresPer100Km,
    Mpg,
}

fn volume_unit(word: &str) -> Option<VolumeUnit> {
    match word {
        "l" | "litre" | "litres" | "liter" | "liters" | "ltr" | "ltrs" | "lt" => Some(VolumeUnit::Litres),
        "gal" | "gals" | "gallon" | "gallons" => Some(VolumeUnit::Gallons),
        _ => None,
    }
}

fn distance_unit(word: &str) -> Option<DistanceUnit> {
    match word {
        "km" | "kms" | "kilometre" | "kilometres" | "kilometer" | "kilometers" | "klicks" | "k's" | "ks" => {
            Some(DistanceUnit::Km)
        }
        "mi" | "mile" | "miles" => Some(DistanceUnit::Miles),
        _ => None,
    }
}

/// A number followed by (or fused with) a unit word: ("61l" → 61, "l").
fn number_and_unit(tokens: &[Token], i: usize) -> Option<(Num, String, usize)> {
    let t = tokens.get(i)?;
    if let Some(split) = t.norm.find(|c: char| c.is_alphabetic())
        && split > 0
        // "300-mile", "45-litre": the hyphen of a compound joins them.
        && let Some((value, decimals)) = numbers::digits(t.norm[..split].trim_end_matches('-'))
    {
        // "3k kms": a thousand, then the unit.
        if &t.norm[split..] == "k"
            && let Some(unit) = tokens.get(i + 1)
        {
            return Some((Num { value: value * 1000.0, used: 1, words: false, decimals: 0 }, unit.norm.clone(), 2));
        }
        let num = Num { value, used: 1, words: false, decimals };
        return Some((num, t.norm[split..].to_string(), 1));
    }
    // "five-minute", "forty-five-litre": a number word joined to its unit ("forty-five" alone is a number).
    if let Some((head, unit)) = t.norm.rsplit_once('-')
        && !unit.is_empty()
        && unit.chars().all(char::is_alphabetic)
        && numbers::word_value(unit).is_none()
        && let Some(value) = numbers::word_value(head)
    {
        return Some((Num { value: f64::from(value), used: 1, words: true, decimals: 0 }, unit.to_string(), 1));
    }
    let n = numbers::parse_at(tokens, i)?;
    let unit = tokens.get(i + n.used)?.norm.clone();
    Some((n, unit, n.used + 1))
}

pub fn volume_at(tokens: &[Token], i: usize) -> Option<(f64, VolumeUnit, usize)> {
    let (n, unit, used) = number_and_unit(tokens, i)?;
    let u = volume_unit(&unit)?;
    // "14 L/100km" is a consumption, not a volume.
    if tokens.get(i + used).is_some_and(|t| t.is("/"))
        && tokens.get(i + used + 1).is_some_and(|t| t.norm.starts_with("100"))
    {
        return None;
    }
    (n.value > 0.0).then_some((n.value, u, used))
}

pub fn distance_at(tokens: &[Token], i: usize) -> Option<(f64, DistanceUnit, usize)> {
    let (n, unit, used) = number_and_unit(tokens, i)?;
    let u = distance_unit(&unit)?;
    (n.value > 0.0).then_some((n.value, u, used))
}

/// "14 L/100km", "16L/100", "14.5 L/100", "17 litres per 100 km", "12 mpg", "10 miles per gallon".
pub fn consumption_at(tokens: &[Token], i: usize) -> Option<(f64, ConsumptionUnit, usize)> {
    let (n, unit, mut used) = number_and_unit(tokens, i)?;
    if unit == "mpg" {
        return Some((n.value, ConsumptionUnit::Mpg, used));
    }
    if distance_unit(&unit) == Some(DistanceUnit::Miles)
        && tokens.get(i + used).is_some_and(|t| t.is("per"))
        && tokens.get(i + used + 1).is_some_and(|t| t.is_any(&["gallon", "gal"]))
    {
        return Some((n.value, ConsumptionUnit::Mpg, used + 2));
    }
    // "l/100km" fused in one token is split by the tokeniser at "/".
    volume_unit(&unit).filter(|u| *u == VolumeUnit::Litres)?;
    let sep = tokens.get(i + used)?;
    if !sep.is_any(&["/", "per"]) {
        return None;
    }
    used += 1;
    // "per 100", "/100km", "per hundred", "per hundred k", "per a hundred kilometres".
    if tokens.get(i + used).is_some_and(|t| t.is_any(&["a", "one"]))
        && tokens.get(i + used + 1).is_some_and(|t| t.is("hundred"))
    {
        used += 1;
    }
    let hundred = tokens.get(i + used)?;
    if !(hundred.norm.starts_with("100") || hundred.is("hundred")) {
        return None;
    }
    used += 1;
    if (hundred.norm == "100" || hundred.is("hundred"))
        && tokens.get(i + used).is_some_and(|t| distance_unit(&t.norm) == Some(DistanceUnit::Km) || t.is("k"))
    {
        used += 1;
    }
    Some((n.value, ConsumptionUnit::LitresPer100Km, used))
}

fn seconds_per(unit: &str) -> Option<i64> {
    match unit {
        "s" | "sec" | "secs" | "second" | "seconds" => Some(1),
        "m" | "min" | "mins" | "minute" | "minutes" | "minit" | "minutes'" => Some(60),
        "h" | "hr" | "hrs" | "hour" | "hours" | "hour's" | "hours'" => Some(3600),
        _ => None,
    }
}

/// A duration starting at token `i`, in seconds, and the tokens it took. Adjacent parts in falling
/// units add up ("1h 15m", "an hour and a half", "2 hours 30 minutes").
pub fn duration_at(tokens: &[Token], i: usize) -> Option<(i64, usize)> {
    let (mut seconds, mut used, mut unit) = one_duration(tokens, i)?;
    loop {
        let mut j = i + used;
        if tokens.get(j).is_some_and(|t| t.is_any(&["and", "n", "&"])) {
            j += 1;
        }
        if tokens.get(j).is_some_and(|t| t.is("a")) && tokens.get(j + 1).is_some_and(|t| t.is("half")) {
            seconds += unit / 2;
            used = j + 2 - i;
            break;
        }
        // "an hour and a quarter", "two hours and three quarters".
        if unit == 3600 && tokens.get(j).is_some_and(|t| t.is_any(&["a", "three"])) {
            let quarters = if tokens[j].is("a") { 1 } else { 3 };
            if tokens.get(j + 1).is_some_and(|t| t.is_any(&["quarter", "quarters"])) {
                seconds += unit / 4 * quarters;
                used = j + 2 - i;
                break;
            }
        }
        // "one hour fifteen", "an hour 40": minutes left without their unit after the hours.
        if unit == 3600
            && one_duration(tokens, j).is_none()
            && let Some(n) = numbers::parse_at(tokens, j)
            && n.value.fract() == 0.0
            && (1.0..60.0).contains(&n.value)
            && !tokens.get(j + n.used).is_some_and(|u| seconds_per(&u.norm).is_some() || u.is_any(&["am", "pm", ":"]))
        {
            seconds += n.value as i64 * 60;
            used = j + n.used - i;
            break;
        }
        match one_duration(tokens, j) {
            Some((s, u, next_unit)) if next_unit < unit => {
                seconds += s;
                used = j + u - i;
                unit = next_unit;
            }
            _ => break,
        }
    }
    (seconds > 0).then_some((seconds, used))
}

/// One number and unit: (seconds, tokens, seconds in the unit).
fn one_duration(tokens: &[Token], i: usize) -> Option<(i64, usize, i64)> {
    let t = tokens.get(i)?;
    // "half an hour", "half a minute", "half hour", "a half hour".
    if t.is("half") && tokens.get(i + 1).is_some_and(|a| a.is_any(&["an", "a"])) {
        let per = seconds_per(&tokens.get(i + 2)?.norm)?;
        return Some((per / 2, 3, per));
    }
    if t.is_any(&["half", "half-hour"])
        && (t.is("half-hour") || tokens.get(i + 1).is_some_and(|h| h.is_any(&["hour", "hr"])))
    {
        return Some((1800, if t.is("half-hour") { 1 } else { 2 }, 3600));
    }
    // "quarter of an hour", "three quarters of an hour", "a quarter hour".
    let quarters = match (t.norm.as_str(), tokens.get(i + 1).map(|n| n.norm.as_str())) {
        ("quarter", _) => Some((1, 1)),
        ("three", Some("quarters")) => Some((3, 2)),
        ("a", Some("quarter")) => Some((1, 2)),
        _ => None,
    };
    if let Some((q, at)) = quarters {
        let rest: Vec<&str> = tokens[i + at..].iter().take(3).map(|t| t.norm.as_str()).collect();
        let used = match rest.as_slice() {
            ["of", "an" | "a", "hour", ..] => Some(at + 3),
            ["hour", ..] | ["hr", ..] => Some(at + 1),
            _ => None,
        };
        if let Some(used) = used {
            return Some((q * 900, used, 3600));
        }
    }
    // "hour and a half", "hour n a half": the hour without its article, when a half follows.
    if t.is_any(&["hour", "hr"])
        && tokens.get(i + 1).is_some_and(|a| a.is_any(&["and", "n", "&"]))
        && tokens.get(i + 2).is_some_and(|a| a.is("a"))
        && tokens.get(i + 3).is_some_and(|h| h.is("half"))
    {
        return Some((3600, 1, 3600));
    }
    // "an hour", "a minute", "a couple of hours".
    if t.is_any(&["an", "a"]) {
        if let Some(next) = tokens.get(i + 1)
            && !next.is_any(&["m", "s", "h"])
            && let Some(per) = seconds_per(&next.norm)
        {
            return Some((per, 2, per));
        }
        if tokens.get(i + 1).is_some_and(|c| c.is("couple"))
            && tokens.get(i + 2).is_some_and(|o| o.is("of"))
            && let Some(per) = tokens.get(i + 3).and_then(|u| seconds_per(&u.norm))
        {
            return Some((per * 2, 4, per));
        }
        return None;
    }
    // "one and a half minutes".
    if let Some(n) = numbers::parse_at(tokens, i)
        && tokens.get(i + n.used).is_some_and(|a| a.is("and"))
        && tokens.get(i + n.used + 1).is_some_and(|a| a.is("a"))
        && tokens.get(i + n.used + 2).is_some_and(|h| h.is("half"))
        && let Some(per) = tokens.get(i + n.used + 3).and_then(|u| seconds_per(&u.norm))
    {
        let s = (n.value * per as f64 + per as f64 / 2.0).round();
        return (s > 0.0 && s < 1e9).then_some((s as i64, n.used + 4, per));
    }
    // "1h40m", "2h30": hours and minutes in one token.
    if let Some((h, m)) = t.norm.split_once('h')
        && let (Ok(h), Ok(m)) = (h.parse::<i64>(), m.trim_end_matches(['m', 'n', 'i', 's']).parse::<i64>())
        && (0..100).contains(&h)
        && (0..60).contains(&m)
        && !m.to_string().is_empty()
        && t.norm.len() > 2
    {
        return Some((h * 3600 + m * 60, 1, 60));
    }
    let (n, unit, used) = number_and_unit(tokens, i)?;
    let per = seconds_per(&unit)?;
    let s = (n.value * per as f64).round();
    (s > 0.0 && s < 1e9).then_some((s as i64, used, per))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Text;

    fn tokens(text: &str) -> Vec<Token> {
        Text::new(text).tokens
    }

    #[test]
    fn volumes_distances_and_consumption() {
        assert_eq!(volume_at(&tokens("65 litres"), 0), Some((65.0, VolumeUnit::Litres, 2)));
        assert_eq!(volume_at(&tokens("80L of diesel"), 0), Some((80.0, VolumeUnit::Litres, 1)));
        assert_eq!(volume_at(&tokens("19.3 gallons"), 0), Some((19.3, VolumeUnit::Gallons, 2)));
        assert_eq!(volume_at(&tokens("eighty litres"), 0), Some((80.0, VolumeUnit::Litres, 2)));
        assert_eq!(volume_at(&tokens("14 L/100km"), 0), None);
        assert_eq!(distance_at(&tokens("450 km"), 0), Some((450.0, DistanceUnit::Km, 2)));
        assert_eq!(distance_at(&tokens("1,200 km"), 0), Some((1200.0, DistanceUnit::Km, 2)));
        assert_eq!(distance_at(&tokens("300 miles"), 0), Some((300.0, DistanceUnit::Miles, 2)));
        assert_eq!(distance_at(&tokens("600km"), 0), Some((600.0, DistanceUnit::Km, 1)));
        assert_eq!(consumption_at(&tokens("14 L/100km"), 0), Some((14.0, ConsumptionUnit::LitresPer100Km, 4)));
        assert_eq!(consumption_at(&tokens("16L/100 and"), 0), Some((16.0, ConsumptionUnit::LitresPer100Km, 3)));
        assert_eq!(
            consumption_at(&tokens("17 litres per 100 km"), 0),
            Some((17.0, ConsumptionUnit::LitresPer100Km, 5))
        );
        assert_eq!(consumption_at(&tokens("12 mpg"), 0), Some((12.0, ConsumptionUnit::Mpg, 2)));
    }

    #[test]
    fn a_number_word_joined_to_its_unit() {
        assert_eq!(duration_at(&tokens("five-minute timer"), 0), Some((300, 1)));
        assert_eq!(duration_at(&tokens("Ninety-second timer"), 0), Some((90, 1)));
        assert_eq!(duration_at(&tokens("a forty-five-minute walk"), 1), Some((2700, 1)));
        assert_eq!(volume_at(&tokens("twenty-litre jerry can"), 0), Some((20.0, VolumeUnit::Litres, 1)));
        assert_eq!(volume_at(&tokens("forty-five litres"), 0), Some((45.0, VolumeUnit::Litres, 2)));
        assert_eq!(duration_at(&tokens("well-known"), 0), None);
        assert_eq!(duration_at(&tokens("hour n a half"), 0), Some((5400, 4)));
        assert_eq!(duration_at(&tokens("hour and a half for the roast"), 0), Some((5400, 4)));
        assert_eq!(duration_at(&tokens("hour late"), 0), None);
    }

    #[test]
    fn durations() {
        for (text, seconds) in [
            ("20 minutes", 1200),
            ("25 mins", 1500),
            ("1h 15m", 4500),
            ("half an hour", 1800),
            ("an hour and a half", 5400),
            ("one and a half minutes", 90),
            ("90 second", 90),
            ("30s", 30),
            ("three hour", 10800),
            ("2 hours 30 minutes", 9000),
            ("an hour", 3600),
            ("1h40m timer", 6000),
            ("2h30", 9000),
        ] {
            assert_eq!(duration_at(&tokens(text), 0).map(|d| d.0), Some(seconds), "{text}");
        }
        assert_eq!(duration_at(&tokens("a day"), 0), None);
        assert_eq!(duration_at(&tokens("99999999999999 hours"), 0), None);
    }
}
