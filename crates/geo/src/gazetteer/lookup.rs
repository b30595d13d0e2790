//! Forward lookup: the one best place for a name, autocomplete candidates, and the suggestions given
//! when nothing matches.

use std::cmp::Reverse;

use super::fuzzy::{allowed_distance, distance_within};
use super::normalize::{MAX_QUERY_CHARS, prefix_variants};
use super::query::{Interpretation, interpret};
use super::{Gazetteer, MatchQuality, NotFound, PlaceMatch};

/// Suggestions given with [`NotFound`].
const MAX_SUGGESTIONS: usize = 5;
/// Edits a suggestion may be off by; more and it is no longer "close".
const MAX_SUGGESTION_DISTANCE: usize = 4;
/// Largest `limit` [`Gazetteer::search`] honours.
pub const MAX_SEARCH_RESULTS: usize = 50;
/// Autocomplete starts at this many typed letters; one letter matches thousands of names.
const MIN_PREFIX_LEN: usize = 2;

/// A candidate answer, ordered by tier (exact before prefix before fuzzy), then edits, then rank.
#[derive(Clone, Copy)]
struct Candidate {
    tier: u8,
    distance: usize,
    rank: u32,
    id: u32,
    quality: MatchQuality,
}

impl Candidate {
    fn order(&self) -> (u8, usize, Reverse<u32>, u32) {
        (self.tier, self.distance, Reverse(self.rank), self.id)
    }
}

impl Gazetteer {
    /// The place a person most likely means by `query`.
    ///
    /// Understands "Perth", "perth wa", "Perth, Western Australia", "Perth Scotland", "Portland, Oregon",
    /// "Mt Gambier", "cafe" for "Café", a leading "the", and misspellings ("Tamwroth"). Among places with
    /// the same name the qualifier decides, else the biggest (Australian towns count four times their
    /// population). An exact spelling beats an abbreviation; both beat a longer name starting with the
    /// query's words ("Noosa" → Noosa Heads), and all of these beat a misspelling.
    pub fn lookup(&self, query: &str) -> Result<PlaceMatch, NotFound> {
        let readings = interpret(query, &self.tables.qualifiers);
        for reading in &readings {
            if let Some(found) = self.exact(reading) {
                return Ok(found);
            }
        }
        // "Noosa" is GeoNames' "Noosa Heads": a name that is the first words of a longer one beats a
        // misspelling of some other town ("Nohsa").
        for reading in &readings {
            if let Some(found) = self.first_words(reading) {
                return Ok(found);
            }
        }
        let mut keys = Vec::new();
        let best_fuzzy = readings
            .iter()
            .filter_map(|reading| self.fuzzy(reading, &mut keys).into_iter().min_by_key(Candidate::order))
            .min_by_key(Candidate::order);
        if let Some(found) = best_fuzzy.and_then(|c| self.answer(c)) {
            return Ok(found);
        }
        Err(NotFound { query: query.chars().take(MAX_QUERY_CHARS).collect(), suggestions: self.suggestions(&readings) })
    }

    /// Up to `limit` places for autocomplete or a "did you mean" list (at most [`MAX_SEARCH_RESULTS`]):
    /// exact and abbreviated names first, then names starting with the text, then misspellings, each
    /// group biggest first.
    pub fn search(&self, query: &str, limit: usize) -> Vec<PlaceMatch> {
        let limit = limit.min(MAX_SEARCH_RESULTS);
        if limit == 0 {
            return Vec::new();
        }
        let readings = interpret(query, &self.tables.qualifiers);
        let mut found: Vec<Candidate> = Vec::new();
        for reading in &readings {
            found.extend(self.all_exact(reading));
            if reading.folded.len() >= MIN_PREFIX_LEN {
                found.extend(self.prefixed(reading));
            }
        }
        let mut keys = Vec::new();
        if distinct_ids(&found) < limit {
            for reading in &readings {
                found.extend(self.fuzzy(reading, &mut keys));
            }
        }
        // Only the best few can be shown: keep a window (room for repeats of one place across
        // readings) instead of sorting thousands of two-letter prefix matches.
        let window = limit * 8;
        if found.len() > window {
            found.select_nth_unstable_by_key(window, Candidate::order);
            found.truncate(window);
        }
        found.sort_unstable_by_key(Candidate::order);
        let mut seen = Vec::with_capacity(limit);
        let mut results = Vec::with_capacity(limit);
        for candidate in found {
            if results.len() == limit {
                break;
            }
            if seen.contains(&candidate.id) {
                continue;
            }
            seen.push(candidate.id);
            results.extend(self.answer(candidate));
        }
        results
    }

    fn answer(&self, candidate: Candidate) -> Option<PlaceMatch> {
        Some(PlaceMatch { place: self.place(candidate.id)?, quality: candidate.quality })
    }

    /// The best place whose key is the reading's key: an exact spelling first, else an abbreviation.
    fn exact(&self, reading: &Interpretation) -> Option<PlaceMatch> {
        let key = self.names.find(&reading.key)?;
        let mut first_alias = None;
        // Ids are best-ranked first, so the first exact spelling is the answer.
        for &id in self.names.ids(key) {
            if !self.satisfies(id, &reading.qualifiers) {
                continue;
            }
            if self.spelled_as(id, &reading.folded) {
                return Some(PlaceMatch { place: self.place(id)?, quality: MatchQuality::Exact });
            }
            first_alias.get_or_insert(id);
        }
        Some(PlaceMatch { place: self.place(first_alias?)?, quality: MatchQuality::Alias })
    }

    /// The best place whose name starts with the reading's whole words.
    fn first_words(&self, reading: &Interpretation) -> Option<PlaceMatch> {
        let prefix = format!("{} ", reading.key);
        let best = self
            .names
            .prefix_range(&prefix)
            .flat_map(|key| self.names.ids(key).iter().find(|&&id| self.satisfies(id, &reading.qualifiers)))
            .max_by_key(|&&id| (self.rank(id), Reverse(id)))?;
        Some(PlaceMatch { place: self.place(*best)?, quality: MatchQuality::Prefix })
    }

    fn all_exact<'a>(&'a self, reading: &'a Interpretation) -> impl Iterator<Item = Candidate> + 'a {
        let ids = self.names.find(&reading.key).map(|k| self.names.ids(k)).unwrap_or_default();
        ids.iter().filter(|&&id| self.satisfies(id, &reading.qualifiers)).map(|&id| {
            let quality = if self.spelled_as(id, &reading.folded) { MatchQuality::Exact } else { MatchQuality::Alias };
            Candidate { tier: 0, distance: 0, rank: self.rank(id), id, quality }
        })
    }

    fn prefixed(&self, reading: &Interpretation) -> Vec<Candidate> {
        let mut found = Vec::new();
        for prefix in prefix_variants(&reading.folded) {
            for key in self.names.prefix_range(&prefix) {
                if self.names.key(key) == reading.key {
                    continue; // already an exact match
                }
                let ids = self.names.ids(key).iter().filter(|&&id| self.satisfies(id, &reading.qualifiers));
                found.extend(ids.map(|&id| Candidate {
                    tier: 1,
                    distance: 0,
                    rank: self.rank(id),
                    id,
                    quality: MatchQuality::Prefix,
                }));
            }
        }
        found
    }

    /// Best place of each key within the reading's allowed edits (see `fuzzy::allowed_distance`).
    fn fuzzy(&self, reading: &Interpretation, keys: &mut Vec<u32>) -> Vec<Candidate> {
        let max = allowed_distance(&reading.key);
        if max == 0 {
            return Vec::new();
        }
        self.deletes.candidates(&reading.key, max, keys);
        let mut found = Vec::new();
        for &key in keys.iter() {
            let key = key as usize;
            let Some(distance) = distance_within(reading.key.as_bytes(), self.names.key(key).as_bytes(), max) else {
                continue;
            };
            if distance == 0 {
                continue; // the exact pass already looked at this key
            }
            let best = self.names.ids(key).iter().find(|&&id| self.satisfies(id, &reading.qualifiers));
            found.extend(best.map(|&id| Candidate {
                tier: 2,
                distance,
                rank: self.rank(id),
                id,
                quality: MatchQuality::Fuzzy { distance: u8::try_from(distance).unwrap_or(u8::MAX) },
            }));
        }
        found
    }

    /// Display names of up to five places close to an unknown name: further misspellings and names
    /// sharing a word ("Narnia Springs" → "Alice Springs, Northern Territory, Australia"), closest first,
    /// those satisfying the qualifiers before those that do not.
    fn suggestions(&self, readings: &[Interpretation]) -> Vec<String> {
        let mut scored: Vec<(bool, usize, Reverse<u32>, u32)> = Vec::new();
        let (mut similar, mut sharing) = (Vec::new(), Vec::new());
        let mut seen_keys: Vec<&str> = Vec::new();
        for reading in readings {
            if seen_keys.contains(&reading.key.as_str()) {
                continue;
            }
            seen_keys.push(&reading.key);
            // Looser than a match (a third of the name, up to 4 edits): these are offered, not chosen.
            let max = (reading.key.len() / 3).clamp(2, MAX_SUGGESTION_DISTANCE);
            self.deletes.candidates(&reading.key, 2, &mut similar);
            self.words.keys_sharing_a_word(&reading.key, &mut sharing);
            for &key in similar.iter().chain(&sharing) {
                let key = key as usize;
                let name = self.names.key(key).as_bytes();
                let Some(distance) = distance_within(reading.key.as_bytes(), name, max) else {
                    continue;
                };
                let ids = self.names.ids(key);
                let qualified = ids.iter().find(|&&id| self.satisfies(id, &reading.qualifiers));
                if let Some(&id) = qualified.or(ids.first()) {
                    scored.push((qualified.is_none(), distance, Reverse(self.rank(id)), id));
                }
            }
        }
        scored.sort_unstable();
        let mut names: Vec<String> = Vec::with_capacity(MAX_SUGGESTIONS);
        for (_, _, _, id) in scored {
            if names.len() == MAX_SUGGESTIONS {
                break;
            }
            if let Some(place) = self.place(id) {
                let name = place.display_name();
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
        names
    }
}

fn distinct_ids(found: &[Candidate]) -> usize {
    let mut ids: Vec<u32> = found.iter().map(|c| c.id).collect();
    ids.sort_unstable();
    ids.dedup();
    ids.len()
}
