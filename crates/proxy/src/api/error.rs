//! Errors of `/api` handlers, answered as JSON [`ApiErrorBody`].

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use dialdesk_contract::{ApiErrorBody, FieldError};

use crate::db::DbError;

/// A failed `/api` request.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request is malformed; the message says what to fix.
    #[error("{0}")]
    BadRequest(String),
    /// A contact draft has invalid fields (answered 422 with each of them).
    #[error("the contact was not saved; check the fields marked")]
    InvalidContact(Vec<FieldError>),
    /// A call log draft has invalid fields (answered 422 with each of them).
    #[error("the call log was not saved; check the fields marked")]
    InvalidCallLog(Vec<FieldError>),
    /// A contact pick's number does not normalise or its contact is not
    /// stored (answered 422 with each of them).
    #[error("the pick was not saved; check the fields marked")]
    InvalidPick(Vec<FieldError>),
    /// `auth = "zoom"` and the caller has not signed in (or the session ended).
    #[error("sign in with Zoom to continue")]
    SignIn,
    /// Zoom refused the user's tokens (expired, revoked or re-authorised
    /// elsewhere); the user's sessions are ended.
    #[error("your Zoom sign-in has expired or was revoked; sign in with Zoom again")]
    SignInAgain,
    /// Zoom answered with an error the user can act on (not retried); the
    /// message says what to do.
    #[error("{0}")]
    Zoom(String),
    /// Zoom could not be reached or kept failing; the message says what happened.
    #[error("{0}")]
    ZoomUnavailable(String),
    /// The caller may not do this.
    #[error("{0}")]
    Forbidden(&'static str),
    /// No such route or resource.
    #[error("not found")]
    NotFound,
    /// The route exists but the thing it names does not; the message says which.
    #[error("{0}")]
    Missing(String),
    /// The route exists but not for this method.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// The request body is larger than [`crate::app::BODY_LIMIT`].
    #[error("the request body is too large: at most {} MB", crate::app::BODY_LIMIT >> 20)]
    PayloadTooLarge,
    /// A CSV upload is larger than `[import] max_upload_mb` (this many MB).
    #[error("the file is larger than the {0} MB upload limit")]
    UploadTooLarge(u32),
    /// The request conflicts with work under way; the message says which.
    #[error("{0}")]
    Conflict(String),
    /// The proxy cannot answer now (the database is busy or full, or the request
    /// ran out of time); answered 503 with `Retry-After`.
    #[error("{0}")]
    Busy(&'static str),
    /// The session spent its `[limits] api_requests_per_minute`; answered 429 with
    /// `Retry-After` (this many seconds).
    #[error("too many requests from this browser: wait {0} s and try again")]
    TooManyRequests(u64),
    /// Something failed on the server; details are logged, not sent.
    #[error("internal error")]
    Internal,
}

/// Seconds a client is told to wait before trying a [`ApiError::Busy`] request again.
pub const RETRY_AFTER_SECS: u32 = 5;

impl ApiError {
    /// The HTTP status of this error.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::InvalidContact(_) | Self::InvalidCallLog(_) | Self::InvalidPick(_) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            Self::SignIn | Self::SignInAgain => StatusCode::UNAUTHORIZED,
            Self::Zoom(_) => StatusCode::BAD_GATEWAY,
            Self::ZoomUnavailable(_) | Self::Busy(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound | Self::Missing(_) => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::PayloadTooLarge | Self::UploadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<DbError> for ApiError {
    fn from(err: DbError) -> Self {
        use rusqlite::ErrorCode::{DatabaseBusy, DatabaseLocked, DiskFull};
        let code = match &err {
            DbError::Sqlite(sqlite) => sqlite.sqlite_error_code(),
            _ => None,
        };
        match code {
            Some(DatabaseBusy | DatabaseLocked) => {
                tracing::warn!(error = %err, "the database stayed locked past its busy wait");
                Self::Busy("the database is busy; try again in a few seconds")
            }
            Some(DiskFull) => {
                tracing::error!(error = %err, "the database disk is full");
                Self::Busy(
                    "the database cannot grow (its disk is full); an administrator must free space",
                )
            }
            _ => {
                tracing::error!(error = %err, "database request failed");
                Self::Internal
            }
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Self::PayloadTooLarge
        } else {
            Self::BadRequest(format!("invalid JSON body: {}", rejection.body_text()))
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        Self::BadRequest(format!("invalid query: {}", rejection.body_text()))
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        Self::BadRequest(format!("invalid path: {}", rejection.body_text()))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let error = self.to_string();
        let retry_after = match self {
            Self::Busy(_) => Some(u64::from(RETRY_AFTER_SECS)),
            Self::TooManyRequests(secs) => Some(secs),
            _ => None,
        };
        let fields = match self {
            Self::InvalidContact(fields)
            | Self::InvalidCallLog(fields)
            | Self::InvalidPick(fields) => fields,
            _ => Vec::new(),
        };
        let body = ApiErrorBody { error, fields };
        let mut response = (status, Json(body)).into_response();
        if let Some(secs) = retry_after {
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}
