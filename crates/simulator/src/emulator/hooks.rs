//! The test hooks under `/__emu/`: request counters, issued tokens, fault switches, reset.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::faults::{FaultPatch, Faults};
use super::state::{Counters, Shared};

/// `GET /__emu/requests`: `{total, by_route, grants, file_requests,
/// file_requests_with_authorization}`.
pub async fn requests(State(shared): State<Arc<Shared>>) -> Json<Counters> {
    Json(shared.counters().clone())
}

/// `GET /__emu/tokens`: every access token, refresh token and code ever issued, and the two
/// client secrets, so tests can look for any of them where they must not be.
pub async fn tokens(State(shared): State<Arc<Shared>>) -> Json<Value> {
    let issued = shared.tokens().issued().clone();
    Json(json!({
        "access_tokens": issued.access_tokens,
        "refresh_tokens": issued.refresh_tokens,
        "codes": issued.codes,
        "revoked": issued.revoked,
        "secrets": [
            shared.credentials.client_secret,
            shared.credentials.s2s_client_secret,
        ],
    }))
}

/// `GET /__emu/faults`: the current faults.
pub async fn faults(State(shared): State<Arc<Shared>>) -> Json<Faults> {
    Json(shared.faults().clone())
}

/// `POST /__emu/faults`: applies a JSON patch (missing fields unchanged) and answers with the
/// resulting faults; a malformed patch is a 400 `{"error"}` and changes nothing.
pub async fn set_faults(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let patch: FaultPatch = match serde_json::from_slice(&body) {
        Ok(patch) => patch,
        Err(err) => return refuse(&format!("invalid faults: {err}")),
    };
    let (actions, current) = {
        let mut faults = shared.faults();
        match faults.apply(patch) {
            Ok(actions) => (actions, faults.clone()),
            Err(reason) => return refuse(&format!("invalid faults: {reason}")),
        }
    };
    if actions.expire_access_tokens {
        shared.tokens().expire_access_tokens();
    }
    if actions.expire_page_tokens {
        shared.pages().expire_all();
    }
    tracing::info!(?current, "emulator faults changed");
    Json(current).into_response()
}

/// `POST /__emu/reset`: no faults, zero counters; users, data and tokens stay.
pub async fn reset(State(shared): State<Arc<Shared>>) -> StatusCode {
    *shared.faults() = Faults::default();
    *shared.counters() = Counters::default();
    StatusCode::NO_CONTENT
}

fn refuse(reason: &str) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": reason }))).into_response()
}
