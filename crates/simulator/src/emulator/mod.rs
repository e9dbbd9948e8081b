//! The Zoom REST + OAuth emulator (contract §5): user OAuth with PKCE, Server-to-Server
//! `account_credentials`, the phone, contact and call-history endpoints with realistic sizes and
//! paging, recording downloads through a second host, fault switches, and test hooks under
//! `/__emu/`.
//!
//! Two routers: [`Emulator::api_router`] (OAuth, `/v2`, `/__emu`) for the main listener and
//! [`Emulator::file_router`] (recording files) for the second host. Neither has a fallback, so
//! they merge into other routers.

mod calls;
mod directory;
mod draw;
mod error;
mod faults;
mod files;
mod gate;
mod history;
mod hooks;
mod oauth;
mod page;
mod paging;
mod params;
mod pkce;
mod range;
mod rest;
mod spawn;
mod state;
mod tokens;

use std::sync::Arc;

use axum::middleware;
use axum::routing::{get, post};
use axum::Router;

pub use directory::{set_user_count, MAX_USERS};
pub use spawn::{spawn_for_tests, RunningEmulator};

use state::Shared;

/// The client id of the demo's user-OAuth app, when none is configured.
pub const DEMO_CLIENT_ID: &str = "emu-client-id";
/// The client secret of the demo's user-OAuth app, when none is configured.
pub const DEMO_CLIENT_SECRET: &str = "emu-client-secret";
/// The client id of the demo's Server-to-Server app, when none is configured.
pub const DEMO_S2S_CLIENT_ID: &str = "emu-s2s-id";
/// The client secret of the demo's Server-to-Server app, when none is configured.
pub const DEMO_S2S_CLIENT_SECRET: &str = "emu-s2s-secret";
/// The demo's account id, when none is configured.
pub const DEMO_ACCOUNT_ID: &str = "emu-account";

/// The apps and account the emulator accepts.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// Client id of the user-OAuth app (authorization code and refresh grants).
    pub client_id: String,
    /// Client secret of the user-OAuth app.
    pub client_secret: String,
    /// Client id of the Server-to-Server app (`account_credentials`).
    pub s2s_client_id: String,
    /// Client secret of the Server-to-Server app.
    pub s2s_client_secret: String,
    /// The account id `account_credentials` must name.
    pub account_id: String,
}

impl Credentials {
    /// The fixed demo values: `emu-client-id`, `emu-client-secret`, `emu-s2s-id`,
    /// `emu-s2s-secret`, `emu-account`.
    pub fn demo() -> Self {
        Self {
            client_id: DEMO_CLIENT_ID.to_owned(),
            client_secret: DEMO_CLIENT_SECRET.to_owned(),
            s2s_client_id: DEMO_S2S_CLIENT_ID.to_owned(),
            s2s_client_secret: DEMO_S2S_CLIENT_SECRET.to_owned(),
            account_id: DEMO_ACCOUNT_ID.to_owned(),
        }
    }
}

/// Secrets stay out of debug output (and so out of logs).
impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("s2s_client_id", &self.s2s_client_id)
            .field("s2s_client_secret", &"<redacted>")
            .field("account_id", &self.account_id)
            .finish()
    }
}

/// Where the emulator is reachable, known once its listeners are bound.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrls {
    /// The OAuth base and API origin, without a trailing slash: `http://localhost:8081`.
    pub oauth_base: String,
    /// The recording file host as `host:port`: `127.0.0.2:8081`.
    pub file_host: String,
}

impl PublicUrls {
    /// The API base: the OAuth base plus `/v2`.
    pub fn api_base(&self) -> String {
        format!("{}/v2", self.oauth_base)
    }
}

/// One emulated Zoom: its apps, users, calls, issued tokens, faults and counters. Cheap to
/// clone; clones share everything.
#[derive(Clone)]
pub struct Emulator {
    shared: Arc<Shared>,
}

impl Emulator {
    /// An emulator answering for `credentials`, reachable at `urls`. Its calls run up to now.
    pub fn new(credentials: Credentials, urls: PublicUrls) -> Self {
        Self {
            shared: Arc::new(Shared::new(credentials, urls)),
        }
    }

    /// OAuth (`/oauth/authorize`, `/oauth/token`), the REST API under `/v2`, and the test hooks
    /// under `/__emu/`; for the main listener.
    pub fn api_router(&self) -> Router {
        let shared = Arc::clone(&self.shared);
        let v2 = Router::new()
            .route("/v2/users/me", get(rest::me))
            .route("/v2/phone/users/{user_id}", get(rest::phone_user))
            .route("/v2/contacts", get(rest::contacts))
            .route("/v2/phone/external_contacts", get(rest::external_contacts))
            .route("/v2/phone/call_history", get(history::call_history))
            .route(
                "/v2/phone/users/{user_id}/call_history",
                get(history::user_call_history),
            )
            .route(
                "/v2/phone/call_history/{call_history_uuid}",
                get(history::call_history_one),
            )
            .route(
                "/v2/phone/call_element/{call_element_id}",
                get(history::call_element),
            )
            .route("/v2/phone/call_logs", get(history::call_logs))
            .route(
                "/v2/phone/call_logs/{id}/recordings",
                get(history::recording),
            )
            .route(
                "/v2/phone/recording/download/{file_id}",
                get(files::download),
            )
            .route("/v2/{*rest}", get(rest::unknown))
            .route_layer(middleware::from_fn_with_state(
                Arc::clone(&shared),
                gate::api_gate,
            ));
        let oauth = Router::new()
            .route(
                "/oauth/authorize",
                get(oauth::authorize_page).post(oauth::authorize_decision),
            )
            .route("/oauth/token", post(oauth::token))
            .route("/oauth/revoke", post(oauth::revoke))
            .route_layer(middleware::from_fn_with_state(
                Arc::clone(&shared),
                gate::oauth_gate,
            ));
        let hooks = Router::new()
            .route("/__emu/requests", get(hooks::requests))
            .route("/__emu/tokens", get(hooks::tokens))
            .route("/__emu/faults", get(hooks::faults).post(hooks::set_faults))
            .route("/__emu/reset", post(hooks::reset));
        v2.merge(oauth).merge(hooks).with_state(shared)
    }

    /// The recording file host: `GET /__emu/files/{file_id}`; for the second listener.
    pub fn file_router(&self) -> Router {
        Router::new()
            .route("/__emu/files/{file_id}", get(files::serve))
            .with_state(Arc::clone(&self.shared))
    }
}

#[cfg(test)]
mod tests;
