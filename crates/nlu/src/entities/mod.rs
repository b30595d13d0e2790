//! The values in an utterance, found before anything is classified: money, bare numbers, volumes,
//! distances, fuel consumption, durations, clock times and days. Each is a typed value over a run of
//! tokens; the classifier sees the utterance with those runs replaced by placeholders (`<money>`,
//! `<vol>`…), so "spent $52" and "spent forty bucks" look alike to it.

pub mod alarm;
pub mod calendar;
pub mod clock;
pub mod measure;
pub mod money;

use crate::numbers;
use crate::text::Token;

pub use calendar::{DayExpr, Period, Tense};
pub use clock::ClockTime;
pub use measure::{ConsumptionUnit, DistanceUnit, VolumeUnit};
pub use money::Money;

#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    Money(Money),
    /// A number with no unit: "spent 80", "groceries 67.20".
    Number {
        value: f64,
        decimals: usize,
        words: bool,
    },
    Volume {
        value: f64,
        unit: VolumeUnit,
    },
    Distance {
        value: f64,
        unit: DistanceUnit,
    },
    Consumption {
        value: f64,
        unit: ConsumptionUnit,
    },
    Duration {
        seconds: i64,
    },
    Time(ClockTime),
    Day(DayExpr),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entity {
    pub kind: Kind,
    /// First token.
    pub start: usize,
    /// Tokens taken.
    pub len: usize,
}

impl Entity {
    pub fn end(&self) -> usize {
        self.start + self.len
    }

    pub fn covers(&self, token: usize) -> bool {
        (self.start..self.end()).contains(&token)
    }

    /// The placeholder the classifier sees instead of the entity's words (None: keep the words).
    pub fn placeholder(&self) -> Option<&'static str> {
        Some(match self.kind {
            Kind::Money(_) => "<money>",
            Kind::Number { .. } => "<num>",
            Kind::Volume { .. } => "<vol>",
            Kind::Distance { .. } => "<dist>",
            Kind::Consumption { .. } => "<cons>",
            Kind::Duration { .. } => "<dur>",
            Kind::Time(_) => "<time>",
            // Day words carry tense ("yesterday" and "tomorrow" mean different things).
            Kind::Day(_) => return None,
        })
    }

    pub fn money(&self) -> Option<&Money> {
        match &self.kind {
            Kind::Money(m) => Some(m),
            _ => None,
        }
    }
}

/// Every entity, left to right, none overlapping.
pub fn scan(tokens: &[Token]) -> Vec<Entity> {
    let mut found: Vec<Entity> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        match entity_at(tokens, i) {
            Some(e) => {
                i = e.end();
                // Two numbers in words side by side are dollars and cents, as a price is said: "seventeen
                // fifty", "ninety-eight fifty", "two eighteen a litre" (the corpus's convention).
                if let (Some(prev), Kind::Number { value: cents, words: true, .. }) = (found.last_mut(), &e.kind)
                    && let Kind::Number { value: whole, words: true, .. } = prev.kind
                    && prev.end() == e.start
                    // Not a year ("a twenty twenty Jayco", "nineteen seventy"), nor a time ("Thursday ten thirty").
                    && !matches!(whole as i64, 19 | 20)
                    && !prev.start.checked_sub(1).is_some_and(|k| {
                        calendar::weekday(&tokens[k].norm).is_some()
                            || tokens[k].is_any(&["at", "by", "tomorrow", "today", "tonight", "tmrw", "from", "until", "till"])
                    })
                    && whole.fract() == 0.0
                    && (1.0..1000.0).contains(&whole)
                    && cents.fract() == 0.0
                    && (10.0..100.0).contains(cents)
                {
                    prev.kind = Kind::Number { value: whole + cents / 100.0, decimals: 2, words: true };
                    prev.len += e.len;
                    continue;
                }
                found.push(e);
            }
            None => i += 1,
        }
    }
    found
}

fn entity_at(tokens: &[Token], i: usize) -> Option<Entity> {
    let e = |kind, len| Some(Entity { kind, start: i, len });
    // A currency sign settles it before anything else ("$5 a night" is not a time).
    let t = &tokens[i];
    let signed = t.norm.starts_with(['$', '£', '€']) || t.norm.contains('$');
    if signed && let Some((m, used)) = money::parse_at(tokens, i) {
        return e(Kind::Money(m), used);
    }
    if let Some((d, used)) = calendar::day_at(tokens, i) {
        return e(Kind::Day(d), used);
    }
    if let Some((value, unit, used)) = measure::consumption_at(tokens, i) {
        return e(Kind::Consumption { value, unit }, used);
    }
    if let Some((value, unit, used)) = measure::volume_at(tokens, i) {
        return e(Kind::Volume { value, unit }, used);
    }
    if let Some((value, unit, used)) = measure::distance_at(tokens, i) {
        return e(Kind::Distance { value, unit }, used);
    }
    if let Some((seconds, used)) = measure::duration_at(tokens, i) {
        return e(Kind::Duration { seconds }, used);
    }
    if let Some((m, used)) = money::parse_at(tokens, i) {
        return e(Kind::Money(m), used);
    }
    if let Some((c, used)) = clock::time_at(tokens, i) {
        return e(Kind::Time(c), used);
    }
    let n = numbers::parse_at(tokens, i)?;
    // "a" and "one" on their own are words, not amounts.
    if n.words && n.value <= 1.0 && n.used == 1 {
        return None;
    }
    e(Kind::Number { value: n.value, decimals: n.decimals, words: n.words }, n.used)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Text;

    fn kinds(text: &str) -> Vec<String> {
        let t = Text::new(text);
        scan(&t.tokens).iter().map(|e| e.placeholder().unwrap_or("<day>").to_string()).collect()
    }

    #[test]
    fn entities_in_context() {
        assert_eq!(kinds("I spent $42.50 on diesel yesterday"), ["<money>", "<day>"]);
        assert_eq!(kinds("filled up 65 litres at $1.89"), ["<vol>", "<money>"]);
        assert_eq!(kinds("fuel cost for 2,700 km at 16L/100 and $2.05/L"), ["<dist>", "<cons>", "<money>"]);
        assert_eq!(kinds("remind me in 20 minutes to check the tyres"), ["<dur>"]);
        assert_eq!(kinds("dentist tomorrow at 10am"), ["<day>", "<time>"]);
        assert_eq!(kinds("we paid $38 for two nights"), ["<money>", "<num>"]);
        assert_eq!(kinds("spent about 60 on groceries at Coles two days ago"), ["<num>", "<day>"]);
        assert_eq!(kinds("happy hour at the campfire tonight at 5"), ["<day>", "<time>"]);
        assert_eq!(kinds("how much have I spent this month?"), Vec::<String>::new());
    }
}
