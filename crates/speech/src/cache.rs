//! Spoken audio kept for reuse: PAM says the same things often ("OK, I won't do that.", a greeting), and
//! a repeat costs nothing and answers at once. Keyed by everything that changes the sound — engine,
//! voice, format, speed and the exact text — and bounded by bytes (moka's weigher), not entries, since
//! one entry may be a few KB or a few MB.

use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use moka::sync::Cache;

use crate::format::AudioFormat;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    pub engine: &'static str,
    pub voice: String,
    pub format: AudioFormat,
    /// Speed × 1000, so the key can be hashed.
    pub speed_milli: u32,
    pub text: String,
}

impl Key {
    pub fn new(engine: &'static str, voice: &str, format: AudioFormat, speed: f32, text: &str) -> Key {
        Key {
            engine,
            voice: voice.to_string(),
            format,
            speed_milli: (speed * 1000.0).round() as u32,
            text: text.to_string(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Entry {
    pub audio: Bytes,
    pub duration: Option<f64>,
}

pub struct AudioCache {
    entries: Cache<Key, Entry>,
    capacity: u64,
    hits: AtomicU64,
    misses: AtomicU64,
}

/// How full the cache is, for `/tts/status`.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct CacheStats {
    pub entries: u64,
    pub bytes: u64,
    pub capacity_bytes: u64,
    pub hits: u64,
    pub misses: u64,
}

impl AudioCache {
    pub fn new(capacity_bytes: u64) -> AudioCache {
        let entries = Cache::builder()
            .max_capacity(capacity_bytes)
            .weigher(|k: &Key, v: &Entry| {
                // Key and bookkeeping count too, so a flood of tiny clips cannot outgrow the bound.
                let weight = v.audio.len() + k.text.len() + k.voice.len() + 128;
                u32::try_from(weight).unwrap_or(u32::MAX)
            })
            .build();
        AudioCache { entries, capacity: capacity_bytes, hits: AtomicU64::new(0), misses: AtomicU64::new(0) }
    }

    pub fn get(&self, key: &Key) -> Option<Entry> {
        let found = self.entries.get(key);
        let counter = if found.is_some() { &self.hits } else { &self.misses };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    pub fn insert(&self, key: Key, entry: Entry) {
        if self.capacity > 0 {
            self.entries.insert(key, entry);
        }
    }

    pub fn stats(&self) -> CacheStats {
        self.entries.run_pending_tasks();
        CacheStats {
            entries: self.entries.entry_count(),
            bytes: self.entries.weighted_size(),
            capacity_bytes: self.capacity,
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> Key {
        Key::new("espeak-ng", "en-gb", AudioFormat::Wav, 1.0, text)
    }

    #[test]
    fn every_part_of_the_key_matters() {
        let cache = AudioCache::new(1 << 20);
        cache.insert(key("hello"), Entry { audio: Bytes::from_static(b"RIFF"), duration: Some(0.5) });
        assert!(cache.get(&key("hello")).is_some());
        for other in [
            Key::new("openai", "en-gb", AudioFormat::Wav, 1.0, "hello"),
            Key::new("espeak-ng", "en-us", AudioFormat::Wav, 1.0, "hello"),
            Key::new("espeak-ng", "en-gb", AudioFormat::Mp3, 1.0, "hello"),
            Key::new("espeak-ng", "en-gb", AudioFormat::Wav, 1.25, "hello"),
            key("Hello"),
        ] {
            assert!(cache.get(&other).is_none(), "{other:?}");
        }
        let stats = cache.stats();
        assert_eq!((stats.hits, stats.misses, stats.entries), (1, 5, 1));
    }

    #[test]
    fn the_bound_is_in_bytes() {
        let cache = AudioCache::new(100_000);
        for i in 0..50 {
            cache.insert(key(&format!("clip {i}")), Entry { audio: Bytes::from(vec![0u8; 10_000]), duration: None });
        }
        let stats = cache.stats();
        assert!(stats.bytes <= 100_000, "{stats:?}");
        assert!(stats.entries <= 10, "{stats:?}");
        let off = AudioCache::new(0);
        off.insert(key("x"), Entry { audio: Bytes::new(), duration: None });
        assert!(off.get(&key("x")).is_none(), "a zero-byte cache keeps nothing");
    }
}
