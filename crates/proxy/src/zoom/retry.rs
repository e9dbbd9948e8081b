//! When to try a Zoom request again: the wait a 429 asks for (from
//! `Retry-After` or `X-RateLimit-Reset`, contract §5.4) and exponential
//! back-off with jitter otherwise. Pure, so every header value can be tested.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Longest wait taken from a header; anything later counts as this far away.
const MAX_HEADER_WAIT: Duration = Duration::from_secs(366 * 24 * 3600);
/// `X-RateLimit-Reset` values at least this large are Unix seconds, not a wait.
const UNIX_SECONDS_FROM: f64 = 1_000_000_000.0;
/// `X-RateLimit-Reset` values at least this large are Unix milliseconds.
const UNIX_MILLIS_FROM: f64 = 1_000_000_000_000.0;

/// How hard the client tries before giving up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Most attempts of one request (the first included).
    pub max_attempts: u32,
    /// Longest wait slept before a retry; a 429 asking for more is answered
    /// at once with [`crate::zoom::ZoomError::RateLimited`].
    pub max_wait: Duration,
    /// Back-off before the first retry when Zoom does not say how long.
    pub base_backoff: Duration,
    /// Longest back-off.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            max_wait: Duration::from_secs(10),
            base_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(4),
        }
    }
}

impl RetryPolicy {
    /// The back-off before retry number `attempt` (0 for the first retry):
    /// `base · 2^attempt`, capped, plus up to half of it again as jitter
    /// (`jitter` in `[0, 1]`, out-of-range values clamped).
    pub fn backoff(&self, attempt: u32, jitter: f64) -> Duration {
        let factor = 2u32.saturating_pow(attempt.min(16));
        let plain = self
            .base_backoff
            .saturating_mul(factor)
            .min(self.max_backoff);
        let jitter = if jitter.is_finite() {
            jitter.clamp(0.0, 1.0)
        } else {
            0.0
        };
        plain.saturating_add(plain.mul_f64(jitter / 2.0))
    }
}

/// A random jitter in `[0, 1)` for [`RetryPolicy::backoff`].
pub fn jitter() -> f64 {
    let mut bytes = [0u8; 4];
    rand::fill(&mut bytes[..]);
    f64::from(u32::from_le_bytes(bytes)) / (f64::from(u32::MAX) + 1.0)
}

/// How long a 429 asks to wait, from its `Retry-After` (seconds, an HTTP date
/// or an ISO-8601 date) or else its `X-RateLimit-Reset` (seconds to wait,
/// Unix seconds or Unix milliseconds, or a date). `None` when neither says;
/// a time already past is a wait of zero.
pub fn rate_limit_wait(
    retry_after: Option<&str>,
    reset: Option<&str>,
    now: SystemTime,
) -> Option<Duration> {
    let from_retry_after = retry_after.and_then(|text| {
        let text = text.trim();
        match seconds(text) {
            Some(secs) => Some(duration_from_secs(secs)),
            None => date(text).map(|at| until(at, now)),
        }
    });
    from_retry_after.or_else(|| {
        let text = reset?.trim();
        match seconds(text) {
            Some(value) if value >= UNIX_MILLIS_FROM => Some(until(unix(value / 1000.0)?, now)),
            Some(value) if value >= UNIX_SECONDS_FROM => Some(until(unix(value)?, now)),
            Some(secs) => Some(duration_from_secs(secs)),
            None => date(text).map(|at| until(at, now)),
        }
    })
}

/// `now + wait`, or the furthest representable time near it.
pub fn instant_after(now: SystemTime, wait: Duration) -> SystemTime {
    now.checked_add(wait.min(MAX_HEADER_WAIT)).unwrap_or(now)
}

/// A non-negative, finite number of seconds written in decimal.
fn seconds(text: &str) -> Option<f64> {
    let plain = !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && text.bytes().filter(|&b| b == b'.').count() <= 1;
    let value: f64 = text.parse().ok().filter(|_| plain)?;
    value.is_finite().then_some(value)
}

fn duration_from_secs(secs: f64) -> Duration {
    Duration::try_from_secs_f64(secs)
        .unwrap_or(MAX_HEADER_WAIT)
        .min(MAX_HEADER_WAIT)
}

fn unix(secs: f64) -> Option<SystemTime> {
    UNIX_EPOCH.checked_add(Duration::try_from_secs_f64(secs).ok()?)
}

fn until(at: SystemTime, now: SystemTime) -> Duration {
    at.duration_since(now)
        .unwrap_or(Duration::ZERO)
        .min(MAX_HEADER_WAIT)
}

/// An HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`), an RFC 3339 / ISO-8601
/// instant (`2025-01-20T00:00:00Z`, with an offset, or without a zone meaning
/// UTC) or a bare day (`2025-01-20`, midnight UTC).
fn date(text: &str) -> Option<SystemTime> {
    if let Ok(at) = httpdate::parse_http_date(text) {
        return Some(at);
    }
    let iso = if text.len() == 10 {
        format!("{text}T00:00:00Z")
    } else if text.len() == 19 {
        format!("{text}Z")
    } else {
        text.to_owned()
    };
    let at = OffsetDateTime::parse(&iso, &Rfc3339).ok()?;
    let nanos = at.unix_timestamp_nanos();
    let since_epoch = Duration::from_nanos(u64::try_from(nanos).ok()?);
    UNIX_EPOCH.checked_add(since_epoch)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    const NOW: u64 = 1_737_331_200; // 2025-01-20T00:00:00Z

    #[test]
    fn retry_after_in_seconds() {
        let now = at(NOW);
        assert_eq!(
            rate_limit_wait(Some("3"), None, now),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            rate_limit_wait(Some(" 0 "), None, now),
            Some(Duration::ZERO)
        );
        assert_eq!(
            rate_limit_wait(Some("1.5"), None, now),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(
            rate_limit_wait(Some("99999999999999999999999999"), None, now),
            Some(MAX_HEADER_WAIT)
        );
    }

    #[test]
    fn retry_after_as_a_date() {
        let now = at(NOW - 30);
        let thirty = Some(Duration::from_secs(30));
        for text in [
            "Mon, 20 Jan 2025 00:00:00 GMT",
            "2025-01-20T00:00:00Z",
            "2025-01-20T01:00:00+01:00",
            "2025-01-20T00:00:00",
            "2025-01-20T00:00:00.000Z",
            "2025-01-20",
        ] {
            assert_eq!(rate_limit_wait(Some(text), None, now), thirty, "{text}");
        }
        assert_eq!(
            rate_limit_wait(Some("2020-01-01T00:00:00Z"), None, now),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn reset_in_seconds_or_unix_time() {
        let now = at(NOW);
        assert_eq!(
            rate_limit_wait(None, Some("2"), now),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            rate_limit_wait(None, Some(&(NOW + 5).to_string()), now),
            Some(Duration::from_secs(5))
        );
        assert_eq!(
            rate_limit_wait(None, Some(&((NOW + 5) * 1000).to_string()), now),
            Some(Duration::from_secs(5))
        );
        assert_eq!(
            rate_limit_wait(None, Some("2025-01-20T00:00:07Z"), now),
            Some(Duration::from_secs(7))
        );
        // Retry-After wins; an unreadable one falls through to the reset.
        assert_eq!(
            rate_limit_wait(Some("1"), Some("9"), now),
            Some(Duration::from_secs(1))
        );
        assert_eq!(
            rate_limit_wait(Some("soon"), Some("9"), now),
            Some(Duration::from_secs(9))
        );
    }

    #[test]
    fn unreadable_values_say_nothing() {
        let now = at(NOW);
        for text in ["", "soon", "-1", "1e3", "NaN", "inf", "1..2", "+5", "２"] {
            assert_eq!(rate_limit_wait(Some(text), None, now), None, "{text}");
            assert_eq!(rate_limit_wait(None, Some(text), now), None, "{text}");
        }
        assert_eq!(rate_limit_wait(None, None, now), None);
    }

    #[test]
    fn backoff_doubles_caps_and_jitters() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.backoff(0, 0.0), Duration::from_millis(250));
        assert_eq!(policy.backoff(1, 0.0), Duration::from_millis(500));
        assert_eq!(policy.backoff(2, 1.0), Duration::from_millis(1500));
        assert_eq!(policy.backoff(40, 0.0), Duration::from_secs(4));
        assert_eq!(policy.backoff(40, f64::NAN), Duration::from_secs(4));
        assert_eq!(policy.backoff(u32::MAX, 7.0), Duration::from_secs(6));
        let sample = jitter();
        assert!((0.0..1.0).contains(&sample));
    }

    proptest! {
        #[test]
        fn no_header_value_panics(
            retry_after in proptest::option::of(".{0,40}"),
            reset in proptest::option::of("[0-9.eE+-]{0,30}|.{0,40}"),
            now in 0u64..=u64::from(u32::MAX) * 4,
        ) {
            let now = UNIX_EPOCH + Duration::from_secs(now);
            if let Some(wait) = rate_limit_wait(retry_after.as_deref(), reset.as_deref(), now) {
                prop_assert!(wait <= MAX_HEADER_WAIT);
                let _ = instant_after(now, wait);
            }
        }
    }
}
