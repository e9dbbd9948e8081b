//! Who may use a route and for how long: each entry of the route table names its
//! rule, and the router puts the rule's check and the request deadline in front
//! of the handler.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::ApiError;
use crate::session::Session;
use crate::state::AppState;

/// The rule of one route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone with a session (signed in with `auth = "zoom"`).
    SignedIn,
    /// Admins only: CSV imports and starting a Zoom sync.
    Admin,
}

/// The answer to a non-admin when admins are named.
pub const ADMINS_ONLY: &str = "only an admin may do this; ask one of the admins named under \
     [roles] admins in dialdesk.toml";
/// The answer to a non-admin when nobody is named an admin yet.
pub const NO_ADMIN_NAMED: &str = "only an admin may do this, and nobody is named one yet: add \
     a Zoom e-mail address or user id under [roles] admins in dialdesk.toml and restart";

/// Lets admins through; anyone else gets 403 saying how an admin is named.
pub async fn admin_only(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(session) = request.extensions().get::<Session>() else {
        return ApiError::Internal.into_response();
    };
    if state.role_of(session).is_admin() {
        return next.run(request).await;
    }
    tracing::info!(
        method = %request.method(),
        path = request.uri().path(),
        "refused: not an admin"
    );
    let message = if state.roles().has_admin() {
        ADMINS_ONLY
    } else {
        NO_ADMIN_NAMED
    };
    ApiError::Forbidden(message).into_response()
}

/// Whether a route's requests have the deadline of `[limits] request_timeout_secs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deadline {
    /// Answered within the deadline, or 503.
    Bounded,
    /// Uploads and streams, which take as long as the file does.
    Unbounded,
}

/// The answer to a request that ran out of time.
pub const TOO_SLOW: &str = "dialdesk took too long to answer this request; try again in a \
     few seconds";

/// Answers 503 (with `Retry-After`) when the handler takes longer than the deadline;
/// the handler is dropped, so what it was waiting for is abandoned.
pub async fn deadline(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (method, path) = (request.method().clone(), request.uri().path().to_owned());
    match tokio::time::timeout(state.request_timeout(), next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(%method, path, "a request ran out of time");
            ApiError::Busy(TOO_SLOW).into_response()
        }
    }
}
