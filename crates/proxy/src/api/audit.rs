//! The audit log over `/api`: [`note`] is written before an audited action (which
//! does not happen when it cannot be noted), [`refusals`] notes every answer refused
//! by a role rule, and admins read the log with `GET /api/audit?from=&to=` (JSON) or
//! `GET /api/audit.csv` (a download), oldest first, UTC days, both ends included.

use axum::extract::rejection::QueryRejection;
use axum::extract::{OriginalUri, Query, Request, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use dialdesk_contract::AuditEntry;
use serde::Deserialize;

use super::call_log_list::with_truncation;
use super::ApiError;
use crate::call_log_csv::guard;
use crate::days::DayRange;
use crate::db::audit::{self, Action, Note};
use crate::session::Session;
use crate::state::AppState;

/// Most rows in one answer; a longer log is read a shorter range at a time.
pub const MAX_AUDIT_ROWS: u32 = 10_000;

/// Notes that the caller of `session` does `action` on `target`.
pub async fn note(
    state: &AppState,
    session: &Session,
    action: Action,
    target: String,
) -> Result<(), ApiError> {
    let user_id = session.user_id().map(str::to_owned);
    let email = session.email().map(str::to_owned);
    state
        .db()
        .write(move |conn| {
            audit::record(
                conn,
                &Note {
                    user_id: user_id.as_deref(),
                    email: email.as_deref(),
                    action,
                    target: &target,
                },
            )
        })
        .await?;
    Ok(())
}

/// Notes every 403 answered to a session (the method and path it asked for).
pub async fn refusals(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let session = request.extensions().get::<Session>().cloned();
    // The path as the client asked for it (this router is nested under `/api`).
    let path = request
        .extensions()
        .get::<OriginalUri>()
        .map_or_else(|| request.uri().path(), |uri| uri.path())
        .to_owned();
    let target = format!("{} {path}", request.method());
    let response = next.run(request).await;
    if let (StatusCode::FORBIDDEN, Some(session)) = (response.status(), session) {
        if let Err(err) = note(&state, &session, Action::Refused, target).await {
            tracing::error!(error = %err, "could not note a refusal in the audit log");
        }
    }
    response
}

/// The query of both routes.
#[derive(Debug, Deserialize)]
pub struct AuditQuery {
    from: Option<String>,
    to: Option<String>,
}

/// The rows of the asked days, noting the reading itself first.
async fn rows(
    state: &AppState,
    session: &Session,
    query: Result<Query<AuditQuery>, QueryRejection>,
) -> Result<(DayRange, Vec<AuditEntry>, bool), ApiError> {
    let Query(query) = query?;
    let days = DayRange::parse(query.from.as_deref(), query.to.as_deref())
        .map_err(|err| ApiError::BadRequest(err.to_string()))?;
    let range = format!("{} to {}", days.from(), days.to());
    note(state, session, Action::AuditRead, range).await?;
    let (from, until) = (days.from().to_string(), format!("{}T~", days.to()));
    let (entries, more) = state
        .db()
        .read(move |conn| audit::between(conn, &from, &until, MAX_AUDIT_ROWS))
        .await?;
    Ok((days, entries, more))
}

/// `GET /api/audit`: the rows as JSON.
pub async fn list(
    State(state): State<AppState>,
    session: Session,
    query: Result<Query<AuditQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let (_, entries, more) = rows(&state, &session, query).await?;
    Ok(with_truncation(Json(entries).into_response(), more))
}

/// The columns of the CSV export.
const COLUMNS: [&str; 5] = ["at", "user_id", "email", "action", "target"];

/// `GET /api/audit.csv`: the rows as a CSV download.
pub async fn csv(
    State(state): State<AppState>,
    session: Session,
    query: Result<Query<AuditQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let (days, entries, more) = rows(&state, &session, query).await?;
    let body = as_csv(&entries).map_err(|err| {
        tracing::error!(error = %err, "audit export failed");
        ApiError::Internal
    })?;
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    // Only digits and dashes go into the name.
    let name = format!(
        "attachment; filename=\"dialdesk-audit-{}-to-{}.csv\"",
        days.from(),
        days.to()
    );
    if let Ok(value) = HeaderValue::from_str(&name) {
        headers.insert(CONTENT_DISPOSITION, value);
    }
    Ok(with_truncation(response, more))
}

/// The rows as CSV, every text cell guarded against spreadsheet formulas.
fn as_csv(entries: &[AuditEntry]) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(COLUMNS)?;
    for entry in entries {
        let cells = [
            entry.at.as_str(),
            entry.user_id.as_deref().unwrap_or_default(),
            entry.email.as_deref().unwrap_or_default(),
            entry.action.as_str(),
            entry.target.as_str(),
        ];
        out.write_record(cells.map(|cell| guard(cell).into_owned()))?;
    }
    out.into_inner().map_err(|err| err.into_error().into())
}
