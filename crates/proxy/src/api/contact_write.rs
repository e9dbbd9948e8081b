//! `POST /api/contacts` (create) and `PUT /api/contacts/{id}` (edit): a
//! [`ContactDraft`] checked by [`crate::draft`], written through the single
//! writer, answered with the contact as stored.

use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use dialdesk_contract::{Contact, ContactDraft};
use rusqlite::{Connection, TransactionBehavior};

use super::contacts::{contact_id, no_such_contact};
use super::ApiError;
use crate::db::contacts::{self, NewContact};
use crate::db::DbError;
use crate::draft;
use crate::state::AppState;

/// Adds a contact: `201` and the stored contact, or `422` with every invalid
/// field.
pub async fn create(
    State(state): State<AppState>,
    body: Result<Json<ContactDraft>, JsonRejection>,
) -> Result<(StatusCode, Json<Contact>), ApiError> {
    let Json(body) = body?;
    let stored = save(&state, body, |tx, contact| {
        contacts::insert(tx, contact).map(Some)
    })
    .await?
    .ok_or(DbError::Sqlite(rusqlite::Error::QueryReturnedNoRows))?;
    tracing::info!(id = stored.id, "contact created");
    Ok((StatusCode::CREATED, Json(stored)))
}

/// Replaces contact `id`'s fields and numbers (its owner and external id are
/// kept): `200` and the stored contact, `404` when there is no such contact,
/// or `422` with every invalid field.
pub async fn update(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    body: Result<Json<ContactDraft>, JsonRejection>,
) -> Result<Json<Contact>, ApiError> {
    let Path(id) = path?;
    let id = contact_id(&id)?;
    let Json(body) = body?;
    let stored = save(&state, body, move |tx, contact| {
        Ok(contacts::edit(tx, id, contact)?.then_some(id))
    })
    .await?
    .ok_or_else(|| no_such_contact(id))?;
    tracing::info!(id, "contact edited");
    Ok(Json(stored))
}

/// Checks `body` and, in one immediate transaction, `write`s it and reads back
/// the contact whose id `write` returns: `None` when `write` found no contact
/// (nothing is written then) or the contact cannot be read back.
async fn save(
    state: &AppState,
    body: ContactDraft,
    write: impl FnOnce(&Connection, &NewContact) -> Result<Option<i64>, DbError> + Send + 'static,
) -> Result<Option<Contact>, ApiError> {
    let contact = draft::check(body, state.default_region()).map_err(ApiError::InvalidContact)?;
    let stored = state
        .db()
        .write(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let Some(id) = write(&tx, &contact)? else {
                return Ok(None);
            };
            let stored = contacts::get(&tx, id)?;
            tx.commit()?;
            Ok(stored)
        })
        .await?;
    Ok(stored)
}
