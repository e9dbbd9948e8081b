//! Zoom's OAuth endpoints (contract §5.1): the authorize URL with PKCE S256,
//! the code exchange, the refresh (which rotates the refresh token) and the
//! server-to-server `account_credentials` grant. Token-endpoint errors have
//! their own shape, `{"reason","error"}`, sometimes with a code 4700–4741.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::Value;
use sha2::{Digest, Sha256};
use url::Url;

use super::answer::clean;
use super::error::ZoomError;
use super::settings::ZoomSettings;
use crate::config::Secret;

/// Length of a PKCE code verifier (RFC 7636 allows 43 to 128).
pub const VERIFIER_LEN: usize = 64;
/// Lifetime assumed when a token answer has no usable `expires_in`.
const DEFAULT_EXPIRES_IN: i64 = 3600;
/// Longest lifetime believed from a token answer (a year).
const MAX_EXPIRES_IN: i64 = 366 * 24 * 3600;
/// Largest token answer read.
const MAX_TOKEN_ANSWER: usize = 64 * 1024;
/// OAuth codes that mean the grant is dead: code expired (4733), invalid code
/// (4734), token revoked by a newer authorisation (4741).
const DEAD_GRANT_CODES: [i64; 3] = [4733, 4734, 4741];
/// The RFC 3986 unreserved characters a verifier is made of.
const UNRESERVED: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

/// Seconds since the Unix epoch, now.
pub fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| {
            i64::try_from(since.as_secs()).unwrap_or(i64::MAX)
        })
}

/// A PKCE pair: the verifier kept on the server until the callback, and its
/// S256 challenge sent in the authorize URL.
#[derive(Clone)]
pub struct Pkce {
    /// [`VERIFIER_LEN`] random unreserved characters. Keep it secret.
    pub verifier: String,
    /// `base64url(sha256(verifier))` without padding.
    pub challenge: String,
}

impl Pkce {
    /// A fresh random pair.
    pub fn new() -> Self {
        let mut verifier = String::with_capacity(VERIFIER_LEN);
        let mut bytes = [0u8; VERIFIER_LEN * 2];
        // 66 characters: take bytes below 3 · 66 so each is equally likely.
        let limit = (256 / UNRESERVED.len() * UNRESERVED.len()) as u8;
        while verifier.len() < VERIFIER_LEN {
            rand::fill(&mut bytes[..]);
            verifier.extend(
                bytes
                    .iter()
                    .filter(|&&b| b < limit)
                    .map(|&b| char::from(UNRESERVED[usize::from(b) % UNRESERVED.len()]))
                    .take(VERIFIER_LEN - verifier.len()),
            );
        }
        let challenge = Self::challenge_of(&verifier);
        Self {
            verifier,
            challenge,
        }
    }

    /// The S256 challenge of `verifier`.
    pub fn challenge_of(verifier: &str) -> String {
        URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
    }
}

impl Default for Pkce {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Pkce {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pkce")
            .field("challenge", &self.challenge)
            .finish_non_exhaustive()
    }
}

/// An access token and when it stops working.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessToken {
    /// The bearer token. Never log it.
    pub token: Secret,
    /// Unix seconds at which Zoom stops accepting it.
    pub expires_at: i64,
}

/// A user's token pair as Zoom issued it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenSet {
    /// The access token.
    pub access: AccessToken,
    /// The refresh token; refused by Zoom once used.
    pub refresh_token: Secret,
    /// The scopes granted, space-separated.
    pub scope: String,
    /// The API URL of the account's region, when Zoom gave one.
    pub api_url: Option<String>,
}

/// A successful token answer, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenAnswer {
    /// The access token and its expiry.
    pub access: AccessToken,
    /// The refresh token, if the grant issues one.
    pub refresh_token: Option<Secret>,
    /// `scope`.
    pub scope: String,
    /// `api_url`.
    pub api_url: Option<String>,
}

/// Reads a token answer received at unix time `now`.
pub fn parse_token_answer(body: &[u8], now: i64) -> Result<TokenAnswer, ZoomError> {
    let bad = |problem: &str| ZoomError::BadResponse(format!("token answer: {problem}"));
    let Ok(Value::Object(fields)) = serde_json::from_slice::<Value>(body) else {
        return Err(bad("not a JSON object"));
    };
    let text = |key: &str| {
        fields
            .get(key)
            .and_then(Value::as_str)
            .filter(|value| !value.is_empty())
    };
    let token = text("access_token").ok_or_else(|| bad("no access_token"))?;
    let expires_in = fields
        .get("expires_in")
        .and_then(|value| match value {
            Value::Number(number) => number.as_i64(),
            Value::String(text) => text.trim().parse().ok(),
            _ => None,
        })
        .unwrap_or(DEFAULT_EXPIRES_IN)
        .clamp(0, MAX_EXPIRES_IN);
    Ok(TokenAnswer {
        access: AccessToken {
            token: Secret::new(token),
            expires_at: now.saturating_add(expires_in),
        },
        refresh_token: text("refresh_token").map(Secret::new),
        scope: text("scope").unwrap_or_default().to_owned(),
        api_url: text("api_url").map(clean),
    })
}

/// What a refused token request means: [`ZoomError::SignInAgain`] for a dead
/// grant (`invalid_grant`, codes 4733, 4734, 4741), else
/// [`ZoomError::TokenRefused`] (or [`ZoomError::Unavailable`] for HTTP 5xx).
pub fn token_error(status: u16, body: &[u8]) -> ZoomError {
    if status >= 500 {
        return ZoomError::Unavailable(format!("Zoom's sign-in service answered HTTP {status}"));
    }
    let fields = match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(fields)) => fields,
        _ => serde_json::Map::new(),
    };
    let text = |key: &str| fields.get(key).and_then(Value::as_str).map(clean);
    let code = fields.get("code").and_then(|code| match code {
        Value::Number(number) => number.as_i64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    });
    let error = text("error").unwrap_or_default();
    if error == "invalid_grant" || code.is_some_and(|code| DEAD_GRANT_CODES.contains(&code)) {
        return ZoomError::SignInAgain;
    }
    ZoomError::TokenRefused {
        status,
        error: if error.is_empty() {
            code.map_or_else(|| format!("HTTP {status}"), |code| format!("code {code}"))
        } else {
            error
        },
        reason: text("reason")
            .or_else(|| text("message"))
            .unwrap_or_else(|| "no reason given".to_owned()),
    }
}

/// Zoom's OAuth endpoints for dialdesk's apps.
#[derive(Clone)]
pub struct OAuth {
    http: reqwest::Client,
    settings: Arc<ZoomSettings>,
}

impl OAuth {
    /// Talks to the OAuth base of `settings` through `http`.
    pub fn new(http: reqwest::Client, settings: Arc<ZoomSettings>) -> Self {
        Self { http, settings }
    }

    /// Where to send the browser to sign in: `/oauth/authorize` with the
    /// client id, redirect URI, `state` and the S256 `challenge`.
    pub fn authorize_url(&self, state: &str, challenge: &str) -> Result<Url, ZoomError> {
        let app = self
            .settings
            .user_app
            .as_ref()
            .ok_or(ZoomError::NotConfigured(
                "ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET for sign-in with Zoom",
            ))?;
        let mut url = endpoint(&self.settings.oauth_base, "/oauth/authorize")?;
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", app.client_id.expose())
            .append_pair("redirect_uri", app.redirect_uri.as_str())
            .append_pair("state", state)
            .append_pair("code_challenge", challenge)
            .append_pair("code_challenge_method", "S256");
        Ok(url)
    }

    /// Exchanges an authorization `code` and its PKCE `verifier` for a token
    /// pair. A used or expired code is [`ZoomError::SignInAgain`].
    pub async fn exchange_code(&self, code: &str, verifier: &str) -> Result<TokenSet, ZoomError> {
        let app = self.user_app()?;
        let form = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", app.redirect_uri.as_str()),
            ("code_verifier", verifier),
        ];
        let answer = self
            .token_request(&app.client_id, &app.client_secret, &form)
            .await?;
        token_set(answer)
    }

    /// Trades `refresh_token` for a new pair; the old refresh token is dead
    /// from then on. A refused refresh is [`ZoomError::SignInAgain`].
    pub async fn refresh(&self, refresh_token: &Secret) -> Result<TokenSet, ZoomError> {
        let app = self.user_app()?;
        let form = [
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token.expose()),
        ];
        let answer = self
            .token_request(&app.client_id, &app.client_secret, &form)
            .await?;
        token_set(answer)
    }

    /// Revokes a user token at Zoom (`POST /oauth/revoke`, inferred from Zoom's
    /// documentation): the user app's credentials and the token.
    pub async fn revoke(&self, token: &Secret) -> Result<(), ZoomError> {
        let app = self.user_app()?;
        let url = endpoint(&self.settings.oauth_base, "/oauth/revoke")?;
        let response = self
            .http
            .post(url)
            .basic_auth(app.client_id.expose(), Some(app.client_secret.expose()))
            .form(&[("token", token.expose())])
            .send()
            .await
            .map_err(|err| ZoomError::Unavailable(without_url(&err)))?;
        let status = response.status().as_u16();
        let body = read_limited(response, MAX_TOKEN_ANSWER).await?;
        if (200..300).contains(&status) {
            Ok(())
        } else {
            Err(token_error(status, &body))
        }
    }

    /// A server-to-server access token (`account_credentials`; no refresh token).
    pub async fn account_credentials(&self) -> Result<AccessToken, ZoomError> {
        let app = self.settings.s2s.as_ref().ok_or(ZoomError::NotConfigured(
            "ZOOM_ACCOUNT_ID, ZOOM_S2S_CLIENT_ID and ZOOM_S2S_CLIENT_SECRET",
        ))?;
        let form = [
            ("grant_type", "account_credentials"),
            ("account_id", app.account_id.expose()),
        ];
        let answer = self
            .token_request(&app.client_id, &app.client_secret, &form)
            .await?;
        Ok(answer.access)
    }

    fn user_app(&self) -> Result<&super::settings::UserApp, ZoomError> {
        self.settings
            .user_app
            .as_ref()
            .ok_or(ZoomError::NotConfigured(
                "ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET for sign-in with Zoom",
            ))
    }

    /// One POST to `/oauth/token`, never retried: a refresh token may only
    /// be sent once.
    async fn token_request(
        &self,
        client_id: &Secret,
        client_secret: &Secret,
        form: &[(&str, &str)],
    ) -> Result<TokenAnswer, ZoomError> {
        let url = endpoint(&self.settings.oauth_base, "/oauth/token")?;
        let grant = form
            .iter()
            .find(|(name, _)| *name == "grant_type")
            .map_or("", |(_, value)| *value);
        let response = self
            .http
            .post(url)
            .basic_auth(client_id.expose(), Some(client_secret.expose()))
            .form(form)
            .send()
            .await
            .map_err(|err| {
                tracing::warn!(grant, error = %without_url(&err), "Zoom token request failed");
                ZoomError::Unavailable(without_url(&err))
            })?;
        let status = response.status().as_u16();
        let body = read_limited(response, MAX_TOKEN_ANSWER).await?;
        if !(200..300).contains(&status) {
            let err = token_error(status, &body);
            tracing::info!(grant, status, error = %err, "Zoom refused a token request");
            return Err(err);
        }
        tracing::debug!(grant, "Zoom issued a token");
        parse_token_answer(&body, now_unix())
    }
}

/// A user token pair from a token answer, which must carry a refresh token.
fn token_set(answer: TokenAnswer) -> Result<TokenSet, ZoomError> {
    let refresh_token = answer.refresh_token.ok_or_else(|| {
        ZoomError::BadResponse("token answer: no refresh_token for a user grant".to_owned())
    })?;
    Ok(TokenSet {
        access: answer.access,
        refresh_token,
        scope: answer.scope,
        api_url: answer.api_url,
    })
}

/// `base` with `path` appended (base paths keep their own segments).
pub fn endpoint(base: &Url, path: &str) -> Result<Url, ZoomError> {
    let text = format!("{}{path}", base.as_str().trim_end_matches('/'));
    Url::parse(&text)
        .map_err(|err| ZoomError::BadResponse(format!("cannot build a Zoom URL: {err}")))
}

/// A reqwest error's text without its URL, which may carry a query.
pub fn without_url(err: &reqwest::Error) -> String {
    let kind = if err.is_timeout() {
        "timed out"
    } else if err.is_connect() {
        "connection failed"
    } else if err.is_body() || err.is_decode() {
        "the answer broke off"
    } else {
        "request failed"
    };
    let mut text = kind.to_owned();
    let mut source = std::error::Error::source(err);
    if let Some(inner) = source.take() {
        text.push_str(": ");
        text.push_str(&clean(&inner.to_string()));
    }
    text
}

/// The body of `response`, at most `limit` bytes.
pub async fn read_limited(
    mut response: reqwest::Response,
    limit: usize,
) -> Result<Vec<u8>, ZoomError> {
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|err| ZoomError::Unavailable(without_url(&err)))?
    {
        if body.len() + chunk.len() > limit {
            return Err(ZoomError::BadResponse(format!(
                "the answer is larger than {} KB",
                limit / 1024
            )));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn verifiers_are_long_unreserved_and_random() {
        let first = Pkce::new();
        assert_eq!(first.verifier.len(), VERIFIER_LEN);
        assert!(first.verifier.bytes().all(|b| UNRESERVED.contains(&b)));
        assert_ne!(first.verifier, Pkce::new().verifier);
        assert_eq!(first.challenge, Pkce::challenge_of(&first.verifier));
        assert!(!format!("{first:?}").contains(&first.verifier));
    }

    #[test]
    fn challenge_is_rfc7636_s256() {
        // RFC 7636, appendix B.
        assert_eq!(
            Pkce::challenge_of("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn token_answers_are_read() {
        let answer = parse_token_answer(
            br#"{"access_token":"at","token_type":"bearer","refresh_token":"rt","expires_in":3599,
                 "scope":"phone:read","api_url":"https://api.zoom.us"}"#,
            1000,
        )
        .unwrap();
        assert_eq!(answer.access.token.expose(), "at");
        assert_eq!(answer.access.expires_at, 4599);
        assert_eq!(answer.refresh_token.unwrap().expose(), "rt");
        assert_eq!(answer.api_url.as_deref(), Some("https://api.zoom.us"));

        let s2s = parse_token_answer(br#"{"access_token":"at","expires_in":"60"}"#, 0).unwrap();
        assert_eq!((s2s.access.expires_at, s2s.refresh_token), (60, None));
        let odd = parse_token_answer(br#"{"access_token":"at","expires_in":-5}"#, 10).unwrap();
        assert_eq!(odd.access.expires_at, 10);

        for bad in [
            &b"{}"[..],
            b"[]",
            b"",
            br#"{"access_token":5}"#,
            br#"{"access_token":""}"#,
        ] {
            assert!(matches!(
                parse_token_answer(bad, 0),
                Err(ZoomError::BadResponse(_))
            ));
        }
    }

    #[test]
    fn dead_grants_mean_sign_in_again() {
        for body in [
            &br#"{"reason":"Invalid Token!","error":"invalid_grant"}"#[..],
            br#"{"code":4733,"message":"Code is expired"}"#,
            br#"{"code":"4734","reason":"Invalid authorization code"}"#,
            br#"{"code":4741,"error":"invalid_request"}"#,
        ] {
            assert!(
                matches!(token_error(400, body), ZoomError::SignInAgain),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
        let err = token_error(
            401,
            br#"{"reason":"Invalid client_id or client_secret","error":"invalid_client"}"#,
        );
        assert_eq!(
            err.to_string(),
            "Zoom's sign-in service refused the request (invalid_client): Invalid client_id or \
             client_secret; check the Zoom app credentials"
        );
        assert!(matches!(token_error(503, b""), ZoomError::Unavailable(_)));
        assert!(matches!(
            token_error(400, b"<html>"),
            ZoomError::TokenRefused { .. }
        ));
    }

    #[test]
    fn endpoints_keep_the_base_path() {
        let base = Url::parse("http://localhost:1/v2").unwrap();
        assert_eq!(
            endpoint(&base, "/phone/users/me").unwrap().as_str(),
            "http://localhost:1/v2/phone/users/me"
        );
        let root = Url::parse("https://zoom.us/").unwrap();
        assert_eq!(
            endpoint(&root, "/oauth/token").unwrap().as_str(),
            "https://zoom.us/oauth/token"
        );
    }

    proptest! {
        #[test]
        fn no_token_body_panics(status in 0u16..=999, body in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = token_error(status, &body);
            let _ = parse_token_answer(&body, i64::MAX);
        }
    }
}
