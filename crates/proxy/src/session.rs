//! Sessions and CSRF protection for `/api`.
//!
//! The cookie `dialdesk_session` holds `<id>.<signature>`: 16 random bytes in hex
//! and the hex HMAC-SHA256 of `"session:" + id` under the signing key kept in the
//! database. The CSRF token is the hex HMAC-SHA256 of `"csrf:" + id`; every
//! request other than GET, HEAD and OPTIONS must carry it in [`CSRF_HEADER`].
//! [`protect`] puts this layer on any router, so later routes get it too.
//!
//! With `auth = "none"` a visitor without a valid cookie is given an anonymous
//! session. With `auth = "zoom"` only a cookie whose id is a live row of
//! `user_sessions` (written by the sign-in callback) passes; anything else is
//! answered 401 and no cookie is issued.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
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

type HmacSha256 = Hmac<Sha256>;

/// The session signing key could not be used.
#[derive(Debug, thiserror::Error)]
#[error("the session signing key is unusable: {0}")]
pub struct KeyError(#[from] hmac::digest::InvalidLength);

/// Issues and checks session cookies and CSRF tokens; cheap to clone.
#[derive(Clone)]
pub struct Sessions {
    mac: HmacSha256,
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
    /// Sessions signed with `key`; cookies get `Secure` when `secure_cookie`
    /// (the public URL is https).
    pub fn new(key: &[u8], secure_cookie: bool) -> Result<Self, KeyError> {
        Ok(Self {
            mac: HmacSha256::new_from_slice(key)?,
            secure_cookie,
        })
    }

    fn sign(&self, purpose: &str, id: &str) -> HmacSha256 {
        let mut mac = self.mac.clone();
        mac.update(purpose.as_bytes());
        mac.update(b":");
        mac.update(id.as_bytes());
        mac
    }

    fn session(&self, id: String) -> Session {
        let csrf_token = hex::encode(self.sign("csrf", &id).finalize().into_bytes());
        Session {
            id,
            csrf_token,
            user_id: None,
            email: None,
        }
    }

    /// A new session and the cookie value that carries it.
    pub fn issue(&self) -> (Session, String) {
        let mut bytes = [0u8; ID_BYTES];
        rand::fill(&mut bytes[..]);
        let id = hex::encode(bytes);
        let signature = hex::encode(self.sign("session", &id).finalize().into_bytes());
        let cookie = format!("{id}.{signature}");
        (self.session(id), cookie)
    }

    /// The session of a cookie value, if its signature is valid.
    fn verify(&self, cookie: &str) -> Option<Session> {
        let (id, signature) = cookie.split_once('.')?;
        let well_formed = id.len() == ID_BYTES * 2
            && id
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        let signature = decode_hex::<SIGNATURE_BYTES>(signature)?;
        if !well_formed {
            return None;
        }
        self.sign("session", id).verify_slice(&signature).ok()?;
        Some(self.session(id.to_owned()))
    }

    /// Whether `token` is the CSRF token of `session` (constant-time).
    fn csrf_matches(&self, session: &Session, token: &str) -> bool {
        decode_hex::<SIGNATURE_BYTES>(token)
            .is_some_and(|bytes| self.sign("csrf", &session.id).verify_slice(&bytes).is_ok())
    }

    /// The `Set-Cookie` value that stores `value` as the session cookie.
    pub fn set_cookie(&self, value: &str) -> Option<HeaderValue> {
        self.cookie(COOKIE_NAME, value, "/", "")
    }

    /// The `Set-Cookie` value that removes the session cookie.
    pub fn clear_cookie(&self) -> Option<HeaderValue> {
        self.cookie(COOKIE_NAME, "", "/", "; Max-Age=0")
    }

    /// An HttpOnly, `SameSite=Lax` cookie (`Secure` on https) with `extra`
    /// attributes such as `; Max-Age=600`.
    pub fn cookie(&self, name: &str, value: &str, path: &str, extra: &str) -> Option<HeaderValue> {
        let secure = if self.secure_cookie { "; Secure" } else { "" };
        HeaderValue::from_str(&format!(
            "{name}={value}; Path={path}; HttpOnly; SameSite=Lax{extra}{secure}"
        ))
        .ok()
    }
}

fn decode_hex<const N: usize>(text: &str) -> Option<[u8; N]> {
    let mut bytes = [0u8; N];
    hex::decode_to_slice(text.trim(), &mut bytes).ok()?;
    Some(bytes)
}

/// Values of the cookie `name` in the request's `Cookie` headers.
pub fn cookies<'a>(headers: &'a HeaderMap, name: &'a str) -> impl Iterator<Item = &'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .filter(move |(found, _)| *found == name)
        .map(|(_, value)| value.trim_matches('"'))
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
    async fn admit(&self, headers: &HeaderMap) -> Result<(Session, Option<String>), ApiError> {
        let existing = cookies(headers, COOKIE_NAME).find_map(|value| self.sessions.verify(value));
        match (self.mode, existing) {
            (AuthMode::None, Some(session)) => Ok((session, None)),
            (AuthMode::None, None) => {
                let (session, cookie) = self.sessions.issue();
                Ok((session, Some(cookie)))
            }
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
                Ok((session, None))
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
    let (session, new_cookie) = match gate.admit(request.headers()).await {
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
    let mut response = if token_ok {
        request.extensions_mut().insert(session);
        next.run(request).await
    } else {
        tracing::debug!(method = %request.method(), path = request.uri().path(), "CSRF check failed");
        ApiError::Forbidden(CSRF_REJECTED).into_response()
    };
    if let Some(cookie) = new_cookie.and_then(|value| sessions.set_cookie(&value)) {
        response.headers_mut().append(SET_COOKIE, cookie);
    }
    response
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

    #[test]
    fn issued_cookies_verify_and_tampered_ones_do_not() {
        let sessions = sessions();
        let (session, cookie) = sessions.issue();
        assert_eq!(sessions.verify(&cookie), Some(session.clone()));
        let other = Sessions::new(&[8u8; 32], false).unwrap();
        assert_eq!(other.verify(&cookie), None);
        let (id, signature) = cookie.split_once('.').unwrap();
        let mut forged_id = id.to_owned();
        forged_id.replace_range(0..1, if id.starts_with('0') { "1" } else { "0" });
        assert_eq!(sessions.verify(&format!("{forged_id}.{signature}")), None);
        for junk in [
            "",
            ".",
            "abc",
            "x.y",
            &format!("{id}."),
            &format!(".{signature}"),
        ] {
            assert_eq!(sessions.verify(junk), None, "{junk:?}");
        }
        assert!(sessions.csrf_matches(&session, session.csrf_token()));
        assert!(!sessions.csrf_matches(&session, ""));
        assert!(!sessions.csrf_matches(&session, &session.csrf_token()[1..]));
        assert_ne!(session.csrf_token(), signature);
    }

    #[test]
    fn cookies_are_http_only_lax_and_secure_only_on_https() {
        let plain = sessions().set_cookie("v").unwrap();
        assert_eq!(plain, "dialdesk_session=v; Path=/; HttpOnly; SameSite=Lax");
        let secure = Sessions::new(&[7u8; 32], true)
            .unwrap()
            .set_cookie("v")
            .unwrap();
        assert!(secure.to_str().unwrap().ends_with("; Secure"));
    }

    #[test]
    fn cookie_header_parsing() {
        let mut headers = HeaderMap::new();
        headers.append(
            COOKIE,
            HeaderValue::from_static("a=1; dialdesk_session=x.y"),
        );
        headers.append(COOKIE, HeaderValue::from_static("dialdesk_session=\"z.w\""));
        let found: Vec<&str> = cookies(&headers, COOKIE_NAME).collect();
        assert_eq!(found, ["x.y", "z.w"]);
    }
}
