//! Clock times: "5:30", "4:30am", "6 AM", "9pm", "noon", "midday", "half past five", "quarter to three",
//! "at 10 to 6", "0530", "at 10.30", "at 5". Whether a time without am/pm is morning or afternoon depends
//! on what it is for (an alarm at 5 is 05:00, happy hour at 5 is 17:00), so it is left open here.

use crate::numbers::{self, word_value};
use crate::text::Token;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClockTime {
    /// 0–23 when `pm` is known, else 1–12 (or 0–23 as written with a colon, "17:30").
    pub hour: u32,
    pub minute: u32,
    /// Some(true) for pm, Some(false) for am, None when not said.
    pub pm: Option<bool>,
}

impl ClockTime {
    /// 24-hour hour and minute, reading an open time by `assume_pm(hour)`.
    pub fn resolve(self, assume_pm: impl Fn(u32) -> bool) -> (u32, u32) {
        let hour = match self.pm {
            Some(true) if self.hour < 12 => self.hour + 12,
            Some(false) if self.hour == 12 => 0,
            Some(_) => self.hour,
            None if self.hour >= 13 || self.hour == 0 => self.hour,
            None if self.hour == 12 => 12,
            None => {
                if assume_pm(self.hour) {
                    self.hour + 12
                } else {
                    self.hour
                }
            }
        };
        (hour % 24, self.minute)
    }
}

fn meridiem(word: &str) -> Option<bool> {
    match word {
        "am" | "a.m" | "a.m." => Some(false),
        "pm" | "p.m" | "p.m." => Some(true),
        _ => None,
    }
}

fn hour_value(t: &Token) -> Option<u32> {
    if let Some((v, 0)) = numbers::digits(&t.norm) {
        return (0.0..=24.0).contains(&v).then_some(v as u32);
    }
    word_value(&t.norm).filter(|h| (1..=12).contains(h))
}

/// Minutes said before "past" or "to": 1 to 30, in figures or words ("twenty to six", "10 past 4").
fn minutes_value(t: &Token) -> Option<u32> {
    let m = match numbers::digits(&t.norm) {
        Some((v, 0)) => v as u32,
        Some(_) => return None,
        None => word_value(&t.norm)?,
    };
    (1..=30).contains(&m).then_some(m)
}

/// "5:30", "17:45", "4:30am" → (hour, minute, pm).
fn colon_time(word: &str) -> Option<ClockTime> {
    let (body, pm) = match word.find(|c: char| c.is_ascii_alphabetic()) {
        Some(p) => (&word[..p], Some(meridiem(&word[p..])?)),
        None => (word, None),
    };
    let (h, m) = body.split_once(':').or_else(|| body.split_once('.'))?;
    if m.len() != 2 {
        return None;
    }
    let (hour, minute): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (hour <= 23 && minute <= 59 && (pm.is_none() || (1..=12).contains(&hour))).then_some(ClockTime { hour, minute, pm })
}

/// A clock time starting at token `i`, and the tokens it took.
pub fn time_at(tokens: &[Token], i: usize) -> Option<(ClockTime, usize)> {
    let t = tokens.get(i)?;
    let prev = i.checked_sub(1).and_then(|p| tokens.get(p)).map(|p| p.norm.as_str()).unwrap_or("");
    // In a sentence about an alarm a time is expected right after the alarm or its day ("alarm 0600
    // monday", "alarm tmrw 530", "wake me tomorrow six thirty"), and "for" takes a time, not an amount.
    // An alarm to be woken by, not a thing bought ("smoke alarm", "car alarm", "alarm system").
    let alarm = tokens
        .iter()
        .enumerate()
        .any(|(k, t)| t.is_any(&["wake", "wakeup", "wake-up", "rouse"]) || super::alarm::alarm_to_wake(tokens, k));
    // "alarm: 0510 tmrw": the alarm's label, then its time.
    let labelled = prev == ":" && i >= 2 && tokens[i - 2].is_any(&["alarm", "wake", "wakeup", "wake-up"]);
    let after_at = matches!(prev, "at" | "for" | "by" | "@" | "from" | "until" | "till" | "around")
        || (alarm
            && (matches!(prev, "alarm" | "tmrw" | "tomorrow" | "today" | "tonight" | "me" | "us")
                || labelled
                || super::calendar::weekday(prev).is_some()));
    let next_pm = tokens.get(i + 1).and_then(|n| meridiem(&n.norm));
    match t.norm.as_str() {
        "noon" | "midday" => return Some((ClockTime { hour: 12, minute: 0, pm: Some(true) }, 1)),
        "midnight" => return Some((ClockTime { hour: 0, minute: 0, pm: Some(false) }, 1)),
        _ => {}
    }
    if t.norm.contains(':') {
        let mut c = colon_time(&t.norm)?;
        if c.pm.is_none() && next_pm.is_some() {
            c.pm = next_pm;
            return Some((c, 2));
        }
        return Some((c, 1));
    }
    // "10.30" is a time only where a time is expected ("at 10.30", "alarm 6.15", "Mon 9.15") or with am/pm.
    // "dentist tomorrow, say 2.30": a time guessed at.
    let guessed = prev == "say" && i >= 2 && tokens[i - 2].is_punct();
    let time_expected = after_at
        || prev == "alarm"
        || guessed
        || (super::calendar::weekday(prev).is_some() && next_is_not_amount(tokens, i));
    // After a volume it is a price per litre or gallon: "82L diesel at 2.09", "41.5L @ 2.03".
    // So it is in a sentence about fuel, or before "a litre": "450 miles at 4.10 a gallon".
    let after_volume = tokens[..i].iter().any(|w| {
        w.is_any(&["l", "litres", "liters", "litre", "liter", "ltrs", "ltr", "gal", "gals", "gallons", "gallon"])
            // A fuel word counts with a distance or consumption beside it, not "book the LPG refill at 9.45".
            || (w.is_any(&["diesel", "petrol", "unleaded", "fuel", "gas", "premium", "lpg"])
                && tokens.iter().any(|d| d.is_any(&["km", "kms", "miles", "mi", "mpg", "kilometres", "k"])))
            || (w.norm.ends_with('l') && w.norm[..w.norm.len() - 1].parse::<f64>().is_ok())
    }) || (tokens.get(i + 1).is_some_and(|n| n.is_any(&["a", "per", "/"]))
        && tokens.get(i + 2).is_some_and(|n| n.is_any(&["litre", "liter", "l", "gallon", "gal", "ltr"])));
    if t.norm.contains('.')
        && ((time_expected && !after_volume) || next_pm.is_some())
        && !t.norm.contains("a.m")
        && !t.norm.contains("p.m")
    {
        let mut c = colon_time(&t.norm)?;
        if next_pm.is_some() {
            c.pm = next_pm;
            return Some((c, 2));
        }
        return Some((c, 1));
    }
    // "6am", "9pm".
    if let Some(p) = t.norm.find(|c: char| c.is_ascii_alphabetic())
        && p > 0
        && let Some(pm) = meridiem(&t.norm[p..])
    {
        let digits = &t.norm[..p];
        // "730am", "1015pm": the minutes run on from the hour.
        if (3..=4).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit()) {
            let (hour, minute): (u32, u32) =
                (digits[..digits.len() - 2].parse().ok()?, digits[digits.len() - 2..].parse().ok()?);
            return ((1..=12).contains(&hour) && minute <= 59).then_some((ClockTime { hour, minute, pm: Some(pm) }, 1));
        }
        let hour: u32 = digits.parse().ok()?;
        return (1..=12).contains(&hour).then_some((ClockTime { hour, minute: 0, pm: Some(pm) }, 1));
    }
    // "half past five", "quarter to three", "twenty past 7", "10 to 6".
    if t.is_any(&["half", "quarter"]) || (after_at && minutes_value(t).is_some()) {
        let minutes = match t.norm.as_str() {
            "half" => 30,
            "quarter" => 15,
            _ => minutes_value(t).unwrap_or(0),
        };
        if let Some(rel) = tokens.get(i + 1)
            && rel.is_any(&["past", "to", "after"])
            && !(t.is("half") && rel.is("to"))
            && let Some(hour) = tokens.get(i + 2).and_then(hour_value).filter(|h| (1..=12).contains(h))
        {
            let (hour, minute) =
                if rel.is("to") { (if hour == 1 { 12 } else { hour - 1 }, 60 - minutes) } else { (hour, minutes) };
            let pm = tokens.get(i + 3).and_then(|n| meridiem(&n.norm));
            return Some((ClockTime { hour, minute, pm }, if pm.is_some() { 4 } else { 3 }));
        }
    }
    // "half four", "half 7": half past, as said in Britain and Australia — not "half a…", "half 6 litres".
    if t.is("half")
        && let Some(hour) = tokens.get(i + 1).and_then(hour_value).filter(|h| (1..=12).contains(h))
        && !tokens.get(i + 2).is_some_and(|n| is_unit(&n.norm))
    {
        let pm = tokens.get(i + 2).and_then(|n| meridiem(&n.norm));
        return Some((ClockTime { hour, minute: 30, pm }, if pm.is_some() { 3 } else { 2 }));
    }
    // "0530" after "for"/"at" ("sold the generator for 1100" is an amount: after "for", only a leading 0,
    // unless the sentence is about an alarm); "530" only for an alarm.
    let digits = t.norm.chars().all(|c| c.is_ascii_digit());
    // "0600 tomorrow", "remind me 0730": four figures with a leading nought are a 24-hour time wherever
    // they stand — no one writes an amount that way.
    let naught_led = t.norm.len() == 4 && t.norm.starts_with('0');
    if (after_at || naught_led)
        && digits
        && (t.norm.len() == 4 || (alarm && t.norm.len() == 3))
        && (prev != "for" || t.norm.starts_with('0') || alarm)
    {
        let split = t.norm.len() - 2;
        let (hour, minute): (u32, u32) = (t.norm[..split].parse().ok()?, t.norm[split..].parse().ok()?);
        if hour <= 23 && minute <= 59 && (split == 1 || t.norm.starts_with(['0', '1', '2'])) {
            return Some((ClockTime { hour, minute, pm: None }, 1));
        }
    }
    // "6 AM", "at 5", "at six".
    let hour = hour_value(t)?;
    if let Some(pm) = next_pm {
        return (1..=12).contains(&hour).then_some((ClockTime { hour, minute: 0, pm: Some(pm) }, 2));
    }
    // A bare hour needs "at"/"for" before it, and no unit after it ("at 5 bucks", "for 3 nights").
    let next = tokens.get(i + 1).map(|n| n.norm.as_str()).unwrap_or("");
    let unit_after = is_unit(next);
    // "9 this morning", "7 tonight", "5 in the arvo": the part of the day says am or pm, and makes a bare
    // hour a time even without "at", unless a word before it asks for an amount ("spent 12 this morning").
    let word = |k: usize| tokens.get(i + k).map(|n| n.norm.as_str()).unwrap_or("");
    let part = match (next, word(2)) {
        ("tonight", _) => Some(true),
        ("in", "the") => day_part(word(3)),
        ("this" | "tomorrow" | "tmrw" | "yesterday", part) => day_part(part),
        _ => None,
    };
    // "12 tonight", "2 tomorrow night": after midnight.
    let night = next == "tonight" || word(2) == "night" || word(3) == "night";
    let part = part.map(|pm| pm && !(night && (hour == 12 || hour <= 4)));
    // A word that asks for an amount ("spent 12 this morning"), or a thing bought ("coffee 9 this
    // morning"), makes the number an amount.
    let amount_before = matches!(
        prev,
        "spent"
            | "spend"
            | "paid"
            | "was"
            | "cost"
            | "costs"
            | "is"
            | "about"
            | "only"
            | "were"
            | "blew"
            | "dropped"
            | "out"
    ) || crate::vocabulary::canonical(prev).is_some();
    let bare = (1..=12).contains(&hour) && t.norm.chars().all(|c| c.is_alphanumeric());
    // "bought ice for four fifty": after "for" and a verb of buying in the same clause, an hour with its
    // minutes in words is a price said the way prices are ("booked the table for six thirty", "bought
    // the tickets, add an event friday for seven thirty" stay times).
    let bought_for = prev == "for"
        && word_value(next).is_some_and(|m| (10..=59).contains(&m))
        && tokens[..i]
            .iter()
            .rev()
            .take_while(|w| !w.is_any(&[",", ".", ";", "and", "then", "-", "!", "?"]))
            .any(|w| w.is_any(&["bought", "paid", "grabbed", "sold", "spent", "charged", "cost", "costs"]));
    if bare && after_at && !unit_after && !bought_for {
        // "at one thirty in the afternoon", "at six fifteen": the hour, then its minutes in words.
        // "five forty five": tens and units. Not an amount after it ("at 8 twenty bucks entry").
        let (minute, used) = match (word_value(next), word_value(word(2))) {
            (Some(tens), Some(units)) if tens % 10 == 0 && (20..=50).contains(&tens) && (1..=9).contains(&units) => {
                (Some(tens + units), 3)
            }
            (m, _) => (m, 2),
        };
        // "alarm 6 30": the minutes in digits.
        let (minute, used) = match tokens.get(i + 1) {
            Some(n) if alarm && n.norm.len() == 2 && n.norm.chars().all(|c| c.is_ascii_digit()) => {
                (n.norm.parse().ok(), 2)
            }
            _ => (minute, used),
        };
        if (prev != "for" || alarm)
            && let Some(minute) = minute.filter(|m| (10..=59).contains(m) || (*m == 0 && used == 2 && alarm))
            && !is_unit(word(used))
        {
            let part = match (word(used), word(used + 1)) {
                ("in", "the") => day_part(word(used + 2)),
                (w, _) => meridiem(w).or_else(|| (w == "tonight").then_some(true)),
            };
            return Some((ClockTime { hour, minute, pm: part }, used));
        }
        return Some((ClockTime { hour, minute: 0, pm: part }, 1));
    }
    if bare && part.is_some() && !amount_before {
        return Some((ClockTime { hour, minute: 0, pm: part }, 1));
    }
    // "6 o'clock".
    if bare && !amount_before && matches!(next, "o'clock" | "oclock") {
        return Some((ClockTime { hour, minute: 0, pm: None }, 2));
    }
    None
}

/// A unit after a number: "5 bucks", "3 nights", "6 litres" — a quantity, not an hour.
fn is_unit(word: &str) -> bool {
    matches!(
        word,
        "bucks"
            | "dollars"
            | "nights"
            | "night"
            | "days"
            | "people"
            | "litres"
            | "l"
            | "km"
            | "minutes"
            | "mins"
            | "hours"
            | "hrs"
            | "weeks"
            | "each"
            | "a"
            | "per"
            | "%"
            | "percent"
            | "of"
            // "at twelve hundred a month": an amount in words.
            | "hundred"
            | "thousand"
            | "grand"
    )
}

/// Whether what follows a dotted number after a day's name is no amount's ("Sun 12.50 parking" is one).
fn next_is_not_amount(tokens: &[Token], i: usize) -> bool {
    tokens.get(i + 1).is_none_or(|n| n.is_punct() || meridiem(&n.norm).is_some() || n.is_any(&["appt", "for", "with"]))
}

/// Whether a part of the day is after noon: Some(false) for the morning.
fn day_part(word: &str) -> Option<bool> {
    match word {
        "morning" | "mornin" | "am" => Some(false),
        "afternoon" | "arvo" | "evening" | "night" => Some(true),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Text;

    fn time(text: &str, at: usize) -> Option<(u32, u32, Option<bool>)> {
        let t = Text::new(text);
        time_at(&t.tokens, at).map(|(c, _)| (c.hour, c.minute, c.pm))
    }

    #[test]
    fn clock_times() {
        assert_eq!(time("5:30", 0), Some((5, 30, None)));
        assert_eq!(time("4:30am", 0), Some((4, 30, Some(false))));
        assert_eq!(time("6 AM", 0), Some((6, 0, Some(false))));
        assert_eq!(time("9pm", 0), Some((9, 0, Some(true))));
        assert_eq!(time("noon", 0), Some((12, 0, Some(true))));
        assert_eq!(time("half past five", 0), Some((5, 30, None)));
        assert_eq!(time("quarter to three", 0), Some((2, 45, None)));
        assert_eq!(time("alarm at 10 to 6", 2), Some((5, 50, None)));
        assert_eq!(time("alarm for 0530", 2), Some((5, 30, None)));
        assert_eq!(time("at 10.30", 1), Some((10, 30, None)));
        assert_eq!(time("at 5", 1), Some((5, 0, None)));
        assert_eq!(time("at six", 1), Some((6, 0, None)));
        assert_eq!(time("at 5 bucks", 1), None);
        assert_eq!(time("done 9 this morning", 1), Some((9, 0, Some(false))));
        assert_eq!(time("back by 7 tonight", 2), Some((7, 0, Some(true))));
        assert_eq!(time("leave 4 in the arvo", 1), Some((4, 0, Some(true))));
        assert_eq!(time("4 in the fridge", 0), None);
        assert_eq!(time("spent 12 this morning", 1), None);
        assert_eq!(time("coffee 9 this morning", 1), None);
        assert_eq!(time("wake us 12 tonight", 2), Some((12, 0, Some(false))));
        assert_eq!(time("ring me 2 tomorrow night", 2), Some((2, 0, Some(false))));
        assert_eq!(time("ring me 8 tomorrow night", 2), Some((8, 0, Some(true))));
        assert_eq!(time("6 o'clock", 0), Some((6, 0, None)));
        assert_eq!(time("wake me at half four", 3), Some((4, 30, None)));
        assert_eq!(time("half 7 pm", 0), Some((7, 30, Some(true))));
        assert_eq!(time("half 6 litres", 0), None);
        assert_eq!(time("half a tank", 0), None);
        assert_eq!(time("10.30", 0), None);
        assert_eq!(time("25:99", 0), None);
        assert_eq!(time("99am", 0), None);
    }

    #[test]
    fn open_times_resolve_by_purpose() {
        let five = ClockTime { hour: 5, minute: 0, pm: None };
        assert_eq!(five.resolve(|_| false), (5, 0));
        assert_eq!(five.resolve(|h| h < 7), (17, 0));
        assert_eq!(ClockTime { hour: 12, minute: 0, pm: Some(false) }.resolve(|_| true), (0, 0));
        assert_eq!(ClockTime { hour: 17, minute: 15, pm: None }.resolve(|_| false), (17, 15));
    }
}
