//! Caches of per-user values (identities, profiles) kept in this process and dropped everywhere on
//! write. Reads never leave the process; a write invalidates the local entry and announces the key on
//! an [`Invalidations`] bus, so other instances drop theirs too (SPEC §7: cached, invalidated on write).

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

/// A bounded, expiring map from a user id to a cheap-to-clone value.
#[derive(Clone)]
pub struct Cache<V: Clone + Send + Sync + 'static> {
    name: &'static str,
    local: moka::sync::Cache<Uuid, V>,
    bus: Arc<dyn Invalidations>,
}

impl<V: Clone + Send + Sync + 'static> Cache<V> {
    /// A cache holding at most `capacity` entries, each trusted for `ttl` (the bound on staleness if an
    /// announcement is ever lost).
    pub fn new(name: &'static str, capacity: u64, ttl: Duration, bus: Arc<dyn Invalidations>) -> Cache<V> {
        let local = moka::sync::Cache::builder().max_capacity(capacity).time_to_live(ttl).build();
        let listening = local.clone();
        bus.listen(name, Box::new(move |key| listening.invalidate(&key)));
        let clearing = local.clone();
        bus.listen_for_gaps(name, Box::new(move || clearing.invalidate_all()));
        Cache { name, local, bus }
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

    pub fn insert(&self, key: Uuid, value: V) {
        // Kept only while invalidations arrive: an entry stored during an outage could not be dropped
        // by another instance's write.
        if self.bus.is_live() {
            self.local.insert(key, value);
        }
    }

    /// How many entries this instance holds now (for readiness and metrics).
    pub fn entry_count(&self) -> u64 {
        self.local.run_pending_tasks();
        self.local.entry_count()
    }

    /// Drops the entry here and on every other instance.
    pub fn invalidate(&self, key: &Uuid) {
        self.local.invalidate(key);
        self.bus.announce(self.name, *key);
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
        b.insert(key, 1);
        other.insert(key, 7);
        a.invalidate(&key);
        assert_eq!(b.get(&key), None, "the other instance's entry is gone");
        assert_eq!(other.get(&key), Some(7), "only the named cache is touched");
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
        cache.insert(key, 1);
        assert_eq!(cache.get(&key), None, "nothing kept that another instance could not drop");
    }

    #[test]
    fn entries_expire_after_their_time_to_live() {
        let cache: Cache<u32> =
            Cache::new("short", 10, Duration::from_millis(30), Arc::new(LocalInvalidations::default()));
        let key = Uuid::now_v7();
        cache.insert(key, 3);
        assert_eq!(cache.get(&key), Some(3));
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(cache.get(&key), None);
    }
}
