//! Sign-in with Zoom (`auth = "zoom"`): the authorization-code
//! flow with PKCE and `state` (`GET /auth/login` and `GET /auth/callback`),
//! signed-in sessions, and signing out.
//!
//! `/auth/login` keeps the PKCE verifier on the server under a random
//! `state`, bound to the browser by a short-lived HttpOnly cookie, and sends
//! the browser to Zoom. The callback takes that pending sign-in once (wrong
//! or reused `state`, another browser, or older than ten minutes: refused),
//! exchanges the code with the verifier, asks Zoom who signed in, stores the
//! user and their token pair, and starts a session. A signed-in session is a
//! fresh cookie id (never the one the browser came with, so a planted cookie
//! cannot be promoted) and a `user_sessions` row lasting [`SESSION_SECS`].
//! Failures are a small page with the reason and a link to start again:
//! nothing redirects by itself, so a failing sign-in cannot loop.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Query, State};
use axum::http::header::{LOCATION, RETRY_AFTER};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use axum_extra::extract::cookie::Cookie;
use dialdesk_contract::AuthMode;
use serde::Deserialize;
use time::Duration;

use crate::api::ApiError;
use crate::db::user_sessions;
use crate::session::Session;
use crate::state::AppState;
use crate::zoom::{Pkce, ZoomError};

/// Cookie binding a sign-in under way to the browser that started it.
const SIGN_IN_COOKIE: &str = "dialdesk_signin";
/// Path of the sign-in routes (and of [`SIGN_IN_COOKIE`]).
const AUTH_PATH: &str = "/auth";

/// The sign-in routes, with `auth = "zoom"` only (to be merged at the root).
pub fn router(state: &AppState) -> Router<AppState> {
    if state.app_config().auth != AuthMode::Zoom {
        return Router::new();
    }
    Router::new()
        .route("/auth/login", get(login))
        .route("/auth/callback", get(callback))
}

/// `GET /auth/login`: remembers a new sign-in and redirects to Zoom's
/// authorize page.
async fn login(
    State(state): State<AppState>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
) -> Result<Response, SignInFailure> {
    let zoom = state.zoom().ok_or(SignInFailure::NotConfigured)?;
    let peer = peer.map(|Extension(ConnectInfo(address))| address.ip());
    state
        .sign_ins()
        .check(peer, &headers)
        .map_err(|wait| SignInFailure::TooMany(wait.as_secs().max(1)))?;
    let pkce = Pkce::new();
    let sign_in_state = random_hex();
    let browser_key = random_hex();
    let url = zoom
        .authorize_url(&sign_in_state, &pkce.challenge)
        .map_err(SignInFailure::Zoom)?;
    let (key, verifier) = (browser_key.clone(), pkce.verifier);
    state
        .db()
        .write(move |conn| user_sessions::remember_pending(conn, &sign_in_state, &verifier, &key))
        .await
        .map_err(|err| SignInFailure::Api(err.into()))?;
    let mut cookie = state
        .sessions()
        .cookie(SIGN_IN_COOKIE, browser_key, AUTH_PATH);
    cookie.set_max_age(Duration::seconds(user_sessions::PENDING_SECS));
    let jar = state.sessions().new_jar().add(cookie);
    Ok((jar, redirect(url.as_str())).into_response())
}

/// What Zoom sends back to the callback.
#[derive(Deserialize)]
struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// `GET /auth/callback`: completes the sign-in and goes to the app.
async fn callback(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<CallbackQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, SignInFailure> {
    let zoom = state.zoom().ok_or(SignInFailure::NotConfigured)?;
    let Query(query) = query.map_err(|_| SignInFailure::Stale)?;
    if query.error.is_some() {
        return Err(SignInFailure::Declined);
    }
    let (Some(code), Some(sign_in_state)) = (query.code, query.state) else {
        return Err(SignInFailure::Stale);
    };
    let jar = state.sessions().jar(&headers);
    let browser_key = jar
        .get(SIGN_IN_COOKIE)
        .map(|cookie| cookie.value().to_owned())
        .unwrap_or_default();
    let verifier = state
        .db()
        .write(move |conn| user_sessions::take_pending(conn, &sign_in_state, &browser_key))
        .await
        .map_err(|err| SignInFailure::Api(err.into()))?
        .ok_or(SignInFailure::Stale)?;
    let user = zoom
        .sign_in(&code, &verifier)
        .await
        .map_err(SignInFailure::Zoom)?;
    let session = start_session(&state, &user.id)
        .await
        .map_err(SignInFailure::Api)?;
    let jar = state
        .sessions()
        .with_session(jar, &session)
        .remove(Cookie::build(SIGN_IN_COOKIE).path(AUTH_PATH));
    Ok((jar, redirect("/")).into_response())
}

/// Why a sign-in did not complete; shown as a small page.
#[derive(Debug, thiserror::Error)]
enum SignInFailure {
    #[error("sign-in with Zoom is not configured on this server")]
    NotConfigured,
    #[error("this sign-in link is no longer valid (it was used, is older than ten minutes, or was started in another browser)")]
    Stale,
    #[error("the sign-in was cancelled in Zoom")]
    Declined,
    #[error("{0}")]
    Zoom(ZoomError),
    #[error("{0}")]
    Api(ApiError),
    #[error("too many sign-ins were started from this address; try again in {0} s")]
    TooMany(u64),
}

impl IntoResponse for SignInFailure {
    fn into_response(self) -> Response {
        let status = match &self {
            Self::NotConfigured => StatusCode::NOT_FOUND,
            Self::Stale | Self::Declined => StatusCode::BAD_REQUEST,
            Self::Zoom(ZoomError::Unavailable(_)) => StatusCode::BAD_GATEWAY,
            Self::Zoom(_) => StatusCode::FORBIDDEN,
            Self::Api(err) => err.status(),
            Self::TooMany(_) => StatusCode::TOO_MANY_REQUESTS,
        };
        let retry_after = match &self {
            Self::TooMany(secs) => Some(*secs),
            _ => None,
        };
        tracing::warn!(reason = %self, "sign-in with Zoom failed");
        let page = format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
             <title>Sign-in failed · dialdesk</title></head><body><main>\
             <h1>Sign-in with Zoom did not complete</h1><p id=\"sign-in-error\">{}</p>\
             <p><a href=\"/auth/login\">Sign in with Zoom again</a> · <a href=\"/\">Back to dialdesk</a></p>\
             </main></body></html>",
            escape(&self.to_string())
        );
        let mut response = (status, Html(page)).into_response();
        if let Some(secs) = retry_after {
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn redirect(to: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(location) = HeaderValue::from_str(to) {
        response.headers_mut().insert(LOCATION, location);
    }
    response
}

fn random_hex() -> String {
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes[..]);
    hex::encode(bytes)
}

/// How long a signed-in session lasts: a working day and then some.
pub const SESSION_SECS: i64 = 12 * 60 * 60;

/// Starts a signed-in session for `user_id` (stored in `zoom_users` by the
/// sign-in); [`Sessions::with_session`](crate::session::Sessions::with_session)
/// puts it in the cookie.
pub async fn start_session(state: &AppState, user_id: &str) -> Result<Session, ApiError> {
    let session = state.sessions().issue();
    let (id, user) = (session.id().to_owned(), user_id.to_owned());
    state
        .db()
        .write(move |conn| user_sessions::start(conn, &user, &id, SESSION_SECS))
        .await?;
    Ok(session)
}

/// `DELETE /api/sessions`: signs out everywhere. Ends every session of the signed-in
/// user, revokes their Zoom tokens at Zoom and deletes them, and removes this
/// browser's cookie; `204`. With `auth = "none"` it is a plain sign-out.
pub async fn sign_out_everywhere(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, ApiError> {
    if let Some(user_id) = session.user_id().map(str::to_owned) {
        if let Some(zoom) = state.zoom() {
            zoom.revoke_tokens(&user_id)
                .await
                .map_err(|err| ApiError::ZoomUnavailable(err.to_string()))?;
        }
        let owner = user_id.clone();
        let ended = state
            .db()
            .write(move |conn| user_sessions::end_all(conn, &owner))
            .await?;
        tracing::info!(sessions = ended, "signed out everywhere");
    }
    let jar = state.sessions().without_session(state.sessions().new_jar());
    Ok((jar, StatusCode::NO_CONTENT).into_response())
}

/// `DELETE /api/session`: signs out. Ends the signed-in session (with
/// `auth = "none"` there is none to end) and removes the cookie; `204`.
pub async fn sign_out(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, ApiError> {
    if session.user_id().is_some() {
        let id = session.id().to_owned();
        state
            .db()
            .write(move |conn| user_sessions::end(conn, &id))
            .await?;
        tracing::info!("signed out");
    }
    let jar = state.sessions().without_session(state.sessions().new_jar());
    Ok((jar, StatusCode::NO_CONTENT).into_response())
}
