//! Size and depth limits for inbound messages, and the reasons a message is rejected.

use std::fmt;

/// Largest accepted message: UTF-8 length of `JSON.stringify(event.data)`.
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024;

/// Deepest accepted nesting of objects and arrays (the envelope counts as one).
pub const MAX_DEPTH: usize = 16;

/// Why an inbound message was not applied.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum RejectReason {
    /// `event.origin` is not the configured Smart Embed origin.
    WrongOrigin,
    /// The right origin, but `event.source` is not the embed iframe's window.
    WrongSource,
    /// The data does not survive `JSON.stringify` (Map, Blob, BigInt, cycles…).
    NotJson,
    /// Larger than [`MAX_MESSAGE_BYTES`].
    TooLarge,
    /// Nested deeper than [`MAX_DEPTH`].
    TooDeep,
    /// Not a `{type: string, data: object}` envelope.
    NotAnEnvelope,
    /// A known type whose payload has the wrong shape.
    Malformed {
        /// The message type.
        kind: String,
        /// What was wrong, from the decoder.
        detail: String,
    },
}

impl RejectReason {
    /// A short stable key, used to count rejects by reason.
    pub fn key(&self) -> &'static str {
        match self {
            Self::WrongOrigin => "wrong-origin",
            Self::WrongSource => "wrong-source",
            Self::NotJson => "not-json",
            Self::TooLarge => "too-large",
            Self::TooDeep => "too-deep",
            Self::NotAnEnvelope => "not-an-envelope",
            Self::Malformed { .. } => "malformed",
        }
    }
}

impl fmt::Display for RejectReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::WrongOrigin => f.write_str("message from an origin other than the Smart Embed"),
            Self::WrongSource => f.write_str("message from a window other than the Smart Embed"),
            Self::NotJson => f.write_str("message data is not plain JSON"),
            Self::TooLarge => write!(f, "message larger than {MAX_MESSAGE_BYTES} bytes"),
            Self::TooDeep => write!(f, "message nested deeper than {MAX_DEPTH} levels"),
            Self::NotAnEnvelope => f.write_str("message is not a {type, data} envelope"),
            Self::Malformed { kind, detail } => write!(f, "malformed {kind}: {detail}"),
        }
    }
}

/// Rejected messages counted by reason (a sorted list: a handful of reasons).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RejectCounts {
    by_reason: Vec<(&'static str, u32)>,
}

impl RejectCounts {
    /// Counts one reject.
    pub fn record(&mut self, reason: &RejectReason) {
        let key = reason.key();
        match self.by_reason.binary_search_by(|(k, _)| k.cmp(&key)) {
            Ok(at) => self.by_reason[at].1 += 1,
            Err(at) => self.by_reason.insert(at, (key, 1)),
        }
    }

    /// All rejects so far.
    pub fn total(&self) -> u32 {
        self.by_reason.iter().map(|(_, n)| n).sum()
    }

    /// Rejects for one reason key (see [`RejectReason::key`]).
    pub fn for_key(&self, key: &str) -> u32 {
        self.by_reason
            .iter()
            .find(|(k, _)| *k == key)
            .map_or(0, |(_, n)| *n)
    }

    /// `(reason key, count)` pairs in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, u32)> + '_ {
        self.by_reason.iter().copied()
    }
}

/// Deepest nesting of `{}`/`[]` in a JSON text, ignoring brackets inside strings.
///
/// Runs before decoding so a hostile message cannot make the decoder recurse.
pub fn json_depth(json: &str) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    let (mut in_string, mut escaped) = (false, false);
    for byte in json.bytes() {
        if in_string {
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                max = max.max(depth);
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_ignores_brackets_in_strings() {
        assert_eq!(json_depth(r#"{"a":"{[{[\"]}"}"#), 1);
        assert_eq!(json_depth(r#"{"a":{"b":[1,[2]]}}"#), 4);
        assert_eq!(json_depth("42"), 0);
    }

    #[test]
    fn counts_by_reason() {
        let mut counts = RejectCounts::default();
        counts.record(&RejectReason::WrongOrigin);
        counts.record(&RejectReason::WrongOrigin);
        counts.record(&RejectReason::TooDeep);
        assert_eq!(counts.total(), 3);
        assert_eq!(counts.for_key("wrong-origin"), 2);
        assert_eq!(counts.for_key("not-json"), 0);
    }
}
