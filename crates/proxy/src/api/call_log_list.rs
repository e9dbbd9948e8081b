//! `GET /api/calls/logs?from=YYYY-MM-DD&to=YYYY-MM-DD[&contactId=N]`: the call
//! logs saved on a range of UTC days (both ends included, at most
//! [`MAX_RANGE_DAYS`](crate::days::MAX_RANGE_DAYS)), as JSON.
//! `GET /api/calls/logs.csv` with the same query: the same logs as a CSV
//! download ([`crate::call_log_csv`]).
//!
//! Both answer the logs by `savedAt` then call id, each with its recordings
//! and voicemails as `GET /api/calls/{callId}/log` reads them. The JSON list
//! stops at [`MAX_LISTED`] logs and the CSV at [`MAX_EXPORTED`] rows; an answer
//! that stopped there carries [`TRUNCATED_HEADER`]`: true`, so ask for a
//! shorter range. Tracing lines carry the range and counts, never notes or
//! numbers.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderName, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

use super::ApiError;
use crate::call_log_csv::{self, ExportError};
use crate::config::Oversight;
use crate::days::DayRange;
use crate::db::audit::Action;
use crate::db::call_logs::{self, LogFilter};
use crate::db::DbError;
use crate::session::Session;
use crate::state::AppState;

/// Most logs in a JSON list.
pub const MAX_LISTED: u32 = 10_000;
/// Most rows (after the header) in a CSV export.
pub const MAX_EXPORTED: u32 = 100_000;
/// Response header present, with the value `true`, when there were more logs in
/// the range than the answer holds.
pub const TRUNCATED_HEADER: &str = "x-dialdesk-truncated";

/// Raw query parameters of a listing or export, parsed by hand for clear
/// messages.
#[derive(Debug, Deserialize)]
pub struct RangeQuery {
    from: Option<String>,
    to: Option<String>,
    #[serde(rename = "contactId")]
    contact_id: Option<String>,
}

/// The logs saved on the days asked for (of one contact when `contactId` is
/// given) by the caller, their team (a supervisor) or anyone (an admin), as a
/// JSON array of `CallLog`; `400` for a missing, invalid,
/// reversed or too long range or an invalid `contactId`.
pub async fn list(
    State(state): State<AppState>,
    session: Session,
    query: Result<Query<RangeQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let filter = filter(&state, &session, query)?;
    let days = filter.days;
    let (logs, truncated) = state
        .db()
        .read(move |conn| {
            let mut logs = Vec::new();
            let truncated = call_logs::each_in_range(conn, &filter, MAX_LISTED, |listed| {
                logs.push(listed.log);
                Ok::<_, DbError>(())
            })?;
            Ok((logs, truncated))
        })
        .await?;
    tracing::info!(
        from = %days.from(),
        to = %days.to(),
        count = logs.len(),
        truncated,
        "call logs listed"
    );
    Ok(with_truncation(Json(logs).into_response(), truncated))
}

/// The same logs as [`list`] as `text/csv`, to save as
/// `dialdesk-call-logs-FROM-to-TO.csv`.
pub async fn csv(
    State(state): State<AppState>,
    session: Session,
    query: Result<Query<RangeQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let filter = filter(&state, &session, query)?;
    let days = filter.days;
    let range = format!("{} to {}", days.from(), days.to());
    super::audit::note(&state, &session, Action::LogsExported, range).await?;
    let codes = state.app_config().dispositions.clone();
    let built = state
        .db()
        .read(move |conn| Ok(call_log_csv::export(conn, &filter, MAX_EXPORTED, &codes)))
        .await?;
    let (body, truncated) = built.map_err(|err| match err {
        ExportError::Db(err) => ApiError::from(err),
        err @ ExportError::Csv(_) => {
            tracing::error!(error = %err, "call log export failed");
            ApiError::Internal
        }
    })?;
    tracing::info!(
        from = %days.from(),
        to = %days.to(),
        bytes = body.len(),
        truncated,
        "call logs exported as CSV"
    );
    // Only digits and dashes go into the name, so it needs no escaping.
    let disposition = format!(
        "attachment; filename=\"dialdesk-call-logs-{}-to-{}.csv\"",
        days.from(),
        days.to()
    );
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(CONTENT_DISPOSITION, value);
    }
    Ok(with_truncation(response, truncated))
}

/// The filter of the query, checked, limited to the logs the caller oversees.
fn filter(
    state: &AppState,
    session: &Session,
    query: Result<Query<RangeQuery>, QueryRejection>,
) -> Result<LogFilter, ApiError> {
    let Query(query) = query?;
    let days = DayRange::parse(query.from.as_deref(), query.to.as_deref())
        .map_err(|err| ApiError::BadRequest(err.to_string()))?;
    let contact_id = query
        .contact_id
        .map(|text| {
            text.trim()
                .parse::<i64>()
                .ok()
                .filter(|id| *id > 0)
                .ok_or_else(|| {
                    ApiError::BadRequest("contactId must be a whole number, 1 or more".to_owned())
                })
        })
        .transpose()?;
    let saved_by = match state.oversight_of(session) {
        Oversight::All => None,
        Oversight::Own(mut names) => {
            let me = session.person();
            names.extend(
                [me.id, me.email]
                    .into_iter()
                    .flatten()
                    .map(str::to_ascii_lowercase),
            );
            Some(names)
        }
    };
    Ok(LogFilter {
        days,
        contact_id,
        saved_by,
    })
}

/// `response`, with [`TRUNCATED_HEADER`] when `truncated`.
pub(super) fn with_truncation(mut response: Response, truncated: bool) -> Response {
    if truncated {
        response.headers_mut().insert(
            HeaderName::from_static(TRUNCATED_HEADER),
            HeaderValue::from_static("true"),
        );
    }
    response
}
