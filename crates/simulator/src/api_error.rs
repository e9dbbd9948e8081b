//! Errors of the HTTP control API, each answered as `{"error": "<reason>"}` with its status.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use thiserror::Error;

use crate::hub::CommandError;
use crate::message::MessageError;
use crate::phone::PhoneError;
use crate::scenario::{known_names, OptionsError};

/// A request the simulator refuses.
#[derive(Debug, Error)]
pub enum ApiError {
    /// The body or a query parameter is malformed: 400.
    #[error(transparent)]
    BadRequest(#[from] MessageError),
    /// A field has a value out of range: 400.
    #[error("{0}")]
    Invalid(String),
    /// Options a scenario does not take, or out of range: 400.
    #[error(transparent)]
    Options(#[from] OptionsError),
    /// No such scenario: 404.
    #[error("unknown scenario \"{0}\"; known scenarios: {names}", names = known_names())]
    UnknownScenario(String),
    /// No such route: 404.
    #[error("no route for {0}")]
    NotFound(String),
    /// The step does not apply to the current state: 409.
    #[error(transparent)]
    Conflict(#[from] PhoneError),
}

impl From<CommandError> for ApiError {
    fn from(err: CommandError) -> Self {
        match err {
            CommandError::Message(err) => Self::BadRequest(err),
            CommandError::Phone(err) => Self::Conflict(err),
        }
    }
}

impl ApiError {
    fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) | Self::Invalid(_) | Self::Options(_) => StatusCode::BAD_REQUEST,
            Self::UnknownScenario(_) | Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Conflict(_) => StatusCode::CONFLICT,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        tracing::debug!(%status, reason = %self, "request refused");
        (status, Json(json!({ "error": self.to_string() }))).into_response()
    }
}
