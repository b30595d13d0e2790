//! Place names in a sentence: a place ("at Dubbo", "in Margaret River", "forecast for Broome") and a
//! route ("from Brisbane to Cairns via Mackay", "Coffs Harbour > Brisbane > Noosa", "how far is Katoomba
//! from Sydney"). Names are cut from what was written; a name typed in lower case ("geelong") comes back
//! capitalised. Whether a name is a real place is the geography crate's business, not this one's.

use crate::entities::Entity;
use crate::text::Text;

mod uncased;
mod words;

use uncased::names_on;
pub use uncased::{bare_route, uncased_place};

use words::{NOT_PLACES, STOP, everyday, is_business};

/// A place name typed in lower case comes back capitalised ("geelong" → "Geelong", "mt gambier" →
/// "Mt Gambier"), and so does one shouted ("COOBER PEDY" → "Coober Pedy"); a name written with capitals
/// is kept as written ("Austin TX").
fn as_name(text: &Text, name: &str) -> String {
    if text.shouted() { capitalise(&name.to_lowercase()) } else { capitalise(name) }
}

fn capitalise(name: &str) -> String {
    if name.chars().any(char::is_uppercase) {
        return name.to_string();
    }
    name.split(' ')
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A place name starting at token `i`: the tokens up to the next stop word, at most four; a leading
/// "the" is dropped. `strict` keeps only capitalised words (for sentences written with capitals).
fn name_at(text: &Text, entities: &[Entity], mut i: usize, strict: bool) -> Option<(String, usize)> {
    if text.norm(i) == "the" {
        i += 1;
    }
    let start = i;
    while i < text.len() && i - start < 4 {
        let t = &text.tokens[i];
        // "Austin TX": two capitals after a name written in lower case (in "COOBER PEDY TO ALICE" the
        // "TO" is no state).
        let state_code = t.norm.len() == 2
            && t.norm.chars().all(|c| c.is_ascii_alphabetic())
            && i > start
            && text.folded[t.span.clone()].chars().all(|c| c.is_ascii_uppercase())
            && text.folded[text.tokens[i - 1].span.clone()].chars().any(char::is_lowercase);
        // A capitalised stop word goes on with a name ("Lake Via…"), an acronym ("broome ASAP") does not.
        let acronym = acronym(text, t);
        let stop = STOP.contains(&t.norm.as_str())
            && (!t.capitalised || acronym || i <= start || t.is_any(&["to", "via", "and", "from"]));
        // Typed without capitals, an everyday word ends the name ("tennant creek mate how long") unless
        // a word that names goes on after it ("the gold coast").
        let plain = !strict && !cased(text) && everyday(&t.norm) && !names_on(text, entities, i + 1);
        // "Coeur d'Alene", "Port O'Connor": a particle joined to a capital goes on with the name.
        let particle = i > start && {
            let raw = &text.folded[t.span.clone()];
            (raw.starts_with("d'") || raw.starts_with("o'")) && raw[2..].starts_with(|c: char| c.is_uppercase())
        };
        if entities.iter().any(|e| e.covers(i))
            || (stop && !state_code)
            || (strict && !t.capitalised && !state_code && !particle)
            || plain
            // "… on to Kalgoorlie. Map it?": a name ends with its sentence.
            || (i > start
                && text.sentence_break_before(i)
                && !text.tokens[i - 1].is_any(&["st", "mt", "pt", "ft", "mtn", "ste", "nth", "sth"]))
        {
            break;
        }
        if t.is_punct() {
            break;
        }
        i += 1;
    }
    if i == start {
        return None;
    }
    let name = text.slice(start, i - 1).trim_end_matches(['\'', '.']);
    if name.is_empty() || NOT_PLACES.contains(&name.to_lowercase().as_str()) {
        return None;
    }
    Some((as_name(text, name), i))
}

/// Whether the sentence is written with capitals (so lower-case words are not names). A shouted one is
/// not: its capitals tell no names apart ("rockhampton -> longreach how far" is read as if typed in
/// lower case).
fn cased(text: &Text) -> bool {
    // An acronym ("rough ETA to mt buller") shows no care for capitals.
    !text.shouted() && text.tokens.iter().skip(1).any(|t| t.capitalised && !acronym(text, t))
}

/// A word written without a small letter ("ETA", "ASAP", "KOA").
fn acronym(text: &Text, t: &crate::text::Token) -> bool {
    !text.folded[t.span.clone()].chars().any(char::is_lowercase)
}

/// A route: origin (when said), destination and the stops between, in the order said.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Route {
    pub origin: Option<String>,
    pub destination: Option<String>,
    pub stops: Vec<String>,
}

/// A list of names joined by "," / "and" / "then" starting at `i`, and by the next leg of the way
/// ("Moab and then on to Zion", "Charleston, then up to Myrtle Beach", "Port Fairy then Mount Gambier
/// and end up in Adelaide").
fn name_list(text: &Text, entities: &[Entity], mut i: usize, strict: bool) -> (Vec<String>, usize) {
    let mut names = Vec::new();
    while let Some((name, end)) = name_at(text, entities, i, strict) {
        names.push(name);
        i = end;
        let mut j = i;
        while matches!(text.norm(j), "," | "and" | "then" | ">" | "&" | "-") {
            j += 1;
        }
        let leg = match (text.norm(j), text.norm(j + 1), text.norm(j + 2)) {
            ("on" | "up" | "down" | "over" | "across" | "back" | "out", "to", _) => Some(j + 2),
            // "Kalgoorlie to Norseman to Eucla": with capitals to tell the next name by.
            ("to", _, _) if j > i || strict => Some(j + 1),
            ("end" | "finish" | "wind", "up", "in" | "at") => Some(j + 3),
            _ => None,
        };
        // A dash joins places only in a list of them ("Geraldton – Shark Bay – Exmouth"), not before a
        // remark ("… to Cairns - Dave wants to come").
        let dash_list = |from: usize| {
            name_at(text, entities, from, strict)
                .is_some_and(|(_, end)| end >= text.len() || matches!(text.norm(end), "-" | "," | ">" | "." | "and"))
        };
        if let Some(next) = leg.filter(|&n| name_at(text, entities, n, strict).is_some()) {
            i = next;
        } else if j > i && text.norm(i) == "-" && text.norm(i + 1) != ">" && !dash_list(j) {
            break;
        } else if j > i {
            i = j;
        } else {
            break;
        }
    }
    (names, i)
}

pub fn route(text: &Text, entities: &[Entity]) -> Route {
    let strict = cased(text);
    let mut r = Route::default();
    let find = |word: &str, from: usize| (from..text.len()).find(|&k| text.norm(k) == word);
    // Stops: "via X and Y", "stopping at X", "with stops at X and Y", "with a stop at X".
    let mut stop_tokens = Vec::new();
    for k in 0..text.len() {
        let starts = match text.norm(k) {
            "via" => Some(k + 1),
            // "taking in Lake Tekapo and Queenstown", "by way of Fort William".
            "taking" if text.norm(k + 1) == "in" => Some(k + 2),
            // "going through Canberra", "passing through Gundagai".
            "through"
                if matches!(
                    text.norm(k.wrapping_sub(1)),
                    "going" | "passing" | "driving" | "heading" | "travelling" | "traveling"
                ) =>
            {
                Some(k + 1)
            }
            "way" if text.norm(k.wrapping_sub(1)) == "by" && text.norm(k + 1) == "of" => Some(k + 2),
            "stopping" | "stops" | "stop" if text.norm(k + 1) == "at" || text.norm(k + 1) == "in" => Some(k + 2),
            // "with a night in Pitlochry", "we'll overnight in Idaho Falls", "a couple of nights at Exmouth".
            // Not a night told of ("last time we spent a night in Mildura").
            "night" | "nights" | "overnight" | "overnighting" | "staying" | "stay" | "stayover"
                if (text.norm(k + 1) == "at" || text.norm(k + 1) == "in")
                    && !(k.saturating_sub(4)..k).any(|j| {
                        matches!(text.norm(j), "spent" | "had" | "stayed" | "last" | "time" | "once" | "ago")
                    }) =>
            {
                Some(k + 2)
            }
            _ => None,
        };
        if let Some(s) = starts {
            let (names, _) = name_list(text, entities, s, strict);
            for n in names {
                stop_tokens.push(n);
            }
        }
    }
    // "origin Orange, destination Bathurst".
    if let (Some(o), Some(d)) = (find("origin", 0), find("destination", 0)) {
        r.origin = name_at(text, entities, o + 1, strict).map(|(n, _)| n);
        r.destination = name_at(text, entities, d + 1, strict).map(|(n, _)| n);
    }
    // "from X to Y", "X to Y", "to Y from X", "between X and Y", "X > Y > Z".
    if r.destination.is_none()
        && let Some(f) = find("from", 0)
        && let Some((origin, end)) = name_at(text, entities, f + 1, strict)
    {
        r.origin = Some(origin);
        let mut to = find("to", end);
        // "from Kalgoorlie across the Nullarbor to Ceduna": skip what lies between.
        if to.is_none() && text.norm(end) == ">" {
            to = Some(end);
        }
        if let Some(t) = to {
            let (mut names, _) = name_list(text, entities, t + 1, strict);
            if !names.is_empty() {
                r.destination = names.pop();
                r.stops.extend(names);
            }
        }
    }
    // The first "to" a name follows ("cost in fuel to drive Perth to Adelaide").
    if r.destination.is_none()
        && let Some(t) =
            (0..text.len()).find(|&k| text.norm(k) == "to" && !name_list(text, entities, k + 1, strict).0.is_empty())
    {
        let (mut names, end) = name_list(text, entities, t + 1, strict);
        if !names.is_empty() {
            r.destination = names.pop();
            r.stops.extend(names);
            if r.origin.is_none() {
                // "to Y from X" is handled above; "X to Y" takes the name before "to", and so does "X
                // down to Y".
                let leg = matches!(text.norm(t.wrapping_sub(1)), "up" | "down" | "over" | "across" | "back" | "out");
                r.origin = name_before(text, entities, if leg { t - 1 } else { t }, strict);
            }
            // "… to Y, leaving X", or told first: "we're leaving X tomorrow and heading to Y".
            let leaving = |k: usize| matches!(text.norm(k), "left" | "leaving" | "leave");
            if r.origin.is_none()
                && let Some(l) = (end..text.len()).find(|&k| leaving(k)).or_else(|| (0..t).find(|&k| leaving(k)))
            {
                r.origin = name_at(text, entities, l + 1, strict).map(|(n, _)| n);
            }
        }
    }
    if r.destination.is_none() {
        // "between Hobart and Launceston", "how far apart are Bendigo and Echuca".
        for b in (0..text.len()).filter(|&k| matches!(text.norm(k), "between" | "are" | "apart" | "is")) {
            let (names, _) = name_list(text, entities, b + 1, strict);
            if names.len() >= 2 {
                r.origin = Some(names[0].clone());
                r.destination = names.last().cloned();
                break;
            }
        }
    }
    // "Townsville - Mt Isa", "Cairns → Cooktown": an arrow or a dash between two names, as ">".
    if r.destination.is_none()
        && let Some(g) = (0..text.len()).find(|&k| {
            text.norm(k) == ">"
                || (matches!(text.norm(k), "-" | "–" | "→" | "->") && name_before(text, entities, k, strict).is_some())
        })
    {
        let first = name_before(text, entities, g, strict);
        // "->" is typed as a dash and a ">".
        let after = if text.norm(g) == "-" && text.norm(g + 1) == ">" { g + 2 } else { g + 1 };
        let (mut names, _) = name_list(text, entities, after, strict);
        if let (Some(o), Some(d)) = (first, names.pop()) {
            r.origin = Some(o);
            r.destination = Some(d);
            r.stops = names;
        }
    }
    // "how far is Katoomba from Sydney": the name before "from" is where one goes.
    if r.destination.is_none()
        && let Some(f) = find("from", 0)
        && let Some(dest) = name_before(text, entities, f, strict)
    {
        r.destination = Some(dest);
    }
    // "Lay out a route: Flagstaff, Page, Kanab, Zion".
    if r.destination.is_none()
        && let Some(c) = find(":", 0)
    {
        let (mut names, _) = name_list(text, entities, c + 1, strict);
        if names.len() >= 2 {
            r.origin = Some(names.remove(0));
            r.destination = names.pop();
            r.stops = names;
        }
    }
    // What the patterns missed: a name after "to"/"till" is where one goes, after "from"/"leave"/"out
    // of" where one starts ("if we leave Carnarvon how long till Exmouth", "is Bicheno a long way from
    // Hobart": the one other name is the destination).
    if r.destination.is_none() || (r.origin.is_none() && strict) {
        let after = |words: &[&str]| {
            (0..text.len()).filter(|&k| words.contains(&text.norm(k))).find_map(|k| {
                let start = if text.norm(k) == "out" && text.norm(k + 1) == "of" { k + 2 } else { k + 1 };
                name_at(text, entities, start, strict).map(|(n, _)| n)
            })
        };
        if r.destination.is_none() {
            r.destination = after(&["to", "till", "until", "towards", "reach"]);
        }
        if r.origin.is_none() {
            r.origin = after(&["from", "leave", "leaving", "left", "out"]);
        }
        if strict && r.destination.is_none() {
            let taken = r.origin.clone();
            r.destination = (1..text.len())
                .filter(|&k| text.tokens[k].capitalised && !text.tokens[k - 1].capitalised)
                .filter_map(|k| name_at(text, entities, k, true).map(|(n, _)| n))
                .find(|n| Some(n) != taken.as_ref() && !is_business(n));
        }
    }
    for s in stop_tokens {
        if !r.stops.contains(&s) && r.destination.as_ref() != Some(&s) && r.origin.as_ref() != Some(&s) {
            r.stops.push(s);
        }
    }
    if r.origin.as_deref().is_some_and(|o| o.eq_ignore_ascii_case("here")) {
        r.origin = None;
    }
    r
}

/// The name that ends right before token `end` ("Broken Hill to Adelaide" → "Broken Hill").
fn name_before(text: &Text, entities: &[Entity], end: usize, strict: bool) -> Option<String> {
    let mut start = end;
    while start > 0 && end - start < 4 {
        let t = &text.tokens[start - 1];
        let ok = !STOP.contains(&t.norm.as_str()) && !t.is_punct() && !entities.iter().any(|e| e.covers(start - 1));
        // An everyday word starts no name typed without capitals ("heading to halls creek", "how far
        // adelaide -> …"), unless it opens the message or follows "the" ("the gold coast to byron").
        let opens = start == 1 || matches!(text.norm(start.wrapping_sub(2)), "the" | "," | "." | "!" | "?" | ":");
        let kept = opens && start < end;
        let plain = !strict && !cased(text) && everyday(&t.norm) && !kept;
        if !ok || (strict && !t.capitalised) || NOT_PLACES.contains(&t.norm.as_str()) && !t.capitalised || plain {
            break;
        }
        start -= 1;
    }
    // Skip command words that open the sentence ("plan trip melbourne to adelaide").
    while start < end && NOT_PLACES.contains(&text.norm(start)) {
        start += 1;
    }
    (start < end).then(|| as_name(text, text.slice(start, end - 1)))
}

/// A single place named after "in", "at", "near", "for" (or, in a cased sentence, any run of
/// capitalised words that is not a shop or a chain): "at Dubbo", "in Margaret River".
pub fn place(text: &Text, entities: &[Entity]) -> Option<String> {
    let strict = cased(text);
    for k in 0..text.len() {
        if !matches!(text.norm(k), "in" | "at" | "near" | "around" | "for" | "of" | "to") {
            continue;
        }
        let start = if text.norm(k + 1) == "the" { k + 2 } else { k + 1 };
        if !text.tokens.get(start).is_some_and(|t| t.capitalised) {
            continue;
        }
        if let Some((name, _)) = name_at(text, entities, start, true)
            && !is_business(&name)
        {
            return Some(name);
        }
    }
    if !strict {
        return None;
    }
    // A trailing capitalised run after a comma: "forty-two dollars, fuel, Coober Pedy".
    for k in 1..text.len() {
        if text.tokens[k].capitalised
            && text.norm(k - 1) == ","
            && let Some((name, end)) = name_at(text, entities, k, true)
            && end == text.len()
            && !is_business(&name)
        {
            return Some(name);
        }
    }
    None
}

/// Any run of capitalised words that is not a day, a month, a shop or a command word: "chance of rain
/// Coffs Harbour Sunday" → "Coffs Harbour".
pub fn any_name(text: &Text, entities: &[Entity]) -> Option<String> {
    (1..text.len()).find_map(|k| {
        let t = &text.tokens[k];
        if !t.capitalised || entities.iter().any(|e| e.covers(k)) || text.tokens[k - 1].capitalised {
            return None;
        }
        name_at(text, entities, k, true).map(|(n, _)| n).filter(|n| !is_business(n))
    })
}

#[cfg(test)]
mod tests;
