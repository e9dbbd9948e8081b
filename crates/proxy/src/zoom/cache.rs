//! A small time-limited cache for answers of Zoom's heavy endpoints (call
//! history), so a repeated question within a minute does not reach Zoom.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How long an answer is kept when not told otherwise.
pub const DEFAULT_TTL: Duration = Duration::from_secs(60);
/// Most answers kept when not told otherwise.
pub const DEFAULT_CAPACITY: usize = 64;

/// What a cached answer is found by: who asked (the auth subject), the path
/// and the query, in a fixed order.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CacheKey {
    /// `user:{id}` or `app`.
    pub subject: String,
    /// The REST path.
    pub path: String,
    /// The query pairs, in the order the request sends them.
    pub query: Vec<(String, String)>,
}

/// Answers kept for a while, at most a fixed number of them.
#[derive(Debug)]
pub struct TtlCache<K, V> {
    ttl: Duration,
    capacity: usize,
    entries: Mutex<HashMap<K, (Instant, V)>>,
}

impl<K: Eq + Hash + Clone, V: Clone> TtlCache<K, V> {
    /// A cache keeping each answer for `ttl`, at most `capacity` of them.
    pub fn new(ttl: Duration, capacity: usize) -> Self {
        Self {
            ttl,
            capacity: capacity.max(1),
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// The answer stored for `key`, if it is still fresh.
    pub fn get(&self, key: &K) -> Option<V> {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        match entries.get(key) {
            Some((stored, value)) if stored.elapsed() < self.ttl => Some(value.clone()),
            Some(_) => {
                entries.remove(key);
                None
            }
            None => None,
        }
    }

    /// Stores `value` for `key`; when full, stale answers go first, then the
    /// oldest one.
    pub fn put(&self, key: K, value: V) {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if entries.len() >= self.capacity && !entries.contains_key(&key) {
            entries.retain(|_, (stored, _)| stored.elapsed() < self.ttl);
            if entries.len() >= self.capacity {
                let oldest = entries
                    .iter()
                    .min_by_key(|(_, (stored, _))| *stored)
                    .map(|(key, _)| key.clone());
                if let Some(oldest) = oldest {
                    entries.remove(&oldest);
                }
            }
        }
        entries.insert(key, (Instant::now(), value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_expire() {
        let cache = TtlCache::new(Duration::from_millis(30), 4);
        cache.put("a", 1);
        assert_eq!(cache.get(&"a"), Some(1));
        assert_eq!(cache.get(&"b"), None);
        std::thread::sleep(Duration::from_millis(40));
        assert_eq!(cache.get(&"a"), None);
    }

    #[test]
    fn the_oldest_answer_goes_when_full() {
        let cache = TtlCache::new(Duration::from_secs(60), 2);
        cache.put("a", 1);
        std::thread::sleep(Duration::from_millis(2));
        cache.put("b", 2);
        cache.put("b", 3);
        cache.put("c", 4);
        assert_eq!(cache.get(&"a"), None);
        assert_eq!(cache.get(&"b"), Some(3));
        assert_eq!(cache.get(&"c"), Some(4));
    }
}
