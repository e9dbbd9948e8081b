//! GET requests to Zoom's REST API with the right bearer token: 429s waited
//! out as Zoom asks (or backed off), 5xx and connection failures retried,
//! a refused token (code 124) renewed once, and every other error reported
//! as it is, never retried (contract §5.4, §5.5).

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{redirect, Response, StatusCode};
use serde::de::DeserializeOwned;
use url::Url;

use super::answer::{classify, parse_error_body, Verdict, CODE_INVALID_TOKEN};
use super::error::ZoomError;
use super::oauth::{endpoint, read_limited, without_url};
use super::retry::{instant_after, jitter, rate_limit_wait};
use super::settings::ZoomSettings;
use super::tokens::{AppTokens, UserTokens};
use crate::config::Secret;

/// Time allowed to open a connection.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Time allowed for a whole request.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Largest JSON answer read.
const MAX_JSON: usize = 32 * 1024 * 1024;
/// Largest error body read.
const MAX_ERROR_BODY: usize = 64 * 1024;
/// Longest id put in a URL path.
const MAX_ID_LEN: usize = 128;

/// Whose token a request carries.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Auth {
    /// The signed-in user with this Zoom user id (user OAuth).
    User(String),
    /// The server-to-server app (account-wide).
    App,
}

impl Auth {
    /// Who is asking, for cache keys: `user:{id}` or `app`.
    pub fn subject(&self) -> String {
        match self {
            Self::User(id) => format!("user:{id}"),
            Self::App => "app".to_owned(),
        }
    }
}

/// The bearer token of one request.
#[derive(Clone, Copy)]
pub(crate) enum Bearer<'a> {
    /// A stored token, renewed once when refused.
    Stored(&'a Auth),
    /// A token just issued and not stored yet (the sign-in callback).
    Fresh(&'a Secret),
}

/// The one HTTP client dialdesk talks to Zoom with: no automatic redirects,
/// 5 s to connect, 30 s per request.
pub fn http_client() -> Result<reqwest::Client, ZoomError> {
    reqwest::Client::builder()
        .redirect(redirect::Policy::none())
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(REQUEST_TIMEOUT)
        .user_agent(concat!("dialdesk-proxy/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|err| ZoomError::Unavailable(format!("cannot set up HTTP: {}", without_url(&err))))
}

/// `id` checked for use as one URL path segment: 1 to 128 characters of
/// letters, digits and `-_.~+=@` (an e-mail address names a user), and not `.`
/// or `..`.
pub fn path_id(id: &str) -> Result<&str, ZoomError> {
    let fits = (1..=MAX_ID_LEN).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.~+=@".contains(&b))
        && id != "."
        && id != "..";
    if fits {
        Ok(id)
    } else {
        Err(ZoomError::InvalidId(id.chars().take(40).collect()))
    }
}

/// REST requests with token handling and retries; cheap to clone.
#[derive(Clone)]
pub struct ZoomClient {
    http: reqwest::Client,
    settings: Arc<ZoomSettings>,
    users: UserTokens,
    app: AppTokens,
}

impl ZoomClient {
    /// A client sending through `http` with tokens from `users` and `app`.
    pub fn new(
        http: reqwest::Client,
        settings: Arc<ZoomSettings>,
        users: UserTokens,
        app: AppTokens,
    ) -> Self {
        Self {
            http,
            settings,
            users,
            app,
        }
    }

    /// GETs `path` (under the API base) with `query` for `auth` and reads
    /// the JSON answer as `T`.
    pub async fn get_json<T: DeserializeOwned>(
        &self,
        auth: &Auth,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<T, ZoomError> {
        self.json(Bearer::Stored(auth), path, query).await
    }

    /// [`Self::get_json`] with a bearer of either kind.
    pub(crate) async fn json<T: DeserializeOwned>(
        &self,
        bearer: Bearer<'_>,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<T, ZoomError> {
        let mut url = endpoint(&self.settings.api_base, path)?;
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        let response = self.get_authorized(bearer, url).await?;
        if !response.status().is_success() {
            return Err(ZoomError::BadResponse(format!(
                "{path}: unexpected HTTP {}",
                response.status().as_u16()
            )));
        }
        let body = read_limited(response, MAX_JSON).await?;
        serde_json::from_slice(&body)
            .map_err(|err| ZoomError::BadResponse(format!("{path}: {err}")))
    }

    /// GETs `url` with the bearer token, renewing it once if Zoom refuses it.
    /// Answers with a success or a redirect; anything else is an error.
    pub(crate) async fn get_authorized(
        &self,
        bearer: Bearer<'_>,
        url: Url,
    ) -> Result<Response, ZoomError> {
        let mut token = match bearer {
            Bearer::Stored(auth) => self.token(auth).await?,
            Bearer::Fresh(token) => token.clone(),
        };
        let mut renewed = false;
        loop {
            let response = self.send(&url, Some(&token)).await?;
            let status = response.status();
            if status.is_success() || status.is_redirection() {
                return Ok(response);
            }
            let body = read_limited(response, MAX_ERROR_BODY)
                .await
                .unwrap_or_default();
            let err = match classify(status.as_u16(), &parse_error_body(&body)) {
                Verdict::RenewToken => match bearer {
                    Bearer::Stored(auth) if !renewed => {
                        tracing::debug!(path = url.path(), "Zoom refused the access token; renewing it");
                        token = self.renew(auth, &token).await?;
                        renewed = true;
                        continue;
                    }
                    Bearer::Stored(Auth::User(user_id)) => {
                        self.users.forget(user_id).await?;
                        ZoomError::SignInAgain
                    }
                    Bearer::Stored(Auth::App) => ZoomError::Zoom {
                        status: status.as_u16(),
                        code: Some(CODE_INVALID_TOKEN),
                        message: "Zoom refused a new server-to-server token; check that the app is activated"
                            .to_owned(),
                    },
                    Bearer::Fresh(_) => ZoomError::SignInAgain,
                },
                Verdict::Fail(err) => err,
            };
            // Zoom's message may quote what was asked: only at debug level.
            tracing::info!(
                path = url.path(),
                status = status.as_u16(),
                "Zoom refused a request"
            );
            tracing::debug!(path = url.path(), error = %err, "Zoom's refusal");
            return Err(err);
        }
    }

    /// GETs `url` without a bearer token (a download redirected off the API
    /// host), with the same retries.
    pub(crate) async fn get_plain(&self, url: &Url) -> Result<Response, ZoomError> {
        self.send(url, None).await
    }

    /// One GET, retried on connection failures, 5xx and 429 as long as the
    /// policy allows.
    async fn send(&self, url: &Url, bearer: Option<&Secret>) -> Result<Response, ZoomError> {
        let policy = self.settings.retry;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let last = attempt >= policy.max_attempts;
            let mut request = self.http.get(url.clone());
            if let Some(token) = bearer {
                request = request.bearer_auth(token.expose());
            }
            let wait = match request.send().await {
                Err(err) if last => {
                    tracing::warn!(path = url.path(), attempt, error = %without_url(&err), "Zoom request failed; giving up");
                    return Err(ZoomError::Unavailable(without_url(&err)));
                }
                Err(err) => {
                    tracing::info!(path = url.path(), attempt, error = %without_url(&err), "Zoom request failed; retrying");
                    policy.backoff(attempt - 1, jitter())
                }
                Ok(response) if response.status() == StatusCode::TOO_MANY_REQUESTS => {
                    let now = SystemTime::now();
                    let asked = asked_wait(response.headers(), now);
                    let wait = asked.unwrap_or_else(|| policy.backoff(attempt - 1, jitter()));
                    if wait > policy.max_wait || last {
                        tracing::warn!(
                            path = url.path(),
                            attempt,
                            wait_ms = wait.as_millis(),
                            "Zoom rate limit; not waiting"
                        );
                        return Err(ZoomError::RateLimited {
                            retry_at: instant_after(now, wait),
                        });
                    }
                    tracing::info!(
                        path = url.path(),
                        attempt,
                        wait_ms = wait.as_millis(),
                        "Zoom rate limit; waiting"
                    );
                    wait
                }
                Ok(response) if response.status().is_server_error() => {
                    let status = response.status().as_u16();
                    if last {
                        tracing::warn!(
                            path = url.path(),
                            attempt,
                            status,
                            "Zoom kept failing; giving up"
                        );
                        return Err(ZoomError::Unavailable(format!(
                            "Zoom answered HTTP {status}"
                        )));
                    }
                    tracing::info!(path = url.path(), attempt, status, "Zoom failed; retrying");
                    policy.backoff(attempt - 1, jitter())
                }
                Ok(response) => return Ok(response),
            };
            tokio::time::sleep(wait).await;
        }
    }

    async fn token(&self, auth: &Auth) -> Result<Secret, ZoomError> {
        match auth {
            Auth::User(user_id) => self.users.access(user_id).await,
            Auth::App => self.app.access().await,
        }
    }

    async fn renew(&self, auth: &Auth, stale: &Secret) -> Result<Secret, ZoomError> {
        match auth {
            Auth::User(user_id) => self.users.force_refresh(user_id, stale).await,
            Auth::App => self.app.renew(stale).await,
        }
    }
}

/// The wait a 429's headers ask for, if they say.
fn asked_wait(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let header = |name| headers.get(name).and_then(|value| value.to_str().ok());
    rate_limit_wait(
        header(RETRY_AFTER.as_str()),
        header("x-ratelimit-reset"),
        now,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_single_safe_segments() {
        for good in [
            "123456789",
            "a1b2-c3d4_e5",
            "YWJj+ZA==",
            "x.y~z",
            "ben.okafor@dialdesk.example",
        ] {
            assert_eq!(path_id(good).unwrap(), good);
        }
        for bad in [
            "",
            ".",
            "..",
            "a/b",
            "a?b",
            "a#b",
            "a b",
            "%2e",
            "é",
            &"x".repeat(129),
        ] {
            assert!(
                matches!(path_id(bad), Err(ZoomError::InvalidId(_))),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn subjects_tell_users_and_the_app_apart() {
        assert_eq!(Auth::User("u1".to_owned()).subject(), "user:u1");
        assert_eq!(Auth::App.subject(), "app");
    }

    #[test]
    fn rate_limit_headers_are_read_from_the_map() {
        let mut headers = HeaderMap::new();
        let now = SystemTime::now();
        assert_eq!(asked_wait(&headers, now), None);
        headers.insert("x-ratelimit-reset", "2".parse().unwrap());
        assert_eq!(asked_wait(&headers, now), Some(Duration::from_secs(2)));
        headers.insert(RETRY_AFTER, "1".parse().unwrap());
        assert_eq!(asked_wait(&headers, now), Some(Duration::from_secs(1)));
        headers.insert(
            RETRY_AFTER,
            reqwest::header::HeaderValue::from_bytes(b"\xff").unwrap(),
        );
        assert_eq!(asked_wait(&headers, now), Some(Duration::from_secs(2)));
    }
}
