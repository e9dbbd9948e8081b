//! Typed client for the dialdesk proxy's `/api`.

use std::sync::{Arc, RwLock};

use dialdesk_contract::{
    ApiErrorBody, AppConfig, CallContext, CallLog, CallLogConflict, CallLogDraft, Contact,
    ContactConflict, ContactDraft, ContactMatchResult, ContactPick, ContactsPage, DirectoryEntry,
    FieldError, ImportJob, JournalBatchAck, JournalEvent, Me, SessionInfo, SyncStatus,
    UnloggedCalls, CSRF_HEADER, CSRF_REJECTED,
};
use gloo_net::http::{Method, RequestBuilder};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde::Serialize;
use serde_json::Value;

use crate::domain::call_log::SaveFailure;

/// A request not answered (body included) within this long is given up as a network
/// failure, so a stalled connection cannot hold the outbox or the journal for ever.
const ANSWER_TIMEOUT_MS: u32 = 30_000;

/// Page size used when loading the contact book.
pub const CONTACTS_PAGE_SIZE: u32 = 1000;

/// Why an API call failed, in words a user can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The request did not reach the server or no answer came back.
    #[error("cannot reach the dialdesk server ({0})")]
    Network(String),
    /// The server answered with an error status.
    #[error("{message} (HTTP {status})")]
    Status {
        /// HTTP status.
        status: u16,
        /// The server's message.
        message: String,
    },
    /// The server refused some fields (422); each comes with its message.
    #[error("{message}")]
    Invalid {
        /// The server's summary.
        message: String,
        /// The fields to correct.
        fields: Vec<FieldError>,
    },
    /// The answer was not what this version of the app expects.
    #[error("unexpected answer from the dialdesk server ({0})")]
    Decode(String),
    /// A contact edit made from an older version (409): the contact as stored now.
    #[error("{message}")]
    EditConflict {
        /// The server's message.
        message: String,
        /// The contact as stored now.
        stored: Box<Contact>,
    },
}

impl ApiError {
    /// Whether trying again later may succeed: no answer, 5xx, 408 or 429.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Network(_) => true,
            Self::Status { status, .. } => *status >= 500 || matches!(status, 408 | 429),
            Self::Invalid { .. } | Self::Decode(_) | Self::EditConflict { .. } => false,
        }
    }

    /// The HTTP status the server answered with, when it answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Status { status, .. } => Some(*status),
            Self::Invalid { .. } => Some(422),
            Self::EditConflict { .. } => Some(409),
            Self::Network(_) | Self::Decode(_) => None,
        }
    }
}

/// Whether an answer is the proxy refusing a request's CSRF token.
pub fn stale_csrf_token(status: u16, body: &str) -> bool {
    status == 403
        && serde_json::from_str::<ApiErrorBody>(body)
            .is_ok_and(|answer| answer.error == CSRF_REJECTED)
}

/// What to tell the user about a `401`: the proxy's message, else a plain one.
pub fn refusal_message(status_text: &str, body: &str) -> String {
    match answer_value(401, status_text, body) {
        Err(ApiError::Status { message, .. } | ApiError::Invalid { message, .. })
            if !message.trim().is_empty() =>
        {
            message
        }
        _ => "your session has ended; sign in with Zoom again".to_owned(),
    }
}

/// Where the proxy streams the recording of call `call_id` (an `<audio>` source).
pub fn recording_url(call_id: &str) -> String {
    format!("/api/calls/{}/recording", encode(call_id))
}

/// Where a CSV file named `name` is uploaded for import (the proxy remembers the
/// name as the contacts' source).
pub fn import_url(name: &str) -> String {
    format!("/api/imports?name={}", encode(name))
}

/// The query of `GET /api/calls/unlogged`: `range` ([`unlogged_query`]) and, when
/// `whose` is not blank, whose calls (an e-mail or a Zoom user id).
///
/// [`unlogged_query`]: crate::domain::zoom::unlogged_query
pub fn unlogged_query_for(range: String, whose: &str) -> String {
    let whose = whose.trim();
    if whose.is_empty() {
        return range;
    }
    let joint = if range.is_empty() { '?' } else { '&' };
    format!("{range}{joint}user={}", encode(whose))
}

/// `component` escaped for a URL path or query.
fn encode(component: &str) -> String {
    String::from(js_sys::encode_uri_component(component))
}

/// What is called with the proxy's message on every `401` answer.
type RefusedHook = Arc<dyn Fn(String) + Send + Sync>;

/// The proxy client; cheap to clone, carries the session's CSRF token.
#[derive(Clone, Default)]
pub struct ApiClient {
    csrf_token: Arc<RwLock<Option<String>>>,
    /// Told of every `401` answer (the session ended, or Zoom refused the user's
    /// tokens).
    refused: Arc<RwLock<Option<RefusedHook>>>,
}

impl std::fmt::Debug for ApiClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiClient").finish_non_exhaustive()
    }
}

impl ApiClient {
    /// Starts the session (the proxy sets its cookie) and keeps the CSRF token.
    pub async fn start_session(&self) -> Result<SessionInfo, ApiError> {
        let session: SessionInfo = self.get("/api/session").await?;
        if let Ok(mut token) = self.csrf_token.write() {
            *token = Some(session.csrf_token.clone());
        }
        Ok(session)
    }

    /// Ends the session (`DELETE /api/session`).
    pub async fn sign_out(&self) -> Result<(), ApiError> {
        self.send_empty(Method::DELETE, "/api/session").await
    }

    /// `DELETE /api/sessions`: ends every session of this user and revokes their Zoom
    /// tokens.
    pub async fn sign_out_everywhere(&self) -> Result<(), ApiError> {
        self.send_empty(Method::DELETE, "/api/sessions").await
    }

    /// Calls `hook` with the proxy's message on every later `401` answer.
    pub fn on_refused(&self, hook: impl Fn(String) + Send + Sync + 'static) {
        if let Ok(mut slot) = self.refused.write() {
            *slot = Some(Arc::new(hook));
        }
    }

    /// The signed-in Zoom user and their numbers.
    pub async fn me(&self) -> Result<Me, ApiError> {
        self.get("/api/me").await
    }

    /// People of the Zoom company directory matching `query`.
    pub async fn directory(&self, query: &str) -> Result<Vec<DirectoryEntry>, ApiError> {
        self.get(&format!("/api/zoom/directory?q={}", encode(query)))
            .await
    }

    /// The calls of the user's Zoom history without a saved log; `query` comes from
    /// [`unlogged_query`](crate::domain::zoom::unlogged_query).
    pub async fn unlogged_calls(&self, query: &str) -> Result<UnloggedCalls, ApiError> {
        self.get(&format!("/api/calls/unlogged{query}")).await
    }

    /// Starts a sync of Zoom's external contacts into the contact book.
    pub async fn start_contact_sync(&self) -> Result<(), ApiError> {
        self.send_empty(Method::POST, "/api/zoom/contacts/sync")
            .await
    }

    /// Where the contact sync stands.
    pub async fn contact_sync(&self) -> Result<SyncStatus, ApiError> {
        self.get("/api/zoom/contacts/sync").await
    }

    /// Deploy-specific settings.
    pub async fn config(&self) -> Result<AppConfig, ApiError> {
        self.get("/api/config").await
    }

    /// One page of contacts after the given id.
    pub async fn contacts_page(&self, after: Option<i64>) -> Result<ContactsPage, ApiError> {
        let mut path = format!("/api/contacts?limit={CONTACTS_PAGE_SIZE}");
        if let Some(after) = after {
            path.push_str(&format!("&after={after}"));
        }
        self.get(&path).await
    }

    /// What the journal knows about earlier calls, per number.
    pub async fn call_context(&self) -> Result<Vec<CallContext>, ApiError> {
        self.get("/api/calls/context").await
    }

    /// Contacts matching a search, from the proxy's full-text and number search.
    pub async fn search_contacts(&self, query: &str) -> Result<Vec<Contact>, ApiError> {
        self.get(&format!(
            "/api/contacts/search?q={}&limit=20",
            encode(query)
        ))
        .await
    }

    /// Contacts holding a number, normalised by the proxy.
    pub async fn match_number(&self, number: &str) -> Result<ContactMatchResult, ApiError> {
        self.get(&format!("/api/contacts/match?number={}", encode(number)))
            .await
    }

    /// Remembers, for this user, that calls from `number` are with contact `id`.
    pub async fn pick_contact(&self, number: &str, id: i64) -> Result<(), ApiError> {
        let pick = ContactPick {
            number: number.to_owned(),
            contact_id: id,
        };
        self.send_with(Method::PUT, "/api/contacts/pick", Some(json(&pick)))
            .await
    }

    /// Journals accepted call events in one request (idempotent on their keys). The
    /// batch comes serialised ([`journal_batch`]), so the queue lends its events
    /// without copying their payloads.
    pub async fn journal(&self, batch: String) -> Result<JournalBatchAck, ApiError> {
        self.send(Method::POST, "/api/calls/events", Some(batch))
            .await
    }

    /// Creates a contact; the proxy validates it field by field.
    pub async fn create_contact(&self, draft: &ContactDraft) -> Result<Contact, ApiError> {
        self.send(Method::POST, "/api/contacts", Some(json(draft)))
            .await
    }

    /// Replaces contact `id` with `draft`, made from `draft.base_version`; a `409`
    /// comes back as [`ApiError::EditConflict`] ([`contact_edit_outcome`]).
    pub async fn update_contact(&self, id: i64, draft: &ContactDraft) -> Result<Contact, ApiError> {
        let path = format!("/api/contacts/{id}");
        let answer = self.fetch(Method::PUT, &path, Some(json(draft))).await?;
        contact_edit_outcome(answer.status, &answer.status_text, &answer.body)
    }

    /// Where an uploaded import stands.
    pub async fn import_job(&self, id: &str) -> Result<ImportJob, ApiError> {
        self.get(&format!("/api/imports/{}", encode(id))).await
    }

    /// Saves the log of root call `call_id` (an idempotent upsert). A `409`
    /// comes back with the stored log; failures in transit are told from refusals.
    pub async fn save_call_log(
        &self,
        call_id: &str,
        draft: &CallLogDraft,
    ) -> Result<CallLog, SaveFailure> {
        let path = format!("/api/calls/{}/log", encode(call_id));
        match self.fetch(Method::PUT, &path, Some(json(draft))).await {
            Ok(answer) => save_outcome(answer.status, &answer.status_text, &answer.body),
            Err(e) => Err(SaveFailure::Transient(e.to_string())),
        }
    }

    /// The logs saved on the UTC days `from` to `to` (`YYYY-MM-DD`, both included), of
    /// one contact when `contact` is given.
    pub async fn call_logs(
        &self,
        from: &str,
        to: &str,
        contact: Option<i64>,
    ) -> Result<Vec<CallLog>, ApiError> {
        let mut path = format!("/api/calls/logs?from={}&to={}", encode(from), encode(to));
        if let Some(id) = contact {
            path.push_str(&format!("&contactId={id}"));
        }
        self.get(&path).await
    }

    /// The stored log of root call `call_id`, if one was saved.
    pub async fn call_log(&self, call_id: &str) -> Result<Option<CallLog>, ApiError> {
        let path = format!("/api/calls/{}/log", encode(call_id));
        match self.get(&path).await {
            Ok(log) => Ok(Some(log)),
            Err(ApiError::Status { status: 404, .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The session's CSRF token, for requests sent outside this client (uploads).
    pub fn csrf_token(&self) -> Option<String> {
        self.csrf_token.read().ok().and_then(|t| t.clone())
    }

    async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        self.send(Method::GET, path, None).await
    }

    /// Sends a request; every method but GET carries the CSRF token.
    async fn send<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        json_body: Option<String>,
    ) -> Result<T, ApiError> {
        let answer = self.fetch(method, path, json_body).await?;
        decode_answer(answer.status, &answer.status_text, &answer.body)
    }

    /// Sends a request whose answer carries nothing needed (any 2xx, body or not).
    async fn send_empty(&self, method: Method, path: &str) -> Result<(), ApiError> {
        self.send_with(method, path, None).await
    }

    async fn send_with(
        &self,
        method: Method,
        path: &str,
        json_body: Option<String>,
    ) -> Result<(), ApiError> {
        let answer = self.fetch(method, path, json_body).await?;
        if (200..300).contains(&answer.status) {
            return Ok(());
        }
        answer_value(answer.status, &answer.status_text, &answer.body).map(drop)
    }

    /// The transport, kept free of the answer's type so it is compiled once. A
    /// state-changing request refused for a stale CSRF token (the browser signed
    /// in again elsewhere, which replaced the session cookie) takes the current
    /// session's token and is sent once more, so nothing waiting is lost.
    async fn fetch(
        &self,
        method: Method,
        path: &str,
        json_body: Option<String>,
    ) -> Result<Answer, ApiError> {
        let answer = self
            .fetch_once(method.clone(), path, json_body.as_deref())
            .await?;
        if !stale_csrf_token(answer.status, &answer.body) {
            return Ok(answer);
        }
        let session = self.fetch_once(Method::GET, "/api/session", None).await?;
        let token = (session.status == 200)
            .then(|| serde_json::from_str::<SessionInfo>(&session.body).ok())
            .flatten();
        match token {
            Some(session) => {
                if let Ok(mut slot) = self.csrf_token.write() {
                    *slot = Some(session.csrf_token);
                }
                self.fetch_once(method, path, json_body.as_deref()).await
            }
            None => Ok(answer),
        }
    }

    async fn fetch_once(
        &self,
        method: Method,
        path: &str,
        json_body: Option<&str>,
    ) -> Result<Answer, ApiError> {
        let mut request = RequestBuilder::new(path).method(method.clone());
        if method != Method::GET {
            if let Some(token) = self.csrf_token() {
                request = request.header(CSRF_HEADER, &token);
            }
        }
        let abort = web_sys::AbortController::new()
            .map_err(|_| ApiError::Network("the browser cannot time requests out".into()))?;
        request = request.abort_signal(Some(&abort.signal()));
        let _deadline = gloo_timers::callback::Timeout::new(ANSWER_TIMEOUT_MS, move || {
            abort.abort();
        });
        let request = match json_body {
            Some(body) => request
                .header("Content-Type", "application/json")
                .body(body.to_owned()),
            None => request.build(),
        }
        .map_err(network)?;
        let response = request.send().await.map_err(network)?;
        let body = response.text().await.map_err(network)?;
        let answer = Answer {
            status: response.status(),
            status_text: response.status_text(),
            body,
        };
        if answer.status == 401 {
            let hook = self.refused.read().ok().and_then(|h| h.clone());
            if let Some(hook) = hook {
                hook(refusal_message(&answer.status_text, &answer.body));
            }
        }
        Ok(answer)
    }
}

/// An answer of the proxy, read whole.
struct Answer {
    status: u16,
    status_text: String,
    body: String,
}

/// The body of a journal request: the events as a JSON array.
pub fn journal_batch(events: &[&JournalEvent]) -> String {
    json(&events)
}

/// The JSON text of a request body.
fn json(value: &impl Serialize) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// What an answer to a contact edit means: the stored contact on 2xx, the contact
/// as stored now on `409`, else the proxy's refusal.
pub fn contact_edit_outcome(
    status: u16,
    status_text: &str,
    body: &str,
) -> Result<Contact, ApiError> {
    if status == 409 {
        if let Ok(conflict) = decode_answer::<ContactConflict>(200, "", body) {
            return Err(ApiError::EditConflict {
                message: conflict.error,
                stored: Box::new(conflict.stored),
            });
        }
    }
    decode_answer(status, status_text, body)
}

/// What an answer to a log save means for the outbox: the stored log on 2xx; `409`
/// with the stored log; 5xx, 408 and 429 are tried again, and so is 401 (the session
/// ended: the save waits in the outbox until the user is signed in again); any other
/// refusal fails the log with the proxy's reason and every field message.
pub fn save_outcome(status: u16, status_text: &str, body: &str) -> Result<CallLog, SaveFailure> {
    if status == 401 {
        return Err(SaveFailure::Transient(refusal_message(status_text, body)));
    }
    if status == 409 {
        if let Ok(conflict) = decode_answer::<CallLogConflict>(200, "", body) {
            return Err(SaveFailure::Conflict(Box::new(conflict.stored)));
        }
    }
    decode_answer(status, status_text, body).map_err(|e| match e {
        ApiError::Invalid { message, fields } => {
            let details: Vec<&str> = fields.iter().map(|f| f.message.as_str()).collect();
            let reason = format!("{message}: {}", details.join("; "));
            if !fields.is_empty() && fields.iter().all(|f| f.field == "contactId") {
                SaveFailure::UnknownContact(reason)
            } else {
                SaveFailure::Refused(reason)
            }
        }
        e if e.is_transient() => SaveFailure::Transient(e.to_string()),
        e => SaveFailure::Refused(e.to_string()),
    })
}

/// A failed fetch in words: the browser's message.
fn network(error: gloo_net::Error) -> ApiError {
    ApiError::Network(error.to_string())
}

/// Reads an answer of the proxy: the value on 2xx, else its error body.
pub fn decode_answer<T: DeserializeOwned>(
    status: u16,
    status_text: &str,
    body: &str,
) -> Result<T, ApiError> {
    let value = answer_value(status, status_text, body)?;
    T::deserialize(value).map_err(|e| ApiError::Decode(e.to_string()))
}

/// The JSON of a 2xx answer, else the error the proxy (or the status line) gave.
fn answer_value(status: u16, status_text: &str, body: &str) -> Result<Value, ApiError> {
    let value: Option<Value> = serde_json::from_str(body).ok();
    if (200..300).contains(&status) {
        return value.ok_or_else(|| ApiError::Decode("the answer is not JSON".into()));
    }
    let error = value.and_then(|v| ApiErrorBody::deserialize(v).ok());
    Err(match error {
        Some(body) if !body.fields.is_empty() => ApiError::Invalid {
            message: body.error,
            fields: body.fields,
        },
        Some(body) => ApiError::Status {
            status,
            message: body.error,
        },
        None => ApiError::Status {
            status,
            message: status_text.to_owned(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Every answer type reads back what the proxy writes with the same derive, from
    /// a complete value and with its optional fields left out.
    fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(value: T) {
        let text = serde_json::to_string(&value).unwrap_or_default();
        assert_eq!(decode_answer::<T>(200, "OK", &text), Ok(value), "{text}");
    }

    #[test]
    fn the_answers_read_back_what_the_proxy_writes() {
        let contact = Contact {
            version: 1,
            id: 7,
            name: "Ada".into(),
            company: Some("Analytical".into()),
            title: None,
            email: Some("ada@example.com".into()),
            time_zone: Some("Europe/London".into()),
            numbers: vec![dialdesk_contract::ContactNumber {
                label: "work".into(),
                raw: "+44 20 7946 0000".into(),
                e164: Some("+442079460000".into()),
                region: Some("GB".into()),
                parse_error: None,
                do_not_call: true,
                display: Some("+44 20 7946 0000".into()),
            }],
        };
        round_trip(ContactsPage {
            contacts: vec![contact.clone()],
            next_cursor: Some(7),
            total: 1,
        });
        round_trip(ContactMatchResult {
            normalized: Some("+442079460000".into()),
            display: Some("+44 20 7946 0000".into()),
            contacts: vec![contact],
            picked: None,
        });
        round_trip(SessionInfo {
            csrf_token: "t".into(),
            auth: dialdesk_contract::AuthMode::Zoom,
            role: dialdesk_contract::Role::Supervisor,
            user_id: Some("emuU2BenOkafor00000002".into()),
            oversees: vec!["ben.okafor@dialdesk.example".into()],
        });
        round_trip(CallContext {
            number: "+15550100".into(),
            contact_id: Some(7),
            attempts: 2,
            last_at: None,
            last_result: Some("missed".into()),
            last_disposition: None,
        });
        round_trip(Me {
            id: "u1".into(),
            name: "Ava".into(),
            email: "ava@example.com".into(),
            extension_number: None,
            phone_numbers: vec!["+12125550142".into()],
            displays: [("+12125550142".into(), "(212) 555-0142".into())].into(),
        });
        round_trip(JournalBatchAck {
            stored: 3,
            repeats: 1,
        });
        round_trip(serde_json::from_value::<CallLog>(stored()).expect("a stored log"));
    }

    #[test]
    fn a_missing_required_field_is_a_decode_error_not_a_panic() {
        let answer = decode_answer::<Contact>(200, "OK", r#"{"id":1,"numbers":[]}"#);
        assert!(matches!(answer, Err(ApiError::Decode(reason)) if reason.contains("name")));
        let answer = decode_answer::<Contact>(200, "OK", "<html>");
        assert_eq!(
            answer,
            Err(ApiError::Decode("the answer is not JSON".into()))
        );
    }

    fn stored() -> serde_json::Value {
        json!({ "callId": "c1", "version": 2, "disposition": "interested", "notes": "",
                "fields": {}, "contactId": null, "direction": null, "number": null,
                "durationSecs": null, "result": null, "savedAt": "2026-11-25T10:00:00Z",
                "recordings": [], "voicemails": [] })
    }

    #[test]
    fn only_failures_in_transit_are_tried_again() {
        for status in [500, 502, 503, 408, 429, 401] {
            let outcome = save_outcome(status, "busy", "");
            assert!(
                matches!(outcome, Err(SaveFailure::Transient(_))),
                "{status}"
            );
        }
        for status in [400, 403, 404, 413] {
            let body = json!({ "error": "no such thing" }).to_string();
            let outcome = save_outcome(status, "", &body);
            assert_eq!(
                outcome,
                Err(SaveFailure::Refused(format!(
                    "no such thing (HTTP {status})"
                )))
            );
        }
    }

    #[test]
    fn only_the_proxys_csrf_refusal_counts_as_a_stale_token() {
        let refusal = json!({ "error": CSRF_REJECTED }).to_string();
        assert!(stale_csrf_token(403, &refusal));
        assert!(!stale_csrf_token(401, &refusal));
        assert!(!stale_csrf_token(403, r#"{"error":"not yours"}"#));
        assert!(!stale_csrf_token(403, "<html>"));
    }

    #[test]
    fn a_401_names_the_proxy_reason() {
        let expired = "your Zoom sign-in has expired or was revoked; sign in with Zoom again";
        let body = json!({ "error": expired }).to_string();
        assert_eq!(refusal_message("Unauthorized", &body), expired);
        assert_eq!(
            refusal_message("", ""),
            "your session has ended; sign in with Zoom again"
        );
        assert_eq!(
            save_outcome(401, "", &body),
            Err(SaveFailure::Transient(expired.into()))
        );
        let status = ApiError::Status {
            status: 401,
            message: expired.into(),
        };
        assert_eq!(status.status(), Some(401));
        assert_eq!(ApiError::Network("down".into()).status(), None);
    }

    #[test]
    fn a_refusal_names_every_field_and_a_conflict_carries_the_stored_log() {
        let body = json!({ "error": "the call log was not saved", "fields": [
            { "field": "disposition", "message": "unknown disposition" },
            { "field": "notes", "message": "too long" } ] });
        assert_eq!(
            save_outcome(422, "", &body.to_string()),
            Err(SaveFailure::Refused(
                "the call log was not saved: unknown disposition; too long".into()
            ))
        );
        let gone = json!({ "error": "the call log was not saved", "fields": [
            { "field": "contactId", "message": "no contact with id 7" } ] });
        assert_eq!(
            save_outcome(422, "", &gone.to_string()),
            Err(SaveFailure::UnknownContact(
                "the call log was not saved: no contact with id 7".into()
            ))
        );
        let conflict = json!({ "error": "edited elsewhere", "yours": { "baseVersion": 1,
            "disposition": "no_answer" }, "stored": stored() });
        match save_outcome(409, "", &conflict.to_string()) {
            Err(SaveFailure::Conflict(log)) => assert_eq!(log.version, 2),
            other => panic!("409 read as {other:?}"),
        }
        match save_outcome(200, "", &stored().to_string()) {
            Ok(log) => assert_eq!(log.disposition, "interested"),
            other => panic!("200 read as {other:?}"),
        }
    }

    #[test]
    fn a_contact_edit_conflict_carries_the_stored_contact() {
        let stored = Contact {
            id: 4,
            name: "Ada".into(),
            version: 3,
            ..Contact::default()
        };
        let conflict = ContactConflict {
            error: "someone saved this contact".into(),
            yours: ContactDraft::default(),
            stored: stored.clone(),
        };
        let body = serde_json::to_string(&conflict).unwrap_or_default();
        assert_eq!(
            contact_edit_outcome(409, "Conflict", &body),
            Err(ApiError::EditConflict {
                message: "someone saved this contact".into(),
                stored: Box::new(stored.clone()),
            })
        );
        let saved = serde_json::to_string(&stored).unwrap_or_default();
        assert_eq!(contact_edit_outcome(200, "OK", &saved), Ok(stored));
        let other = json!({ "error": "no contact with id 4" }).to_string();
        assert_eq!(
            contact_edit_outcome(404, "Not Found", &other).map_err(|e| e.status()),
            Err(Some(404))
        );
    }
}
