//! The `/api` JSON contract between the dialdesk app and `dialdesk-proxy`.
//!
//! Plain serde types only: this crate is compiled into the wasm app, so it must
//! stay free of heavy dependencies.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub mod rules;

/// Name of the request header that carries the CSRF token on state-changing requests.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The `error` of the `403` answer to a state-changing request whose CSRF token
/// is missing or not the session's (e.g. the browser signed in again in
/// another tab, which replaced the session cookie).
pub const CSRF_REJECTED: &str = "missing or invalid CSRF token; reload the page";

/// `GET /api/health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    /// Always `"ok"` when the proxy answers.
    pub status: String,
    /// The proxy's package version.
    pub version: String,
}

/// `GET /api/session`: the caller's session, created on first contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionInfo {
    /// Token to send in the [`CSRF_HEADER`] header on every state-changing request.
    pub csrf_token: String,
    /// How users sign in.
    pub auth: AuthMode,
    /// What this person may do (`[roles]` in the proxy's settings).
    #[serde(default)]
    pub role: Role,
    /// The signed-in Zoom user (none without sign-in): the browser keeps each
    /// person's drafts and queues apart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// The people whose unlogged calls this person may read besides their own, as the
    /// proxy's settings name them (e-mail or Zoom user id): a supervisor's team
    /// members; for an admin, everyone the settings name (an admin may also ask for
    /// anyone else).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub oversees: Vec<String>,
}

/// What a signed-in person may do. Everyone signed in is a rep unless the proxy's
/// `[roles]` names them; with `auth = "none"` the one local user is an admin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Calls, contacts and their own logs.
    #[default]
    Rep,
    /// A rep who also oversees a team.
    Supervisor,
    /// Everything, including CSV imports and starting a Zoom sync.
    Admin,
}

impl Role {
    /// Whether this role may import contacts and start a Zoom sync.
    pub fn is_admin(self) -> bool {
        self == Self::Admin
    }
}

/// How users sign in to dialdesk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum AuthMode {
    /// No sign-in; every visitor gets an anonymous session (single-user deployments, demo, tests).
    #[default]
    None,
    /// Sign in with Zoom (user OAuth).
    Zoom,
}

/// `GET /api/config`: everything deploy-specific the app needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppConfig {
    /// Where the Smart Embed comes from and which origin may talk to the app.
    pub embed: EmbedSettings,
    /// Flags sent in `zp-init-config`.
    pub init_config: InitConfigFlags,
    /// Disposition (outcome) codes offered after a call.
    pub dispositions: Vec<DispositionCode>,
    /// Outbound caller IDs the rep may pick from.
    pub caller_ids: Vec<CallerId>,
    /// Call guard settings.
    pub guard: GuardSettings,
    /// Whether phone numbers are shown only by their last four digits in diagnostics.
    pub redact_numbers: bool,
    /// How users sign in.
    pub auth: AuthMode,
    /// How long the bridge waits for the embed.
    #[serde(default)]
    pub bridge: BridgeTimings,
    /// Wrap-up timer and how saves of call logs are retried.
    #[serde(default)]
    pub call_logs: CallLogSettings,
}

/// How the Smart Embed is loaded and which origin is trusted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EmbedSettings {
    /// The iframe `src`.
    pub url: String,
    /// The one origin whose messages are accepted and to which commands are posted.
    pub origin: String,
    /// Whether the app renders the iframe or Zoom's loader script does.
    #[serde(default)]
    pub loader: EmbedLoader,
    /// The loader script, in [`EmbedLoader::Sdk`] mode.
    #[serde(default)]
    pub sdk_url: Option<String>,
}

/// Who creates the Smart Embed iframe (contract §1.2, §1.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum EmbedLoader {
    /// The app renders `<iframe src=url>` and treats its `load` as ready.
    #[default]
    Iframe,
    /// Zoom's `sdk.js` creates the iframe and calls `window.onZoomPhoneIframeApiReady`.
    Sdk,
}

/// The four booleans of `zp-init-config`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InitConfigFlags {
    /// Let the user save a call log from the embed (`zp-save-log-event`).
    pub enable_saving_log: bool,
    /// Emit `zp-call-log-completed-event` when a call completes.
    pub enable_auto_log: bool,
    /// Ask the host to search contacts while the user types.
    pub enable_contact_searching: bool,
    /// Ask the host to match numbers to contacts.
    pub enable_contact_matching: bool,
}

impl Default for InitConfigFlags {
    fn default() -> Self {
        Self {
            enable_saving_log: true,
            enable_auto_log: true,
            enable_contact_searching: true,
            enable_contact_matching: true,
        }
    }
}

/// How long the bridge waits for the embed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BridgeTimings {
    /// A command still waiting for the embed to load after this long is dropped and
    /// reported on the row that asked for it.
    pub command_ttl_ms: u32,
    /// A `zp-make-call` with `autoDial` that sees no ringing event within this long is
    /// reported as unanswered, with the `zoomphonecall://` link offered instead.
    pub ring_timeout_ms: u32,
}

impl Default for BridgeTimings {
    fn default() -> Self {
        Self {
            command_ttl_ms: 30_000,
            ring_timeout_ms: 10_000,
        }
    }
}

/// After-call work and the retrying of call-log saves (`[wrap_up]`, `[outbox]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallLogSettings {
    /// Seconds of wrap-up after a call; `0` turns the timer off.
    pub wrap_up_secs: u32,
    /// The disposition value saved when wrap-up runs out.
    pub wrap_up_default: String,
    /// First delay before a save that failed in transit is sent again.
    pub retry_first_ms: u32,
    /// Longest delay between two attempts; delays double up to it.
    pub retry_max_ms: u32,
}

impl Default for CallLogSettings {
    fn default() -> Self {
        Self {
            wrap_up_secs: 0,
            wrap_up_default: String::new(),
            retry_first_ms: 1_000,
            retry_max_ms: 60_000,
        }
    }
}

/// Whether a disposition belongs to calls that connected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DispositionGroup {
    /// The call reached the person.
    Connected,
    /// The call did not reach the person.
    NotConnected,
}

/// One disposition code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DispositionCode {
    /// Shown to the agent.
    pub label: String,
    /// Stored and sent to the embed.
    pub value: String,
    /// Connected or not connected.
    pub group: DispositionGroup,
    /// Whether notes must be filled before saving.
    pub notes_required: bool,
}

/// One caller ID the rep may present.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallerId {
    /// Shown in the picker.
    pub label: String,
    /// E.164 number or extension.
    pub number: String,
    /// How the number reads, grouped for its country, when it is a valid E.164 number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
}

/// What the call guard does when a call should not be placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum GuardMode {
    /// Refuse the call.
    Block,
    /// Warn and ask the rep to confirm.
    #[default]
    Confirm,
}

/// Call guard settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GuardSettings {
    /// Block or confirm.
    pub mode: GuardMode,
    /// Local time window for calls, `HH:MM`.
    pub window_start: String,
    /// Local time window end, `HH:MM`.
    pub window_end: String,
    /// Every region that has more than one IANA zone, with its zones: a contact
    /// without an explicit zone whose number is in one of these may be called only
    /// when the window is open in all of them.
    #[serde(default)]
    pub region_zones: Vec<RegionZones>,
}

/// The IANA zones of one region (a list, not a map: the app only scans it, and a
/// map type costs the wasm build its own code).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionZones {
    /// ISO 3166 code, e.g. `US`.
    pub region: String,
    /// Its zones, e.g. `America/New_York`.
    pub zones: Vec<String>,
}

/// `GET /api/contacts` answer: one page in id order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContactsPage {
    /// The contacts of this page, in ascending id order.
    pub contacts: Vec<Contact>,
    /// Pass as `after` to get the next page; `None` on the last page.
    pub next_cursor: Option<i64>,
    /// Number of contacts in the book when this page was read.
    pub total: u64,
}

/// A contact as the app sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Contact {
    /// Stable id, also the paging key.
    pub id: i64,
    /// Full name.
    pub name: String,
    /// Company, if known.
    pub company: Option<String>,
    /// Job title, if known.
    pub title: Option<String>,
    /// E-mail, if known.
    pub email: Option<String>,
    /// IANA time zone: the explicit one, else the zone of its first callable
    /// number's region when that region has a single zone.
    pub time_zone: Option<String>,
    /// One or more numbers.
    pub numbers: Vec<ContactNumber>,
    /// Raised by every change to the contact; an edit names the version it started
    /// from ([`ContactDraft::base_version`]).
    #[serde(default)]
    pub version: u64,
}

/// A contact's phone number.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContactNumber {
    /// "mobile", "work", …
    pub label: String,
    /// The number as typed.
    pub raw: String,
    /// E.164 form when the number parsed; `None` means not callable.
    pub e164: Option<String>,
    /// ISO 3166 region of the number, when it parsed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Why the number is not callable, when it did not parse.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parse_error: Option<String>,
    /// The E.164 number is on the do-not-call list (whichever contact holds it).
    #[serde(default, skip_serializing_if = "is_false")]
    pub do_not_call: bool,
    /// How the number reads, grouped for its country (`+44 20 7946 0958`;
    /// `(415) 555-0123` in North America), when it parsed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
}

fn is_false(value: &bool) -> bool {
    !*value
}

/// `POST /api/contacts` (create) and `PUT /api/contacts/{id}` (replace) body.
/// Refused with 422 and [`ApiErrorBody::fields`] when a field is invalid.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContactDraft {
    /// Full name; required.
    pub name: String,
    /// Company.
    #[serde(default)]
    pub company: Option<String>,
    /// Job title.
    #[serde(default)]
    pub title: Option<String>,
    /// E-mail address.
    #[serde(default)]
    pub email: Option<String>,
    /// IANA time zone; empty means "from the number's region when it has one zone".
    #[serde(default)]
    pub time_zone: Option<String>,
    /// Numbers in order; each must parse.
    #[serde(default)]
    pub numbers: Vec<NumberDraft>,
    /// The version of the contact the edit started from: required by `PUT`, which
    /// refuses a stale one with `409` and a [`ContactConflict`]; ignored by `POST`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_version: Option<u64>,
}

impl From<&Contact> for ContactDraft {
    /// The draft that edits `contact` as it is, from its version.
    fn from(contact: &Contact) -> Self {
        Self {
            base_version: Some(contact.version),
            name: contact.name.clone(),
            company: contact.company.clone(),
            title: contact.title.clone(),
            email: contact.email.clone(),
            time_zone: contact.time_zone.clone(),
            numbers: contact
                .numbers
                .iter()
                .map(|n| NumberDraft {
                    label: n.label.clone(),
                    raw: n.raw.clone(),
                    do_not_call: n.do_not_call,
                })
                .collect(),
        }
    }
}

/// `409` to a contact edit whose base version is not the stored one and whose
/// content differs from it: both versions, so the rep chooses instead of one
/// silently replacing the other.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContactConflict {
    /// Human-readable message, safe to show to the user.
    pub error: String,
    /// The draft that was refused, as sent.
    pub yours: ContactDraft,
    /// The contact as stored now.
    pub stored: Contact,
}

/// One number of a [`ContactDraft`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NumberDraft {
    /// "mobile", "work", …
    pub label: String,
    /// The number as typed.
    pub raw: String,
    /// Put (or keep) the number on the do-not-call list; `false` takes it off.
    #[serde(default)]
    pub do_not_call: bool,
}

/// One invalid field of a refused request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The field: `name`, `company`, `title`, `email`, `timeZone`, or
    /// `numbers.N` for the N-th number (from 0) of a [`ContactDraft`]; the
    /// camelCase name of a [`CallLogDraft`] field.
    pub field: String,
    /// What is wrong, safe to show next to the field.
    pub message: String,
}

/// `GET /api/imports/{id}` (and the `202` answer of `POST /api/imports`): a CSV
/// upload being imported on the proxy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportJob {
    /// Job id, for polling.
    pub id: String,
    /// Where the job is.
    pub state: ImportState,
    /// Rows written so far.
    pub done: u64,
    /// Rows to write (known once the file has been read).
    pub total: u64,
    /// The result, once `state` is `done`.
    #[serde(default)]
    pub report: Option<ImportReport>,
    /// Why nothing was imported, once `state` is `failed`.
    #[serde(default)]
    pub error: Option<String>,
}

/// Stage of an [`ImportJob`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ImportState {
    /// Decoding and mapping the file.
    Reading,
    /// Writing rows (in one transaction).
    Writing,
    /// Finished; see the report.
    Done,
    /// The file could not be imported; nothing changed.
    Failed,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    /// Contacts added.
    pub created: u64,
    /// Contacts replaced.
    pub updated: u64,
    /// Rows not imported, in line order.
    pub rejected: Vec<ImportIssue>,
    /// Problems in imported rows, in line order.
    pub warnings: Vec<ImportIssue>,
    /// Fields a person edited in dialdesk since the contact last came from this file,
    /// which the file's values did not replace, in line order.
    #[serde(default)]
    pub kept: Vec<ImportIssue>,
}

/// A rejected row or a warning about an imported one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportIssue {
    /// 1-based line the row starts on; the header is line 1.
    pub line: u64,
    /// The header of the column concerned, when there is one.
    pub column: Option<String>,
    /// What is wrong.
    pub reason: String,
}

/// `POST /api/calls/{rootCallId}/events`: one accepted Smart Embed call event for the
/// proxy's journal. Idempotent on `eventKey`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JournalEvent {
    /// Idempotency key: root call id, event type and a hash of the event's content.
    pub event_key: String,
    /// The event `type`, such as `zp-call-ringing-event`.
    pub kind: String,
    /// The `callId` as sent (a transfer leg keeps its `_N` suffix).
    pub call_id: String,
    /// The event's `data`, as accepted.
    pub payload: serde_json::Value,
    /// The contact the call is tied to, when the app knows it: the one it was placed
    /// from, or the one the agent picked. Not part of the event key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_id: Option<i64>,
}

/// Answer to [`JournalEvent`]: `stored` is false when the key was already journalled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalAck {
    /// Whether this request added the entry.
    pub stored: bool,
}

/// Answer to `POST /api/calls/events` (a batch of [`JournalEvent`]s, stored together):
/// how many were added and how many had an `eventKey` already journalled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JournalBatchAck {
    /// Events this request added.
    pub stored: u32,
    /// Events whose key was already journalled (before or earlier in the batch).
    pub repeats: u32,
}

/// One journal entry, as listed by `GET /api/calls/{rootCallId}/events`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JournalRecord {
    /// The idempotency key.
    pub event_key: String,
    /// The event `type`.
    pub kind: String,
    /// The `callId` as sent.
    pub call_id: String,
    /// The root call id (transfer-leg suffix removed).
    pub root_call_id: String,
    /// The event's `data`.
    pub payload: serde_json::Value,
    /// When the proxy stored it, RFC 3339 UTC.
    pub recorded_at: String,
}

/// `GET /api/calls/context`: what the journal knows about calls with one number, and
/// with one contact when their logs name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallContext {
    /// The other party's number, as the embed sent it (E.164).
    pub number: String,
    /// The contact these calls were logged with; none for calls not logged with a
    /// contact, which concern every contact holding the number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_id: Option<i64>,
    /// Calls journalled with this number.
    pub attempts: u32,
    /// When the latest one started, ISO-8601 UTC.
    pub last_at: Option<String>,
    /// How the latest one ended (`ended`, `missed`…), when it has.
    pub last_result: Option<String>,
    /// The disposition value of the latest saved log of a call with this number.
    #[serde(default)]
    pub last_disposition: Option<String>,
}

/// One row of the audit log (`GET /api/audit`, admins only): who did what, when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    /// When, ISO-8601 UTC.
    pub at: String,
    /// The Zoom user, when signed in.
    pub user_id: Option<String>,
    /// Their e-mail, when signed in.
    pub email: Option<String>,
    /// `recording.played`, `logs.exported`, `import.started`, `sync.started`,
    /// `audit.read` or `refused`.
    pub action: String,
    /// What it concerned: a call id, a range of days, an upload, a route.
    pub target: String,
}

/// `PUT /api/calls/{callId}/log` body: what the agent saves after a call, and the
/// version of the stored log it was edited from. The log is kept under the root
/// call id (a transfer leg `X_2` saves to `X`).
///
/// A save whose content (every field but `baseVersion`) equals the stored log
/// succeeds whatever its base version, so an identical retry is never a
/// conflict; a different save against a version that is not the stored one is
/// refused with `409` and a [`CallLogConflict`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallLogDraft {
    /// The version this draft was edited from: `0` for a new log, else the
    /// [`CallLog::version`] last read or saved.
    pub base_version: u64,
    /// The outcome: the `value` of one of the configured [`DispositionCode`]s.
    pub disposition: String,
    /// The agent's notes; required when the disposition's `notesRequired` is set.
    #[serde(default)]
    pub notes: String,
    /// Extra values, such as the `notesData` of a `zp-notes-save-event`. Key
    /// order does not matter.
    #[serde(default)]
    pub fields: serde_json::Map<String, serde_json::Value>,
    /// The contact the call was with, when known.
    #[serde(default)]
    pub contact_id: Option<i64>,
    /// `inbound` or `outbound`.
    #[serde(default)]
    pub direction: Option<String>,
    /// The other party's number, as the embed sent it.
    #[serde(default)]
    pub number: Option<String>,
    /// How long the call lasted, in seconds.
    #[serde(default)]
    pub duration_secs: Option<u64>,
    /// How the call ended, as the embed said (`ended`, `missed`, …).
    #[serde(default)]
    pub result: Option<String>,
}

/// A saved call log (`GET /api/calls/{callId}/log`, and the answer to a save).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallLog {
    /// The root call id the log is kept under (no transfer-leg suffix).
    pub call_id: String,
    /// Starts at 1; each save that changes the content adds 1.
    pub version: u64,
    /// As in [`CallLogDraft::disposition`].
    pub disposition: String,
    /// As in [`CallLogDraft::notes`].
    pub notes: String,
    /// As in [`CallLogDraft::fields`].
    pub fields: serde_json::Map<String, serde_json::Value>,
    /// As in [`CallLogDraft::contact_id`].
    pub contact_id: Option<i64>,
    /// As in [`CallLogDraft::direction`].
    pub direction: Option<String>,
    /// As in [`CallLogDraft::number`].
    pub number: Option<String>,
    /// As in [`CallLogDraft::duration_secs`].
    pub duration_secs: Option<u64>,
    /// As in [`CallLogDraft::result`].
    pub result: Option<String>,
    /// When this version was saved, RFC 3339 UTC.
    pub saved_at: String,
    /// Who saved this version: the Zoom user's name with `auth = "zoom"`,
    /// none without sign-in.
    #[serde(default)]
    pub saved_by: Option<String>,
    /// Recording URLs of the call and its transfer legs, from the journal in the
    /// order they arrived (also those that arrived after the save).
    pub recordings: Vec<String>,
    /// Voicemail URLs of the call and its transfer legs, as for `recordings`.
    pub voicemails: Vec<String>,
}

/// The `409` answer to a [`CallLogDraft`] whose content differs from the stored
/// log and whose base version is not the stored one: both versions, so the agent
/// can choose instead of one silently replacing the other.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallLogConflict {
    /// Human-readable message, safe to show to the user.
    pub error: String,
    /// The draft that was refused, as sent.
    pub yours: CallLogDraft,
    /// The log as stored now.
    pub stored: CallLog,
}

/// `GET /api/contacts/match?number=…`: contacts holding a number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContactMatchResult {
    /// The number in E.164 form, when it parsed as a dialable number (not an extension).
    pub normalized: Option<String>,
    /// How that number reads, grouped for its country, when it parsed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
    /// Contacts holding that number, at most 20.
    pub contacts: Vec<Contact>,
    /// The contact this user picked for this number last time (`PUT
    /// /api/contacts/pick`), when it is among `contacts`.
    #[serde(default)]
    pub picked: Option<i64>,
}

/// `PUT /api/contacts/pick`: the contact the user picked for calls from a number
/// that several contacts hold; the next match of that number names it in
/// [`ContactMatchResult::picked`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContactPick {
    /// The number as the call gave it; the proxy normalises it.
    pub number: String,
    /// The contact picked.
    pub contact_id: i64,
}

/// `GET /api/me`: the signed-in Zoom user and their phone identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Me {
    /// Zoom user id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Email address.
    pub email: String,
    /// Zoom Phone extension, if any.
    #[serde(default)]
    pub extension_number: Option<String>,
    /// The user's direct numbers (E.164): the caller IDs they may present.
    #[serde(default)]
    pub phone_numbers: Vec<String>,
    /// How each of `phone_numbers` reads, grouped for its country (valid ones only).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub displays: BTreeMap<String, String>,
}

/// One person of the Zoom company directory (`GET /api/zoom/directory?q=`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DirectoryEntry {
    /// Display name.
    pub name: String,
    /// Email address.
    #[serde(default)]
    pub email: Option<String>,
    /// Extension.
    #[serde(default)]
    pub extension_number: Option<String>,
    /// Every number Zoom lists for them.
    #[serde(default)]
    pub phone_numbers: Vec<String>,
    /// How each of `phone_numbers` reads, grouped for its country (valid ones only).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub displays: BTreeMap<String, String>,
    /// Job title.
    #[serde(default)]
    pub job_title: Option<String>,
}

/// Progress of the synchronisation of Zoom's external contacts into the
/// contact store (`POST /api/zoom/contacts/sync` starts one, `GET` reads it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct SyncStatus {
    /// `idle` (never ran), `running`, `done` or `failed`.
    pub state: String,
    /// External contacts read from Zoom so far.
    pub read: u64,
    /// Contacts added to the store.
    pub created: u64,
    /// Contacts of the store updated from Zoom.
    pub updated: u64,
    /// Fields a person edited in dialdesk since the contact last came from Zoom, which
    /// Zoom's values did not replace, each in words.
    #[serde(default)]
    pub kept: Vec<String>,
    /// Why the last run failed.
    #[serde(default)]
    pub error: Option<String>,
    /// When the last run finished, RFC 3339 UTC.
    #[serde(default)]
    pub finished_at: Option<String>,
}

/// A call from Zoom's call history (`GET /api/zoom/calls` and
/// `GET /api/calls/unlogged`), seen from the signed-in user's side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ZoomCall {
    /// The call id Smart Embed reports as `callId` (call logs are kept under it).
    pub call_id: String,
    /// Zoom's call-history UUID.
    #[serde(default)]
    pub call_history_uuid: Option<String>,
    /// `inbound` or `outbound`.
    #[serde(default)]
    pub direction: Option<String>,
    /// Start, ISO-8601 as Zoom wrote it.
    #[serde(default)]
    pub start_time: Option<String>,
    /// Length in seconds.
    pub duration_secs: u64,
    /// `answered`, `no_answer`, `voicemail`, …
    #[serde(default)]
    pub result: Option<String>,
    /// The other party's number.
    #[serde(default)]
    pub number: Option<String>,
    /// How that number reads, grouped for its country, when it is a valid number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number_display: Option<String>,
    /// The other party's name as Zoom knows it.
    #[serde(default)]
    pub name: Option<String>,
    /// The stored contact holding that number, if exactly one does.
    #[serde(default)]
    pub contact_id: Option<i64>,
    /// Whether Zoom holds a recording (`GET /api/calls/{callId}/recording` plays it).
    pub has_recording: bool,
}

/// `GET /api/calls/unlogged?from=&to=`: calls of the user's Zoom history in
/// that range of UTC days that have no saved call log, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UnloggedCalls {
    /// First day, `YYYY-MM-DD`.
    pub from: String,
    /// Last day, `YYYY-MM-DD`.
    pub to: String,
    /// The calls.
    pub calls: Vec<ZoomCall>,
}

/// Error body of every failed `/api` request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiErrorBody {
    /// Human-readable message, safe to show to the user.
    pub error: String,
    /// The invalid fields, on a 422 answer to a contact create or edit or a
    /// call log save.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_uses_camel_case_on_the_wire() {
        let flags = InitConfigFlags::default();
        let json = serde_json::to_value(flags).unwrap();
        assert_eq!(json["enableSavingLog"], true);
        assert_eq!(json["enableContactMatching"], true);
        let mode: GuardMode = serde_json::from_str("\"block\"").unwrap();
        assert_eq!(mode, GuardMode::Block);
    }

    #[test]
    fn call_log_drafts_use_camel_case_and_default_their_optional_fields() {
        let draft: CallLogDraft =
            serde_json::from_str(r#"{"baseVersion":0,"disposition":"interested"}"#).unwrap();
        assert_eq!(draft.base_version, 0);
        assert!(draft.notes.is_empty() && draft.fields.is_empty());
        assert_eq!(draft.contact_id, None);
        let json = serde_json::to_value(CallLogDraft {
            base_version: 2,
            duration_secs: Some(61),
            contact_id: Some(7),
            ..draft
        })
        .unwrap();
        assert_eq!(json["baseVersion"], 2);
        assert_eq!(json["durationSecs"], 61);
        assert_eq!(json["contactId"], 7);
        assert!(serde_json::from_str::<CallLogDraft>(r#"{"disposition":"x"}"#).is_err());
    }
}
