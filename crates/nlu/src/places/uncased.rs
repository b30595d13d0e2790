//! Places in a sentence typed without capitals to tell names by (all in lower case, or shouted): where a
//! name may go on, a forecast's place, and a message that is only a route.

use super::words::{NOT_PLACES, STOP, everyday, is_business};
use super::{cased, name_at, route};
use crate::entities::Entity;
use crate::text::Text;

/// Whether token `k` is a word that may name a place, typed without capitals: no everyday word, stop
/// word, value or punctuation.
pub(super) fn names_on(text: &Text, entities: &[Entity], k: usize) -> bool {
    text.tokens.get(k).is_some_and(|t| {
        !t.is_punct() && !STOP.contains(&t.norm.as_str()) && !everyday(&t.norm) && !entities.iter().any(|e| e.covers(k))
    })
}

/// Where a sentence typed all in lower case or all in capitals asks about, when capitals tell no names
/// apart ("weather in broome tomorrow", "ANY RAIN AT COOBER PEDY", "weather katherine"): the words after
/// "in", "at", "near", "around", "for", "weather" or "forecast" up to an everyday word ("for the weekend",
/// "in the arvo" name no place).
pub fn uncased_place(text: &Text, entities: &[Entity]) -> Option<String> {
    if cased(text) {
        return None;
    }
    let before = |k: usize| matches!(text.norm(k), "in" | "at" | "near" | "around" | "for" | "weather" | "forecast");
    (0..text.len()).filter(|&k| before(k)).find_map(|k| {
        let (name, _) = name_at(text, entities, k + 1, false)?;
        (!is_business(&name)).then_some(name)
    })
}

/// A message that is only a route written with arrows ("adelaide -> port augusta", "Cairns → Cooktown?"):
/// names joined by arrows and nothing else. It asks how far and how long, whatever the classifier made
/// of its unknown words.
pub fn bare_route(text: &Text, entities: &[Entity]) -> bool {
    let arrow = |k: usize| matches!(text.norm(k), ">" | "→") || (text.norm(k) == "-" && text.norm(k + 1) == ">");
    let plain = |k: usize| {
        let t = &text.tokens[k];
        if t.is_punct() {
            return matches!(t.norm.as_str(), ">" | "→" | "-" | "?" | "," | ".");
        }
        !STOP.contains(&t.norm.as_str()) && !NOT_PLACES.contains(&t.norm.as_str()) && !everyday(&t.norm)
    };
    entities.is_empty()
        && text.len() <= 16
        && (0..text.len()).any(arrow)
        && (0..text.len()).all(plain)
        && route(text, entities).destination.is_some()
}
