//! Lines of the bridge console: what crossed the bridge, with numbers redacted.

use super::phone::redact_number;
use super::protocol::{EmbedCommand, EmbedEvent, RejectCounts};

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
        EmbedCommand::ContactSearchResponse(answer)
        | EmbedCommand::ContactMatchResponse(answer) => {
            format!(
                "request {}: {} contacts",
                answer.request_id,
                answer.contacts.len()
            )
        }
    }
}

impl Verdict {
    /// A short stable name (a class and `data-verdict`), and the verdict in words.
    pub fn words(&self) -> (&'static str, String) {
        match self {
            Self::Accepted => ("accepted", "accepted".into()),
            Self::Repeat => ("repeat", "repeat, ignored".into()),
            Self::Rejected(reason) => ("rejected", format!("rejected: {reason}")),
            Self::Sent => ("sent", "sent".into()),
            Self::Queued => ("queued", "queued until the embed loads".into()),
            Self::Problem(text) => ("problem", text.clone()),
            Self::Expired => ("expired", "not sent: the embed did not load in time".into()),
        }
    }
}

impl Flow {
    /// `in` or `out`.
    pub fn name(self) -> &'static str {
        match self {
            Self::In => "in",
            Self::Out => "out",
        }
    }
}

/// The bridge's status line: connected, or waiting with the commands queued.
pub fn bridge_line(ready: bool, waiting: usize) -> String {
    match (ready, waiting) {
        (true, _) => "Smart Embed connected".to_owned(),
        (false, 0) => "Waiting for the Smart Embed to load…".to_owned(),
        (false, n) => format!("Waiting for the Smart Embed to load… ({n} queued)"),
    }
}

/// How many messages were rejected, in words.
pub fn rejects_line(rejected: u32) -> String {
    let plural = if rejected == 1 { "" } else { "s" };
    format!("{rejected} message{plural} rejected")
}

/// The rejects counted by reason, in words.
pub fn rejects_by_reason(counts: &RejectCounts) -> String {
    if counts.total() == 0 {
        return "No rejected messages".to_owned();
    }
    let parts: Vec<String> = counts.iter().map(|(k, n)| format!("{k}: {n}")).collect();
    format!("Rejected by reason: {}", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::protocol::parse_event;

    #[test]
    fn the_status_says_whether_the_embed_is_ready_and_what_was_rejected() {
        assert_eq!(
            bridge_line(false, 0),
            "Waiting for the Smart Embed to load…"
        );
        assert_eq!(
            bridge_line(false, 2),
            "Waiting for the Smart Embed to load… (2 queued)"
        );
        assert_eq!(bridge_line(true, 2), "Smart Embed connected");
        assert_eq!(rejects_line(1), "1 message rejected");
        assert_eq!(rejects_line(3), "3 messages rejected");
        let mut counts = RejectCounts::default();
        assert_eq!(rejects_by_reason(&counts), "No rejected messages");
        counts.record(&crate::domain::protocol::RejectReason::TooDeep);
        assert_eq!(
            rejects_by_reason(&counts),
            "Rejected by reason: too-deep: 1"
        );
        assert_eq!(
            Verdict::Rejected("bad origin".into()).words(),
            ("rejected", "rejected: bad origin".to_owned())
        );
    }

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
