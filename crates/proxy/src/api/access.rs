//! Who may use a route and for how long: each entry of the route table names its
//! rule, and the router puts the rule's check and the request deadline in front
//! of the handler.

use axum::extract::rejection::RawPathParamsRejection;
use axum::extract::{RawPathParams, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::calls::{check_root, root_of};
use super::ApiError;
use crate::config::{Oversight, Person};
use crate::db::calls::{self, Party};
use crate::session::Session;
use crate::state::AppState;

/// The rule of one route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone with a session (signed in with `auth = "zoom"`).
    SignedIn,
    /// Admins only: CSV imports and starting a Zoom sync.
    Admin,
    /// The call named in the path: a rep who took part in it (journalled one of
    /// its events or saved its log), a supervisor of one who did, an admin; a call
    /// nobody has reported yet is open to whoever reports it first.
    CallParty,
    /// A call Zoom knows (a recording, a call detail, a call element): the same
    /// rule, decided from Zoom's record of it (its owner, caller and callee) and
    /// the journal, by the handler once it has Zoom's answer.
    ZoomCallParty,
    /// Answered for everyone, with the rows filtered: a rep's own call logs, a
    /// supervisor's and their team's, every log for an admin; another person's
    /// unlogged calls only to their supervisor or an admin.
    OwnOrOverseen,
}

/// The answer to someone asking for a call they may not see.
pub const NOT_YOUR_CALL: &str = "this call is not one of yours: a rep sees the calls they \
     took part in and a supervisor their team's; ask your supervisor or an admin";

/// Whether `viewer`, whose oversight is `oversight`, may see a call whose known
/// parties are `parties`.
pub fn sees_call<'a>(
    oversight: &Oversight,
    viewer: Person<'_>,
    mut parties: impl Iterator<Item = Person<'a>>,
) -> bool {
    oversight == &Oversight::All || parties.any(|party| oversight.covers(viewer, party))
}

/// A party the journal knows, as roles name people.
pub fn person_of(party: &Party) -> Person<'_> {
    Person {
        id: Some(&party.id),
        email: party.email.as_deref(),
    }
}

/// Whether the caller of `session` may see the call `root`, from what the journal
/// and the saved log record; `None` when nobody has reported the call yet.
pub async fn sees_reported_call(
    state: &AppState,
    session: &Session,
    root: &str,
) -> Result<Option<bool>, ApiError> {
    let oversight = state.oversight_of(session);
    if oversight == Oversight::All {
        return Ok(Some(true));
    }
    let root = root.to_owned();
    let parties = state
        .db()
        .read(move |conn| calls::parties(conn, &root))
        .await?;
    if parties.is_empty() {
        return Ok(None);
    }
    Ok(Some(sees_call(
        &oversight,
        session.person(),
        parties.iter().map(person_of),
    )))
}

/// Lets through the parties to the call named first in the path (and their
/// supervisors, and admins); anyone else gets 403. A malformed call id goes on
/// to the handler, which says what is wrong with it.
pub async fn call_party_only(
    State(state): State<AppState>,
    params: Result<RawPathParams, RawPathParamsRejection>,
    request: Request,
    next: Next,
) -> Response {
    let Some(session) = request.extensions().get::<Session>() else {
        return ApiError::Internal.into_response();
    };
    let call_id = params
        .ok()
        .and_then(|params| params.iter().next().map(|(_, value)| value.to_owned()));
    let Some(root) = call_id
        .as_deref()
        .map(root_of)
        .filter(|root| check_root(root, "").is_ok())
    else {
        return next.run(request).await;
    };
    match sees_reported_call(&state, session, root).await {
        Ok(None | Some(true)) => next.run(request).await,
        Ok(Some(false)) => {
            tracing::info!(
                method = %request.method(),
                root_call_id = root,
                "refused: not a party to the call"
            );
            ApiError::Forbidden(NOT_YOUR_CALL).into_response()
        }
        Err(err) => err.into_response(),
    }
}

/// The answer to a non-admin when admins are named.
pub const ADMINS_ONLY: &str = "only an admin may do this; ask one of the admins named under \
     [roles] admins in dialdesk.toml";
/// The answer to a non-admin when nobody is named an admin yet.
pub const NO_ADMIN_NAMED: &str = "only an admin may do this, and nobody is named one yet: add \
     a Zoom e-mail address or user id under [roles] admins in dialdesk.toml and restart";

/// Lets admins through; anyone else gets 403 saying how an admin is named.
pub async fn admin_only(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(session) = request.extensions().get::<Session>() else {
        return ApiError::Internal.into_response();
    };
    if state.role_of(session).is_admin() {
        return next.run(request).await;
    }
    tracing::info!(
        method = %request.method(),
        path = request.uri().path(),
        "refused: not an admin"
    );
    let message = if state.roles().has_admin() {
        ADMINS_ONLY
    } else {
        NO_ADMIN_NAMED
    };
    ApiError::Forbidden(message).into_response()
}

/// Whether a route's requests have the deadline of `[limits] request_timeout_secs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deadline {
    /// Answered within the deadline, or 503.
    Bounded,
    /// Uploads and streams, which take as long as the file does.
    Unbounded,
}

/// The answer to a request that ran out of time.
pub const TOO_SLOW: &str = "dialdesk took too long to answer this request; try again in a \
     few seconds";

/// Answers 503 (with `Retry-After`) when the handler takes longer than the deadline;
/// the handler is dropped, so what it was waiting for is abandoned.
pub async fn deadline(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (method, path) = (request.method().clone(), request.uri().path().to_owned());
    match tokio::time::timeout(state.request_timeout(), next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(%method, path, "a request ran out of time");
            ApiError::Busy(TOO_SLOW).into_response()
        }
    }
}
