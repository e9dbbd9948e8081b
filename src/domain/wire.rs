//! The JSON the app reads and writes (the proxy's answers and requests, call logs
//! kept in storage), by hand over `serde_json::Value`. serde's derived code compiles
//! a visitor per type and per deserializer method, about 55 KB of wasm for these
//! types, and a serializer per type (README, design notes). Reading keeps serde's
//! rules: a missing `Option` is `None`, a missing field with a default takes it, any
//! other missing field or wrong type is an error, unknown fields are ignored.
//! Writing gives what serde's derive would (keys sorted, as `Value` keeps them).

use dialdesk_contract::{
    ApiErrorBody, AppConfig, AuthMode, BridgeTimings, CallContext, CallLog, CallLogConflict,
    CallLogDraft, CallLogSettings, CallerId, Contact, ContactDraft, ContactMatchResult,
    ContactNumber, ContactPick, ContactsPage, DirectoryEntry, DispositionCode, DispositionGroup,
    EmbedLoader, EmbedSettings, FieldError, GuardMode, GuardSettings, ImportIssue, ImportJob,
    ImportReport, ImportState, InitConfigFlags, JournalBatchAck, JournalEvent, Me, NumberDraft,
    RegionZones, SessionInfo, SyncStatus, UnloggedCalls, ZoomCall,
};
use serde_json::{Map, Value};

/// A type read from a parsed JSON value.
pub trait FromJson: Sized {
    /// Reads `value`, or says what did not fit.
    fn from_json(value: &Value) -> Result<Self, String>;
}

/// The fields of a JSON object being read.
pub struct Fields<'a>(&'a Map<String, Value>);

impl<'a> Fields<'a> {
    /// The fields of `value`, which must be an object.
    pub fn of(value: &'a Value) -> Result<Self, String> {
        value
            .as_object()
            .map(Self)
            .ok_or_else(|| expected("an object"))
    }

    /// Field `key` as sent, if present.
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.0.get(key)
    }

    /// Field `key`, which must be present.
    pub fn req<T: FromJson>(&self, key: &str) -> Result<T, String> {
        let value = self.0.get(key).ok_or_else(|| missing(key))?;
        T::from_json(value).map_err(|e| within(key, e))
    }

    /// Field `key`, `None` when missing or `null` (serde's rule for `Option`).
    pub fn opt<T: FromJson>(&self, key: &str) -> Result<Option<T>, String> {
        match self.0.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => T::from_json(value).map(Some).map_err(|e| within(key, e)),
        }
    }

    /// Field `key`, its type's default when missing (serde's `#[serde(default)]`).
    pub fn or_default<T: FromJson + Default>(&self, key: &str) -> Result<T, String> {
        match self.0.get(key) {
            None => Ok(T::default()),
            Some(value) => T::from_json(value).map_err(|e| within(key, e)),
        }
    }
}

fn expected(what: &str) -> String {
    format!("expected {what}")
}

fn missing(key: &str) -> String {
    format!("missing field `{key}`")
}

fn within(key: &str, error: String) -> String {
    format!("{key}: {error}")
}

/// One of the names in `variants` (a unit enum spelled as a string).
pub fn variant<T: Copy>(value: &Value, variants: &[(&str, T)]) -> Result<T, String> {
    let name = value.as_str().ok_or_else(|| expected("a string"))?;
    variants
        .iter()
        .find(|(spelling, _)| *spelling == name)
        .map(|(_, variant)| *variant)
        .ok_or_else(|| format!("unknown variant `{name}`"))
}

impl FromJson for Value {
    fn from_json(value: &Value) -> Result<Self, String> {
        Ok(value.clone())
    }
}

impl FromJson for Map<String, Value> {
    fn from_json(value: &Value) -> Result<Self, String> {
        value
            .as_object()
            .cloned()
            .ok_or_else(|| expected("an object"))
    }
}

impl FromJson for String {
    fn from_json(value: &Value) -> Result<Self, String> {
        value
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| expected("a string"))
    }
}

impl FromJson for bool {
    fn from_json(value: &Value) -> Result<Self, String> {
        value.as_bool().ok_or_else(|| expected("a boolean"))
    }
}

impl FromJson for u64 {
    fn from_json(value: &Value) -> Result<Self, String> {
        value
            .as_u64()
            .ok_or_else(|| expected("a non-negative integer"))
    }
}

impl FromJson for u32 {
    fn from_json(value: &Value) -> Result<Self, String> {
        u64::from_json(value)
            .and_then(|n| u32::try_from(n).map_err(|_| expected("a 32-bit integer")))
    }
}

impl FromJson for i64 {
    fn from_json(value: &Value) -> Result<Self, String> {
        value.as_i64().ok_or_else(|| expected("an integer"))
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: &Value) -> Result<Self, String> {
        let items = value.as_array().ok_or_else(|| expected("an array"))?;
        items.iter().map(T::from_json).collect()
    }
}

impl FromJson for SessionInfo {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(Self {
            csrf_token: f.req("csrfToken")?,
            auth: f.req("auth")?,
        })
    }
}

impl FromJson for AuthMode {
    fn from_json(value: &Value) -> Result<Self, String> {
        variant(value, &[("none", Self::None), ("zoom", Self::Zoom)])
    }
}

impl FromJson for AppConfig {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(Self {
            embed: f.req("embed")?,
            init_config: f.req("initConfig")?,
            dispositions: f.req("dispositions")?,
            caller_ids: f.req("callerIds")?,
            guard: f.req("guard")?,
            redact_numbers: f.req("redactNumbers")?,
            auth: f.req("auth")?,
            bridge: f.or_default("bridge")?,
            call_logs: f.or_default("callLogs")?,
        })
    }
}

impl FromJson for EmbedSettings {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(Self {
            url: f.req("url")?,
            origin: f.req("origin")?,
            loader: f.or_default("loader")?,
            sdk_url: f.opt("sdkUrl")?,
        })
    }
}

impl FromJson for EmbedLoader {
    fn from_json(value: &Value) -> Result<Self, String> {
        variant(value, &[("iframe", Self::Iframe), ("sdk", Self::Sdk)])
    }
}

impl FromJson for InitConfigFlags {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(Self {
            enable_saving_log: f.req("enableSavingLog")?,
            enable_auto_log: f.req("enableAutoLog")?,
            enable_contact_searching: f.req("enableContactSearching")?,
            enable_contact_matching: f.req("enableContactMatching")?,
        })
    }
}

impl FromJson for BridgeTimings {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(Self {
            command_ttl_ms: f.req("commandTtlMs")?,
            ring_timeout_ms: f.req("ringTimeoutMs")?,
        })
    }
}

impl FromJson for CallLogSettings {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(Self {
            wrap_up_secs: f.req("wrapUpSecs")?,
            wrap_up_default: f.req("wrapUpDefault")?,
            retry_first_ms: f.req("retryFirstMs")?,
            retry_max_ms: f.req("retryMaxMs")?,
        })
    }
}

impl FromJson for DispositionGroup {
    fn from_json(value: &Value) -> Result<Self, String> {
        variant(
            value,
            &[
                ("connected", Self::Connected),
                ("not_connected", Self::NotConnected),
            ],
        )
    }
}

impl FromJson for DispositionCode {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(Self {
            label: f.req("label")?,
            value: f.req("value")?,
            group: f.req("group")?,
            notes_required: f.req("notesRequired")?,
        })
    }
}

impl FromJson for CallerId {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(Self {
            label: f.req("label")?,
            number: f.req("number")?,
        })
    }
}

impl FromJson for GuardMode {
    fn from_json(value: &Value) -> Result<Self, String> {
        variant(value, &[("block", Self::Block), ("confirm", Self::Confirm)])
    }
}

impl FromJson for GuardSettings {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(Self {
            mode: f.req("mode")?,
            window_start: f.req("windowStart")?,
            window_end: f.req("windowEnd")?,
            region_zones: f.or_default("regionZones")?,
        })
    }
}

impl FromJson for RegionZones {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(Self {
            region: f.req("region")?,
            zones: f.req("zones")?,
        })
    }
}

impl FromJson for ContactsPage {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(Self {
            contacts: f.req("contacts")?,
            next_cursor: f.opt("nextCursor")?,
            total: f.req("total")?,
        })
    }
}

impl FromJson for Contact {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(Self {
            id: f.req("id")?,
            name: f.req("name")?,
            company: f.opt("company")?,
            title: f.opt("title")?,
            email: f.opt("email")?,
            time_zone: f.opt("timeZone")?,
            numbers: f.req("numbers")?,
        })
    }
}

impl FromJson for ContactNumber {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(Self {
            label: f.req("label")?,
            raw: f.req("raw")?,
            e164: f.opt("e164")?,
            region: f.opt("region")?,
            parse_error: f.opt("parseError")?,
            do_not_call: f.or_default("doNotCall")?,
        })
    }
}

impl FromJson for FieldError {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(Self {
            field: f.req("field")?,
            message: f.req("message")?,
        })
    }
}

impl FromJson for ImportJob {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(Self {
            id: f.req("id")?,
            state: f.req("state")?,
            done: f.req("done")?,
            total: f.req("total")?,
            report: f.opt("report")?,
            error: f.opt("error")?,
        })
    }
}

impl FromJson for ImportState {
    fn from_json(value: &Value) -> Result<Self, String> {
        variant(
            value,
            &[
                ("reading", Self::Reading),
                ("writing", Self::Writing),
                ("done", Self::Done),
                ("failed", Self::Failed),
            ],
        )
    }
}

impl FromJson for ImportReport {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(Self {
            created: f.req("created")?,
            updated: f.req("updated")?,
            rejected: f.req("rejected")?,
            warnings: f.req("warnings")?,
        })
    }
}

impl FromJson for ImportIssue {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(Self {
            line: f.req("line")?,
            column: f.opt("column")?,
            reason: f.req("reason")?,
        })
    }
}

impl FromJson for JournalBatchAck {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(Self {
            stored: f.req("stored")?,
            repeats: f.req("repeats")?,
        })
    }
}

impl FromJson for CallContext {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(Self {
            number: f.req("number")?,
            attempts: f.req("attempts")?,
            last_at: f.opt("lastAt")?,
            last_result: f.opt("lastResult")?,
            last_disposition: f.opt("lastDisposition")?,
        })
    }
}

impl FromJson for CallLogDraft {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(Self {
            base_version: f.req("baseVersion")?,
            disposition: f.req("disposition")?,
            notes: f.or_default("notes")?,
            fields: f.or_default("fields")?,
            contact_id: f.opt("contactId")?,
            direction: f.opt("direction")?,
            number: f.opt("number")?,
            duration_secs: f.opt("durationSecs")?,
            result: f.opt("result")?,
        })
    }
}

impl FromJson for CallLog {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(Self {
            call_id: f.req("callId")?,
            version: f.req("version")?,
            disposition: f.req("disposition")?,
            notes: f.req("notes")?,
            fields: f.req("fields")?,
            contact_id: f.opt("contactId")?,
            direction: f.opt("direction")?,
            number: f.opt("number")?,
            duration_secs: f.opt("durationSecs")?,
            result: f.opt("result")?,
            saved_at: f.req("savedAt")?,
            saved_by: f.opt("savedBy")?,
            recordings: f.req("recordings")?,
            voicemails: f.req("voicemails")?,
        })
    }
}

impl FromJson for Me {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(Self {
            id: f.req("id")?,
            name: f.req("name")?,
            email: f.req("email")?,
            extension_number: f.opt("extensionNumber")?,
            phone_numbers: f.or_default("phoneNumbers")?,
        })
    }
}

impl FromJson for DirectoryEntry {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(Self {
            name: f.req("name")?,
            email: f.opt("email")?,
            extension_number: f.opt("extensionNumber")?,
            phone_numbers: f.or_default("phoneNumbers")?,
            job_title: f.opt("jobTitle")?,
        })
    }
}

impl FromJson for ZoomCall {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(Self {
            call_id: f.req("callId")?,
            call_history_uuid: f.opt("callHistoryUuid")?,
            direction: f.opt("direction")?,
            start_time: f.opt("startTime")?,
            duration_secs: f.req("durationSecs")?,
            result: f.opt("result")?,
            number: f.opt("number")?,
            name: f.opt("name")?,
            contact_id: f.opt("contactId")?,
            has_recording: f.req("hasRecording")?,
        })
    }
}

impl FromJson for UnloggedCalls {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(Self {
            from: f.req("from")?,
            to: f.req("to")?,
            calls: f.req("calls")?,
        })
    }
}

impl FromJson for SyncStatus {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(Self {
            state: f.req("state")?,
            read: f.req("read")?,
            created: f.req("created")?,
            updated: f.req("updated")?,
            error: f.opt("error")?,
            finished_at: f.opt("finishedAt")?,
        })
    }
}

impl FromJson for CallLogConflict {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(Self {
            error: f.req("error")?,
            yours: f.req("yours")?,
            stored: f.req("stored")?,
        })
    }
}

impl FromJson for ContactMatchResult {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(Self {
            normalized: f.opt("normalized")?,
            contacts: f.req("contacts")?,
            picked: f.opt("picked")?,
        })
    }
}

impl FromJson for ApiErrorBody {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(Self {
            error: f.req("error")?,
            fields: f.or_default("fields")?,
        })
    }
}

/// A type written as a JSON value.
pub trait ToJson {
    /// The value, as serde's derive would write it.
    fn to_json(&self) -> Value;
}

/// An object of `fields`.
pub fn object(fields: Vec<(&str, Value)>) -> Value {
    Value::Object(
        fields
            .into_iter()
            .map(|(key, value)| (key.to_owned(), value))
            .collect(),
    )
}

impl ToJson for CallLogDraft {
    fn to_json(&self) -> Value {
        object(vec![
            ("baseVersion", self.base_version.into()),
            ("disposition", self.disposition.clone().into()),
            ("notes", self.notes.clone().into()),
            ("fields", Value::Object(self.fields.clone())),
            ("contactId", self.contact_id.into()),
            ("direction", self.direction.clone().into()),
            ("number", self.number.clone().into()),
            ("durationSecs", self.duration_secs.into()),
            ("result", self.result.clone().into()),
        ])
    }
}

impl ToJson for CallLog {
    fn to_json(&self) -> Value {
        object(vec![
            ("callId", self.call_id.clone().into()),
            ("version", self.version.into()),
            ("disposition", self.disposition.clone().into()),
            ("notes", self.notes.clone().into()),
            ("fields", Value::Object(self.fields.clone())),
            ("contactId", self.contact_id.into()),
            ("direction", self.direction.clone().into()),
            ("number", self.number.clone().into()),
            ("durationSecs", self.duration_secs.into()),
            ("result", self.result.clone().into()),
            ("savedAt", self.saved_at.clone().into()),
            ("savedBy", self.saved_by.clone().into()),
            ("recordings", self.recordings.clone().into()),
            ("voicemails", self.voicemails.clone().into()),
        ])
    }
}

impl ToJson for ContactDraft {
    fn to_json(&self) -> Value {
        object(vec![
            ("name", self.name.clone().into()),
            ("company", self.company.clone().into()),
            ("title", self.title.clone().into()),
            ("email", self.email.clone().into()),
            ("timeZone", self.time_zone.clone().into()),
            (
                "numbers",
                Value::Array(self.numbers.iter().map(ToJson::to_json).collect()),
            ),
        ])
    }
}

impl ToJson for NumberDraft {
    fn to_json(&self) -> Value {
        object(vec![
            ("label", self.label.clone().into()),
            ("raw", self.raw.clone().into()),
            ("doNotCall", self.do_not_call.into()),
        ])
    }
}

impl ToJson for ContactPick {
    fn to_json(&self) -> Value {
        object(vec![
            ("number", self.number.clone().into()),
            ("contactId", self.contact_id.into()),
        ])
    }
}

/// The JSON text of a batch of journal events, written straight from them: their
/// payloads are not copied (the event path stays fast, README).
pub fn journal_text(events: &[&JournalEvent]) -> String {
    let mut text = String::from("[");
    for (index, event) in events.iter().enumerate() {
        if index > 0 {
            text.push(',');
        }
        text.push_str(&format!(
            "{{\"callId\":{},\"eventKey\":{},\"kind\":{},\"payload\":{}}}",
            Value::from(event.call_id.as_str()),
            Value::from(event.event_key.as_str()),
            Value::from(event.kind.as_str()),
            event.payload
        ));
    }
    text.push(']');
    text
}

#[cfg(test)]
mod tests;
