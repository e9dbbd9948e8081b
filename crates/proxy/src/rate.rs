//! Rate limits (token buckets, `governor`). Starting a sign-in: each `GET
//! /auth/login` writes a pending sign-in, so a client address may start at most
//! `[limits] sign_ins_per_minute` of them. The address is the connection's peer, or,
//! when the peer is one of `[limits] trusted_proxies`, the nearest address in
//! `X-Forwarded-For` that is not a trusted proxy. `/api` requests: a signed-in
//! session may make at most `[limits] api_requests_per_minute` of them.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use axum::http::HeaderMap;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// The sign-in limiter; cheap to clone.
#[derive(Clone)]
pub struct SignInLimiter {
    limiter: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    trusted: Arc<[IpAddr]>,
}

impl SignInLimiter {
    /// At most `per_minute` sign-ins started per client address (as a burst, refilled
    /// evenly over the minute), believing `X-Forwarded-For` from `trusted` peers only.
    pub fn new(per_minute: NonZeroU32, trusted: &[IpAddr]) -> Self {
        Self {
            limiter: Arc::new(RateLimiter::keyed(Quota::per_minute(per_minute))),
            trusted: trusted.into(),
        }
    }

    /// Takes one sign-in for the client behind `peer` (`None`: no socket address, as
    /// in tests without one); `Err` with how long to wait when its budget is spent.
    pub fn check(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> Result<(), Duration> {
        let Some(client) = client_address(peer, headers, &self.trusted) else {
            return Ok(());
        };
        self.limiter
            .check_key(&client)
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }

    /// Forgets addresses whose budget is full again, so the table stays small.
    pub fn forget_idle(&self) {
        self.limiter.retain_recent();
    }
}

/// The `/api` limiter, one budget per session; cheap to clone.
#[derive(Clone)]
pub struct SessionLimiter {
    limiter: Arc<DefaultKeyedRateLimiter<String>>,
}

impl SessionLimiter {
    /// At most `per_minute` requests per session (as a burst, refilled evenly over
    /// the minute).
    pub fn new(per_minute: NonZeroU32) -> Self {
        Self {
            limiter: Arc::new(RateLimiter::keyed(Quota::per_minute(per_minute))),
        }
    }

    /// Takes one request of session `id`; `Err` with how long to wait when its
    /// budget is spent.
    pub fn check(&self, id: &str) -> Result<(), Duration> {
        self.limiter
            .check_key(&id.to_owned())
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }

    /// Forgets sessions whose budget is full again, so the table stays small.
    pub fn forget_idle(&self) {
        self.limiter.retain_recent();
    }
}

/// The client's address: `peer`, or, when `peer` is a trusted proxy, the nearest
/// address of `X-Forwarded-For` (read from the right) that is not one.
pub fn client_address(
    peer: Option<IpAddr>,
    headers: &HeaderMap,
    trusted: &[IpAddr],
) -> Option<IpAddr> {
    let peer = peer?;
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|part| part.trim().parse().ok())
        .collect();
    Some(
        forwarded
            .iter()
            .rev()
            .find(|address| !trusted.contains(address))
            .copied()
            .unwrap_or(peer),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn forwarded_for_is_believed_from_trusted_proxies_only() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            HeaderValue::from_static("203.0.113.9, 198.51.100.7, 10.0.0.2"),
        );
        let trusted = [ip("10.0.0.1"), ip("10.0.0.2")];
        // Not a trusted peer: its own address, whatever it claims.
        assert_eq!(
            client_address(Some(ip("192.0.2.1")), &headers, &trusted),
            Some(ip("192.0.2.1"))
        );
        // Through the proxies: the nearest untrusted hop, not the leftmost (forgeable) one.
        assert_eq!(
            client_address(Some(ip("10.0.0.1")), &headers, &trusted),
            Some(ip("198.51.100.7"))
        );
        assert_eq!(
            client_address(Some(ip("10.0.0.1")), &HeaderMap::new(), &trusted),
            Some(ip("10.0.0.1"))
        );
        assert_eq!(client_address(None, &headers, &trusted), None);
    }

    #[test]
    fn each_address_has_its_own_budget() {
        let limiter = SignInLimiter::new(NonZeroU32::new(2).unwrap(), &[]);
        let none = HeaderMap::new();
        let (a, b) = (Some(ip("192.0.2.1")), Some(ip("192.0.2.2")));
        assert!(limiter.check(a, &none).is_ok());
        assert!(limiter.check(a, &none).is_ok());
        let wait = limiter.check(a, &none).unwrap_err();
        assert!(
            wait > Duration::ZERO && wait <= Duration::from_secs(30),
            "{wait:?}"
        );
        assert!(limiter.check(b, &none).is_ok());
        limiter.forget_idle();
    }

    #[test]
    fn each_session_has_its_own_budget() {
        let limiter = SessionLimiter::new(NonZeroU32::new(3).unwrap());
        for _ in 0..3 {
            assert!(limiter.check("a").is_ok());
        }
        let wait = limiter.check("a").unwrap_err();
        assert!(
            wait > Duration::ZERO && wait <= Duration::from_secs(20),
            "{wait:?}"
        );
        assert!(limiter.check("b").is_ok());
        limiter.forget_idle();
    }
}
