//! Sign-in with Zoom (`auth = "zoom"`, DESIGN §10): starting a signed-in
//! session once Zoom has said who the user is, and signing out.
//!
//! A signed-in session is a fresh cookie id (never the one the browser came
//! with, so a planted cookie cannot be promoted) and a `user_sessions` row
//! lasting [`SESSION_SECS`].

use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::api::ApiError;
use crate::db::user_sessions::{self, StoredUser};
use crate::session::Session;
use crate::state::AppState;

/// How long a signed-in session lasts: a working day and then some.
pub const SESSION_SECS: i64 = 12 * 60 * 60;

/// Stores `user` and starts a signed-in session for them; returns the
/// session and the `Set-Cookie` value that carries it.
pub async fn start_session(
    state: &AppState,
    user: StoredUser,
) -> Result<(Session, HeaderValue), ApiError> {
    let (session, cookie) = state.sessions().issue();
    let id = session.id().to_owned();
    state
        .db()
        .write(move |conn| user_sessions::start(conn, &user, &id, SESSION_SECS))
        .await?;
    let header = state
        .sessions()
        .set_cookie(&cookie)
        .ok_or(ApiError::Internal)?;
    Ok((session, header))
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
    let mut response = StatusCode::NO_CONTENT.into_response();
    if let Some(cookie) = state.sessions().clear_cookie() {
        response.headers_mut().append(SET_COOKIE, cookie);
    }
    Ok(response)
}
