//! Events the Smart Embed posts to the host page (contract §3).

use serde_json::{Map, Value};

use super::RejectReason;
use crate::domain::wire::{Fields, FromJson};

/// `direction` of a call or message. Unknown spellings are kept.
#[derive(Debug, Clone, PartialEq, Eq)]
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

/// One side of a call (`caller` or `callee`, contract §3.2).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Party {
    /// Display name; often empty for unknown callers.
    pub name: Option<String>,
    /// The number, spelled `number` (external side, log events).
    pub number: Option<String>,
    /// The number, spelled `phoneNumber` (the Zoom user's side; sometimes the external side).
    pub phone_number: Option<String>,
    /// `1` internal / extension, `2` external (inferred).
    pub number_type: Option<u64>,
    /// The DID number, on log-completed events.
    pub did_number: Option<String>,
    /// The Zoom user's extension id.
    pub extension_id: Option<String>,
    /// The Zoom user's extension number, such as `800`.
    pub extension_number: Option<String>,
    /// `user`, `callQueue`, …
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
/// recording, voicemail, save-log).
#[derive(Debug, Clone, Default, PartialEq)]
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
    /// Whole seconds.
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
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NotesSave {
    /// The call the notes belong to (inferred to be present).
    pub call_id: Option<String>,
    /// Values keyed by the `fieldName` of `notePageConfiguration`.
    pub notes_data: Map<String, Value>,
}

/// `zp-contact-search-event` (unverified shape).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContactSearch {
    /// Id to echo in the response.
    pub request_id: Option<String>,
    /// What the user typed.
    pub search_string: String,
}

/// `zp-contact-match-event` (unverified shape).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContactMatch {
    /// Id to echo in the response.
    pub request_id: Option<String>,
    /// Numbers to match; strings or `{phoneNumber}` / `{number}` objects on the wire.
    pub phone_numbers: Vec<String>,
}

/// `zp-sms-log-event` (shape unknown; best reading of the fixtures).
#[derive(Debug, Clone, Default, PartialEq)]
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
#[derive(Debug, Clone, Default, PartialEq)]
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

/// Splits a parsed message into its `type` and `data` (`null` when absent).
pub fn split_envelope(value: Value) -> Result<(String, Value), RejectReason> {
    let Value::Object(mut envelope) = value else {
        return Err(RejectReason::NotAnEnvelope);
    };
    let Some(Value::String(kind)) = envelope.remove("type") else {
        return Err(RejectReason::NotAnEnvelope);
    };
    Ok((kind, envelope.remove("data").unwrap_or(Value::Null)))
}

fn decode<T: FromJson>(kind: &str, data: &Value) -> Result<T, RejectReason> {
    if !data.is_object() {
        return Err(malformed(kind, "data is not an object"));
    }
    T::from_json(data).map_err(|e| malformed(kind, &e))
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

impl FromJson for Direction {
    fn from_json(value: &Value) -> Result<Self, String> {
        String::from_json(value).map(Self::from)
    }
}

impl FromJson for Party {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(Self {
            name: f.opt("name")?,
            number: lenient_string(&f, "number")?,
            phone_number: lenient_string(&f, "phoneNumber")?,
            number_type: lenient_u64(&f, "numberType")?,
            did_number: lenient_string(&f, "didNumber")?,
            extension_id: f.opt("extensionId")?,
            extension_number: lenient_string(&f, "extensionNumber")?,
            extension_type: f.opt("extensionType")?,
        })
    }
}

impl FromJson for CallEvent {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(Self {
            call_id: f.req("callId")?,
            call_log_id: f.opt("callLogId")?,
            direction: f.opt("direction")?,
            date_time: f.opt("dateTime")?,
            enable_auto_log: f.opt("enableAutoLog")?,
            caller: f.opt("caller")?,
            callee: f.opt("callee")?,
            result: f.opt("result")?,
            duration: lenient_u64(&f, "duration")?,
            recording_url: f.opt("recordingUrl")?,
            voicemail_url: f.opt("voicemailUrl")?,
        })
    }
}

impl FromJson for NotesSave {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(Self {
            call_id: f.opt("callId")?,
            notes_data: f.or_default("notesData")?,
        })
    }
}

impl FromJson for ContactSearch {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(Self {
            request_id: lenient_string(&f, "requestId")?,
            search_string: f.or_default("searchString")?,
        })
    }
}

impl FromJson for ContactMatch {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        let phone_numbers = match f.get("phoneNumbers") {
            None => Vec::new(),
            Some(numbers) => numbers_in_any_form(numbers)?,
        };
        Ok(Self {
            request_id: lenient_string(&f, "requestId")?,
            phone_numbers,
        })
    }
}

impl FromJson for SmsLog {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(Self {
            direction: f.opt("direction")?,
            date_time: f.opt("dateTime")?,
            sender: f.opt("sender")?,
            receiver: f.opt("receiver")?,
            message: f.opt("message")?,
        })
    }
}

impl FromJson for AiCallSummary {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(Self {
            call_id: f.opt("callId")?,
            summary: f.opt("summary")?,
        })
    }
}

/// Field `key` as a string or a number (extension numbers arrive as both); missing
/// or `null` is absent.
fn lenient_string(f: &Fields, key: &str) -> Result<Option<String>, String> {
    match f.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(other) => Err(format!(
            "{key}: expected a string or number, got {}",
            json_kind(other)
        )),
    }
}

/// Field `key` as a non-negative integer, a float (truncated) or a numeric string;
/// missing or `null` is absent.
fn lenient_u64(f: &Fields, key: &str) -> Result<Option<u64>, String> {
    let Some(value) = f.get(key).filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    let parsed = match value {
        Value::Number(n) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| f.is_finite() && *f >= 0.0 && *f < u64::MAX as f64)
                .map(|f| f as u64)
        }),
        Value::String(s) => s.trim().parse::<u64>().ok(),
        _ => None,
    };
    parsed.map(Some).ok_or_else(|| {
        format!(
            "{key}: expected a non-negative number, got {}",
            json_kind(value)
        )
    })
}

/// Numbers as strings, or as objects carrying `phoneNumber` or `number`.
fn numbers_in_any_form(value: &Value) -> Result<Vec<String>, String> {
    let Value::Array(items) = value else {
        return Err("phoneNumbers is not an array".to_owned());
    };
    items
        .iter()
        .map(|item| match item {
            Value::String(s) => Ok(s.clone()),
            Value::Object(o) => match o.get("phoneNumber").or_else(|| o.get("number")) {
                Some(Value::String(s)) => Ok(s.clone()),
                _ => Err("phone number object without a number".to_owned()),
            },
            other => Err(format!("phone number is {}", json_kind(other))),
        })
        .collect()
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
