//! What every OAuth and API request goes through before its handler: counting, the `slow_ms`
//! delay, and for the API the Bearer check (code 124), then the 429, scope and Zoom Phone
//! faults; every API answer gets the rate-limit headers.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use super::error::ZoomError;
use super::faults::RateLimitStyle;
use super::state::Shared;
use crate::clock::{http_date, iso8601_utc};

const CATEGORY: HeaderName = HeaderName::from_static("x-ratelimit-category");
const TYPE: HeaderName = HeaderName::from_static("x-ratelimit-type");
const LIMIT: HeaderName = HeaderName::from_static("x-ratelimit-limit");
const REMAINING: HeaderName = HeaderName::from_static("x-ratelimit-remaining");
const RESET: HeaderName = HeaderName::from_static("x-ratelimit-reset");

/// An endpoint's rate-limit label and its per-second limit (Pro plan).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    /// 20 per second.
    Light,
    /// 10 per second.
    Medium,
    /// 5 per second.
    Heavy,
}

impl Category {
    fn of(path: &str) -> Self {
        match path {
            "/v2/phone/call_history" | "/v2/phone/call_logs" => Self::Heavy,
            "/v2/contacts" | "/v2/phone/recording/download/{file_id}" => Self::Medium,
            _ => Self::Light,
        }
    }

    /// The header's spelling.
    pub fn label(self) -> &'static str {
        match self {
            Self::Light => "Light",
            Self::Medium => "Medium",
            Self::Heavy => "Heavy",
        }
    }

    /// Requests allowed per second.
    pub fn per_second(self) -> u32 {
        match self {
            Self::Light => 20,
            Self::Medium => 10,
            Self::Heavy => 5,
        }
    }
}

/// Gate of the `/oauth/*` routes: count, then the `slow_ms` delay.
pub async fn oauth_gate(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    count(&shared, &request);
    wait(&shared).await;
    next.run(request).await
}

/// Gate of the `/v2/*` routes: count, delay, admit or refuse, then the rate-limit headers.
pub async fn api_gate(
    State(shared): State<Arc<Shared>>,
    mut request: Request,
    next: Next,
) -> Response {
    let pattern = count(&shared, &request);
    wait(&shared).await;
    let category = Category::of(&pattern);
    let mut response = match admit(&shared, &mut request) {
        Ok(()) => next.run(request).await,
        Err(Refusal::Zoom(err)) => err.into_response(),
        Err(Refusal::RateLimited(style)) => {
            too_many_requests(style, category, shared.clock.now_ms())
        }
    };
    let remaining = shared
        .counters()
        .spend(category, shared.clock.now_ms() / 1000);
    let headers = response.headers_mut();
    headers.insert(CATEGORY, HeaderValue::from_static(category.label()));
    headers
        .entry(TYPE)
        .or_insert(HeaderValue::from_static("QPS"));
    headers.insert(LIMIT, HeaderValue::from(category.per_second()));
    headers.insert(REMAINING, HeaderValue::from(remaining));
    response
}

/// Counts the request under its route pattern, and returns the pattern.
fn count(shared: &Shared, request: &Request) -> String {
    let pattern = request.extensions().get::<MatchedPath>().map_or_else(
        || request.uri().path().to_owned(),
        |path| path.as_str().to_owned(),
    );
    shared
        .counters()
        .count(&format!("{} {pattern}", request.method()));
    pattern
}

/// Sleeps `slow_ms`.
async fn wait(shared: &Shared) {
    let slow_ms = shared.faults().slow_ms;
    if slow_ms > 0 {
        tokio::time::sleep(Duration::from_millis(slow_ms)).await;
    }
}

/// Why the gate refuses an API request.
enum Refusal {
    /// A Zoom error answer.
    Zoom(ZoomError),
    /// A 429 from the `rate_limit` fault.
    RateLimited(RateLimitStyle),
}

/// Checks the Bearer token and the refusing faults; a known token's subject goes into the
/// request's extensions for the handler.
fn admit(shared: &Shared, request: &mut Request) -> Result<(), Refusal> {
    let now_ms = shared.clock.now_ms();
    let subject = bearer(request.headers())
        .and_then(|token| shared.tokens().authenticate(token, now_ms))
        .ok_or(Refusal::Zoom(ZoomError::InvalidToken))?;
    request.extensions_mut().insert(subject);
    let (limited, missing_scope, phone_off) = {
        let mut faults = shared.faults();
        (
            faults.take_rate_limit(),
            faults.missing_scope,
            faults.phone_not_enabled,
        )
    };
    if let Some(style) = limited {
        return Err(Refusal::RateLimited(style));
    }
    if missing_scope {
        return Err(Refusal::Zoom(ZoomError::MissingScope));
    }
    if phone_off && request.uri().path().starts_with("/v2/phone/") {
        return Err(Refusal::Zoom(ZoomError::PhoneNotEnabled));
    }
    Ok(())
}

/// The token of an `Authorization: Bearer …` header.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|token| !token.is_empty())
}

/// A 429 in the given style; the client may come back in one second.
fn too_many_requests(style: RateLimitStyle, category: Category, now_ms: u64) -> Response {
    let retry_ms = now_ms / 1000 * 1000 + 1000;
    let daily = matches!(style, RateLimitStyle::HttpDate | RateLimitStyle::IsoDate);
    let message = if daily {
        "You have reached the maximum daily rate limit for this API. Refer to the response header for details on when you can make another request."
    } else {
        "You have reached the maximum per-second rate limit for this API. Try again later."
    };
    let mut response = (
        StatusCode::TOO_MANY_REQUESTS,
        Json(json!({ "code": 429, "message": message })),
    )
        .into_response();
    let headers = response.headers_mut();
    headers.insert(
        TYPE,
        HeaderValue::from_static(if daily { "Daily-limit" } else { "QPS" }),
    );
    let retry_after = match style {
        RateLimitStyle::Seconds => Some("1".to_owned()),
        RateLimitStyle::HttpDate => Some(http_date(retry_ms)),
        RateLimitStyle::IsoDate => Some(iso8601_utc(retry_ms)),
        RateLimitStyle::ResetOnly | RateLimitStyle::None => None,
    };
    if let Some(value) = retry_after.and_then(|text| HeaderValue::from_str(&text).ok()) {
        headers.insert(header::RETRY_AFTER, value);
    }
    if style == RateLimitStyle::ResetOnly {
        headers.insert(RESET, HeaderValue::from(retry_ms / 1000));
    }
    tracing::debug!(
        category = category.label(),
        ?style,
        "emulated Zoom answered 429"
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_tokens_are_read_leniently_but_not_guessed() {
        let mut headers = HeaderMap::new();
        assert_eq!(bearer(&headers), None);
        for (value, token) in [
            ("Bearer abc", Some("abc")),
            ("bearer  abc ", Some("abc")),
            ("Basic abc", None),
            ("Bearer ", None),
            ("Bearer", None),
        ] {
            headers.insert(header::AUTHORIZATION, HeaderValue::from_static(value));
            assert_eq!(bearer(&headers), token, "{value}");
        }
    }

    #[test]
    fn heavy_endpoints_are_heavy() {
        assert_eq!(Category::of("/v2/phone/call_history"), Category::Heavy);
        assert_eq!(Category::of("/v2/contacts"), Category::Medium);
        assert_eq!(Category::of("/v2/users/me"), Category::Light);
    }
}
