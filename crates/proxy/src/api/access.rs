//! Who may use a route: each entry of the route table names its rule, and the
//! router puts the rule's check in front of the handler.

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
