//! `PUT /api/calls/{callId}/log` saves the call log of a call exactly once: an
//! idempotent upsert with a version number, kept under the root call id (a
//! transfer leg `X_2` saves to `X`). `GET` on the same path reads it, with the
//! recordings and voicemails journalled for the call so far.
//!
//! Nothing here logs notes or numbers: tracing lines carry the call id and
//! versions only.

use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use dialdesk_contract::{CallLog, CallLogConflict, CallLogDraft, FieldError};

use super::calls::{check_root, root_of};
use super::ApiError;
use crate::call_log;
use crate::db::call_logs::{self, Saved};
use crate::session::Session;
use crate::state::AppState;

/// How the path's call id is named in messages.
const PATH_CALL_ID: &str = "the call id in the path, without its transfer-leg suffix (_N),";

/// Saves the log: `201` and the log when there was none, `200` and the log when
/// it was changed or already had this content (an identical retry, whatever its
/// base version), `409` and a [`CallLogConflict`] when the content differs and
/// the base version is not the stored one, `422` with every invalid field.
pub async fn save(
    State(state): State<AppState>,
    session: Session,
    path: Result<Path<String>, PathRejection>,
    body: Result<Json<CallLogDraft>, JsonRejection>,
) -> Result<Response, ApiError> {
    let root = root_call_id(path)?;
    let Json(draft) = body?;
    call_log::check(&draft, &state.app_config().dispositions).map_err(ApiError::InvalidCallLog)?;
    let content = call_log::content(&draft);
    let base_version = draft.base_version;
    let (saved, draft) = {
        let root = root.clone();
        state
            .db()
            .write(move |conn| {
                let saver = call_logs::Saver {
                    session_id: session.id(),
                    user_id: session.user_id(),
                };
                let saved = call_logs::save(conn, &root, &draft, &content, &saver)?;
                Ok((saved, draft))
            })
            .await?
    };
    let response = match saved {
        Saved::Created(log) => {
            tracing::info!(root_call_id = %root, version = log.version, "call log created");
            (StatusCode::CREATED, Json(log)).into_response()
        }
        Saved::Updated(log) => {
            tracing::info!(root_call_id = %root, version = log.version, "call log updated");
            Json(log).into_response()
        }
        Saved::Unchanged(log) => {
            tracing::info!(
                root_call_id = %root,
                version = log.version,
                base_version,
                "call log save repeated; nothing changed"
            );
            Json(log).into_response()
        }
        Saved::Conflict(stored) => {
            tracing::info!(
                root_call_id = %root,
                version = stored.version,
                base_version,
                "call log save refused: edited from another version"
            );
            let body = CallLogConflict {
                error: conflict_message(base_version, stored.version),
                yours: draft,
                stored,
            };
            (StatusCode::CONFLICT, Json(body)).into_response()
        }
        Saved::NoSuchContact(id) => {
            return Err(ApiError::InvalidCallLog(vec![FieldError {
                field: "contactId".to_owned(),
                message: format!("no contact with id {id}"),
            }]));
        }
    };
    Ok(response)
}

/// The log of the call (or of the root call of a transfer leg); `404` when none
/// was saved.
pub async fn get(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<CallLog>, ApiError> {
    let root = root_call_id(path)?;
    state
        .db()
        .read(move |conn| call_logs::get(conn, &root))
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::Missing("no call log has been saved for this call".to_owned()))
}

/// The root call id of the path's call id (a transfer leg's suffix dropped),
/// checked as the journal checks its roots, so a log can only be kept under a
/// root the journal can hold events of.
fn root_call_id(path: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    let Path(call_id) = path?;
    let root = root_of(&call_id);
    check_root(root, PATH_CALL_ID)?;
    Ok(root.to_owned())
}

/// The message of a `409`, safe to show to the agent.
fn conflict_message(base_version: u64, stored_version: u64) -> String {
    if base_version == 0 {
        format!(
            "a call log for this call was already saved (version {stored_version}); \
             compare it with yours and save the one to keep"
        )
    } else {
        format!(
            "this call log was changed elsewhere: you edited version {base_version}, \
             version {stored_version} is saved; compare them and save the one to keep"
        )
    }
}
