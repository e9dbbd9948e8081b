//! The test's own HTTP client of the proxy: a cookie jar, the CSRF token, and, with
//! sign-in with Zoom, the whole OAuth dance through the emulator's sign-in page, done
//! by hand (no redirect is followed automatically) as a browser would.

use std::collections::BTreeMap;
use std::sync::Mutex;

use serde_json::Value;
use ureq::http::Request;
use ureq::Agent;

/// The proxy's session cookie.
pub const SESSION_COOKIE: &str = "dialdesk_session";

/// The emulator's first user (Ava Lindqvist, ext. 101, +12125550101), whom tests sign
/// in as unless they say otherwise.
pub const AVA: &str = "ava.lindqvist@dialdesk.example";

/// [`AVA`]'s Zoom number: the caller ID the app offers her once signed in.
pub const AVA_NUMBER: &str = "+12125550101";

/// One response: status, headers we care about, body text.
#[derive(Debug, Clone)]
pub struct Reply {
    /// The status code.
    pub status: u16,
    /// `Location`, if any.
    pub location: Option<String>,
    /// The body as text.
    pub body: String,
}

impl Reply {
    /// The body as JSON.
    pub fn json(&self) -> Result<Value, String> {
        serde_json::from_str(&self.body).map_err(|e| format!("{e}: {}", self.body))
    }
}

/// A client of one proxy with its own session.
pub struct ProxyClient {
    base: String,
    /// Who to sign in as; `None`: the proxy has no sign-in (anonymous sessions).
    user: Option<String>,
    agent: Agent,
    jar: Mutex<BTreeMap<String, String>>,
    csrf: Mutex<Option<String>>,
}

impl ProxyClient {
    /// A client of the proxy at `base` that signs in as `user` on first use (`None`:
    /// the proxy runs without sign-in).
    pub fn new(base: &str, user: Option<&str>) -> Self {
        let config = Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .build();
        Self {
            base: base.trim_end_matches('/').to_owned(),
            user: user.map(str::to_owned),
            agent: Agent::new_with_config(config),
            jar: Mutex::new(BTreeMap::new()),
            csrf: Mutex::new(None),
        }
    }

    /// Sends one request to `url` (absolute) without following redirects; the jar's
    /// cookies go along when it is the proxy's and `Set-Cookie` answers fill the jar.
    fn raw(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: Option<(&str, String)>,
    ) -> Result<Reply, String> {
        let mut builder = Request::builder().method(method).uri(url);
        let ours = url.starts_with(&self.base);
        if ours {
            let cookies = self.cookie_header();
            if !cookies.is_empty() {
                builder = builder.header("Cookie", cookies);
            }
        }
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        let what = format!("{method} {url}");
        let response = match body {
            Some((content_type, body)) => {
                let request = builder
                    .header("Content-Type", content_type)
                    .body(body)
                    .map_err(|e| format!("{what}: {e}"))?;
                self.agent.run(request)
            }
            None => {
                let request = builder.body(()).map_err(|e| format!("{what}: {e}"))?;
                self.agent.run(request)
            }
        };
        let mut response = response.map_err(|e| format!("{what}: {e}"))?;
        if ours {
            let mut jar = self.jar.lock().map_err(|_| "cookie jar poisoned")?;
            for value in response.headers().get_all("set-cookie") {
                let Ok(value) = value.to_str() else { continue };
                let mut parts = value.split(';');
                let Some((name, cookie)) = parts.next().and_then(|p| p.split_once('=')) else {
                    continue;
                };
                let expired = parts.any(|p| p.trim().eq_ignore_ascii_case("max-age=0"));
                if expired || cookie.is_empty() {
                    jar.remove(name.trim());
                } else {
                    jar.insert(name.trim().to_owned(), cookie.trim().to_owned());
                }
            }
        }
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .read_to_string()
            .map_err(|e| format!("{what}: body: {e}"))?;
        Ok(Reply {
            status,
            location,
            body,
        })
    }

    fn cookie_header(&self) -> String {
        self.jar
            .lock()
            .map(|jar| {
                jar.iter()
                    .map(|(name, value)| format!("{name}={value}"))
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .unwrap_or_default()
    }

    /// The value of the cookie `name` in the jar.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.jar.lock().ok()?.get(name).cloned()
    }

    /// Signs in as `email` through the emulator's sign-in page: `/auth/login` (303 to
    /// the authorize page), the page itself, the user's button (the form's fields plus
    /// `user`), the emulator's 302 to `/auth/callback`, and the proxy's 303 to `/` with
    /// the session cookie. Then fetches the CSRF token.
    pub fn sign_in(&self, email: &str) -> Result<(), String> {
        let login = self.raw("GET", &format!("{}/auth/login", self.base), &[], None)?;
        let authorize = match (login.status, login.location) {
            (303, Some(location)) => location,
            (status, _) => return Err(format!("GET /auth/login answered {status}, not 303")),
        };
        let page = self.raw("GET", &authorize, &[], None)?;
        let button = format!("data-user=\"{email}\"");
        if page.status != 200 || !page.body.contains(&button) {
            return Err(format!(
                "the emulator's sign-in page ({}) has no button for {email}: {}",
                page.status, page.body
            ));
        }
        // The page's form carries the authorize request's parameters as hidden fields
        // and posts them back to the same path, with the chosen user's button.
        let (action, query) = authorize
            .split_once('?')
            .ok_or_else(|| format!("authorize URL without a query: {authorize}"))?;
        let form = format!("{query}&user={}", email.replace('@', "%40"));
        let decision = self.raw(
            "POST",
            action,
            &[],
            Some(("application/x-www-form-urlencoded", form)),
        )?;
        let callback = match (decision.status, decision.location) {
            (302, Some(location)) if location.starts_with(&self.base) => location,
            (status, location) => {
                return Err(format!(
                    "the emulator answered the sign-in with {status} to {location:?}: {}",
                    decision.body
                ))
            }
        };
        let landed = self.raw("GET", &callback, &[], None)?;
        if landed.status != 303 || landed.location.as_deref() != Some("/") {
            return Err(format!(
                "the callback answered {} to {:?}: {}",
                landed.status, landed.location, landed.body
            ));
        }
        if self.cookie(SESSION_COOKIE).is_none() {
            return Err("the callback set no session cookie".into());
        }
        self.refresh_csrf()
    }

    /// Fetches the session's CSRF token (and, without sign-in, the anonymous session).
    fn refresh_csrf(&self) -> Result<(), String> {
        let url = format!("{}/api/session", self.base);
        let session = self.raw("GET", &url, &[], None)?;
        if session.status != 200 {
            return Err(format!(
                "GET /api/session answered {}: {}",
                session.status, session.body
            ));
        }
        let token = session.json()?["csrfToken"]
            .as_str()
            .ok_or("GET /api/session has no csrfToken")?
            .to_owned();
        *self.csrf.lock().map_err(|_| "csrf poisoned")? = Some(token);
        Ok(())
    }

    /// Makes sure there is a session: signs in on first use.
    fn ensure_session(&self) -> Result<String, String> {
        if let Some(token) = self.csrf.lock().map_err(|_| "csrf poisoned")?.clone() {
            return Ok(token);
        }
        match &self.user {
            Some(user) => self.sign_in(user)?,
            None => self.refresh_csrf()?,
        }
        self.csrf
            .lock()
            .map_err(|_| "csrf poisoned")?
            .clone()
            .ok_or_else(|| "no CSRF token".into())
    }

    /// Sends `method path` with the session (signing in first if needed), the CSRF
    /// token and, if given, a JSON body; any status is an answer.
    pub fn request(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Reply, String> {
        let token = self.ensure_session()?;
        let url = format!("{}{path}", self.base);
        let headers = [("x-csrf-token", token.as_str())];
        self.raw(
            method,
            &url,
            &headers,
            body.map(|b| ("application/json", b.to_string())),
        )
    }

    /// `GET path` without any session, cookie or token: what a stranger gets.
    pub fn anonymous_get(&self, path: &str) -> Result<Reply, String> {
        let stranger = Self::new(&self.base, None);
        stranger.raw("GET", &format!("{}{path}", self.base), &[], None)
    }

    /// `GET path` with the session; the body as JSON, an error unless 2xx.
    pub fn get_json(&self, path: &str) -> Result<Value, String> {
        let reply = self.request("GET", path, None)?;
        if !(200..300).contains(&reply.status) {
            return Err(format!(
                "GET {path} answered {}: {}",
                reply.status, reply.body
            ));
        }
        reply.json().map_err(|e| format!("GET {path}: {e}"))
    }
}
