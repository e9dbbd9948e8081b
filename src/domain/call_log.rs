//! Call logs in the browser: the entry kept per call — the agent's draft
//! and where its save stands — pre-filled from call events, merged with the embed's
//! notes page, checked before a save, and sent by an outbox that retries what failed
//! in transit.

use dialdesk_contract::{CallLog, CallLogDraft, DispositionCode, FieldError, ZoomCall};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::protocol::{CallEvent, NotesSave, DISPOSITION_FIELD, NOTES_FIELD};

/// Where a call's log stands. Stored as serde's external tagging: `"draft"`, or the
/// variant's name holding its fields (`{"waiting":{"attempts":2}}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogStatus {
    /// Being written; nothing sent yet.
    Draft,
    /// Saved by the agent and waiting in the outbox; `attempts` sent so far.
    Waiting {
        /// Attempts that failed in transit.
        attempts: u32,
    },
    /// Stored by the proxy at `version`.
    Logged {
        /// The stored version.
        version: u64,
    },
    /// Refused by the proxy for a reason retrying cannot fix.
    Failed {
        /// The proxy's reason, for the agent.
        reason: String,
    },
    /// Refused because someone saved a different log first: both are shown.
    Conflict {
        /// The log as stored.
        stored: Box<CallLog>,
    },
}

impl LogStatus {
    /// Short name, used as a `data-status` attribute and in the calls view.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Waiting { .. } => "waiting",
            Self::Logged { .. } => "logged",
            Self::Failed { .. } => "failed",
            Self::Conflict { .. } => "conflict",
        }
    }

    /// What the agent reads about the save, in the one vocabulary of the app: "Draft",
    /// "Saving…", "Waiting to send (n)", "Logged", "Failed: …", "Conflict".
    pub fn describe(&self) -> String {
        match self {
            Self::Draft => "Draft".to_owned(),
            Self::Waiting { attempts: 0 } => "Saving…".to_owned(),
            Self::Waiting { attempts } => format!("Waiting to send ({attempts})"),
            Self::Logged { .. } => "Logged".to_owned(),
            Self::Failed { reason } => format!("Failed: {reason}"),
            Self::Conflict { .. } => "Conflict".to_owned(),
        }
    }
}

/// One call's log as this browser keeps it, in storage under the root call id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogEntry {
    /// The root call id.
    pub call_id: String,
    /// What the agent wrote, and what the events said.
    pub draft: CallLogDraft,
    /// Where the save stands.
    pub status: LogStatus,
    /// The other party's name, when known.
    pub party: Option<String>,
    /// When the entry was made (ms since the epoch): orders the calls view.
    pub opened_ms: u64,
    /// When the agent pressed save (ms since the epoch): orders the outbox.
    #[serde(default)]
    pub queued_ms: u64,
    /// When wrap-up runs out (ms since the epoch), while its timer runs.
    pub wrap_up_until_ms: Option<u64>,
    /// Whether the one wrap-up extension was taken.
    #[serde(default)]
    pub extended: bool,
    /// Recording and voicemail links of the saved log.
    #[serde(default)]
    pub media: Vec<String>,
    /// Who saved the stored log (with sign-in), as the proxy said.
    pub saved_by: Option<String>,
}

impl LogEntry {
    /// A blank draft for call `call_id`.
    pub fn new(call_id: &str, now_ms: u64) -> Self {
        Self {
            call_id: call_id.to_owned(),
            draft: CallLogDraft::default(),
            status: LogStatus::Draft,
            party: None,
            opened_ms: now_ms,
            queued_ms: 0,
            wrap_up_until_ms: None,
            extended: false,
            media: Vec::new(),
            saved_by: None,
        }
    }

    /// What the agent reads about this log: "Not logged" until something is written,
    /// then where its save stands.
    pub fn describe(&self) -> String {
        match self.status {
            LogStatus::Draft if self.is_blank() => "Not logged".to_owned(),
            ref status => status.describe(),
        }
    }

    /// What the call was, in one line: who (the contact it is tied to, else the name
    /// the embed gave, else the number), the number (as `show` writes it),
    /// direction, duration, result.
    pub fn summary(&self, contact: Option<&str>, show: impl Fn(&str) -> String) -> String {
        let draft = &self.draft;
        let mut parts: Vec<String> = Vec::new();
        let who = contact.map(str::to_owned).or_else(|| self.party.clone());
        match (&who, &draft.number) {
            (Some(who), number) => {
                parts.push(who.clone());
                parts.extend(number.as_deref().map(&show));
            }
            (None, Some(number)) => parts.push(show(number)),
            (None, None) => {}
        }
        parts.extend(draft.direction.clone());
        parts.extend(draft.duration_secs.map(super::call::format_duration));
        parts.extend(draft.result.clone());
        if parts.is_empty() {
            parts.push(format!("Call {}", self.call_id));
        }
        parts.join(" · ")
    }

    /// The recording and voicemail links that may be shown as links: web addresses
    /// only (a `javascript:` URL in an event must never become a link).
    pub fn web_media(&self) -> impl Iterator<Item = &String> {
        self.media
            .iter()
            .filter(|url| url.starts_with("https://") || url.starts_with("http://"))
    }

    /// A draft nobody wrote anything in (no code, no notes).
    pub fn is_blank(&self) -> bool {
        matches!(self.status, LogStatus::Draft)
            && self.draft.disposition.is_empty()
            && self.draft.notes.trim().is_empty()
    }

    /// Whether the agent may still change it (not sent, or sent and refused).
    pub fn editable(&self) -> bool {
        !matches!(
            self.status,
            LogStatus::Waiting { .. } | LogStatus::Logged { .. }
        )
    }

    /// Takes what a call event says about the call into fields still empty: the
    /// agent's own values are never replaced.
    pub fn prefill(&mut self, call: &CallEvent) {
        let party = call.external_party();
        let draft = &mut self.draft;
        if draft.direction.is_none() {
            draft.direction = call.direction.clone().map(String::from);
        }
        if draft.number.is_none() {
            draft.number = party.and_then(|p| p.any_number()).map(str::to_owned);
        }
        if call.duration.is_some() {
            draft.duration_secs = draft.duration_secs.max(call.duration);
        }
        if let Some(result) = call.result.as_deref().filter(|r| !r.trim().is_empty()) {
            draft.result.get_or_insert_with(|| result.to_owned());
        }
        if self.party.is_none() {
            self.party = party.and_then(|p| p.display_name()).map(str::to_owned);
        }
    }

    /// Takes what Zoom's call history says about the call (the unlogged calls view)
    /// into fields still empty, as [`prefill`](Self::prefill) does for events.
    pub fn prefill_zoom(&mut self, call: &ZoomCall) {
        let draft = &mut self.draft;
        if draft.direction.is_none() {
            draft.direction = call.direction.clone();
        }
        if draft.number.is_none() {
            draft.number = call.number.clone();
        }
        draft.contact_id = draft.contact_id.or(call.contact_id);
        draft.duration_secs = draft.duration_secs.max(Some(call.duration_secs));
        if draft.result.is_none() {
            draft.result = call.result.clone().filter(|r| !r.trim().is_empty());
        }
        if self.party.is_none() {
            self.party = call.name.clone().filter(|n| !n.trim().is_empty());
        }
    }

    /// Merges the embed's notes page: every value goes into `fields`; the
    /// `Disposition` field picks the code (by value or label) and the `Notes` field
    /// fills the notes, or is added to them when the agent already wrote some.
    pub fn merge_notes(&mut self, notes: &NotesSave, codes: &[DispositionCode]) {
        let draft = &mut self.draft;
        for (key, value) in &notes.notes_data {
            draft.fields.insert(key.clone(), value.clone());
            let Value::String(text) = value else { continue };
            let text = text.trim();
            if key == DISPOSITION_FIELD {
                if let Some(code) = codes.iter().find(|c| c.value == text || c.label == text) {
                    draft.disposition = code.value.clone();
                }
            } else if key == NOTES_FIELD && !text.is_empty() && !draft.notes.contains(text) {
                if !draft.notes.trim().is_empty() {
                    draft.notes.push('\n');
                }
                draft.notes.push_str(text);
            }
        }
    }

    /// Starts the wrap-up timer of `secs` seconds, unless one ran already.
    pub fn start_wrap_up(&mut self, secs: u32, now_ms: u64) {
        if secs > 0 && self.wrap_up_until_ms.is_none() && self.editable() {
            self.wrap_up_until_ms = Some(now_ms + u64::from(secs) * 1000);
        }
    }

    /// Adds `secs` to the running wrap-up timer, once.
    pub fn extend_wrap_up(&mut self, secs: u32) {
        if let (Some(until), false) = (self.wrap_up_until_ms, self.extended) {
            self.wrap_up_until_ms = Some(until + u64::from(secs) * 1000);
            self.extended = true;
        }
    }

    /// Whole seconds of wrap-up left at `now_ms`, while the timer runs.
    pub fn wrap_up_left(&self, now_ms: u64) -> Option<u64> {
        let until = self.wrap_up_until_ms.filter(|_| self.editable())?;
        Some(until.saturating_sub(now_ms).div_ceil(1000))
    }

    /// Queues the save: the outbox sends it.
    pub fn queue(&mut self, now_ms: u64) {
        self.status = LogStatus::Waiting { attempts: 0 };
        self.queued_ms = now_ms;
        self.wrap_up_until_ms = None;
    }

    /// Applies the outcome of one attempt to send the save.
    pub fn sent(&mut self, outcome: Result<CallLog, SaveFailure>) {
        self.status = match outcome {
            Ok(log) => {
                self.draft.base_version = log.version;
                self.saved_by = log.saved_by;
                self.media = log.recordings.into_iter().chain(log.voicemails).collect();
                LogStatus::Logged {
                    version: log.version,
                }
            }
            Err(SaveFailure::Transient(_)) => match self.status {
                LogStatus::Waiting { attempts } => LogStatus::Waiting {
                    attempts: attempts.saturating_add(1),
                },
                ref other => other.clone(),
            },
            Err(SaveFailure::Refused(reason)) => LogStatus::Failed { reason },
            // Retry saves the log without the contact rather than fail for ever.
            Err(SaveFailure::UnknownContact(reason)) => {
                self.draft.contact_id = None;
                LogStatus::Failed {
                    reason: format!("{reason}; Retry saves the log without the contact"),
                }
            }
            Err(SaveFailure::Conflict(stored)) => LogStatus::Conflict { stored },
        };
    }

    /// Keeps the agent's version over a conflicting stored one: saves it again
    /// against the stored version.
    pub fn keep_mine(&mut self, now_ms: u64) {
        if let LogStatus::Conflict { stored } = &self.status {
            self.draft.base_version = stored.version;
            self.queue(now_ms);
        }
    }

    /// Takes the stored version of a conflict as this call's log.
    pub fn take_stored(&mut self) {
        if let LogStatus::Conflict { stored } = &self.status {
            let stored = stored.as_ref().clone();
            self.adopt(stored);
        }
    }

    /// Becomes the stored `log`: its content, logged, no wrap-up running.
    pub fn adopt(&mut self, log: CallLog) {
        self.draft = draft_of(&log);
        self.wrap_up_until_ms = None;
        self.sent(Ok(log));
    }
}

/// Whether two drafts save the same content: every field but the base version
/// (an identical retry is not a conflict).
pub fn same_content(a: &CallLogDraft, b: &CallLogDraft) -> bool {
    let CallLogDraft {
        base_version: _,
        disposition,
        notes,
        fields,
        contact_id,
        direction,
        number,
        duration_secs,
        result,
    } = a;
    *disposition == b.disposition
        && *notes == b.notes
        && *fields == b.fields
        && *contact_id == b.contact_id
        && *direction == b.direction
        && *number == b.number
        && *duration_secs == b.duration_secs
        && *result == b.result
}

/// The draft that would save `log` unchanged.
pub fn draft_of(log: &CallLog) -> CallLogDraft {
    CallLogDraft {
        base_version: log.version,
        disposition: log.disposition.clone(),
        notes: log.notes.clone(),
        fields: log.fields.clone(),
        contact_id: log.contact_id,
        direction: log.direction.clone(),
        number: log.number.clone(),
        duration_secs: log.duration_secs,
        result: log.result.clone(),
    }
}

/// Why one attempt to save a log did not store it.
#[derive(Debug, Clone, PartialEq)]
pub enum SaveFailure {
    /// No answer, 5xx, 408 or 429: the outbox tries again.
    Transient(String),
    /// Any other refusal: the log is marked failed with the reason.
    Refused(String),
    /// 409: a different log was stored first.
    Conflict(Box<CallLog>),
    /// The log names a contact the proxy no longer holds (deleted meanwhile).
    UnknownContact(String),
}

/// What must be filled before a save: a configured code, and notes when that code
/// requires them. The proxy checks again, and more.
pub fn check(draft: &CallLogDraft, codes: &[DispositionCode]) -> Vec<FieldError> {
    let error = |field: &str, message: String| FieldError {
        field: field.to_owned(),
        message,
    };
    match codes.iter().find(|c| c.value == draft.disposition) {
        None => vec![error("disposition", "Choose a disposition.".to_owned())],
        Some(code) if code.notes_required && draft.notes.trim().is_empty() => vec![error(
            "notes",
            format!("Notes are required for “{}”.", code.label),
        )],
        Some(_) => Vec::new(),
    }
}

/// The delay before attempt `attempts + 1`: `first_ms` doubled per earlier failure,
/// at most `cap_ms`, less up to a quarter at random (`random` in `0..1`) so tabs and
/// agents do not retry in step. Never more than the cap.
pub fn retry_delay(attempts: u32, first_ms: u32, cap_ms: u32, random: f64) -> u32 {
    let doubled = u64::from(first_ms) << attempts.min(32);
    let delay = doubled.min(u64::from(cap_ms)) as f64;
    (delay - delay / 4.0 * random.clamp(0.0, 1.0)) as u32
}

/// The next log the outbox sends: the waiting one saved first, so order is kept.
pub fn next_to_send(entries: &[LogEntry]) -> Option<&LogEntry> {
    entries
        .iter()
        .filter(|e| matches!(e.status, LogStatus::Waiting { .. }))
        .min_by_key(|e| e.queued_ms)
}

/// Reads an entry as kept in storage or posted by another tab; `None` for text that
/// is not one (another version's, or damaged).
pub fn parse_entry(text: &str) -> Option<LogEntry> {
    serde_json::from_str(text).ok()
}

/// The text an entry is kept as in storage.
pub fn entry_text(entry: &LogEntry) -> String {
    serde_json::to_string(entry).unwrap_or_default()
}

/// The label of disposition `value`, or the value itself when unknown.
pub fn code_label<'a>(codes: &'a [DispositionCode], value: &'a str) -> &'a str {
    codes
        .iter()
        .find(|c| c.value == value)
        .map_or(value, |c| c.label.as_str())
}

/// How many saves wait in the outbox.
pub fn waiting(entries: &[LogEntry]) -> usize {
    entries
        .iter()
        .filter(|e| matches!(e.status, LogStatus::Waiting { .. }))
        .count()
}

#[cfg(test)]
pub(crate) mod tests;
