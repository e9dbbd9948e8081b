//! The simulator page and its script and stylesheet, embedded in the binary.

use axum::http::header::{self, HeaderName, HeaderValue};
use axum::response::{IntoResponse, Response};

const INDEX_HTML: &str = include_str!("../static/index.html");
const SIM_JS: &str = include_str!("../static/sim.js");
const SIM_CSS: &str = include_str!("../static/sim.css");
const SDK_JS: &str = include_str!("../static/sdk.js");

/// The page's policy: its own scripts, styles and API only; frames from anywhere (hostile frames).
const PAGE_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     connect-src 'self'; img-src 'self' data:; frame-src *; object-src 'none'; \
     base-uri 'none'; form-action 'none'";

/// Where the simulator page lives, as on `applications.zoom.us`.
pub const HOME_PATH: &str = "/integration/phone/embeddablephone/home";

/// The simulator page.
pub async fn home() -> Response {
    asset(
        "text/html; charset=utf-8",
        INDEX_HTML.to_owned(),
        Some(PAGE_CSP),
    )
}

/// The simulator page's script.
pub async fn sim_js() -> Response {
    asset("text/javascript; charset=utf-8", SIM_JS.to_owned(), None)
}

/// The simulator page's stylesheet.
pub async fn sim_css() -> Response {
    asset("text/css; charset=utf-8", SIM_CSS.to_owned(), None)
}

/// The stand-in for Zoom's `sdk.js` loader, run by the host page: it creates the embed
/// iframe and calls `window.onZoomPhoneIframeApiReady` after each load.
pub async fn sdk_js() -> Response {
    asset("text/javascript; charset=utf-8", SDK_JS.to_owned(), None)
}

/// A text response that is never cached or sniffed, with an optional Content-Security-Policy.
pub fn asset(content_type: &'static str, body: String, csp: Option<&'static str>) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(
        HeaderName::from_static("x-content-type-options"),
        HeaderValue::from_static("nosniff"),
    );
    if let Some(csp) = csp {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(csp),
        );
    }
    response
}
