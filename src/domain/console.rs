//! Lines of the bridge console: what crossed the bridge, with numbers redacted.

use super::phone::redact_number;
use super::protocol::{EmbedCommand, EmbedEvent};

/// Which way a message went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// From the embed to the app.
    In,
    /// From the app to the embed.
    Out,
}

/// What became of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Applied.
    Accepted,
    /// Accepted, but a repeat of an event already applied.
    Repeat,
    /// Not applied, with the reason.
    Rejected(String),
    /// Posted to the embed.
    Sent,
    /// Held until the embed loads.
    Queued,
    /// A problem of the bridge's own, such as a failed lookup.
    Problem(String),
    /// Dropped after waiting too long for the embed; never sent.
    Expired,
}

/// One console line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleEntry {
    /// Sequence number, for keys.
    pub seq: u64,
    /// In or out.
    pub flow: Flow,
    /// The message type, when known.
    pub kind: String,
    /// What became of it.
    pub verdict: Verdict,
    /// A short description, numbers redacted unless configured otherwise.
    pub summary: String,
}

/// Most lines kept; older ones are dropped.
pub const CONSOLE_LINES: usize = 200;

/// Shows a number whole, or by its last four digits.
pub fn show_number(number: &str, redact: bool) -> String {
    if redact {
        redact_number(number)
    } else {
        number.to_owned()
    }
}

/// A short description of an inbound event.
pub fn describe_event(event: &EmbedEvent, redact: bool) -> String {
    if let Some(call) = event.call() {
        let party = call
            .external_party()
            .and_then(|p| p.any_number())
            .map(|n| format!(", party {}", show_number(n, redact)))
            .unwrap_or_default();
        let result = call
            .result
            .as_deref()
            .map(|r| format!(", result {r}"))
            .unwrap_or_default();
        return format!("call {}{party}{result}", call.call_id);
    }
    match event {
        EmbedEvent::ContactSearch(s) => format!("search, {} characters", s.search_string.len()),
        EmbedEvent::ContactMatch(m) => {
            let numbers: Vec<String> = m
                .phone_numbers
                .iter()
                .map(|n| show_number(n, redact))
                .collect();
            format!("match {}", numbers.join(", "))
        }
        EmbedEvent::NotesSave(n) => {
            format!("notes for call {}", n.call_id.as_deref().unwrap_or("?"))
        }
        EmbedEvent::Unknown { .. } => "unknown type, kept as sent".into(),
        _ => String::new(),
    }
}

/// A short description of an outbound command.
pub fn describe_command(command: &EmbedCommand, redact: bool) -> String {
    match command {
        EmbedCommand::InitConfig(config) => {
            format!("{} note fields", config.note_page_configuration.len())
        }
        EmbedCommand::MakeCall {
            number, auto_dial, ..
        } => format!(
            "{} {}",
            if *auto_dial { "dial" } else { "prefill" },
            show_number(number, redact)
        ),
        EmbedCommand::InputSms { number } => format!("text {}", show_number(number, redact)),
        EmbedCommand::ContactSearchResponse {
            request_id,
            contacts,
        }
        | EmbedCommand::ContactMatchResponse {
            request_id,
            contacts,
        } => {
            format!("request {request_id}: {} contacts", contacts.len())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::protocol::parse_event;

    #[test]
    fn numbers_are_redacted_unless_configured_otherwise() {
        let event = parse_event(include_str!(
            "../../tests/fixtures/smart-embed/events/call-ended-completed.json"
        ))
        .unwrap();
        assert_eq!(
            describe_event(&event, true),
            "call 068cba3db27ba0d08d2, party …0123, result ended"
        );
        assert!(describe_event(&event, false).contains("+14155550123"));
        let call = EmbedCommand::MakeCall {
            number: "+14155550123".into(),
            caller_id: None,
            auto_dial: true,
        };
        assert_eq!(describe_command(&call, true), "dial …0123");
        let search = parse_event(include_str!(
            "../../tests/fixtures/smart-embed/events/contact-match.json"
        ))
        .unwrap();
        assert_eq!(describe_event(&search, true), "match …0123");
    }
}
