//! Typed client for the dialdesk proxy's `/api`.

use std::sync::{Arc, RwLock};

use dialdesk_contract::{
    ApiErrorBody, AppConfig, CallContext, CallLog, CallLogConflict, CallLogDraft, Contact,
    ContactDraft, ContactMatchResult, ContactPick, ContactsPage, DirectoryEntry, FieldError,
    ImportJob, JournalBatchAck, Me, SessionInfo, SyncStatus, UnloggedCalls, CSRF_HEADER,
    CSRF_REJECTED,
};
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, Request, RequestInit, Response};

use crate::domain::call_log::SaveFailure;
use crate::domain::wire::{FromJson, ToJson};

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
}

impl ApiError {
    /// Whether trying again later may succeed: no answer, 5xx, 408 or 429.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Network(_) => true,
            Self::Status { status, .. } => *status >= 500 || matches!(status, 408 | 429),
            Self::Invalid { .. } | Self::Decode(_) => false,
        }
    }

    /// The HTTP status the server answered with, when it answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Status { status, .. } => Some(*status),
            Self::Invalid { .. } => Some(422),
            Self::Network(_) | Self::Decode(_) => None,
        }
    }
}

/// Whether an answer is the proxy refusing a request's CSRF token.
pub fn stale_csrf_token(status: u16, body: &str) -> bool {
    status == 403
        && serde_json::from_str::<Value>(body)
            .ok()
            .is_some_and(|v| v.get("error").and_then(Value::as_str) == Some(CSRF_REJECTED))
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
        self.send_empty("DELETE", "/api/session").await
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
        self.send_empty("POST", "/api/zoom/contacts/sync").await
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
        let body = pick.to_json().to_string();
        self.send_with("PUT", "/api/contacts/pick", Some(body))
            .await
    }

    /// Journals accepted call events in one request (idempotent on their keys);
    /// `events_json` is a JSON array of [`JournalEvent`](dialdesk_contract::JournalEvent).
    pub async fn journal(&self, events_json: String) -> Result<JournalBatchAck, ApiError> {
        self.send("POST", "/api/calls/events", Some(events_json))
            .await
    }

    /// Creates a contact; the proxy validates it field by field.
    pub async fn create_contact(&self, draft: &ContactDraft) -> Result<Contact, ApiError> {
        let body = draft.to_json().to_string();
        self.send("POST", "/api/contacts", Some(body)).await
    }

    /// Replaces contact `id` with `draft`.
    pub async fn update_contact(&self, id: i64, draft: &ContactDraft) -> Result<Contact, ApiError> {
        let body = draft.to_json().to_string();
        self.send("PUT", &format!("/api/contacts/{id}"), Some(body))
            .await
    }

    /// Where an uploaded import stands.
    pub async fn import_job(&self, id: &str) -> Result<ImportJob, ApiError> {
        self.get(&format!("/api/imports/{}", encode(id))).await
    }

    /// Saves the log of root call `call_id` (an idempotent upsert, DESIGN §9). A `409`
    /// comes back with the stored log; failures in transit are told from refusals.
    pub async fn save_call_log(
        &self,
        call_id: &str,
        draft: &CallLogDraft,
    ) -> Result<CallLog, SaveFailure> {
        let body = draft.to_json().to_string();
        let path = format!("/api/calls/{}/log", encode(call_id));
        match self.fetch("PUT", &path, Some(body)).await {
            Ok((status, status_text, body)) => save_outcome(status, &status_text, &body),
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

    async fn get<T: FromJson>(&self, path: &str) -> Result<T, ApiError> {
        self.send("GET", path, None).await
    }

    /// Sends a request; every method but GET carries the CSRF token.
    async fn send<T: FromJson>(
        &self,
        method: &str,
        path: &str,
        json_body: Option<String>,
    ) -> Result<T, ApiError> {
        let (status, status_text, body) = self.fetch(method, path, json_body).await?;
        decode_answer(status, &status_text, &body)
    }

    /// Sends a request whose answer carries nothing needed (any 2xx, body or not).
    async fn send_empty(&self, method: &str, path: &str) -> Result<(), ApiError> {
        self.send_with(method, path, None).await
    }

    async fn send_with(
        &self,
        method: &str,
        path: &str,
        json_body: Option<String>,
    ) -> Result<(), ApiError> {
        let (status, status_text, body) = self.fetch(method, path, json_body).await?;
        if (200..300).contains(&status) {
            return Ok(());
        }
        decode_answer::<Value>(status, &status_text, &body).map(drop)
    }

    /// The transport, kept free of the answer's type so it is compiled once. A
    /// state-changing request refused for a stale CSRF token (the browser signed
    /// in again elsewhere, which replaced the session cookie) takes the current
    /// session's token and is sent once more, so nothing waiting is lost.
    async fn fetch(
        &self,
        method: &str,
        path: &str,
        json_body: Option<String>,
    ) -> Result<(u16, String, String), ApiError> {
        let answer = self.fetch_once(method, path, json_body.as_deref()).await?;
        if !stale_csrf_token(answer.0, &answer.2) {
            return Ok(answer);
        }
        let (status, _, body) = self.fetch_once("GET", "/api/session", None).await?;
        let token = serde_json::from_str::<Value>(&body)
            .ok()
            .and_then(|v| v.get("csrfToken")?.as_str().map(str::to_owned));
        match (status, token) {
            (200, Some(token)) => {
                if let Ok(mut slot) = self.csrf_token.write() {
                    *slot = Some(token);
                }
                self.fetch_once(method, path, json_body.as_deref()).await
            }
            _ => Ok(answer),
        }
    }

    async fn fetch_once(
        &self,
        method: &str,
        path: &str,
        json_body: Option<&str>,
    ) -> Result<(u16, String, String), ApiError> {
        let headers = Headers::new().map_err(network)?;
        if method != "GET" {
            if let Some(token) = self.csrf_token() {
                headers.set(CSRF_HEADER, &token).map_err(network)?;
            }
        }
        let init = RequestInit::new();
        init.set_method(method);
        if let Some(body) = json_body {
            headers
                .set("Content-Type", "application/json")
                .map_err(network)?;
            init.set_body(&JsValue::from_str(body));
        }
        init.set_headers(&headers);
        let abort = web_sys::AbortController::new().map_err(network)?;
        init.set_signal(Some(&abort.signal()));
        let _deadline = gloo_timers::callback::Timeout::new(ANSWER_TIMEOUT_MS, move || {
            abort.abort();
        });
        let request = Request::new_with_str_and_init(path, &init).map_err(network)?;
        let window = web_sys::window().ok_or_else(|| ApiError::Network("no window".into()))?;
        let response: Response = JsFuture::from(window.fetch_with_request(&request))
            .await
            .map_err(network)?
            .unchecked_into();
        let text = JsFuture::from(response.text().map_err(network)?)
            .await
            .map_err(network)?
            .as_string()
            .unwrap_or_default();
        let (status, status_text) = (response.status(), response.status_text());
        if status == 401 {
            let hook = self.refused.read().ok().and_then(|h| h.clone());
            if let Some(hook) = hook {
                hook(refusal_message(&status_text, &text));
            }
        }
        Ok((status, status_text, text))
    }
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

/// A failed fetch in words: the browser's message when it gave one.
fn network(error: JsValue) -> ApiError {
    let message = error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .unwrap_or_else(|| "the request failed".to_owned());
    ApiError::Network(message)
}

/// Reads an answer of the proxy: the value on 2xx, else its error body. JSON is parsed
/// once into a `Value` and typed from there by [`FromJson`], so the parser is compiled
/// once for every answer type.
pub fn decode_answer<T: FromJson>(
    status: u16,
    status_text: &str,
    body: &str,
) -> Result<T, ApiError> {
    let value = answer_value(status, status_text, body)?;
    T::from_json(&value).map_err(ApiError::Decode)
}

/// The JSON of a 2xx answer, else the error the proxy (or the status line) gave.
fn answer_value(status: u16, status_text: &str, body: &str) -> Result<Value, ApiError> {
    let value: Option<Value> = serde_json::from_str(body).ok();
    if (200..300).contains(&status) {
        return value.ok_or_else(|| ApiError::Decode("the answer is not JSON".into()));
    }
    let error = value.and_then(|v| ApiErrorBody::from_json(&v).ok());
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
}
