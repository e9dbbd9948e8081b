//! `POST /api/contacts` (create) and `PUT /api/contacts/{id}` (edit, from a named
//! version): a [`ContactDraft`] checked by [`crate::draft`], written through the
//! single writer, answered with the contact as stored.

use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use dialdesk_contract::{Contact, ContactConflict, ContactDraft, FieldError};

use super::contacts::{contact_id, no_such_contact};
use super::ApiError;
use crate::db::DbError;
use crate::db::{contact_sources, contacts};
use crate::draft;
use crate::state::AppState;

/// Adds a contact: `201` and the stored contact (version 1), or `422` with every
/// invalid field.
pub async fn create(
    State(state): State<AppState>,
    body: Result<Json<ContactDraft>, JsonRejection>,
) -> Result<(StatusCode, Json<Contact>), ApiError> {
    let Json(body) = body?;
    let contact = draft::check(body, state.default_region()).map_err(ApiError::InvalidContact)?;
    let stored = state
        .db()
        .write(move |conn| {
            let tx = conn.savepoint()?;
            let id = contacts::insert(&tx, &contact)?;
            contact_sources::note_person(&tx, id, None, &contact, 1)?;
            let stored = contacts::get(&tx, id)?;
            tx.commit()?;
            Ok(stored)
        })
        .await?
        .ok_or(DbError::Sqlite(rusqlite::Error::QueryReturnedNoRows))?;
    tracing::info!(id = stored.id, "contact created");
    Ok((StatusCode::CREATED, Json(stored)))
}

/// What an edit found in its transaction.
enum Edited {
    /// No such contact; nothing written.
    Missing,
    /// Written: the contact as stored now.
    Saved(Contact),
    /// The same content was stored already (a repeat); nothing written.
    Unchanged(Contact),
    /// Edited from another version with other content; nothing written.
    Conflict(Contact),
}

/// Replaces contact `id`'s fields and numbers (its owner and external id are
/// kept) when the draft's base version is the stored one: `200` and the stored
/// contact (also, unchanged, when the same content is stored already, whatever
/// the base version), `409` and a [`ContactConflict`] for a stale base version,
/// `404` when there is no such contact, `422` with every invalid field (a missing
/// base version too).
pub async fn update(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    body: Result<Json<ContactDraft>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Path(id) = path?;
    let id = contact_id(&id)?;
    let Json(body) = body?;
    let yours = body.clone();
    let (contact, base_version) = match (
        draft::check(body, state.default_region()),
        yours.base_version,
    ) {
        (Ok(contact), Some(base_version)) => (contact, base_version),
        (checked, base_version) => {
            let mut errors = checked.err().unwrap_or_default();
            if base_version.is_none() {
                errors.push(FieldError {
                    field: "baseVersion".to_owned(),
                    message: "the version the edit started from is required; reload the contact"
                        .to_owned(),
                });
            }
            return Err(ApiError::InvalidContact(errors));
        }
    };
    let edited = state
        .db()
        .write(move |conn| {
            let tx = conn.savepoint()?;
            let Some(stored) = contacts::get(&tx, id)? else {
                return Ok(Edited::Missing);
            };
            if contacts::same_content(&stored, &contact) {
                return Ok(Edited::Unchanged(stored));
            }
            if stored.version != base_version {
                return Ok(Edited::Conflict(stored));
            }
            contacts::edit(&tx, id, &contact)?;
            contact_sources::note_person(&tx, id, Some(&stored), &contact, stored.version + 1)?;
            let saved = contacts::get(&tx, id)?;
            tx.commit()?;
            Ok(saved.map_or(Edited::Missing, Edited::Saved))
        })
        .await?;
    match edited {
        Edited::Missing => Err(no_such_contact(id)),
        Edited::Saved(stored) => {
            tracing::info!(id, version = stored.version, "contact edited");
            Ok(Json(stored).into_response())
        }
        Edited::Unchanged(stored) => {
            tracing::info!(
                id,
                version = stored.version,
                "contact edit repeated; nothing changed"
            );
            Ok(Json(stored).into_response())
        }
        Edited::Conflict(stored) => {
            tracing::info!(
                id,
                version = stored.version,
                base_version,
                "contact edit refused: made from another version"
            );
            let body = ContactConflict {
                error: format!(
                    "someone saved this contact (version {}) after you opened version \
                     {base_version}; choose which version to keep",
                    stored.version
                ),
                yours,
                stored,
            };
            Ok((StatusCode::CONFLICT, Json(body)).into_response())
        }
    }
}
