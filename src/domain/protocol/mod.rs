//! The Smart Embed `postMessage` protocol: typed commands and events, and the
//! checks every inbound message passes before it is trusted.
//!
//! Shapes follow `smart-embed-contract.md`; where the contract marks a payload as
//! inferred or unverified, the types keep every field optional and keep unknown
//! fields, so a change on Zoom's side degrades to "field missing", not a reject.

mod commands;
mod events;
mod limits;

pub use commands::{
    EmbedCommand, InitConfig, MatchedContact, NoteField, NoteFieldType, SelectOption,
    DISPOSITION_FIELD, NOTES_FIELD,
};
pub use events::{
    AiCallSummary, CallEvent, ContactMatch, ContactSearch, Direction, EmbedEvent, NotesSave, Party,
    SmsLog,
};
pub use limits::{json_depth, RejectCounts, RejectReason, MAX_DEPTH, MAX_MESSAGE_BYTES};

/// An accepted inbound message: the typed event and its `data` as sent.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// The typed event.
    pub event: EmbedEvent,
    /// The message's `data`, as sent (for repeat detection and the journal).
    pub data: serde_json::Value,
}

/// Parses the JSON text of one inbound message (the `JSON.stringify` of `event.data`).
///
/// Checks size and depth before decoding, then the `{type, data}` envelope, then the
/// payload of known types. Unknown types are kept whole as [`EmbedEvent::Unknown`].
pub fn parse_message(json: &str) -> Result<Message, RejectReason> {
    if json.len() > MAX_MESSAGE_BYTES {
        return Err(RejectReason::TooLarge);
    }
    if json_depth(json) > MAX_DEPTH {
        return Err(RejectReason::TooDeep);
    }
    let value: serde_json::Value = serde_json::from_str(json).map_err(|_| RejectReason::NotJson)?;
    let (kind, data) = events::split_envelope(value)?;
    let event = EmbedEvent::decode(kind, &data)?;
    Ok(Message { event, data })
}

/// Like [`parse_message`], keeping only the typed event.
pub fn parse_event(json: &str) -> Result<EmbedEvent, RejectReason> {
    parse_message(json).map(|message| message.event)
}

#[cfg(test)]
mod fixture_tests;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod proptests;
