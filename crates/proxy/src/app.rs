//! The whole HTTP application: `/api`, the app's files, and the layers every
//! response goes through.

use axum::extract::DefaultBodyLimit;
use axum::http::header::{
    CONTENT_SECURITY_POLICY, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::HeaderValue;
use axum::routing::get;
use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::state::AppState;

/// The span of a request: its method and path only. Query strings are left
/// out, since they carry OAuth codes and `state` on the sign-in callback and
/// phone numbers on lookups.
fn request_span<B>(request: &axum::http::Request<B>) -> tracing::Span {
    tracing::debug_span!("request", method = %request.method(), path = request.uri().path())
}
use crate::{api, auth, static_files};

/// Largest request body accepted (axum's default, stated once here).
pub const BODY_LIMIT: usize = 2 * 1024 * 1024;
/// HSTS value sent when the public URL is https.
pub const HSTS: &str = "max-age=31536000";

/// The router serving `/api` and the app, with security headers (HSTS only when
/// the public URL is https), compression, the body limit and request tracing.
pub fn router(state: AppState) -> Router {
    let csp = state.site().csp().clone();
    let hsts = state.https().then(|| HeaderValue::from_static(HSTS));
    Router::new()
        .route("/", get(static_files::index))
        .route("/index.html", get(static_files::index))
        .nest("/api", api::router(&state))
        .merge(auth::router(&state))
        .fallback(static_files::fallback)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(SetResponseHeaderLayer::if_not_present(
            CONTENT_SECURITY_POLICY,
            csp,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            STRICT_TRANSPORT_SECURITY,
            move |_: &axum::response::Response| hsts.clone(),
        ))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .with_state(state)
}
