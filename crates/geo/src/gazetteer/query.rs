//! Reading what a person typed as a name plus qualifiers: "Perth WA", "Perth, Western Australia",
//! "Perth Scotland", "Portland, Oregon", "Santa Fe NM", "the Entrance".

use std::collections::HashMap;

use super::load::Qualifier;
use super::normalize::{MAX_QUERY_CHARS, canonical, fold};

/// Trailing words tried as a qualifier: "Northern Territory" is two, "Newfoundland and Labrador" three,
/// "Aust Capital Territory" three; four leaves room without trying every split of a long phrase.
const MAX_QUALIFIER_WORDS: usize = 4;

/// One reading of a query: the name to find and the qualifiers every answer must satisfy.
#[derive(Debug)]
pub(crate) struct Interpretation<'q> {
    /// The name folded, as typed ("mt gambier").
    pub(crate) folded: String,
    /// The name's index key ("mt gambier" for both "Mt" and "Mount").
    pub(crate) key: String,
    /// Each qualifier's meanings; a place must match at least one meaning of each.
    pub(crate) qualifiers: Vec<&'q [Qualifier]>,
}

impl<'q> Interpretation<'q> {
    fn new(words: &[&str], qualifiers: Vec<&'q [Qualifier]>) -> Interpretation<'q> {
        let folded = words.join(" ");
        Interpretation { key: canonical(&folded), folded, qualifiers }
    }
}

/// The readings of `query`, most literal first:
/// 1. the whole text (before any comma) as a name — so "Mount Victoria" stays a town;
/// 2. the text with 1..=4 trailing words taken as a qualifier ("Perth WA", "Santa Fe NM"), longest first;
/// 3. each of those without a leading "the".
///
/// Text after a comma is a qualifier ("Perth, WA", "Perth, Western Australia, Australia"); a part that
/// names no state or country is ignored, so a longer address still finds its town.
pub(crate) fn interpret<'q>(query: &str, qualifiers: &'q HashMap<String, Vec<Qualifier>>) -> Vec<Interpretation<'q>> {
    let text: String = query.chars().take(MAX_QUERY_CHARS).collect();
    let mut parts = text.split([',', ';']).map(str::trim).filter(|p| !p.is_empty());
    let Some(head) = parts.next() else {
        return Vec::new();
    };
    let after_commas: Vec<&[Qualifier]> = parts.filter_map(|p| qualifiers.get(&fold(p)).map(Vec::as_slice)).collect();
    let head = fold(head);
    let words: Vec<&str> = head.split(' ').filter(|w| !w.is_empty()).collect();
    if words.is_empty() {
        return Vec::new();
    }

    let mut readings = vec![Interpretation::new(&words, after_commas.clone())];
    for taken in (1..=MAX_QUALIFIER_WORDS.min(words.len() - 1)).rev() {
        let (name, tail) = words.split_at(words.len() - taken);
        if let Some(meanings) = qualifiers.get(&tail.join(" ")) {
            let mut all = after_commas.clone();
            all.push(meanings.as_slice());
            readings.push(Interpretation::new(name, all));
        }
    }
    let without_the: Vec<Interpretation> = readings
        .iter()
        .filter_map(|r| {
            let rest: Vec<&str> = r.folded.strip_prefix("the ")?.split(' ').collect();
            Some(Interpretation::new(&rest, r.qualifiers.clone()))
        })
        .collect();
    readings.extend(without_the);
    readings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> HashMap<String, Vec<Qualifier>> {
        HashMap::from([
            ("wa".to_string(), vec![Qualifier::Region(0), Qualifier::Region(1)]),
            ("western australia".to_string(), vec![Qualifier::Region(0)]),
            ("australia".to_string(), vec![Qualifier::Country(0)]),
            ("nm".to_string(), vec![Qualifier::Region(2)]),
        ])
    }

    fn names(readings: &[Interpretation]) -> Vec<(String, usize)> {
        readings.iter().map(|r| (r.folded.clone(), r.qualifiers.len())).collect()
    }

    #[test]
    fn trailing_qualifiers_give_extra_readings_after_the_literal_one() {
        let table = table();
        let readings = interpret("Perth Western Australia", &table);
        assert_eq!(
            names(&readings),
            [("perth western australia".into(), 0), ("perth".into(), 1), ("perth western".into(), 1)]
        );
        let readings = interpret("Santa Fe NM", &table);
        assert_eq!(names(&readings), [("santa fe nm".into(), 0), ("santa fe".into(), 1)]);
    }

    #[test]
    fn comma_parts_are_qualifiers_and_unknown_ones_are_ignored() {
        let table = table();
        let readings = interpret("Perth, Western Australia, Australia", &table);
        assert_eq!(names(&readings), [("perth".into(), 2)]);
        let readings = interpret("Perth, Narnia", &table);
        assert_eq!(names(&readings), [("perth".into(), 0)]);
        let readings = interpret("Perth WA, Australia", &table);
        assert_eq!(names(&readings), [("perth wa".into(), 1), ("perth".into(), 2)]);
    }

    #[test]
    fn a_leading_the_is_tried_both_ways() {
        let table = table();
        let readings = interpret("The Entrance", &table);
        assert_eq!(names(&readings), [("the entrance".into(), 0), ("entrance".into(), 0)]);
    }

    #[test]
    fn empty_or_punctuation_only_queries_have_no_reading() {
        assert!(interpret("", &table()).is_empty());
        assert!(interpret(" , ; ", &table()).is_empty());
        assert!(interpret("!!!", &table()).is_empty());
    }
}
