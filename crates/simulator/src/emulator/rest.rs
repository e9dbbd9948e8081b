//! The user and contact endpoints, the paging every list shares, and the answer for unknown
//! API paths.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::Uri;
use axum::{Extension, Json};
use serde_json::{json, Value};

use super::directory::{find_user, users, GUEST, GUEST_INDEX, OTHER_ACCOUNT_ID};
use super::error::ZoomError;
use super::paging::{Page, Resume};
use super::params::Params;
use super::state::Shared;
use super::tokens::Subject;

/// Largest `page_size` of the list endpoints.
pub const MAX_PAGE_SIZE: usize = 300;
/// `page_size` when none is given.
pub const DEFAULT_PAGE_SIZE: usize = 30;

/// A list request's parsed paging: where to start and how many to take.
pub struct Listing {
    /// Where the page starts and as of when the listing is taken.
    pub resume: Resume,
    /// Items per page.
    pub page_size: usize,
    /// The filters the page tokens are bound to.
    filters: String,
}

impl Listing {
    /// Reads `page_size` and `next_page_token` for a listing with these `filters`.
    pub fn begin(shared: &Shared, params: &Params, filters: String) -> Result<Self, ZoomError> {
        let page_size = params.page_size(DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)?;
        let now_ms = shared.clock.now_ms();
        let resume = match params.one("next_page_token")? {
            Some(token) => shared.pages().resolve(token, &filters, now_ms)?,
            None => Resume {
                offset: 0,
                as_of_ms: now_ms,
            },
        };
        Ok(Self {
            resume,
            page_size,
            filters,
        })
    }

    /// The page of `total` items to answer with, issuing the next token if any.
    pub fn page(&self, shared: &Shared, total: usize) -> Page {
        shared.pages().page(
            &self.filters,
            self.resume,
            total,
            self.page_size,
            shared.clock.now_ms(),
        )
    }
}

/// The user a token speaks for; a Server-to-Server token speaks for the account owner.
fn user_of(subject: Subject) -> usize {
    match subject {
        Subject::User(user) => user,
        Subject::Account => 0,
    }
}

/// `GET /v2/users/me`: with the user's account id ([`GUEST`]'s is another account).
pub async fn me(
    State(shared): State<Arc<Shared>>,
    Extension(subject): Extension<Subject>,
) -> Json<Value> {
    let user = user_of(subject);
    if user == GUEST_INDEX {
        return Json(GUEST.to_user_json(OTHER_ACCOUNT_ID));
    }
    Json(users()[user % users().len()].to_user_json(&shared.credentials.account_id))
}

/// `GET /v2/phone/users/{userId}`: an id, an email, or `me`.
pub async fn phone_user(
    Extension(subject): Extension<Subject>,
    Path(user_id): Path<String>,
) -> Result<Json<Value>, ZoomError> {
    let user = if user_id == "me" {
        Some(user_of(subject))
    } else {
        find_user(&user_id)
    };
    if user == Some(GUEST_INDEX) && user_id == "me" {
        return Ok(Json(GUEST.to_phone_json()));
    }
    user.and_then(|user| users().get(user))
        .map(|user| Json(user.to_phone_json()))
        .ok_or(ZoomError::NoUser(user_id))
}

/// `GET /v2/contacts?search_key=…`: the company directory (the users), searched by name or
/// email prefix.
pub async fn contacts(
    State(shared): State<Arc<Shared>>,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, ZoomError> {
    let params = Params::parse(query.as_deref().unwrap_or_default());
    let key = params.required("search_key")?;
    let listing = Listing::begin(&shared, &params, filters(&["contacts", key]))?;
    let found: Vec<Value> = users()
        .iter()
        .filter(|user| user.matches(key))
        .map(|user| user.to_contact_json())
        .collect();
    let page = listing.page(&shared, found.len());
    Ok(Json(json!({
        "contacts": found.get(page.items).unwrap_or_default(),
        "next_page_token": page.next_page_token,
        "page_size": listing.page_size,
    })))
}

/// `GET /v2/phone/external_contacts`: every external contact, page by page.
pub async fn external_contacts(
    State(shared): State<Arc<Shared>>,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, ZoomError> {
    let params = Params::parse(query.as_deref().unwrap_or_default());
    let listing = Listing::begin(&shared, &params, filters(&["external_contacts"]))?;
    let all = shared.book.contacts();
    let page = listing.page(&shared, all.len());
    let rows: Vec<Value> = all
        .get(page.items)
        .unwrap_or_default()
        .iter()
        .map(|contact| contact.to_json())
        .collect();
    Ok(Json(json!({
        "external_contacts": rows,
        "next_page_token": page.next_page_token,
        "page_size": listing.page_size,
        "total_records": all.len(),
    })))
}

/// Any other `GET /v2/…`: 404, code 404.
pub async fn unknown(uri: Uri) -> ZoomError {
    ZoomError::NoRoute(uri.path().to_owned())
}

/// The canonical, unambiguous form of a listing's filters.
pub fn filters(parts: &[&str]) -> String {
    serde_json::to_string(parts).unwrap_or_default()
}
