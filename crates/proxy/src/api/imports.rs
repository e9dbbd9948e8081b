//! `POST /api/imports` (a CSV file as the raw body, imported in the
//! background) and `GET /api/imports/{id}` (the job, for polling).

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use dialdesk_contract::ImportJob;
use serde::Deserialize;

use super::ApiError;
use crate::db::audit::Action;
use crate::import::jobs::ImportRefused;
use crate::session::Session;
use crate::state::AppState;

/// The answer when [`MAX_RUNNING`](crate::import::jobs::MAX_RUNNING) imports are running already.
const IMPORTS_FULL: &str =
    "the most imports that may run at once are running; try again when one has finished";

/// The longest file name an upload may give.
const MAX_NAME_CHARS: usize = 255;

/// `POST /api/imports?name=FILE`: the name of the uploaded file, as the person chose
/// it. Field marks remember it as the contacts' source, so a later import of the same
/// file never overwrites what a person edited since.
#[derive(Debug, Deserialize)]
pub struct UploadParams {
    name: Option<String>,
}

/// The upload's file name: trimmed, "upload" when none is given; `400` when it
/// is too long or holds control characters.
fn upload_name(params: UploadParams) -> Result<String, ApiError> {
    let name = params.name.as_deref().map(str::trim).unwrap_or_default();
    if name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(ApiError::BadRequest(format!(
            "the file name must be at most {MAX_NAME_CHARS} characters, without control characters"
        )));
    }
    Ok(if name.is_empty() { "upload" } else { name }.to_owned())
}

/// Starts importing the uploaded file: `202` and the job, still reading.
/// The body may have any content type; one over `[import] max_upload_mb`
/// gets `413`; `409` while this user's earlier import runs, `503` while
/// [`MAX_RUNNING`](crate::import::jobs::MAX_RUNNING) imports do.
pub async fn upload(
    State(state): State<AppState>,
    session: Session,
    params: Result<Query<UploadParams>, QueryRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<ImportJob>), ApiError> {
    let name = upload_name(params.map_err(|e| ApiError::BadRequest(e.body_text()))?.0)?;
    let bytes = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::UploadTooLarge(state.import().max_upload_mb)
        } else {
            ApiError::BadRequest(format!(
                "the upload was not received: {}",
                rejection.body_text()
            ))
        }
    })?;
    let upload = format!("{name:?}, a CSV file of {} bytes", bytes.len());
    super::audit::note(&state, &session, Action::ImportStarted, upload).await?;
    let job = state
        .imports()
        .start(
            session.user_key(),
            state.db().clone(),
            state.default_region(),
            name,
            bytes,
        )
        .map_err(|refused| match refused {
            ImportRefused::Yours(_) => ApiError::Conflict(refused.to_string()),
            ImportRefused::Full => ApiError::Busy(IMPORTS_FULL),
        })?;
    Ok((StatusCode::ACCEPTED, Json(job)))
}

/// Import job `id` as it is now; `404` when it is unknown or forgotten.
pub async fn status(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<ImportJob>, ApiError> {
    let Path(id) = path?;
    state.imports().get(&id).map(Json).ok_or_else(|| {
        ApiError::Missing(
            "no such import job (the latest 32 are kept until the proxy restarts)".to_owned(),
        )
    })
}
