//! Sessions and CSRF protection for `/api`.
//!
//! The cookie `dialdesk_session` holds the session id (16 random bytes in hex),
//! signed by axum-extra's [`SignedCookieJar`] under a key expanded (HKDF) from the
//! signing key kept in the database. The CSRF token is the hex HMAC-SHA256 of
//! `"csrf:" + id` under that stored key; every request other than GET, HEAD and
//! OPTIONS must carry it in [`CSRF_HEADER`]. [`protect`] puts this layer on any
//! router, so later routes get it too.
//!
//! With `auth = "none"` a visitor without a valid cookie is given an anonymous
//! session. With `auth = "zoom"` only a cookie whose id is a live row of
//! `user_sessions` (written by the sign-in callback) passes; anything else is
//! answered 401 and no cookie is issued.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use axum_extra::extract::cookie::{Cookie, Key, SameSite, SignedCookieJar};
pub use dialdesk_contract::CSRF_REJECTED;
use dialdesk_contract::{AuthMode, CSRF_HEADER};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::api::ApiError;
use crate::config::Person;
use crate::db::{user_sessions, Db};
use crate::rate::SessionLimiter;

/// Name of the session cookie.
pub const COOKIE_NAME: &str = "dialdesk_session";

const ID_BYTES: usize = 16;
const SIGNATURE_BYTES: usize = 32;
/// The shortest signing key the cookie key is expanded from.
const MIN_KEY_BYTES: usize = 32;

type HmacSha256 = Hmac<Sha256>;

/// The session signing key could not be used.
#[derive(Debug, thiserror::Error)]
#[error(
    "the session signing key is unusable: it has {0} bytes, at least {MIN_KEY_BYTES} are needed"
)]
pub struct KeyError(usize);

/// Issues and checks session cookies and CSRF tokens; cheap to clone.
#[derive(Clone)]
pub struct Sessions {
    cookie_key: Key,
    csrf: HmacSha256,
    secure_cookie: bool,
}

/// The caller's session, available to every handler behind [`protect`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    id: String,
    csrf_token: String,
    user_id: Option<String>,
    email: Option<String>,
}

impl Session {
    /// The session id (hex), as stored beside what the session wrote.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The signed-in Zoom user (`auth = "zoom"` only).
    pub fn user_id(&self) -> Option<&str> {
        self.user_id.as_deref()
    }

    /// The signed-in Zoom user's e-mail (`auth = "zoom"` only).
    pub fn email(&self) -> Option<&str> {
        self.email.as_deref()
    }

    /// The signed-in person, as `[roles]` and `[[teams]]` name them.
    pub fn person(&self) -> Person<'_> {
        Person {
            id: self.user_id(),
            email: self.email(),
        }
    }

    /// Whom per-user data (screen-pop picks) is kept for: the signed-in user,
    /// else the anonymous session.
    pub fn user_key(&self) -> &str {
        self.user_id.as_deref().unwrap_or(&self.id)
    }

    /// The token the client must send in [`CSRF_HEADER`].
    pub fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

impl Sessions {
    /// Sessions signed with `key` (at least 32 bytes); cookies get `Secure` when
    /// `secure_cookie` (the public URL is https).
    pub fn new(key: &[u8], secure_cookie: bool) -> Result<Self, KeyError> {
        if key.len() < MIN_KEY_BYTES {
            return Err(KeyError(key.len()));
        }
        let csrf = HmacSha256::new_from_slice(key).map_err(|_| KeyError(key.len()))?;
        Ok(Self {
            cookie_key: Key::derive_from(key),
            csrf,
            secure_cookie,
        })
    }

    /// The MAC of session `id`'s CSRF token: HMAC-SHA256 of `"csrf:" + id`.
    fn csrf_mac(&self, id: &str) -> HmacSha256 {
        let mut mac = self.csrf.clone();
        mac.update(b"csrf:");
        mac.update(id.as_bytes());
        mac
    }

    fn session(&self, id: String) -> Session {
        let csrf_token = hex::encode(self.csrf_mac(&id).finalize().into_bytes());
        Session {
            id,
            csrf_token,
            user_id: None,
            email: None,
        }
    }

    /// A new session, whose id [`Sessions::with_session`] puts in the cookie.
    pub fn issue(&self) -> Session {
        let mut bytes = [0u8; ID_BYTES];
        rand::fill(&mut bytes[..]);
        self.session(hex::encode(bytes))
    }

    /// An empty jar, for responses that set or remove cookies.
    pub fn new_jar(&self) -> SignedCookieJar {
        SignedCookieJar::new(self.cookie_key.clone())
    }

    /// The request's cookies, read through their signatures: a cookie this proxy
    /// did not sign (or signed with another key) is not in the jar.
    pub fn jar(&self, headers: &HeaderMap) -> SignedCookieJar {
        SignedCookieJar::from_headers(headers, self.cookie_key.clone())
    }

    /// The session of the request's session cookie, if it is signed and well formed.
    fn verify(&self, headers: &HeaderMap) -> Option<Session> {
        let cookie = self.jar(headers).get(COOKIE_NAME)?;
        let id = cookie.value();
        let well_formed = id.len() == ID_BYTES * 2
            && id
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        well_formed.then(|| self.session(id.to_owned()))
    }

    /// Whether `token` is the CSRF token of `session` (constant-time).
    fn csrf_matches(&self, session: &Session, token: &str) -> bool {
        let mut bytes = [0u8; SIGNATURE_BYTES];
        if hex::decode_to_slice(token.trim(), &mut bytes).is_err() {
            return false;
        }
        self.csrf_mac(&session.id).verify_slice(&bytes).is_ok()
    }

    /// `jar` with the session cookie set to `session`'s id.
    pub fn with_session(&self, jar: SignedCookieJar, session: &Session) -> SignedCookieJar {
        jar.add(self.cookie(COOKIE_NAME, session.id.clone(), "/"))
    }

    /// `jar` with the session cookie removed.
    pub fn without_session(&self, jar: SignedCookieJar) -> SignedCookieJar {
        jar.remove(Cookie::build(COOKIE_NAME).path("/"))
    }

    /// An HttpOnly, `SameSite=Lax` cookie (`Secure` on https) for `path`, signed
    /// when added to a jar.
    pub fn cookie(&self, name: &'static str, value: String, path: &'static str) -> Cookie<'static> {
        Cookie::build((name, value))
            .path(path)
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(self.secure_cookie)
            .build()
    }
}

/// What the session layer needs: the cookie signer, the sign-in mode and,
/// for `auth = "zoom"`, the database of signed-in sessions.
#[derive(Clone)]
pub struct Gate {
    sessions: Sessions,
    mode: AuthMode,
    db: Db,
    limiter: SessionLimiter,
}

impl Gate {
    /// The gate for `mode`, holding each signed-in session to `limiter`.
    pub fn new(sessions: Sessions, mode: AuthMode, db: Db, limiter: SessionLimiter) -> Self {
        Self {
            sessions,
            mode,
            db,
            limiter,
        }
    }

    /// The caller's session, or the answer to give instead, and a cookie to set.
    async fn admit(&self, headers: &HeaderMap) -> Result<(Session, bool), ApiError> {
        match (self.mode, self.sessions.verify(headers)) {
            (AuthMode::None, Some(session)) => Ok((session, false)),
            (AuthMode::None, None) => Ok((self.sessions.issue(), true)),
            (AuthMode::Zoom, Some(mut session)) => {
                let id = session.id.clone();
                let user = self
                    .db
                    .read(move |conn| user_sessions::live_user(conn, &id))
                    .await?;
                let user = user.ok_or(ApiError::SignIn)?;
                self.limiter.check(&session.id).map_err(|wait| {
                    tracing::info!(
                        wait_ms = wait.as_millis(),
                        "refused: session over its request rate"
                    );
                    ApiError::TooManyRequests(wait.as_secs() + 1)
                })?;
                session.user_id = Some(user.id);
                session.email = Some(user.email);
                Ok((session, false))
            }
            (AuthMode::Zoom, None) => Err(ApiError::SignIn),
        }
    }
}

/// Puts the session and CSRF layer on `router`: routes added to it before this
/// call, and its fallback, all get it.
pub fn protect<S>(router: Router<S>, gate: Gate) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    router.layer(from_fn_with_state(gate, session_layer))
}

async fn session_layer(State(gate): State<Gate>, mut request: Request, next: Next) -> Response {
    let (session, new) = match gate.admit(request.headers()).await {
        Ok(admitted) => admitted,
        Err(refused) => return refused.into_response(),
    };
    let sessions = &gate.sessions;
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    let token_ok = safe
        || request
            .headers()
            .get(CSRF_HEADER)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|token| sessions.csrf_matches(&session, token));
    let jar = new.then(|| sessions.with_session(sessions.new_jar(), &session));
    let response = if token_ok {
        request.extensions_mut().insert(session);
        next.run(request).await
    } else {
        tracing::debug!(method = %request.method(), path = request.uri().path(), "CSRF check failed");
        ApiError::Forbidden(CSRF_REJECTED).into_response()
    };
    match jar {
        Some(jar) => (jar, response).into_response(),
        None => response,
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Session {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Session>().cloned().ok_or_else(|| {
            tracing::error!("a handler asked for the session outside the session layer");
            ApiError::Internal
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sessions() -> Sessions {
        Sessions::new(&[7u8; 32], false).unwrap()
    }

    /// The `Cookie` header a browser sends back for what `jar` set.
    fn sent_back(sessions: &Sessions, session: &Session) -> HeaderMap {
        let jar = sessions.with_session(sessions.new_jar(), session);
        let response = (jar, ()).into_response();
        let mut headers = HeaderMap::new();
        for set in response.headers().get_all(axum::http::header::SET_COOKIE) {
            let pair = set.to_str().unwrap().split(';').next().unwrap().to_owned();
            headers.append(axum::http::header::COOKIE, pair.parse().unwrap());
        }
        headers
    }

    fn with_cookie(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.append(
            axum::http::header::COOKIE,
            format!("a=1; {COOKIE_NAME}={value}").parse().unwrap(),
        );
        headers
    }

    #[test]
    fn issued_cookies_verify_and_tampered_ones_do_not() {
        let sessions = sessions();
        let session = sessions.issue();
        let headers = sent_back(&sessions, &session);
        assert_eq!(sessions.verify(&headers), Some(session.clone()));
        let other = Sessions::new(&[8u8; 32], false).unwrap();
        assert_eq!(other.verify(&headers), None);
        let value = headers
            .get(axum::http::header::COOKIE)
            .unwrap()
            .to_str()
            .unwrap()
            .trim_start_matches(&format!("{COOKIE_NAME}="))
            .to_owned();
        let id = session.id();
        let mut forged = value.clone();
        forged.replace_range(value.len() - 1.., if id.ends_with('0') { "1" } else { "0" });
        assert_eq!(sessions.verify(&with_cookie(&forged)), None);
        for junk in [
            "",
            ".",
            "abc",
            id,
            &format!("{id}.{}", session.csrf_token()),
        ] {
            assert_eq!(sessions.verify(&with_cookie(junk)), None, "{junk:?}");
        }
        assert!(sessions.csrf_matches(&session, session.csrf_token()));
        assert!(!sessions.csrf_matches(&session, ""));
        assert!(!sessions.csrf_matches(&session, &session.csrf_token()[1..]));
        assert!(!value.contains(session.csrf_token()));
        assert!(Sessions::new(&[7u8; 16], false).is_err());
    }

    #[test]
    fn cookies_are_http_only_lax_and_secure_only_on_https() {
        let plain = sessions().cookie(COOKIE_NAME, "v".into(), "/").to_string();
        assert_eq!(plain, "dialdesk_session=v; HttpOnly; SameSite=Lax; Path=/");
        let secure = Sessions::new(&[7u8; 32], true)
            .unwrap()
            .cookie(COOKIE_NAME, "v".into(), "/")
            .to_string();
        assert!(secure.contains("; Secure"), "{secure}");
    }
}
