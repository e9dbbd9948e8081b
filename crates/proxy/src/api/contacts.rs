//! `GET /api/contacts?after=<id>&limit=<n>`: the contact book in keyset pages;
//! `GET /api/contacts/{id}`: one contact.

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::Json;
use dialdesk_contract::{Contact, ContactsPage};
use serde::Deserialize;

use super::ApiError;
use crate::db::contacts;
use crate::state::AppState;

/// Largest (and default) page size.
pub const MAX_PAGE: u32 = 1000;

/// Raw query parameters, parsed by hand for clear messages.
#[derive(Debug, Deserialize)]
pub struct PageQuery {
    after: Option<String>,
    limit: Option<String>,
}

/// One page of contacts with `id > after`, in ascending id order.
pub async fn list(
    State(state): State<AppState>,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Json<ContactsPage>, ApiError> {
    let Query(query) = query?;
    let after = match query.after.as_deref() {
        None => 0,
        Some(text) => text
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|after| *after >= 0)
            .ok_or_else(|| {
                ApiError::BadRequest(
                    "after must be a contact id: a whole number, 0 or more".to_owned(),
                )
            })?,
    };
    let limit = match query.limit.as_deref() {
        None => MAX_PAGE,
        Some(text) => text
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|limit| (1..=MAX_PAGE).contains(limit))
            .ok_or_else(|| {
                ApiError::BadRequest(format!("limit must be a whole number from 1 to {MAX_PAGE}"))
            })?,
    };
    let page = state
        .db()
        .read(move |conn| contacts::page(conn, after, limit))
        .await?;
    Ok(Json(page))
}

/// The contact id of a `/api/contacts/{id}` path: a whole number, 1 or more.
pub fn contact_id(text: &str) -> Result<i64, ApiError> {
    text.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| {
            ApiError::BadRequest("the contact id must be a whole number, 1 or more".to_owned())
        })
}

/// The 404 answer for a contact id that is not in the book.
pub fn no_such_contact(id: i64) -> ApiError {
    ApiError::Missing(format!("no contact with id {id}"))
}

/// Contact `id` with its numbers (region, parse error and do-not-call flag
/// included); 404 when there is none.
pub async fn one(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<Contact>, ApiError> {
    let Path(id) = path?;
    let id = contact_id(&id)?;
    state
        .db()
        .read(move |conn| contacts::get(conn, id))
        .await?
        .map(Json)
        .ok_or_else(|| no_such_contact(id))
}
