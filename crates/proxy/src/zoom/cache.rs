//! Time-limited caches of Zoom answers (`moka`): a repeated question within a minute
//! does not reach Zoom, and questions asked at the same time while no answer is kept
//! make one request, whose answer (or error) every one of them gets.

use std::time::Duration;

/// How long an answer is kept when not told otherwise.
pub const DEFAULT_TTL: Duration = Duration::from_secs(60);
/// Most answers kept when not told otherwise.
pub const DEFAULT_CAPACITY: u64 = 64;

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

/// Zoom answers kept a while, by what was asked.
pub type AnswerCache<K, V> = moka::future::Cache<K, V>;

/// A cache keeping each answer for `ttl`, at most `capacity` of them.
pub fn answer_cache<K, V>(ttl: Duration, capacity: u64) -> AnswerCache<K, V>
where
    K: std::hash::Hash + Eq + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    moka::future::Cache::builder()
        .max_capacity(capacity.max(1))
        .time_to_live(ttl)
        .build()
}
