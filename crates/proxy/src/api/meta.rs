//! `GET /api/health`, `GET /api/config` and `GET /api/session`.

use axum::extract::State;
use axum::Json;
use dialdesk_contract::{AppConfig, Health, SessionInfo};

use crate::session::Session;
use crate::state::AppState;

/// `GET /api/health`: the proxy answers.
pub async fn health() -> Json<Health> {
    Json(Health {
        status: "ok".to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
    })
}

/// `GET /api/config`: the deploy-specific settings of the app.
pub async fn config(State(state): State<AppState>) -> Json<AppConfig> {
    Json(state.app_config().clone())
}

/// `GET /api/session`: the caller's CSRF token, the sign-in mode, their role and
/// whose unlogged calls they may pick.
pub async fn session(State(state): State<AppState>, session: Session) -> Json<SessionInfo> {
    Json(SessionInfo {
        csrf_token: session.csrf_token().to_owned(),
        auth: state.app_config().auth,
        role: state.role_of(&session),
        user_id: session.user_id().map(str::to_owned),
        oversees: state.overseen_by(&session),
    })
}
