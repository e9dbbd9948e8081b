//! Zoom's two error shapes: REST errors `{"code", "message"}` with their HTTP status, and
//! token-endpoint errors `{"reason", "error"}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use thiserror::Error;

use super::paging::PageTokenError;
use super::params::ParamError;
use super::range::RangeError;

/// The longest piece of a request echoed back in a message.
const ECHO_LIMIT: usize = 80;

/// A REST request Zoom would refuse.
#[derive(Debug, Error)]
pub enum ZoomError {
    /// No, an unknown, or an expired Bearer token: 401, code 124.
    #[error("Invalid access token.")]
    InvalidToken,
    /// A malformed parameter: 400, code 300.
    #[error(transparent)]
    Param(#[from] ParamError),
    /// A bad `from`/`to` range: 400, code 300.
    #[error(transparent)]
    Range(#[from] RangeError),
    /// A bad `next_page_token`: 400, code 400.
    #[error(transparent)]
    PageToken(#[from] PageTokenError),
    /// No such user: 404, code 1001.
    #[error("User does not exist: {}.", clip(.0))]
    NoUser(String),
    /// No recording for that call or file: 404, code 1001.
    #[error("Recording does not exist: {}.", clip(.0))]
    NoRecording(String),
    /// No such call history or call element: 404, code 1001.
    #[error("Call log does not exist: {}.", clip(.0))]
    NoCall(String),
    /// The `phone_not_enabled` fault: 403, code 2031.
    #[error("Zoom Phone has not been enabled for this account.")]
    PhoneNotEnabled,
    /// The `missing_scope` fault: 400, code 4711.
    #[error("Invalid access token, does not contain scopes:[phone:read:admin].")]
    MissingScope,
    /// No such endpoint: 404, code 404.
    #[error("No such API endpoint: {}.", clip(.0))]
    NoRoute(String),
}

impl ZoomError {
    /// The HTTP status and Zoom code.
    fn status_and_code(&self) -> (StatusCode, u32) {
        match self {
            Self::InvalidToken => (StatusCode::UNAUTHORIZED, 124),
            Self::Param(_) | Self::Range(_) => (StatusCode::BAD_REQUEST, 300),
            Self::PageToken(_) => (StatusCode::BAD_REQUEST, 400),
            Self::NoUser(_) | Self::NoRecording(_) | Self::NoCall(_) => {
                (StatusCode::NOT_FOUND, 1001)
            }
            Self::PhoneNotEnabled => (StatusCode::FORBIDDEN, 2031),
            Self::MissingScope => (StatusCode::BAD_REQUEST, 4711),
            Self::NoRoute(_) => (StatusCode::NOT_FOUND, 404),
        }
    }
}

impl IntoResponse for ZoomError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        tracing::debug!(%status, code, reason = %self, "emulated Zoom refused a request");
        (
            status,
            Json(json!({ "code": code, "message": self.to_string() })),
        )
            .into_response()
    }
}

/// A token request Zoom's OAuth server would refuse.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum OAuthError {
    /// Missing or wrong Basic credentials, or the wrong app for the grant: 401.
    #[error("Invalid client_id or client_secret")]
    UnknownClient,
    /// A missing or malformed parameter, or an unsupported grant type: 400.
    #[error("{0}")]
    Malformed(String),
    /// A code, verifier, redirect URI or refresh token that does not hold: 400.
    #[error("{0}")]
    Refused(&'static str),
}

impl From<ParamError> for OAuthError {
    fn from(err: ParamError) -> Self {
        Self::Malformed(err.to_string())
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let (status, error) = match self {
            Self::UnknownClient => (StatusCode::UNAUTHORIZED, "invalid_client"),
            Self::Malformed(_) => (StatusCode::BAD_REQUEST, "invalid_request"),
            Self::Refused(_) => (StatusCode::BAD_REQUEST, "invalid_grant"),
        };
        tracing::debug!(%status, error, reason = %self, "emulated Zoom refused a token request");
        (
            status,
            Json(json!({ "reason": self.to_string(), "error": error })),
        )
            .into_response()
    }
}

/// At most [`ECHO_LIMIT`] characters of an untrusted value, for messages.
pub fn clip(value: &str) -> String {
    value.chars().take(ECHO_LIMIT).collect()
}
