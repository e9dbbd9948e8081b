//! The Smart Embed `postMessage` protocol: typed commands and events, and the
//! checks every inbound message passes before it is trusted.
//!
//! Shapes follow `smart-embed-contract.md`; where the contract marks a payload as
//! inferred or unverified, the types keep every field optional and keep unknown
//! fields, so a change on Zoom's side degrades to "field missing", not a reject.

mod commands;
mod events;
mod lenient;
mod limits;

pub use commands::{
    ContactResponse, EmbedCommand, InitConfig, MatchedContact, NoteField, NoteFieldType,
    SelectOption, DISPOSITION_FIELD, NOTES_FIELD,
};
pub use events::{
    AiCallSummary, CallEvent, ContactMatch, ContactSearch, Direction, EmbedEvent, NotesSave, Party,
    SmsLog,
};
pub use limits::{json_depth, RejectCounts, RejectReason, MAX_DEPTH, MAX_MESSAGE_BYTES};

/// The `{type, data}` envelope every message comes in, `data` kept as sent (`null`
/// when absent).
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct Envelope {
    /// The message type.
    #[serde(rename = "type")]
    pub kind: String,
    /// The payload.
    #[serde(default)]
    pub data: serde_json::Value,
}

/// An accepted inbound message: the typed event and its `data` as sent.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// The typed event.
    pub event: EmbedEvent,
    /// The message's `data`, as sent (for repeat detection and the journal).
    pub data: serde_json::Value,
}

impl Envelope {
    /// Types the payload. Unknown types are kept whole as [`EmbedEvent::Unknown`].
    pub fn into_message(self) -> Result<Message, RejectReason> {
        let event = EmbedEvent::decode(self.kind, &self.data)?;
        Ok(Message {
            event,
            data: self.data,
        })
    }
}

/// Parses the JSON text of one inbound message (the `JSON.stringify` of `event.data`).
///
/// Checks size and depth before decoding, then the `{type, data}` envelope, then the
/// payload of known types. The browser decodes the message object itself instead
/// (`browser::smart_embed`), after the same limits.
pub fn parse_message(json: &str) -> Result<Message, RejectReason> {
    if json.len() > MAX_MESSAGE_BYTES {
        return Err(RejectReason::TooLarge);
    }
    if json_depth(json) > MAX_DEPTH {
        return Err(RejectReason::TooDeep);
    }
    let value: serde_json::Value = serde_json::from_str(json).map_err(|_| RejectReason::NotJson)?;
    // A derived struct would also read an array as its fields in order.
    if !value.is_object() {
        return Err(RejectReason::NotAnEnvelope);
    }
    let envelope: Envelope =
        serde_json::from_value(value).map_err(|_| RejectReason::NotAnEnvelope)?;
    envelope.into_message()
}

/// Like [`parse_message`], keeping only the typed event.
pub fn parse_event(json: &str) -> Result<EmbedEvent, RejectReason> {
    parse_message(json).map(|message| message.event)
}

#[cfg(test)]
mod fixture_tests;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod proptests;
