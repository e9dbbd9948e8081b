//! `PUT /api/contacts/pick`: remembers which contact the user picked for a
//! number that several contacts hold, so the next `GET /api/contacts/match` of
//! that number names it in `picked`.
//!
//! Picks are kept per user ([`Session::user_key`]): the signed-in Zoom user
//! with `auth = "zoom"`, so a pick follows them across browsers; the session
//! with `auth = "none"`, where there are no user accounts, so a pick lasts as
//! long as the browser's session cookie. Tracing lines carry the contact id,
//! never the number.

use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use dialdesk_contract::{ContactPick, FieldError};

use super::ApiError;
use crate::db::contact_picks::{self, Picked};
use crate::phone;
use crate::session::Session;
use crate::state::AppState;

/// Stores the pick: `204`, or `422` marking `number` when it does not
/// normalise (read in the configured default region, as the match route reads
/// it) and `contactId` when no contact has that id.
pub async fn save(
    State(state): State<AppState>,
    session: Session,
    body: Result<Json<ContactPick>, JsonRejection>,
) -> Result<StatusCode, ApiError> {
    let Json(pick) = body?;
    let region = state.default_region();
    let e164 = phone::normalize(&pick.number, region).map(|normalized| normalized.e164);
    let contact_id = pick.contact_id;
    let mut errors = Vec::new();
    if e164.is_none() {
        errors.push(FieldError {
            field: "number".to_owned(),
            message: format!(
                "the number is {}; a number outside {region} needs its country code",
                phone::problem(&pick.number, region)
            ),
        });
    }
    let known = match e164 {
        Some(e164) => {
            let user = session.user_key().to_owned();
            let picked = state
                .db()
                .write(move |conn| contact_picks::save(conn, &user, &e164, contact_id))
                .await?;
            picked == Picked::Saved
        }
        None => {
            state
                .db()
                .read(move |conn| contact_picks::contact_exists(conn, contact_id))
                .await?
        }
    };
    if !known {
        errors.push(FieldError {
            field: "contactId".to_owned(),
            message: format!("no contact with id {contact_id}"),
        });
    }
    if !errors.is_empty() {
        return Err(ApiError::InvalidPick(errors));
    }
    tracing::info!(contact_id, "contact pick saved");
    Ok(StatusCode::NO_CONTENT)
}
