//! The two routers: the main listener (page, SSE, control API) and the hostile listener
//! (only the hostile frame and its script).

use std::sync::Arc;

use axum::extract::FromRef;
use axum::http::Uri;
use axum::response::Redirect;
use axum::routing::{get, post};
use axum::Router;
use tower_http::cors::CorsLayer;

use crate::api;
use crate::api_error::ApiError;
use crate::frame;
use crate::hub::Hub;
use crate::pages::{self, HOME_PATH};
use crate::shutdown::Shutdown;
use crate::sse;

/// What the main router's handlers share.
#[derive(Clone)]
pub struct AppState {
    /// The simulator state.
    pub hub: Arc<Hub>,
    /// Ends SSE streams on shutdown.
    pub shutdown: Shutdown,
}

impl FromRef<AppState> for Arc<Hub> {
    fn from_ref(state: &AppState) -> Self {
        Arc::clone(&state.hub)
    }
}

impl FromRef<AppState> for Shutdown {
    fn from_ref(state: &AppState) -> Self {
        state.shutdown.clone()
    }
}

/// The main listener: the simulator page, its SSE stream and the `/__sim/` control API,
/// all with `Access-Control-Allow-Origin: *` and working preflight.
pub fn main_router(state: AppState) -> Router {
    Router::new()
        .route("/", get(|| async { Redirect::temporary(HOME_PATH) }))
        .route(HOME_PATH, get(pages::home))
        .route("/__sim/static/sim.js", get(pages::sim_js))
        .route("/__sim/static/sim.css", get(pages::sim_css))
        .route("/__sim/sdk.js", get(pages::sdk_js))
        .route("/__sim/stream", get(sse::stream))
        .route("/__sim/command", post(api::command))
        .route("/__sim/emit", post(api::emit))
        .route("/__sim/scenario/{name}", post(api::scenario))
        .route("/__sim/received", get(api::received))
        .route("/__sim/state", get(api::state))
        .route("/__sim/reset", post(api::reset))
        .route("/__sim/config", post(api::config))
        .route("/__sim/burst-done", post(api::burst_done))
        .merge(frame_routes())
        .fallback(not_found)
        .layer(CorsLayer::permissive())
        .with_state(state)
}

/// The hostile listener: only `/__sim/frame` and its script; 404 for everything else.
pub fn hostile_router() -> Router {
    frame_routes().fallback(not_found)
}

fn frame_routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/__sim/frame", get(frame::page))
        .route("/__sim/static/frame.js", get(frame::script))
}

async fn not_found(uri: Uri) -> ApiError {
    ApiError::NotFound(uri.path().to_owned())
}

#[cfg(test)]
mod tests;
