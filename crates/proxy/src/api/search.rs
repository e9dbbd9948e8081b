//! `GET /api/contacts/search?q=<text>&limit=<n>` (full-text and digits) and
//! `GET /api/contacts/match?number=<text>` (by E.164 number): the proxy side of
//! the Smart Embed's search and match responders. A match names the contact
//! the user picked for the number last time ([`super::picks`]).

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::Json;
use dialdesk_contract::{Contact, ContactMatchResult};
use serde::Deserialize;

use super::ApiError;
use crate::db::{contact_picks, search};
use crate::phone;
use crate::session::Session;
use crate::state::AppState;

/// Largest search answer.
pub const MAX_SEARCH: u32 = 50;
/// Search answer size when `limit` is not given.
pub const DEFAULT_SEARCH: u32 = 20;
/// Longest search text, in characters.
pub const MAX_QUERY_CHARS: usize = 200;
/// Largest match answer.
pub const MAX_MATCH: u32 = 20;

/// Raw query parameters of a search, parsed by hand for clear messages.
#[derive(Debug, Deserialize)]
pub struct SearchQuery {
    q: Option<String>,
    limit: Option<String>,
}

/// Raw query parameters of a match.
#[derive(Debug, Deserialize)]
pub struct MatchQuery {
    number: Option<String>,
}

/// Contacts by name whose name, company or e-mail have words starting with
/// every word of `q`, or holding a number containing the digits of `q` (when
/// it has 3 or more). An empty `q` finds nothing.
pub async fn search(
    State(state): State<AppState>,
    query: Result<Query<SearchQuery>, QueryRejection>,
) -> Result<Json<Vec<Contact>>, ApiError> {
    let Query(query) = query?;
    let limit = match query.limit.as_deref() {
        None => DEFAULT_SEARCH,
        Some(text) => text
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|limit| (1..=MAX_SEARCH).contains(limit))
            .ok_or_else(|| {
                ApiError::BadRequest(format!(
                    "limit must be a whole number from 1 to {MAX_SEARCH}"
                ))
            })?,
    };
    let text = query.q.unwrap_or_default();
    if text.chars().count() > MAX_QUERY_CHARS {
        return Err(ApiError::BadRequest(format!(
            "q must be at most {MAX_QUERY_CHARS} characters"
        )));
    }
    if text.trim().is_empty() {
        return Ok(Json(Vec::new()));
    }
    let contacts = state
        .db()
        .read(move |conn| search::search(conn, &text, limit))
        .await?;
    Ok(Json(contacts))
}

/// The E.164 form of `number` (read in the configured default region) and the
/// contacts holding it, at most [`MAX_MATCH`]. Extensions, short codes and text
/// that is not a valid number answer `normalized: null` and no contacts.
/// `picked` is the contact this user picked for the number (`PUT
/// /api/contacts/pick`) when it is among the contacts answered, else `null`.
pub async fn match_number(
    State(state): State<AppState>,
    session: Session,
    query: Result<Query<MatchQuery>, QueryRejection>,
) -> Result<Json<ContactMatchResult>, ApiError> {
    let Query(query) = query?;
    let number = query
        .number
        .ok_or_else(|| ApiError::BadRequest("number is required".to_owned()))?;
    let region = state.default_region();
    let result = state
        .db()
        .read(move |conn| {
            let Some(phone::Normalized { e164, display, .. }) = phone::normalize(&number, region)
            else {
                return Ok(ContactMatchResult {
                    normalized: None,
                    display: None,
                    contacts: Vec::new(),
                    picked: None,
                });
            };
            let contacts = search::by_e164(conn, &e164, MAX_MATCH)?;
            let picked = contact_picks::picked(conn, session.user_key(), &e164)?
                .filter(|id| contacts.iter().any(|contact| contact.id == *id));
            Ok(ContactMatchResult {
                normalized: Some(e164),
                display: Some(display),
                contacts,
                picked,
            })
        })
        .await?;
    Ok(Json(result))
}
