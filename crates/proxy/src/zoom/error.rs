//! What can go wrong when dialdesk talks to Zoom, in words fit for the person
//! who asked.

use std::sync::Arc;
use std::time::SystemTime;

use crate::db::DbError;

/// A failed request to Zoom. Messages never carry tokens or secrets.
#[derive(Debug, thiserror::Error)]
pub enum ZoomError {
    /// The deployment lacks the Zoom app this needs; the message names the
    /// variables to set.
    #[error("Zoom is not configured for this: set {0}")]
    NotConfigured(&'static str),
    /// The user's Zoom sign-in is missing, expired or revoked; their tokens
    /// are gone and only a new sign-in helps.
    #[error("your Zoom sign-in has expired or was revoked; sign in with Zoom again")]
    SignInAgain,
    /// The user who signed in belongs to a Zoom account this dialdesk does not
    /// serve; `none_allowed` when no account is allowed at all.
    #[error("{}", account_refusal(account.as_deref(), *none_allowed))]
    AccountNotAllowed {
        /// The user's account id, when Zoom gave one.
        account: Option<String>,
        /// Whether no account is allowed yet.
        none_allowed: bool,
    },
    /// Zoom Phone is not set up for the account (HTTP 403, code 2031).
    #[error("Zoom Phone is not enabled for this Zoom account")]
    PhoneNotEnabled,
    /// The Zoom app lacks a scope (code 4711 or 4700); Zoom's message names it.
    #[error(
        "the Zoom app lacks a permission: {0}; add the scope to the app in the Zoom Marketplace, \
         then sign in with Zoom again"
    )]
    MissingScope(String),
    /// A page token expired in the middle of a listing (HTTP 400, code 400),
    /// even after starting the listing again.
    #[error("Zoom's page token expired while listing; try again")]
    PageTokenExpired,
    /// Zoom's rate limit was reached and the wait is too long to hold the
    /// request open (a daily limit, or retries used up).
    #[error("Zoom's rate limit was reached; try again after {}", httpdate::fmt_http_date(*retry_at))]
    RateLimited {
        /// When Zoom said requests are accepted again (or dialdesk's guess).
        retry_at: SystemTime,
    },
    /// Zoom has no such thing (HTTP 404); Zoom's message says which.
    #[error("not found in Zoom: {0}")]
    NotFound(String),
    /// Zoom refused the request; not retried.
    #[error("Zoom answered HTTP {status}{}: {message}", code.map(|code| format!(" (code {code})")).unwrap_or_default())]
    Zoom {
        /// The HTTP status.
        status: u16,
        /// Zoom's error code, if the body had one.
        code: Option<i64>,
        /// Zoom's message (shortened, control characters removed).
        message: String,
    },
    /// Zoom's sign-in service refused a token request for a reason other
    /// than a dead grant (e.g. `invalid_client`: wrong app credentials).
    #[error("Zoom's sign-in service refused the request ({error}): {reason}; check the Zoom app credentials")]
    TokenRefused {
        /// The HTTP status.
        status: u16,
        /// The OAuth `error` field.
        error: String,
        /// Zoom's `reason` text.
        reason: String,
    },
    /// Zoom could not be reached or kept failing (connection errors,
    /// timeouts, HTTP 5xx after retries).
    #[error("Zoom could not be reached: {0}; try again later")]
    Unavailable(String),
    /// Zoom answered something dialdesk cannot read.
    #[error("Zoom sent an answer dialdesk cannot read: {0}")]
    BadResponse(String),
    /// A listing has more items than dialdesk reads in one go.
    #[error("Zoom lists more than {limit} items for this; narrow the filters or the date range")]
    TooManyItems {
        /// The cap.
        limit: usize,
    },
    /// An id to put in a Zoom URL has characters no Zoom id has.
    #[error("{0:?} is not a valid Zoom id")]
    InvalidId(String),
    /// A recording download pointed or was redirected somewhere dialdesk does
    /// not send requests to.
    #[error(
        "the recording download goes to {host}, which is not an allowed download host; \
         add it to ZOOM_DOWNLOAD_HOSTS only if it is Zoom's"
    )]
    DownloadRefused {
        /// The host (and port) refused.
        host: String,
    },
    /// The database holding the tokens failed.
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<Arc<ZoomError>> for ZoomError {
    /// The error of a lookup several callers waited on: the error itself for the
    /// last one holding it, an equal one for the others.
    fn from(shared: Arc<ZoomError>) -> Self {
        Arc::try_unwrap(shared).unwrap_or_else(|shared| shared.again())
    }
}

impl ZoomError {
    /// An error that reads and is answered like this one (a database failure, which
    /// cannot be copied, as Zoom being unavailable with its message).
    fn again(&self) -> Self {
        match self {
            Self::NotConfigured(what) => Self::NotConfigured(what),
            Self::SignInAgain => Self::SignInAgain,
            Self::AccountNotAllowed {
                account,
                none_allowed,
            } => Self::AccountNotAllowed {
                account: account.clone(),
                none_allowed: *none_allowed,
            },
            Self::PhoneNotEnabled => Self::PhoneNotEnabled,
            Self::MissingScope(scope) => Self::MissingScope(scope.clone()),
            Self::PageTokenExpired => Self::PageTokenExpired,
            Self::RateLimited { retry_at } => Self::RateLimited {
                retry_at: *retry_at,
            },
            Self::NotFound(what) => Self::NotFound(what.clone()),
            Self::Zoom {
                status,
                code,
                message,
            } => Self::Zoom {
                status: *status,
                code: *code,
                message: message.clone(),
            },
            Self::TokenRefused {
                status,
                error,
                reason,
            } => Self::TokenRefused {
                status: *status,
                error: error.clone(),
                reason: reason.clone(),
            },
            Self::Unavailable(why) => Self::Unavailable(why.clone()),
            Self::BadResponse(why) => Self::BadResponse(why.clone()),
            Self::TooManyItems { limit } => Self::TooManyItems { limit: *limit },
            Self::InvalidId(id) => Self::InvalidId(id.clone()),
            Self::DownloadRefused { host } => Self::DownloadRefused { host: host.clone() },
            Self::Db(err) => Self::Unavailable(format!("dialdesk's token store failed: {err}")),
        }
    }
}

impl From<rusqlite::Error> for ZoomError {
    fn from(err: rusqlite::Error) -> Self {
        Self::Db(DbError::Sqlite(err))
    }
}
/// Why a user of another Zoom account may not sign in, and what an admin can do.
fn account_refusal(account: Option<&str>, none_allowed: bool) -> String {
    let whose = account.map_or_else(
        || "your Zoom account".to_owned(),
        |id| format!("your Zoom account ({id})"),
    );
    if none_allowed {
        format!(
            "this dialdesk accepts no Zoom account yet, so {whose} cannot sign in: an admin \
             must list it under [zoom] allowed_account_ids in dialdesk.toml (or configure the \
             server-to-server app, whose account is then allowed)"
        )
    } else {
        format!(
            "{whose} is not one this dialdesk serves; an admin can add it under [zoom] \
             allowed_account_ids in dialdesk.toml"
        )
    }
}
