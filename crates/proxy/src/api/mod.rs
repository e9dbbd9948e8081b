//! The `/api` routes. Every route added here sits behind the session and CSRF
//! layer ([`crate::session::protect`]).

mod call_log_list;
mod call_logs;
mod calls;
mod contact_write;
mod contacts;
mod error;
mod imports;
mod meta;
mod picks;
mod search;

use axum::extract::DefaultBodyLimit;
use axum::http::header::CACHE_CONTROL;
use axum::http::HeaderValue;
use axum::routing::{get, post, put};
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;

pub use call_log_list::{MAX_EXPORTED, MAX_LISTED, TRUNCATED_HEADER};
pub use error::ApiError;
pub use search::MAX_MATCH;

use crate::session;
use crate::state::AppState;

/// The `/api` router (to be nested at `/api`), with sessions, CSRF checks, JSON
/// 404/405 answers and `Cache-Control: no-store`. `POST /imports` alone has
/// its own body limit, `[import] max_upload_mb`; every other route keeps the
/// default of [`crate::app::BODY_LIMIT`].
pub fn router(state: &AppState) -> Router<AppState> {
    let routes = Router::new()
        .route("/health", get(meta::health))
        .route("/config", get(meta::config))
        .route("/session", get(meta::session))
        .route("/contacts", get(contacts::list).post(contact_write::create))
        .route("/contacts/search", get(search::search))
        .route("/contacts/match", get(search::match_number))
        .route("/contacts/pick", put(picks::save))
        .route(
            "/contacts/{id}",
            get(contacts::one).put(contact_write::update),
        )
        .route(
            "/imports",
            post(imports::upload).layer(DefaultBodyLimit::max(state.import().max_upload_bytes())),
        )
        .route("/imports/{id}", get(imports::status))
        .route("/calls/events", post(calls::record_batch))
        .route("/calls/context", get(calls::context))
        .route("/calls/logs", get(call_log_list::list))
        .route("/calls/logs.csv", get(call_log_list::csv))
        .route(
            "/calls/{root_call_id}/events",
            get(calls::list).post(calls::record),
        )
        .route(
            "/calls/{call_id}/log",
            get(call_logs::get).put(call_logs::save),
        )
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed);
    session::protect(routes, state.sessions().clone()).layer(
        SetResponseHeaderLayer::if_not_present(CACHE_CONTROL, HeaderValue::from_static("no-store")),
    )
}

async fn not_found() -> ApiError {
    ApiError::NotFound
}

async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}
