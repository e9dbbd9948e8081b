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
mod zoom;

use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::http::header::CACHE_CONTROL;
use axum::http::{HeaderValue, Method};
use axum::routing::{get, on, MethodFilter, MethodRouter};
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;

pub use call_log_list::{MAX_EXPORTED, MAX_LISTED, TRUNCATED_HEADER};
pub use error::ApiError;
pub use search::MAX_MATCH;

use crate::session::{self, Gate};
use crate::state::AppState;

/// The routes open to everyone: nothing but the proxy's health and the app's
/// configuration (which the sign-in screen needs).
pub const OPEN_ROUTES: [&str; 2] = ["/health", "/config"];

/// One method of one protected route.
pub struct ApiRoute {
    /// Path under `/api`, with `{name}` parameters.
    pub path: &'static str,
    /// The method.
    pub method: Method,
    handler: MethodRouter<AppState>,
}

impl ApiRoute {
    fn new<H, T>(method: Method, path: &'static str, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let filter = MethodFilter::try_from(method.clone()).unwrap_or(MethodFilter::GET);
        Self {
            path,
            method,
            handler: on(filter, handler),
        }
    }
}

/// Every route behind the session and CSRF layer, one entry per method: the
/// router is built from this table, and tests walk it.
pub fn route_table(state: &AppState) -> Vec<ApiRoute> {
    use Method as M;
    let upload_limit = DefaultBodyLimit::max(state.import().max_upload_bytes());
    vec![
        ApiRoute::new(M::GET, "/session", meta::session),
        ApiRoute::new(M::DELETE, "/session", crate::auth::sign_out),
        ApiRoute::new(M::GET, "/contacts", contacts::list),
        ApiRoute::new(M::POST, "/contacts", contact_write::create),
        ApiRoute::new(M::GET, "/contacts/search", search::search),
        ApiRoute::new(M::GET, "/contacts/match", search::match_number),
        ApiRoute::new(M::PUT, "/contacts/pick", picks::save),
        ApiRoute::new(M::GET, "/contacts/{id}", contacts::one),
        ApiRoute::new(M::PUT, "/contacts/{id}", contact_write::update),
        ApiRoute::new(M::POST, "/imports", imports::upload.layer(upload_limit)),
        ApiRoute::new(M::GET, "/imports/{id}", imports::status),
        ApiRoute::new(M::POST, "/calls/events", calls::record_batch),
        ApiRoute::new(M::GET, "/calls/context", calls::context),
        ApiRoute::new(M::GET, "/calls/logs", call_log_list::list),
        ApiRoute::new(M::GET, "/calls/logs.csv", call_log_list::csv),
        ApiRoute::new(M::GET, "/calls/{root_call_id}/events", calls::list),
        ApiRoute::new(M::POST, "/calls/{root_call_id}/events", calls::record),
        ApiRoute::new(M::GET, "/calls/{call_id}/log", call_logs::get),
        ApiRoute::new(M::PUT, "/calls/{call_id}/log", call_logs::save),
        ApiRoute::new(M::GET, "/calls/unlogged", zoom::unlogged),
        ApiRoute::new(M::GET, "/calls/{call_id}/recording", zoom::recording),
        ApiRoute::new(M::GET, "/me", zoom::me),
        ApiRoute::new(M::GET, "/zoom/directory", zoom::directory),
        ApiRoute::new(M::GET, "/zoom/contacts/sync", zoom::sync_status),
        ApiRoute::new(M::POST, "/zoom/contacts/sync", zoom::sync_start),
        ApiRoute::new(M::GET, "/zoom/calls", zoom::calls),
        ApiRoute::new(M::GET, "/zoom/calls/{uuid}", zoom::call_detail),
        ApiRoute::new(M::GET, "/zoom/elements/{id}", zoom::call_element),
    ]
}

/// The `/api` router (to be nested at `/api`): [`OPEN_ROUTES`] for everyone,
/// every route of [`route_table`] behind sessions and CSRF checks, JSON
/// 404/405 answers and `Cache-Control: no-store`. `POST /imports` alone has
/// its own body limit, `[import] max_upload_mb`; every other route keeps the
/// default of [`crate::app::BODY_LIMIT`].
pub fn router(state: &AppState) -> Router<AppState> {
    let open = Router::new()
        .route(OPEN_ROUTES[0], get(meta::health))
        .route(OPEN_ROUTES[1], get(meta::config));
    let protected = route_table(state)
        .into_iter()
        .fold(Router::new(), |router, route| {
            router.route(route.path, route.handler)
        })
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed);
    let gate = Gate::new(
        state.sessions().clone(),
        state.app_config().auth,
        state.db().clone(),
    );
    open.merge(session::protect(protected, gate))
        .layer(SetResponseHeaderLayer::if_not_present(
            CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

async fn not_found() -> ApiError {
    ApiError::NotFound
}

async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}
