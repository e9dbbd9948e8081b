//! What every emulator handler shares: the configuration, the clock, the data, and the mutable
//! token, page-token, fault and counter state (each behind its own short-held lock).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use axum::body::Bytes;
use serde::Serialize;

use super::calls::CallBook;
use super::directory::external_contacts;
use super::faults::Faults;
use super::files::tone_wav;
use super::gate::Category;
use super::paging::PageTokens;
use super::tokens::Registry;
use super::{Credentials, PublicUrls};
use crate::clock;

/// The emulator's clock: wall-clock time, which tests can move forward.
#[derive(Default)]
pub struct Clock {
    offset_ms: AtomicU64,
}

impl Clock {
    /// Now, in milliseconds since the Unix epoch.
    pub fn now_ms(&self) -> u64 {
        clock::now_ms().saturating_add(self.offset_ms.load(Ordering::Relaxed))
    }

    /// Moves the clock forward.
    #[cfg(test)]
    pub fn advance(&self, ms: u64) {
        self.offset_ms.fetch_add(ms, Ordering::Relaxed);
    }
}

/// Successful token grants by type.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Grants {
    /// Codes exchanged.
    pub authorization_code: u64,
    /// Refresh tokens rotated.
    pub refresh_token: u64,
    /// Server-to-Server tokens issued.
    pub account_credentials: u64,
}

/// What `GET /__emu/requests` reports.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Counters {
    /// OAuth and API requests.
    pub total: u64,
    /// The same by `METHOD /route/pattern`.
    pub by_route: BTreeMap<String, u64>,
    /// Successful grants.
    pub grants: Grants,
    /// Requests to the file host.
    pub file_requests: u64,
    /// Of those, how many carried an `Authorization` header (a leaked Bearer token).
    pub file_requests_with_authorization: u64,
    /// Requests per rate-limit category in the current second, for `X-RateLimit-Remaining`.
    #[serde(skip)]
    this_second: (u64, BTreeMap<&'static str, u32>),
}

impl Counters {
    /// Counts one OAuth or API request under `METHOD /route`.
    pub fn count(&mut self, route: &str) {
        self.total += 1;
        *self.by_route.entry(route.to_owned()).or_default() += 1;
    }

    /// Counts one request against its category's per-second allowance in second `second`,
    /// and returns what is left of it.
    pub fn spend(&mut self, category: Category, second: u64) -> u32 {
        if self.this_second.0 != second {
            self.this_second = (second, BTreeMap::new());
        }
        let used = self.this_second.1.entry(category.label()).or_default();
        *used = used.saturating_add(1);
        category.per_second().saturating_sub(*used)
    }
}

/// The state shared by the emulator's handlers.
pub struct Shared {
    /// The accepted apps and account.
    pub credentials: Credentials,
    /// Where the emulator is reachable.
    pub urls: PublicUrls,
    /// The emulator's clock.
    pub clock: Clock,
    /// Contacts and call history.
    pub book: CallBook,
    /// Key that signs file-host links.
    pub file_key: [u8; 32],
    /// The audio every recording plays.
    pub wav: Bytes,
    tokens: Mutex<Registry>,
    pages: Mutex<PageTokens>,
    faults: Mutex<Faults>,
    counters: Mutex<Counters>,
}

impl Shared {
    /// Fresh state: no tokens, no faults, zero counters.
    pub fn new(credentials: Credentials, urls: PublicUrls) -> Self {
        let clock = Clock::default();
        let book = CallBook::new(external_contacts(), clock.now_ms());
        Self {
            credentials,
            urls,
            clock,
            book,
            file_key: rand::random(),
            wav: tone_wav(),
            tokens: Mutex::default(),
            pages: Mutex::default(),
            faults: Mutex::default(),
            counters: Mutex::default(),
        }
    }

    /// The token registry.
    pub fn tokens(&self) -> MutexGuard<'_, Registry> {
        lock(&self.tokens)
    }

    /// The live page tokens.
    pub fn pages(&self) -> MutexGuard<'_, PageTokens> {
        lock(&self.pages)
    }

    /// The fault switches.
    pub fn faults(&self) -> MutexGuard<'_, Faults> {
        lock(&self.faults)
    }

    /// The request counters.
    pub fn counters(&self) -> MutexGuard<'_, Counters> {
        lock(&self.counters)
    }
}

/// A lock that outlives a panicked holder: every update here leaves the data consistent.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
