//! The fault switches of `/__emu/faults`: what the next API requests should suffer.

use serde::{Deserialize, Serialize};

/// Longest `slow_ms` accepted.
const MAX_SLOW_MS: u64 = 60_000;
/// Most `rate_limit.times` accepted.
const MAX_TIMES: u32 = 10_000;

/// How a 429 tells the client when to come back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RateLimitStyle {
    /// `Retry-After: 1` (QPS).
    Seconds,
    /// `Retry-After` as an HTTP date one second ahead (Daily-limit).
    HttpDate,
    /// `Retry-After` as an ISO-8601 UTC instant one second ahead (Daily-limit).
    IsoDate,
    /// No `Retry-After`; `X-RateLimit-Reset` in Unix seconds, one second ahead (QPS).
    ResetOnly,
    /// Neither header (QPS).
    None,
}

/// The next `times` API requests answer 429.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimit {
    /// How the answer says when to retry.
    pub style: RateLimitStyle,
    /// How many requests are still refused; 0 switches the fault off.
    pub times: u32,
}

/// Where `/phone/recording/download/{fileId}` redirects.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DownloadRedirect {
    /// The emulator's file host.
    #[default]
    FileHost,
    /// `http://127.0.0.3:9/evil`, a host the proxy must not follow.
    ForeignHost,
}

/// The current faults, as `GET /__emu/faults` shows them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Faults {
    /// Pending 429s, if any.
    pub rate_limit: Option<RateLimit>,
    /// Set once every access token issued before it was revoked.
    pub expire_access_tokens: bool,
    /// Set once every page token issued before it was invalidated.
    pub expire_page_tokens: bool,
    /// Every `/v2/phone/*` answers 403, code 2031.
    pub phone_not_enabled: bool,
    /// Every API call answers 400, code 4711.
    pub missing_scope: bool,
    /// Delay before every OAuth and API answer.
    pub slow_ms: u64,
    /// `/phone/call_history` answers with legacy `call_logs[]` only.
    pub legacy_call_logs: bool,
    /// Where recording downloads redirect.
    pub download_redirect: DownloadRedirect,
}

/// A `POST /__emu/faults` body: every field optional, a missing one leaves its fault as is.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultPatch {
    rate_limit: Option<RateLimit>,
    expire_access_tokens: Option<bool>,
    expire_page_tokens: Option<bool>,
    phone_not_enabled: Option<bool>,
    missing_scope: Option<bool>,
    slow_ms: Option<u64>,
    legacy_call_logs: Option<bool>,
    download_redirect: Option<DownloadRedirect>,
}

/// The one-off actions a patch asks for.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Actions {
    /// Revoke every access token issued so far.
    pub expire_access_tokens: bool,
    /// Invalidate every page token issued so far.
    pub expire_page_tokens: bool,
}

impl Faults {
    /// Applies a patch after checking its bounds; the error names the bad field.
    pub fn apply(&mut self, patch: FaultPatch) -> Result<Actions, String> {
        if patch.slow_ms.is_some_and(|ms| ms > MAX_SLOW_MS) {
            return Err(format!("slow_ms must be at most {MAX_SLOW_MS}"));
        }
        if patch
            .rate_limit
            .is_some_and(|limit| limit.times > MAX_TIMES)
        {
            return Err(format!("rate_limit.times must be at most {MAX_TIMES}"));
        }
        if let Some(limit) = patch.rate_limit {
            self.rate_limit = (limit.times > 0).then_some(limit);
        }
        let actions = Actions {
            expire_access_tokens: patch.expire_access_tokens == Some(true),
            expire_page_tokens: patch.expire_page_tokens == Some(true),
        };
        let set = |field: &mut bool, value: Option<bool>| {
            if let Some(value) = value {
                *field = value;
            }
        };
        set(&mut self.expire_access_tokens, patch.expire_access_tokens);
        set(&mut self.expire_page_tokens, patch.expire_page_tokens);
        set(&mut self.phone_not_enabled, patch.phone_not_enabled);
        set(&mut self.missing_scope, patch.missing_scope);
        set(&mut self.legacy_call_logs, patch.legacy_call_logs);
        if let Some(ms) = patch.slow_ms {
            self.slow_ms = ms;
        }
        if let Some(redirect) = patch.download_redirect {
            self.download_redirect = redirect;
        }
        Ok(actions)
    }

    /// Uses up one pending 429, if any, and says how to answer it.
    pub fn take_rate_limit(&mut self) -> Option<RateLimitStyle> {
        let limit = self.rate_limit.as_mut()?;
        let style = limit.style;
        limit.times -= 1;
        if limit.times == 0 {
            self.rate_limit = None;
        }
        Some(style)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patch(json: &str) -> FaultPatch {
        serde_json::from_str(json).expect("valid patch")
    }

    #[test]
    fn patches_change_only_what_they_name() {
        let mut faults = Faults::default();
        let actions = faults
            .apply(patch(r#"{"missing_scope": true, "slow_ms": 20}"#))
            .expect("valid");
        assert_eq!(actions, Actions::default());
        faults
            .apply(patch(r#"{"download_redirect": "foreign_host"}"#))
            .expect("valid");
        assert!(faults.missing_scope);
        assert_eq!(faults.slow_ms, 20);
        assert_eq!(faults.download_redirect, DownloadRedirect::ForeignHost);
        let actions = faults
            .apply(patch(
                r#"{"expire_access_tokens": true, "expire_page_tokens": false}"#,
            ))
            .expect("valid");
        assert!(actions.expire_access_tokens && !actions.expire_page_tokens);
    }

    #[test]
    fn rate_limits_count_down() {
        let mut faults = Faults::default();
        faults
            .apply(patch(
                r#"{"rate_limit": {"style": "http_date", "times": 2}}"#,
            ))
            .expect("valid");
        assert_eq!(faults.take_rate_limit(), Some(RateLimitStyle::HttpDate));
        assert_eq!(faults.take_rate_limit(), Some(RateLimitStyle::HttpDate));
        assert_eq!(faults.take_rate_limit(), None);
        faults
            .apply(patch(r#"{"rate_limit": {"style": "none", "times": 0}}"#))
            .expect("valid");
        assert_eq!(faults.rate_limit, None);
    }

    #[test]
    fn bad_patches_are_refused() {
        for bad in [
            r#"{"slow": 1}"#,
            r#"{"rate_limit": {"style": "minutes", "times": 1}}"#,
            r#"{"rate_limit": {"style": "seconds"}}"#,
            r#"{"missing_scope": "yes"}"#,
            r#"{"download_redirect": "elsewhere"}"#,
        ] {
            assert!(serde_json::from_str::<FaultPatch>(bad).is_err(), "{bad}");
        }
        let mut faults = Faults::default();
        assert!(faults.apply(patch(r#"{"slow_ms": 60001}"#)).is_err());
        assert!(faults
            .apply(patch(
                r#"{"rate_limit": {"style": "seconds", "times": 10001}}"#
            ))
            .is_err());
        assert_eq!(faults, Faults::default());
    }
}
