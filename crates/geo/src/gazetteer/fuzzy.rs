//! Tolerance for misspellings: an edit distance, and a symmetric-delete index (the idea behind
//! SymSpell) that finds the keys within two edits of a query without comparing it with all ~50,000
//! keys. Two strings within `d` edits share a string reachable from each by at most `d` deletions,
//! so the index stores every ≤2-deletion variant of each key and a query looks up its own variants.

/// Longest key (in bytes) the distance handles; the longest gazetteer name is 57 bytes.
pub(crate) const MAX_KEY_LEN: usize = 64;

/// Deletions are taken from the first bytes only (SymSpell's "prefix length"): a key then yields at
/// most 1 + 7 + 21 = 29 variants instead of ~55 for a whole ten-letter name, which halves the index.
/// Typos after the prefix still find the key (its prefix is unchanged) and are checked by distance.
const PREFIX_LEN: usize = 7;

/// Deletions stored per key. Queries may ask for fewer.
const INDEXED_DELETIONS: u32 = 2;

/// Edits a misspelt name may be off by: none for three letters or fewer (too many short names are one
/// edit apart), one up to seven letters, two from eight ("Tamwroth", "Kalgorlie").
pub(crate) fn allowed_distance(key: &str) -> usize {
    match key.bytes().filter(|b| *b != b' ').count() {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// Optimal-string-alignment distance (insert, delete, substitute, swap two neighbours: 1 each), or
/// `None` when it is above `max` or a string is longer than [`MAX_KEY_LEN`].
pub(crate) fn distance_within(a: &[u8], b: &[u8], max: usize) -> Option<usize> {
    if a.len() > MAX_KEY_LEN || b.len() > MAX_KEY_LEN || a.len().abs_diff(b.len()) > max {
        return None;
    }
    // Three rolling rows of the DP table (the swap rule looks two rows back), on the stack.
    let mut rows = [[0usize; MAX_KEY_LEN + 1]; 3];
    for (j, cell) in rows[0].iter_mut().enumerate().take(b.len() + 1) {
        *cell = j;
    }
    for (i, &a_byte) in a.iter().enumerate() {
        let row = i + 1;
        let (cur, prev, prev2) = (row % 3, (row + 2) % 3, (row + 1) % 3);
        rows[cur][0] = row;
        let mut row_min = row;
        for (j, &b_byte) in b.iter().enumerate() {
            let col = j + 1;
            let cost = usize::from(a_byte != b_byte);
            let mut best = (rows[prev][col] + 1).min(rows[cur][col - 1] + 1).min(rows[prev][col - 1] + cost);
            let swapped = i > 0 && j > 0 && a.get(i - 1) == Some(&b_byte) && b.get(j - 1) == Some(&a_byte);
            if swapped {
                best = best.min(rows[prev2][col - 2] + 1);
            }
            rows[cur][col] = best;
            row_min = row_min.min(best);
        }
        if row_min > max {
            return None;
        }
    }
    let result = rows[a.len() % 3][b.len()];
    (result <= max).then_some(result)
}

/// FNV-1a: tiny and good enough to spread short strings; a collision only costs one extra distance check.
fn hash(bytes: impl Iterator<Item = u8>) -> u32 {
    bytes.fold(0x811c_9dc5u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193))
}

/// Hashes of every variant of `key`'s prefix with at most `max_deletions` bytes removed.
fn deletion_hashes(key: &[u8], max_deletions: u32, out: &mut Vec<u32>) {
    out.clear();
    let prefix = key.get(..PREFIX_LEN).unwrap_or(key);
    // Each bit of `removed` drops one byte; the prefix is at most 7 bytes, so 128 masks at most.
    for removed in 0u32..(1 << prefix.len()) {
        if removed.count_ones() > max_deletions {
            continue;
        }
        let kept = prefix.iter().enumerate().filter(|(i, _)| removed & (1 << i) == 0).map(|(_, b)| *b);
        out.push(hash(kept));
    }
    out.sort_unstable();
    out.dedup();
}

/// Every key's deletion variants, as sorted `(hash << 32) | key index` words.
pub(crate) struct DeleteIndex {
    entries: Vec<u64>,
}

impl DeleteIndex {
    pub(crate) fn build<'a>(keys: impl ExactSizeIterator<Item = &'a str>) -> DeleteIndex {
        let mut entries = Vec::with_capacity(keys.len() * 24);
        let mut hashes = Vec::with_capacity(32);
        for (index, key) in keys.enumerate() {
            deletion_hashes(key.as_bytes(), INDEXED_DELETIONS, &mut hashes);
            entries.extend(hashes.iter().map(|h| (u64::from(*h) << 32) | index as u64));
        }
        entries.sort_unstable();
        entries.shrink_to_fit();
        DeleteIndex { entries }
    }

    /// Indices of keys that may be within `max_distance` edits of `query` (to be checked with
    /// [`distance_within`]), sorted and without repeats.
    pub(crate) fn candidates(&self, query: &str, max_distance: usize, out: &mut Vec<u32>) {
        out.clear();
        let mut hashes = Vec::with_capacity(32);
        let deletions = u32::try_from(max_distance).unwrap_or(INDEXED_DELETIONS).min(INDEXED_DELETIONS);
        deletion_hashes(query.as_bytes(), deletions, &mut hashes);
        for h in hashes {
            let first = self.entries.partition_point(|e| (e >> 32) < u64::from(h));
            let same_hash =
                self.entries.get(first..).unwrap_or_default().iter().take_while(|e| (*e >> 32) == u64::from(h));
            out.extend(same_hash.map(|e| (e & 0xffff_ffff) as u32));
        }
        out.sort_unstable();
        out.dedup();
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.entries.capacity() * std::mem::size_of::<u64>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_each_kind_of_edit_once() {
        let cases = [
            ("tamworth", "tamwroth", Some(1)), // neighbours swapped
            ("kalgoorlie", "kalgorlie", Some(1)),
            ("perth", "prth", Some(1)),
            ("perth", "perth", Some(0)),
            ("dubbo", "dubo", Some(1)),
            ("sydney", "sidnei", Some(2)),
            ("sydney", "melbourne", None),
            ("", "abc", None),
        ];
        for (a, b, expected) in cases {
            assert_eq!(distance_within(a.as_bytes(), b.as_bytes(), 2), expected, "{a} vs {b}");
        }
        assert_eq!(distance_within(b"narnia springs", b"alice springs", MAX_KEY_LEN), Some(5));
    }

    #[test]
    fn too_long_strings_are_not_compared() {
        let long = vec![b'a'; MAX_KEY_LEN + 1];
        assert_eq!(distance_within(&long, &long, 2), None);
    }

    #[test]
    fn the_index_finds_keys_within_two_edits_including_after_the_prefix() {
        let keys = ["tamworth", "kalgoorlie", "mt gambier", "perth", "alice springs"];
        let index = DeleteIndex::build(keys.iter().copied());
        let mut out = Vec::new();
        for (query, expected) in [("tamwroth", 0u32), ("kalgorlie", 1), ("mt gambeir", 2), ("alice sprnigs", 4)] {
            index.candidates(query, 2, &mut out);
            assert!(out.contains(&expected), "{query}: {out:?}");
        }
        index.candidates("zzzzzz", 2, &mut out);
        assert!(out.is_empty(), "{out:?}");
    }

    #[test]
    fn allowed_distance_grows_with_length() {
        assert_eq!(allowed_distance("ayr"), 0);
        assert_eq!(allowed_distance("prth"), 1);
        assert_eq!(allowed_distance("tamwroth"), 2);
    }
}
