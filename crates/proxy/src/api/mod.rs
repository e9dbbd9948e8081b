//! The `/api` routes. Every route added here sits behind the session and CSRF
//! layer ([`crate::session::protect`]).

mod access;
mod audit;
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

use axum::handler::Handler;
use axum::http::header::CACHE_CONTROL;
use axum::http::{HeaderValue, Method};
use axum::middleware::from_fn_with_state;
use axum::routing::{get, on, MethodFilter, MethodRouter};
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;

pub use access::{Access, Deadline, ADMINS_ONLY, NOT_YOUR_CALL, NO_ADMIN_NAMED, TOO_SLOW};
pub use audit::MAX_AUDIT_ROWS;
pub use call_log_list::{MAX_EXPORTED, MAX_LISTED, TRUNCATED_HEADER};
pub use error::ApiError;
pub use search::MAX_MATCH;
pub use zoom::OWN_CALLS_ONLY;

use crate::session::{self, Gate};
use crate::state::AppState;

/// The routes open to everyone: nothing but the proxy's health and the app's
/// configuration (which the sign-in screen needs).
pub const OPEN_ROUTES: [&str; 2] = ["/health", "/config"];

/// One method of one protected route, with who may use it.
pub struct ApiRoute {
    /// Path under `/api`, with `{name}` parameters.
    pub path: &'static str,
    /// The method.
    pub method: Method,
    /// Who may use it.
    pub access: Access,
    /// Whether its requests have the request deadline.
    pub deadline: Deadline,
    handler: MethodRouter<AppState>,
}

impl ApiRoute {
    /// A route answered within the request deadline.
    fn new<H, T>(
        state: &AppState,
        method: Method,
        path: &'static str,
        access: Access,
        handler: H,
    ) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        Self::build(state, method, path, access, Deadline::Bounded, handler)
    }

    /// A route without the request deadline: an upload or a stream.
    fn unbounded<H, T>(
        state: &AppState,
        method: Method,
        path: &'static str,
        access: Access,
        handler: H,
    ) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        Self::build(state, method, path, access, Deadline::Unbounded, handler)
    }

    fn build<H, T>(
        state: &AppState,
        method: Method,
        path: &'static str,
        access: Access,
        deadline: Deadline,
        handler: H,
    ) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let filter = MethodFilter::try_from(method.clone()).unwrap_or(MethodFilter::GET);
        let mut handler = on(filter, handler);
        match access {
            Access::Admin => {
                handler =
                    handler.route_layer(from_fn_with_state(state.clone(), access::admin_only));
            }
            Access::CallParty => {
                handler =
                    handler.route_layer(from_fn_with_state(state.clone(), access::call_party_only));
            }
            Access::SignedIn | Access::ZoomCallParty | Access::OwnOrOverseen => {}
        }
        if deadline == Deadline::Bounded {
            handler = handler.route_layer(from_fn_with_state(state.clone(), access::deadline));
        }
        Self {
            path,
            method,
            access,
            deadline,
            handler,
        }
    }
}

/// Every route behind the session and CSRF layer, one entry per method with its
/// rule: the router is built from this table, and tests walk it.
pub fn route_table(state: &AppState) -> Vec<ApiRoute> {
    use Access::{
        Admin, CallParty as Party, OwnOrOverseen as Overseen, SignedIn as Any,
        ZoomCallParty as ZoomParty,
    };
    use Method as M;
    vec![
        ApiRoute::new(state, M::GET, "/session", Any, meta::session),
        ApiRoute::new(state, M::DELETE, "/session", Any, crate::auth::sign_out),
        ApiRoute::new(
            state,
            M::DELETE,
            "/sessions",
            Any,
            crate::auth::sign_out_everywhere,
        ),
        ApiRoute::new(state, M::GET, "/contacts", Any, contacts::list),
        ApiRoute::new(state, M::POST, "/contacts", Any, contact_write::create),
        ApiRoute::new(state, M::GET, "/contacts/search", Any, search::search),
        ApiRoute::new(state, M::GET, "/contacts/match", Any, search::match_number),
        ApiRoute::new(state, M::PUT, "/contacts/pick", Any, picks::save),
        ApiRoute::new(state, M::GET, "/contacts/{id}", Any, contacts::one),
        ApiRoute::new(state, M::PUT, "/contacts/{id}", Any, contact_write::update),
        ApiRoute::unbounded(state, M::POST, "/imports", Admin, imports::upload),
        ApiRoute::new(state, M::GET, "/imports/{id}", Admin, imports::status),
        ApiRoute::new(state, M::POST, "/calls/events", Any, calls::record_batch),
        ApiRoute::new(state, M::GET, "/calls/context", Any, calls::context),
        ApiRoute::new(state, M::GET, "/calls/logs", Overseen, call_log_list::list),
        ApiRoute::new(
            state,
            M::GET,
            "/calls/logs.csv",
            Overseen,
            call_log_list::csv,
        ),
        ApiRoute::new(
            state,
            M::GET,
            "/calls/{root_call_id}/events",
            Party,
            calls::list,
        ),
        ApiRoute::new(
            state,
            M::POST,
            "/calls/{root_call_id}/events",
            Any,
            calls::record,
        ),
        ApiRoute::new(state, M::GET, "/calls/{call_id}/log", Party, call_logs::get),
        ApiRoute::new(
            state,
            M::PUT,
            "/calls/{call_id}/log",
            Party,
            call_logs::save,
        ),
        ApiRoute::new(state, M::GET, "/calls/unlogged", Overseen, zoom::unlogged),
        ApiRoute::unbounded(
            state,
            M::GET,
            "/calls/{call_id}/recording",
            ZoomParty,
            zoom::recording,
        ),
        ApiRoute::new(state, M::GET, "/me", Any, zoom::me),
        ApiRoute::new(state, M::GET, "/zoom/directory", Any, zoom::directory),
        ApiRoute::new(state, M::GET, "/zoom/contacts/sync", Any, zoom::sync_status),
        ApiRoute::new(
            state,
            M::POST,
            "/zoom/contacts/sync",
            Admin,
            zoom::sync_start,
        ),
        ApiRoute::new(state, M::GET, "/zoom/calls", Any, zoom::calls),
        ApiRoute::new(state, M::GET, "/audit", Admin, audit::list),
        ApiRoute::new(state, M::GET, "/audit.csv", Admin, audit::csv),
        ApiRoute::new(
            state,
            M::GET,
            "/zoom/calls/{uuid}",
            ZoomParty,
            zoom::call_detail,
        ),
        ApiRoute::new(
            state,
            M::GET,
            "/zoom/elements/{id}",
            ZoomParty,
            zoom::call_element,
        ),
    ]
}

/// The `/api` router (to be nested at `/api`): [`OPEN_ROUTES`] for everyone,
/// every route of [`route_table`] behind sessions and CSRF checks, JSON
/// 404/405 answers and `Cache-Control: no-store`. `POST /imports` alone reads
/// its body as a stream, to a temporary file of at most `[import] max_upload_mb`;
/// every other route keeps the default of [`crate::app::BODY_LIMIT`].
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
        .method_not_allowed_fallback(method_not_allowed)
        .layer(from_fn_with_state(state.clone(), audit::refusals));
    let gate = Gate::new(
        state.sessions().clone(),
        state.app_config().auth,
        state.db().clone(),
        state.api_requests().clone(),
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
