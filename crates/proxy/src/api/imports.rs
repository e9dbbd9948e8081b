//! `POST /api/imports` (a CSV file as the raw body, streamed to a temporary
//! file and imported in the background) and `GET /api/imports/{id}` (the job,
//! for polling).

use std::pin::Pin;

use axum::body::{Body, Bytes};
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::header::CONTENT_LENGTH;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use dialdesk_contract::ImportJob;
use futures_core::Stream;
use serde::Deserialize;
use tokio::io::AsyncWriteExt as _;

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
/// The body may have any content type. Refused before the body is read: `409`
/// while this user's earlier import runs, `503` while
/// [`MAX_RUNNING`](crate::import::jobs::MAX_RUNNING) imports do, `413` when the
/// declared length is over `[import] max_upload_mb`; a body that grows past it
/// gets `413` too, once it does. The body goes to a temporary file (deleted
/// once the import is done), never whole into memory.
pub async fn upload(
    State(state): State<AppState>,
    session: Session,
    params: Result<Query<UploadParams>, QueryRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<ImportJob>), ApiError> {
    let name = upload_name(params.map_err(|e| ApiError::BadRequest(e.body_text()))?.0)?;
    let limit = state.import().max_upload_bytes();
    let too_large = || ApiError::UploadTooLarge(state.import().max_upload_mb);
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return Err(too_large());
    }
    let reserved =
        state
            .imports()
            .reserve(session.user_key())
            .map_err(|refused| match refused {
                ImportRefused::Yours(_) => ApiError::Conflict(refused.to_string()),
                ImportRefused::Full => ApiError::Busy(IMPORTS_FULL),
            })?;
    let (file, size) = receive(body, limit)
        .await
        .map_err(|failure| match failure {
            Received::TooLarge => too_large(),
            Received::Cut(reason) => {
                ApiError::BadRequest(format!("the upload was not received: {reason}"))
            }
            Received::Disk(err) => {
                tracing::error!(error = %err, "cannot keep an upload in a temporary file");
                ApiError::Internal
            }
        })?;
    let upload = format!("{name:?}, a CSV file of {size} bytes");
    super::audit::note(&state, &session, Action::ImportStarted, upload).await?;
    let job = reserved.start(state.db().clone(), state.default_region(), name, file);
    Ok((StatusCode::ACCEPTED, Json(job)))
}

/// Why an upload was not kept.
enum Received {
    /// It grew past the limit.
    TooLarge,
    /// The client stopped sending (or sent a broken body).
    Cut(String),
    /// The temporary file could not be written.
    Disk(std::io::Error),
}

/// Writes `body` to a new temporary file chunk by chunk, at most `limit` bytes;
/// returns the file and its size.
async fn receive(body: Body, limit: usize) -> Result<(std::fs::File, usize), Received> {
    let file = tempfile::tempfile().map_err(Received::Disk)?;
    let mut file = tokio::fs::File::from_std(file);
    let mut size = 0_usize;
    let mut chunks = body.into_data_stream();
    while let Some(chunk) = next_chunk(&mut chunks).await {
        let chunk: Bytes = chunk.map_err(|err| Received::Cut(err.to_string()))?;
        size = size.saturating_add(chunk.len());
        if size > limit {
            return Err(Received::TooLarge);
        }
        file.write_all(&chunk).await.map_err(Received::Disk)?;
    }
    file.flush().await.map_err(Received::Disk)?;
    Ok((file.into_std().await, size))
}

async fn next_chunk<S: Stream + Unpin>(stream: &mut S) -> Option<S::Item> {
    std::future::poll_fn(|cx| Pin::new(&mut *stream).poll_next(cx)).await
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
