//! The name indexes: every canonical key once, sorted (exact lookup and prefix ranges by binary
//! search), with the places carrying it best-ranked first; and a word index for suggestions.

use std::ops::Range;

/// Sorted unique keys in one string, each with the ids of its places (highest rank first).
pub(crate) struct NameIndex {
    text: String,
    /// Key `i` is `text[key_bounds[i]..key_bounds[i + 1]]`.
    key_bounds: Vec<u32>,
    /// Key `i`'s places are `ids[id_bounds[i]..id_bounds[i + 1]]`.
    id_bounds: Vec<u32>,
    ids: Vec<u32>,
}

impl NameIndex {
    /// `entries`: (key, rank, place id) for every place.
    pub(crate) fn build(mut entries: Vec<(String, u32, u32)>) -> NameIndex {
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        let mut index = NameIndex {
            text: String::with_capacity(entries.iter().map(|e| e.0.len()).sum::<usize>() / 2),
            key_bounds: vec![0],
            id_bounds: vec![0],
            ids: Vec::with_capacity(entries.len()),
        };
        let mut previous: Option<&str> = None;
        for (key, _, id) in &entries {
            if previous != Some(key.as_str()) {
                if previous.is_some() {
                    index.close_key();
                }
                index.text.push_str(key);
                previous = Some(key);
            }
            index.ids.push(*id);
        }
        if previous.is_some() {
            index.close_key();
        }
        index.text.shrink_to_fit();
        index
    }

    fn close_key(&mut self) {
        self.key_bounds.push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
        self.id_bounds.push(u32::try_from(self.ids.len()).unwrap_or(u32::MAX));
    }

    /// Number of distinct keys.
    pub(crate) fn len(&self) -> usize {
        self.key_bounds.len().saturating_sub(1)
    }

    pub(crate) fn key(&self, index: usize) -> &str {
        match (self.key_bounds.get(index), self.key_bounds.get(index + 1)) {
            (Some(&start), Some(&end)) => self.text.get(start as usize..end as usize).unwrap_or(""),
            _ => "",
        }
    }

    pub(crate) fn keys(&self) -> impl ExactSizeIterator<Item = &str> {
        (0..self.len()).map(|i| self.key(i))
    }

    /// Places carrying key `index`, best-ranked first.
    pub(crate) fn ids(&self, index: usize) -> &[u32] {
        match (self.id_bounds.get(index), self.id_bounds.get(index + 1)) {
            (Some(&start), Some(&end)) => self.ids.get(start as usize..end as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    pub(crate) fn find(&self, key: &str) -> Option<usize> {
        let at = self.lower_bound(key);
        (at < self.len() && self.key(at) == key).then_some(at)
    }

    /// Keys starting with `prefix`.
    pub(crate) fn prefix_range(&self, prefix: &str) -> Range<usize> {
        let start = self.lower_bound(prefix);
        let len = (start..self.len()).take_while(|&i| self.key(i).starts_with(prefix)).count();
        start..start + len
    }

    fn lower_bound(&self, key: &str) -> usize {
        let (mut low, mut high) = (0, self.len());
        while low < high {
            let mid = low + (high - low) / 2;
            if self.key(mid) < key {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        low
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.text.capacity() + (self.key_bounds.capacity() + self.id_bounds.capacity() + self.ids.capacity()) * 4
    }
}

/// Words too common to say anything about which place was meant.
const IGNORED_WORDS: &[&str] = &["the", "and", "of", "de", "la", "le", "el", "del", "da", "do", "di"];

/// A word shared by very many names ("springs", "lake") keeps only this many keys, the best-ranked:
/// plenty for five suggestions, and a bound on the work an unknown name can cause.
const KEYS_PER_WORD: usize = 64;

fn word_hash(word: &str) -> u32 {
    word.bytes().fold(0x811c_9dc5u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193))
}

fn indexed_words(key: &str) -> impl Iterator<Item = &str> {
    key.split(' ').filter(|w| w.len() >= 3 && !IGNORED_WORDS.contains(w))
}

/// Word → keys containing it, for suggestions ("Narnia Springs" → "Alice Springs", …).
pub(crate) struct WordIndex {
    /// Sorted `(word hash << 32) | key index`.
    entries: Vec<u64>,
}

impl WordIndex {
    /// `keys` with the rank of each key's best place.
    pub(crate) fn build<'a>(keys: impl Iterator<Item = (&'a str, u32)>) -> WordIndex {
        let mut postings: Vec<(u32, u32, u32)> = Vec::new();
        for (index, (key, rank)) in keys.enumerate() {
            let index = u32::try_from(index).unwrap_or(u32::MAX);
            postings.extend(indexed_words(key).map(|w| (word_hash(w), rank, index)));
        }
        postings.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let mut entries = Vec::with_capacity(postings.len());
        let mut kept_for_word = 0;
        let mut current = None;
        for (hash, _, index) in postings {
            if current != Some(hash) {
                current = Some(hash);
                kept_for_word = 0;
            }
            if kept_for_word < KEYS_PER_WORD {
                entries.push((u64::from(hash) << 32) | u64::from(index));
                kept_for_word += 1;
            }
        }
        entries.sort_unstable();
        entries.dedup();
        WordIndex { entries }
    }

    /// Keys sharing a word with `key` (a canonical query key), without repeats.
    pub(crate) fn keys_sharing_a_word(&self, key: &str, out: &mut Vec<u32>) {
        out.clear();
        for word in indexed_words(key) {
            let hash = u64::from(word_hash(word));
            let first = self.entries.partition_point(|e| (e >> 32) < hash);
            let same = self.entries.get(first..).unwrap_or_default().iter().take_while(|e| (*e >> 32) == hash);
            out.extend(same.map(|e| (e & 0xffff_ffff) as u32));
        }
        out.sort_unstable();
        out.dedup();
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.entries.capacity() * 8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> NameIndex {
        NameIndex::build(vec![
            ("perth".into(), 10, 0),
            ("perth".into(), 500, 1),
            ("perth amboy".into(), 50, 2),
            ("penrith".into(), 200, 3),
        ])
    }

    #[test]
    fn keys_are_unique_and_places_best_ranked_first() {
        let index = sample();
        assert_eq!(index.len(), 3);
        let perth = index.find("perth").unwrap();
        assert_eq!(index.ids(perth), &[1, 0]);
        assert_eq!(index.find("pert"), None);
        assert_eq!(index.find("zzz"), None);
    }

    #[test]
    fn prefix_range_covers_exactly_the_keys_that_start_so() {
        let index = sample();
        let keys: Vec<&str> = index.prefix_range("per").map(|i| index.key(i)).collect();
        assert_eq!(keys, ["perth", "perth amboy"]);
        assert!(index.prefix_range("q").is_empty());
    }

    #[test]
    fn word_index_finds_keys_by_a_shared_word() {
        let keys = [("alice springs", 30), ("palm springs", 40), ("perth", 100)];
        let words = WordIndex::build(keys.iter().copied());
        let mut out = Vec::new();
        words.keys_sharing_a_word("narnia springs", &mut out);
        assert_eq!(out, [0, 1]);
    }
}
