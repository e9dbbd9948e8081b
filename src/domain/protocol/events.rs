//! Events the Smart Embed posts to the host page (contract §3).

use serde::Deserialize;
use serde_json::{Map, Value};

use super::lenient;
use super::RejectReason;

/// `direction` of a call or message. Unknown spellings are kept.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(from = "String")]
pub enum Direction {
    /// The external party called in.
    Inbound,
    /// The rep called out.
    Outbound,
    /// Any other value, kept as sent.
    Other(String),
}

impl From<String> for Direction {
    fn from(value: String) -> Self {
        match value.as_str() {
            "inbound" => Self::Inbound,
            "outbound" => Self::Outbound,
            _ => Self::Other(value),
        }
    }
}

impl From<Direction> for String {
    fn from(value: Direction) -> Self {
        match value {
            Direction::Inbound => "inbound".into(),
            Direction::Outbound => "outbound".into(),
            Direction::Other(other) => other,
        }
    }
}

/// One side of a call (`caller` or `callee`, contract §3.2). Numbers arrive as strings
/// or as JSON numbers (unverified), so they are read leniently.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Party {
    /// Display name; often empty for unknown callers.
    #[serde(default)]
    pub name: Option<String>,
    /// The number, spelled `number` (external side, log events).
    #[serde(default, deserialize_with = "lenient::text")]
    pub number: Option<String>,
    /// The number, spelled `phoneNumber` (the Zoom user's side; sometimes the external side).
    #[serde(default, deserialize_with = "lenient::text")]
    pub phone_number: Option<String>,
    /// `1` internal / extension, `2` external (inferred).
    #[serde(default, deserialize_with = "lenient::count")]
    pub number_type: Option<u64>,
    /// The DID number, on log-completed events.
    #[serde(default, deserialize_with = "lenient::text")]
    pub did_number: Option<String>,
    /// The Zoom user's extension id.
    #[serde(default)]
    pub extension_id: Option<String>,
    /// The Zoom user's extension number, such as `800`.
    #[serde(default, deserialize_with = "lenient::text")]
    pub extension_number: Option<String>,
    /// `user`, `callQueue`, …
    #[serde(default)]
    pub extension_type: Option<String>,
}

impl Party {
    /// The party's number under either spelling, `number` first.
    pub fn any_number(&self) -> Option<&str> {
        self.number
            .as_deref()
            .or(self.phone_number.as_deref())
            .filter(|n| !n.is_empty())
    }

    /// The display name, if not empty.
    pub fn display_name(&self) -> Option<&str> {
        self.name.as_deref().filter(|n| !n.trim().is_empty())
    }
}

/// The common payload of call events (ringing, connected, ended, log-completed,
/// recording, voicemail, save-log). Only `callId` is required.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallEvent {
    /// The call's id; a transfer leg carries a `_N` suffix.
    pub call_id: String,
    /// The call log's id, on completion events.
    pub call_log_id: Option<String>,
    /// Inbound or outbound.
    pub direction: Option<Direction>,
    /// ISO-8601 UTC time of the event.
    pub date_time: Option<String>,
    /// The embed's auto-log flag, echoed on call events.
    pub enable_auto_log: Option<bool>,
    /// Who called.
    pub caller: Option<Party>,
    /// Who was called.
    pub callee: Option<Party>,
    /// `ended` / `missed` / `rejected` on ended events; `Call Connected`… on log events.
    pub result: Option<String>,
    /// Whole seconds (a float is truncated, a numeric string read).
    #[serde(default, deserialize_with = "lenient::count")]
    pub duration: Option<u64>,
    /// Recording link, on recording-completed events.
    pub recording_url: Option<String>,
    /// Voicemail link, on voicemail-received events.
    pub voicemail_url: Option<String>,
}

impl CallEvent {
    /// The party on the other end from the rep's point of view.
    pub fn external_party(&self) -> Option<&Party> {
        match self.direction {
            Some(Direction::Outbound) => self.callee.as_ref(),
            _ => self.caller.as_ref(),
        }
    }
}

/// `zp-notes-save-event`: the embed's own notes page was saved.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NotesSave {
    /// The call the notes belong to (inferred to be present).
    #[serde(default)]
    pub call_id: Option<String>,
    /// Values keyed by the `fieldName` of `notePageConfiguration`.
    #[serde(default)]
    pub notes_data: Map<String, Value>,
}

/// `zp-contact-search-event` (unverified shape).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContactSearch {
    /// Id to echo in the response.
    #[serde(default, deserialize_with = "lenient::text")]
    pub request_id: Option<String>,
    /// What the user typed.
    #[serde(default)]
    pub search_string: String,
}

/// `zp-contact-match-event` (unverified shape).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContactMatch {
    /// Id to echo in the response.
    #[serde(default, deserialize_with = "lenient::text")]
    pub request_id: Option<String>,
    /// Numbers to match; strings or `{phoneNumber}` / `{number}` objects on the wire.
    #[serde(default, deserialize_with = "lenient::numbers")]
    pub phone_numbers: Vec<String>,
}

/// `zp-sms-log-event` (shape unknown; best reading of the fixtures).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SmsLog {
    /// Inbound or outbound.
    pub direction: Option<Direction>,
    /// ISO-8601 UTC time.
    pub date_time: Option<String>,
    /// Who sent it.
    pub sender: Option<Party>,
    /// Who received it.
    pub receiver: Option<Party>,
    /// The text.
    pub message: Option<String>,
}

/// `zp-ai-call-summary-event` (shape unknown).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AiCallSummary {
    /// The call summarised.
    pub call_id: Option<String>,
    /// The summary text.
    pub summary: Option<String>,
}

/// One inbound message, typed.
#[derive(Debug, Clone, PartialEq)]
pub enum EmbedEvent {
    /// `zp-call-ringing-event`
    CallRinging(CallEvent),
    /// `zp-call-connected-event`
    CallConnected(CallEvent),
    /// `zp-call-ended-event`
    CallEnded(CallEvent),
    /// `zp-call-log-completed-event`
    CallLogCompleted(CallEvent),
    /// `zp-call-recording-completed-event`
    RecordingCompleted(CallEvent),
    /// `zp-call-voicemail-received-event`
    VoicemailReceived(CallEvent),
    /// `zp-save-log-event`
    SaveLog(CallEvent),
    /// `zp-notes-save-event`
    NotesSave(NotesSave),
    /// `zp-contact-search-event`
    ContactSearch(ContactSearch),
    /// `zp-contact-match-event`
    ContactMatch(ContactMatch),
    /// `zp-sms-log-event`
    SmsLog(SmsLog),
    /// `zp-ai-call-summary-event`
    AiCallSummary(AiCallSummary),
    /// Any other type, kept whole.
    Unknown {
        /// The `type` as sent.
        kind: String,
        /// The `data` as sent (`null` when absent).
        data: Value,
    },
}

impl EmbedEvent {
    /// The wire `type` of this event.
    pub fn kind(&self) -> &str {
        match self {
            Self::CallRinging(_) => "zp-call-ringing-event",
            Self::CallConnected(_) => "zp-call-connected-event",
            Self::CallEnded(_) => "zp-call-ended-event",
            Self::CallLogCompleted(_) => "zp-call-log-completed-event",
            Self::RecordingCompleted(_) => "zp-call-recording-completed-event",
            Self::VoicemailReceived(_) => "zp-call-voicemail-received-event",
            Self::SaveLog(_) => "zp-save-log-event",
            Self::NotesSave(_) => "zp-notes-save-event",
            Self::ContactSearch(_) => "zp-contact-search-event",
            Self::ContactMatch(_) => "zp-contact-match-event",
            Self::SmsLog(_) => "zp-sms-log-event",
            Self::AiCallSummary(_) => "zp-ai-call-summary-event",
            Self::Unknown { kind, .. } => kind,
        }
    }

    /// The call payload, for the seven call events.
    pub fn call(&self) -> Option<&CallEvent> {
        match self {
            Self::CallRinging(c)
            | Self::CallConnected(c)
            | Self::CallEnded(c)
            | Self::CallLogCompleted(c)
            | Self::RecordingCompleted(c)
            | Self::VoicemailReceived(c)
            | Self::SaveLog(c) => Some(c),
            _ => None,
        }
    }

    /// Decodes the `data` of a message of type `kind`, borrowing it so the caller
    /// keeps the data as sent.
    pub fn decode(kind: String, data: &Value) -> Result<Self, RejectReason> {
        let call = |wrap: fn(CallEvent) -> Self| decode_call(&kind, data).map(wrap);
        match kind.as_str() {
            "zp-call-ringing-event" => call(Self::CallRinging),
            "zp-call-connected-event" => call(Self::CallConnected),
            "zp-call-ended-event" => call(Self::CallEnded),
            "zp-call-log-completed-event" => call(Self::CallLogCompleted),
            "zp-call-recording-completed-event" => call(Self::RecordingCompleted),
            "zp-call-voicemail-received-event" => call(Self::VoicemailReceived),
            "zp-save-log-event" => call(Self::SaveLog),
            "zp-notes-save-event" => decode(&kind, data).map(Self::NotesSave),
            "zp-contact-search-event" => decode(&kind, data).map(Self::ContactSearch),
            "zp-contact-match-event" => decode(&kind, data).map(Self::ContactMatch),
            "zp-sms-log-event" => decode(&kind, data).map(Self::SmsLog),
            "zp-ai-call-summary-event" => decode(&kind, data).map(Self::AiCallSummary),
            _ => Ok(Self::Unknown {
                kind,
                data: data.clone(),
            }),
        }
    }
}

fn decode<T: serde::de::DeserializeOwned>(kind: &str, data: &Value) -> Result<T, RejectReason> {
    if !data.is_object() {
        return Err(malformed(kind, "data is not an object"));
    }
    T::deserialize(data).map_err(|e| malformed(kind, &e.to_string()))
}

fn decode_call(kind: &str, data: &Value) -> Result<CallEvent, RejectReason> {
    let event: CallEvent = decode(kind, data)?;
    if event.call_id.trim().is_empty() {
        return Err(malformed(kind, "callId is empty"));
    }
    Ok(event)
}

fn malformed(kind: &str, detail: &str) -> RejectReason {
    RejectReason::Malformed {
        kind: kind.to_owned(),
        detail: detail.to_owned(),
    }
}
