//! Caches of per-user values (identities, profiles) kept in this process and dropped everywhere on
//! write. Reads never leave the process; a write invalidates the local entry and announces the key on
//! an [`Invalidations`] bus, so other instances drop theirs too (SPEC §7: cached, invalidated on write).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use uuid::Uuid;

/// Carries "this key changed" between instances. Alone, nothing needs carrying.
pub trait Invalidations: Send + Sync {
    /// Tells the other instances that `key` of the cache called `cache` changed.
    fn announce(&self, cache: &'static str, key: Uuid);
    /// Calls `drop_key` whenever an instance announces a change to `cache` (a shared bus may call it
    /// for this instance's own announcements too).
    fn listen(&self, cache: &'static str, drop_key: Box<dyn Fn(Uuid) + Send + Sync>);
    /// Calls `drop_all` when announcements may have been missed (a shared bus that lost its connection
    /// or could not publish), so the cache starts afresh instead of trusting entries that may have
    /// changed meanwhile. Alone, nothing is ever missed.
    fn listen_for_gaps(&self, cache: &'static str, drop_all: Box<dyn Fn() + Send + Sync>) {
        let _ = (cache, drop_all);
    }
    /// Whether the other instances' announcements reach this one now. While they do not (a shared bus
    /// whose connection is down), an entry here could be stale without anyone saying so, so the caches
    /// are bypassed: an outage degrades to no cache, never to stale reads (SPEC §7). Alone, always.
    fn is_live(&self) -> bool {
        true
    }
}

/// Drops one key from one named cache.
type Listener = (&'static str, Box<dyn Fn(Uuid) + Send + Sync>);

/// One instance: a local invalidation is the whole story.
#[derive(Default)]
pub struct LocalInvalidations {
    listeners: Mutex<Vec<Listener>>,
}

impl Invalidations for LocalInvalidations {
    fn announce(&self, _cache: &'static str, _key: Uuid) {}

    fn listen(&self, cache: &'static str, drop_key: Box<dyn Fn(Uuid) + Send + Sync>) {
        self.listeners.lock().unwrap_or_else(|p| p.into_inner()).push((cache, drop_key));
    }
}

/// Announced in place of a key when a change may have touched any number of entries
/// ([`Cache::invalidate_all`]); no entry is ever stored under it.
const EVERY_KEY: Uuid = Uuid::max();

/// A bounded, expiring map from a user id to a cheap-to-clone value.
#[derive(Clone)]
pub struct Cache<V: Clone + Send + Sync + 'static> {
    name: &'static str,
    local: moka::sync::Cache<Uuid, V>,
    bus: Arc<dyn Invalidations>,
    /// Counts the entries dropped (here or by an announcement): see [`Mark`].
    drops: Arc<AtomicU64>,
}

/// Taken before reading the value to cache. A value read from the database while another instance's
/// write was being announced could be older than that write; storing it after the announcement dropped
/// the key would keep it for the entry's lifetime. [`Cache::insert`] stores only if nothing was dropped
/// since the mark.
#[derive(Clone, Copy, Debug)]
pub struct Mark(u64);

impl<V: Clone + Send + Sync + 'static> Cache<V> {
    /// A cache holding at most `capacity` entries, each trusted for `ttl` (the bound on staleness if an
    /// announcement is ever lost).
    pub fn new(name: &'static str, capacity: u64, ttl: Duration, bus: Arc<dyn Invalidations>) -> Cache<V> {
        Cache::around(name, moka::sync::Cache::builder().max_capacity(capacity).time_to_live(ttl).build(), bus)
    }

    /// A cache bounded by the sum of its entries' weights (`weigh`, in bytes say) rather than their
    /// number: for values whose sizes differ by orders of magnitude.
    pub fn weighed(
        name: &'static str,
        max_weight: u64,
        weigh: fn(&V) -> u32,
        ttl: Duration,
        bus: Arc<dyn Invalidations>,
    ) -> Cache<V> {
        let local = moka::sync::Cache::builder()
            .max_capacity(max_weight)
            .weigher(move |_: &Uuid, v: &V| weigh(v))
            .time_to_live(ttl)
            .build();
        Cache::around(name, local, bus)
    }

    fn around(name: &'static str, local: moka::sync::Cache<Uuid, V>, bus: Arc<dyn Invalidations>) -> Cache<V> {
        let drops = Arc::new(AtomicU64::new(0));
        let (listening, dropped) = (local.clone(), drops.clone());
        bus.listen(
            name,
            Box::new(move |key| {
                dropped.fetch_add(1, Ordering::AcqRel);
                if key == EVERY_KEY { listening.invalidate_all() } else { listening.invalidate(&key) }
            }),
        );
        let (clearing, dropped) = (local.clone(), drops.clone());
        bus.listen_for_gaps(
            name,
            Box::new(move || {
                dropped.fetch_add(1, Ordering::AcqRel);
                clearing.invalidate_all()
            }),
        );
        Cache { name, local, bus, drops }
    }

    /// To take before reading the value that [`Cache::insert`] will store.
    pub fn mark(&self) -> Mark {
        Mark(self.drops.load(Ordering::Acquire))
    }

    pub fn get(&self, key: &Uuid) -> Option<V> {
        let found = if self.bus.is_live() { self.local.get(key) } else { None };
        let result = match &found {
            Some(_) => "hit",
            None if self.bus.is_live() => "miss",
            None => "bypassed",
        };
        metrics::counter!("pam_cache_requests_total", "cache" => self.name, "result" => result).increment(1);
        found
    }

    /// Stores a value read after `since` was taken, unless an entry was dropped meanwhile (it may be
    /// older than that write; the next read loads it again).
    pub fn insert(&self, key: Uuid, value: V, since: Mark) {
        // Kept only while invalidations arrive: an entry stored during an outage could not be dropped
        // by another instance's write.
        if self.bus.is_live() && self.drops.load(Ordering::Acquire) == since.0 {
            self.local.insert(key, value);
            // A drop that raced with this insert: drop again, so the older value does not stay.
            if self.drops.load(Ordering::Acquire) != since.0 {
                self.local.invalidate(&key);
            }
        }
    }

    /// How many entries this instance holds now (for readiness and metrics).
    pub fn entry_count(&self) -> u64 {
        self.local.run_pending_tasks();
        self.local.entry_count()
    }

    /// Drops the entry here and on every other instance.
    pub fn invalidate(&self, key: &Uuid) {
        self.drops.fetch_add(1, Ordering::AcqRel);
        self.local.invalidate(key);
        self.bus.announce(self.name, *key);
    }

    /// Drops every entry here and on every other instance: for a change whose keys are not known when
    /// it is made (a deleted account's likes and comments leave other people's posts by cascade).
    pub fn invalidate_all(&self) {
        self.drops.fetch_add(1, Ordering::AcqRel);
        self.local.invalidate_all();
        self.bus.announce(self.name, EVERY_KEY);
    }

    /// Drops `key` here and everywhere when the returned guard goes. Made before a write, it runs on
    /// every way the write can end: done, failed, or abandoned halfway because the request was
    /// cancelled (dropping only after a write returned would keep the old value for the entry's whole
    /// lifetime when the request is cancelled after the database committed). A cancelled write's
    /// statement may still be running in the database when the guard goes, so the key is dropped once
    /// more [`LATE_DROP`] later: a value read in between is not kept past that.
    pub fn invalidate_when_done(&self, key: Uuid) -> InvalidateOnDrop<V> {
        InvalidateOnDrop { cache: self.clone(), key }
    }

    /// [`Cache::invalidate_when_done`] for every entry.
    pub fn invalidate_all_when_done(&self) -> InvalidateOnDrop<V> {
        InvalidateOnDrop { cache: self.clone(), key: EVERY_KEY }
    }

    fn drop_key(&self, key: Uuid) {
        if key == EVERY_KEY { self.invalidate_all() } else { self.invalidate(&key) }
    }
}

/// How long after a guard goes its key is dropped again (see [`Cache::invalidate_when_done`]): longer
/// than a statement already sent takes to finish.
pub const LATE_DROP: Duration = Duration::from_secs(2);

/// See [`Cache::invalidate_when_done`].
#[must_use = "the entry is dropped when this guard goes"]
pub struct InvalidateOnDrop<V: Clone + Send + Sync + 'static> {
    cache: Cache<V>,
    key: Uuid,
}

impl<V: Clone + Send + Sync + 'static> Drop for InvalidateOnDrop<V> {
    fn drop(&mut self) {
        self.cache.drop_key(self.key);
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let (cache, key) = (self.cache.clone(), self.key);
            runtime.spawn(async move {
                tokio::time::sleep(LATE_DROP).await;
                cache.drop_key(key);
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A bus that relays announcements to listeners, as a shared one would between instances.
    #[derive(Default)]
    struct Relay {
        inner: LocalInvalidations,
    }

    impl Invalidations for Relay {
        fn announce(&self, cache: &'static str, key: Uuid) {
            for (name, f) in self.inner.listeners.lock().unwrap().iter() {
                if *name == cache {
                    f(key)
                }
            }
        }
        fn listen(&self, cache: &'static str, drop_key: Box<dyn Fn(Uuid) + Send + Sync>) {
            self.inner.listen(cache, drop_key)
        }
    }

    #[test]
    fn a_write_on_one_instance_drops_the_entry_on_the_other() {
        let bus: Arc<dyn Invalidations> = Arc::new(Relay::default());
        let a: Cache<u32> = Cache::new("profile", 10, Duration::from_secs(60), bus.clone());
        let b: Cache<u32> = Cache::new("profile", 10, Duration::from_secs(60), bus.clone());
        let other: Cache<u32> = Cache::new("identity", 10, Duration::from_secs(60), bus);
        let key = Uuid::now_v7();
        b.insert(key, 1, b.mark());
        other.insert(key, 7, other.mark());
        a.invalidate(&key);
        assert_eq!(b.get(&key), None, "the other instance's entry is gone");
        assert_eq!(other.get(&key), Some(7), "only the named cache is touched");
    }

    #[test]
    fn a_value_read_before_another_instances_write_is_not_kept() {
        let bus: Arc<dyn Invalidations> = Arc::new(Relay::default());
        let reader: Cache<u32> = Cache::new("identity", 10, Duration::from_secs(60), bus.clone());
        let writer: Cache<u32> = Cache::new("identity", 10, Duration::from_secs(60), bus);
        let key = Uuid::now_v7();
        // The reader starts loading (the admin role, say), the writer revokes it and announces, then
        // the reader's older value arrives.
        let mark = reader.mark();
        writer.invalidate(&key);
        reader.insert(key, 1, mark);
        assert_eq!(reader.get(&key), None, "the older value is not cached over the write");
        reader.insert(key, 2, reader.mark());
        assert_eq!(reader.get(&key), Some(2), "a value read after the write is");
    }

    /// A bus whose connection to the other instances is down.
    struct Cut;

    impl Invalidations for Cut {
        fn announce(&self, _cache: &'static str, _key: Uuid) {}
        fn listen(&self, _cache: &'static str, _drop_key: Box<dyn Fn(Uuid) + Send + Sync>) {}
        fn is_live(&self) -> bool {
            false
        }
    }

    #[test]
    fn without_announcements_the_cache_is_bypassed() {
        let cache: Cache<u32> = Cache::new("profile", 10, Duration::from_secs(60), Arc::new(Cut));
        let key = Uuid::now_v7();
        cache.insert(key, 1, cache.mark());
        assert_eq!(cache.get(&key), None, "nothing kept that another instance could not drop");
    }

    #[test]
    fn dropping_every_entry_reaches_the_other_instance_and_refuses_older_values() {
        let bus: Arc<dyn Invalidations> = Arc::new(Relay::default());
        let a: Cache<u32> = Cache::new("post", 10, Duration::from_secs(60), bus.clone());
        let b: Cache<u32> = Cache::new("post", 10, Duration::from_secs(60), bus);
        let (k1, k2) = (Uuid::now_v7(), Uuid::now_v7());
        b.insert(k1, 1, b.mark());
        b.insert(k2, 2, b.mark());
        let mark = b.mark();
        a.invalidate_all();
        assert_eq!((b.get(&k1), b.get(&k2)), (None, None), "every entry of the other instance is gone");
        b.insert(k1, 1, mark);
        assert_eq!(b.get(&k1), None, "a value read before the drop is not kept");
    }

    #[test]
    fn the_guard_drops_its_key_on_every_exit() {
        let cache: Cache<u32> =
            Cache::new("post", 10, Duration::from_secs(60), Arc::new(LocalInvalidations::default()));
        let key = Uuid::now_v7();
        cache.insert(key, 1, cache.mark());
        let write = || -> Result<(), &str> {
            let _guard = cache.invalidate_when_done(key);
            assert_eq!(cache.get(&key), Some(1), "kept while the write runs");
            Err("the write failed")
        };
        assert!(write().is_err());
        assert_eq!(cache.get(&key), None, "dropped though the write failed");
        cache.insert(key, 2, cache.mark());
        // A request cancelled halfway: its future, holding the guard, is dropped unfinished.
        let pending = async {
            let _guard = cache.invalidate_when_done(key);
            std::future::pending::<()>().await
        };
        drop(pending);
        assert_eq!(cache.get(&key), Some(2), "a future never polled holds no guard yet");
        let mut pending = Box::pin(async {
            let _guard = cache.invalidate_when_done(key);
            std::future::pending::<()>().await
        });
        let waker = std::task::Waker::noop();
        assert!(pending.as_mut().poll(&mut std::task::Context::from_waker(waker)).is_pending());
        drop(pending);
        assert_eq!(cache.get(&key), None, "dropped when the cancelled write's future goes");
    }

    #[tokio::test(start_paused = true)]
    async fn a_guard_drops_its_key_again_after_a_cancelled_write_could_have_committed() {
        let cache: Cache<u32> =
            Cache::new("post", 10, Duration::from_secs(60), Arc::new(LocalInvalidations::default()));
        let key = Uuid::now_v7();
        drop(cache.invalidate_when_done(key));
        // The statement the cancelled write had sent commits now, and a reader stores what it read
        // just before.
        cache.insert(key, 1, cache.mark());
        assert_eq!(cache.get(&key), Some(1));
        tokio::time::sleep(LATE_DROP + Duration::from_millis(10)).await;
        assert_eq!(cache.get(&key), None, "dropped again once the write must have finished");
        drop(cache.invalidate_all_when_done());
        cache.insert(key, 2, cache.mark());
        tokio::time::sleep(LATE_DROP + Duration::from_millis(10)).await;
        assert_eq!(cache.get(&key), None, "every entry, for a change of unknown keys");
    }

    #[test]
    fn entries_expire_after_their_time_to_live() {
        let cache: Cache<u32> =
            Cache::new("short", 10, Duration::from_millis(30), Arc::new(LocalInvalidations::default()));
        let key = Uuid::now_v7();
        cache.insert(key, 3, cache.mark());
        assert_eq!(cache.get(&key), Some(3));
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(cache.get(&key), None);
    }
}
