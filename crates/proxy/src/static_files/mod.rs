//! Serves the built app from `DIALDESK_DIST`: `index.html` from memory with its
//! CSP (for `/` and as the single-page-app fallback), every other file from disk
//! with cache headers by name.

pub mod csp;

use std::path::{Path, PathBuf};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt as _;
use tower_http::services::ServeDir;

use crate::config::Origin;
use crate::state::AppState;

/// `Cache-Control` of files whose name carries trunk's content hash.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// `Cache-Control` of everything else.
pub const NO_CACHE: &str = "no-cache";

/// The app folder cannot be served.
#[derive(Debug, thiserror::Error)]
pub enum StaticError {
    /// The folder does not exist.
    #[error(
        "the app folder {} does not exist; run `cargo xtask demo` or trunk build; set DIALDESK_DIST",
        .0.display()
    )]
    MissingDir(PathBuf),
    /// `index.html` is missing or unreadable.
    #[error(
        "cannot read {}: {source}; run `cargo xtask demo` or trunk build; set DIALDESK_DIST",
        path.display()
    )]
    MissingIndex {
        /// The index file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// `index.html` is not UTF-8 text.
    #[error("{} is not UTF-8 text; rebuild the app", .0.display())]
    NotUtf8(PathBuf),
    /// The computed policy is not a valid header value.
    #[error("the Content-Security-Policy computed from {} is not a valid header", .0.display())]
    BadPolicy(PathBuf),
}

/// The app folder, with `index.html` and its policy read at start.
#[derive(Clone)]
pub struct StaticSite {
    files: ServeDir,
    index: Bytes,
    csp: HeaderValue,
}

impl StaticSite {
    /// Reads `dir/index.html` and computes the CSP that allows its inline
    /// scripts and frames from `embed_origin` only.
    pub fn load(
        dir: &Path,
        embed_origin: &Origin,
        script_origin: Option<&Origin>,
    ) -> Result<Self, StaticError> {
        if !dir.is_dir() {
            return Err(StaticError::MissingDir(dir.to_owned()));
        }
        let index_path = dir.join("index.html");
        let bytes = std::fs::read(&index_path).map_err(|source| StaticError::MissingIndex {
            path: index_path.clone(),
            source,
        })?;
        let html =
            String::from_utf8(bytes).map_err(|_| StaticError::NotUtf8(index_path.clone()))?;
        let policy = csp::policy(&html, embed_origin, script_origin);
        let csp = HeaderValue::from_str(&policy).map_err(|_| StaticError::BadPolicy(index_path))?;
        Ok(Self {
            // `x.br` / `x.gz` written beside an asset at build time (cargo xtask) are sent
            // as they are; other files are compressed on the fly by the app's layer.
            files: ServeDir::new(dir)
                .append_index_html_on_directories(false)
                .precompressed_br()
                .precompressed_gzip(),
            index: Bytes::from(html),
            csp,
        })
    }

    /// The Content-Security-Policy header value.
    pub fn csp(&self) -> &HeaderValue {
        &self.csp
    }

    fn index_response(&self) -> Response {
        (
            [
                (
                    CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                ),
                (CACHE_CONTROL, HeaderValue::from_static(NO_CACHE)),
                (CONTENT_SECURITY_POLICY, self.csp.clone()),
            ],
            self.index.clone(),
        )
            .into_response()
    }
}

/// `GET /` and `GET /index.html`.
pub async fn index(State(state): State<AppState>) -> Response {
    state.site().index_response()
}

/// Every path not routed elsewhere: a file from the app folder, or `index.html`
/// for paths that do not name a file (client-side routes).
pub async fn fallback(State(state): State<AppState>, request: Request) -> Response {
    let path = request.uri().path().to_owned();
    let reading = matches!(*request.method(), Method::GET | Method::HEAD);
    let site = state.site();
    let response = match site.files.clone().oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    if response.status() == StatusCode::NOT_FOUND && reading && !names_a_file(&path) {
        return site.index_response();
    }
    let cacheable = response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED;
    let cache = if cacheable && is_hashed_asset(&path) {
        IMMUTABLE
    } else {
        NO_CACHE
    };
    let mut response = response.map(Body::new);
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

/// Whether the last segment of `path` looks like a file name (has an extension).
fn names_a_file(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .is_some_and(|name| name.contains('.'))
}

/// Whether the file name at the end of `path` carries trunk's content hash: a `-`
/// and the hash's hex digits right before the extension or a `_suffix.ext`, as in
/// `main-0123456789abcdef.css` or `dialdesk-1a2b3c4d5e6f7a8b_bg.wasm`. Trunk writes the
/// 64-bit hash without its leading zeros, so 12 to 16 digits count (fewer than 12 is
/// one name in 65 536, and is served as a plain file).
pub fn is_hashed_asset(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let bytes = name.as_bytes();
    bytes.iter().enumerate().any(|(i, byte)| {
        let digits = bytes
            .get(i + 1..)
            .unwrap_or_default()
            .iter()
            .take_while(|b| b.is_ascii_hexdigit())
            .count();
        let end = i + 1 + digits;
        *byte == b'-'
            && (12..=16).contains(&digits)
            && matches!(bytes.get(end), Some(b'.' | b'_'))
            && name.get(end..).is_some_and(|rest| rest.contains('.'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_asset_names() {
        for hashed in [
            "/dialdesk-1a2b3c4d5e6f7a8b_bg.wasm",
            "/dialdesk-1a2b3c4d5e6f7a8b.js",
            "/main-0123456789abcdef.css",
            "/snippets/x/inline0-ABCDEF0123456789.js",
            // A hash whose first digit was a zero.
            "/dialdesk-887cf09dfddc153_bg.wasm",
            "/main-0123456789abcde.css",
        ] {
            assert!(is_hashed_asset(hashed), "{hashed}");
        }
        for plain in [
            "/index.html",
            "/favicon.ico",
            "/main-0123456789a.css",
            "/main-0123456789abcdefa.css",
            "/main-0123456789abcdeg.css",
            "/main-0123456789abcdef",
            "/",
            "",
        ] {
            assert!(!is_hashed_asset(plain), "{plain}");
        }
    }

    #[test]
    fn file_names_versus_routes() {
        assert!(names_a_file("/favicon.ico"));
        assert!(!names_a_file("/contacts/42"));
        assert!(!names_a_file("/"));
    }
}
