//! Scenario names (the API of `POST /__sim/scenario/{name}` and `window.sim.scenario`) and the
//! options each one takes (contract §8).

use serde::Deserialize;
use serde_json::Value;
use thiserror::Error;

use crate::api::MAX_CONNECT_DELAY_MS;
use crate::call::Party;
use crate::message::{parse_object, MessageError};

/// The external party of scenario calls unless `number` / `name` say otherwise.
pub const DEFAULT_NUMBER: &str = "+14155550123";
/// The external party's name unless `name` says otherwise.
pub const DEFAULT_NAME: &str = "Dana Whitfield";
/// The default `gapMs`: the pause between the events of a scenario.
pub const DEFAULT_GAP_MS: u64 = 100;
/// The default `matchTimeoutMs`: how long `inbound-match` waits for the host's answer.
pub const DEFAULT_MATCH_TIMEOUT_MS: u64 = 3000;
/// The default `searchString` of `search`.
pub const DEFAULT_SEARCH_STRING: &str = "whit";
/// The default `count` of `burst`.
pub const DEFAULT_BURST_COUNT: u64 = 1000;
/// The largest `count` of `burst`.
pub const MAX_BURST_COUNT: u64 = 100_000;

/// A series of events about one inbound call, played with `gapMs` between events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timed {
    /// Ringing, ended `missed`, log `No Answer`.
    Missed,
    /// Ringing, ended `rejected`, log `Rejected`.
    Rejected,
    /// A missed call, then a voicemail.
    Voicemail,
    /// A whole call, its log, then its recording.
    LateRecording,
    /// A whole call, its log, then two recordings.
    TwoRecordings,
    /// Ringing twice, connected twice (each pair under 150 ms apart), ended.
    Duplicate,
    /// A whole call backwards: log, recording, ended, connected, ringing.
    OutOfOrder,
    /// Ringing, connected, a transfer leg `<callId>_1` connected, the root call ended.
    Transfer,
    /// Ringing with the external number under `phoneNumber`, connected and ended under `number`.
    Spellings,
}

/// A scenario the simulator can run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scenario {
    /// Connect the ringing call.
    Answer,
    /// End the ringing or connected call.
    Hangup,
    /// An external party calls; it rings until answered.
    Inbound,
    /// Clear everything but the script.
    Reset,
    /// Commands from the host are recorded as dropped and not acted on.
    SignedOut,
    /// Back to normal after `signed-out`.
    SignedIn,
    /// `zp-contact-match-event`, the host's answer (or a timeout), then an inbound ringing call.
    InboundMatch,
    /// `zp-contact-search-event`; the page lists the contacts of the host's answer.
    Search,
    /// One of the timed call stories.
    Timed(Timed),
    /// One event of a type no host knows.
    Unknown,
    /// Every page posts `count` connected events to its parent as fast as it can.
    Burst,
}

const TABLE: [(&str, Scenario); 19] = [
    ("answer", Scenario::Answer),
    ("hangup", Scenario::Hangup),
    ("inbound", Scenario::Inbound),
    ("reset", Scenario::Reset),
    ("signed-out", Scenario::SignedOut),
    ("signed-in", Scenario::SignedIn),
    ("inbound-match", Scenario::InboundMatch),
    ("search", Scenario::Search),
    ("missed", Scenario::Timed(Timed::Missed)),
    ("rejected", Scenario::Timed(Timed::Rejected)),
    ("voicemail", Scenario::Timed(Timed::Voicemail)),
    ("late-recording", Scenario::Timed(Timed::LateRecording)),
    ("two-recordings", Scenario::Timed(Timed::TwoRecordings)),
    ("duplicate", Scenario::Timed(Timed::Duplicate)),
    ("out-of-order", Scenario::Timed(Timed::OutOfOrder)),
    ("transfer", Scenario::Timed(Timed::Transfer)),
    ("spellings", Scenario::Timed(Timed::Spellings)),
    ("unknown", Scenario::Unknown),
    ("burst", Scenario::Burst),
];

impl Scenario {
    /// The scenario called `name`, if there is one.
    pub fn from_name(name: &str) -> Option<Self> {
        TABLE
            .iter()
            .find(|(known, _)| *known == name)
            .map(|(_, scenario)| *scenario)
    }

    /// Its name in the API.
    pub fn name(self) -> &'static str {
        TABLE
            .iter()
            .find(|(_, scenario)| *scenario == self)
            .map_or("?", |(name, _)| name)
    }

    /// The option keys it takes.
    fn option_keys(self) -> &'static [&'static str] {
        match self {
            Self::Answer
            | Self::Hangup
            | Self::Reset
            | Self::SignedOut
            | Self::SignedIn
            | Self::Unknown => &[],
            Self::Inbound => &["number", "name"],
            Self::InboundMatch => &["number", "matchTimeoutMs"],
            Self::Search => &["searchString"],
            Self::Timed(_) => &["number", "name", "gapMs"],
            Self::Burst => &["count"],
        }
    }
}

/// Every scenario name, comma-separated, for error messages.
pub fn known_names() -> String {
    TABLE
        .iter()
        .map(|(name, _)| *name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Why a scenario's options were refused (400).
#[derive(Debug, Error, PartialEq)]
pub enum OptionsError {
    /// The body is not a JSON object.
    #[error(transparent)]
    Body(#[from] MessageError),
    /// An option the scenario does not take.
    #[error("{scenario}: unknown option \"{key}\"; it takes {takes}")]
    Unknown {
        /// The scenario.
        scenario: &'static str,
        /// The option sent.
        key: String,
        /// What it takes instead.
        takes: String,
    },
    /// An option with a wrong type or out of range.
    #[error("{scenario}: {reason}")]
    Invalid {
        /// The scenario.
        scenario: &'static str,
        /// What is wrong.
        reason: String,
    },
}

/// The options of a scenario, as sent; the accessors fill in the defaults.
#[derive(Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Options {
    number: Option<String>,
    name: Option<String>,
    gap_ms: Option<u64>,
    match_timeout_ms: Option<u64>,
    search_string: Option<String>,
    count: Option<u64>,
}

impl Options {
    /// Reads the optional JSON body of `scenario`: empty, or an object of the options it takes.
    pub fn parse(scenario: Scenario, body: &[u8]) -> Result<Self, OptionsError> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self::default());
        }
        let object = parse_object(body)?;
        let keys = scenario.option_keys();
        if let Some(key) = object.keys().find(|key| !keys.contains(&key.as_str())) {
            let takes = if keys.is_empty() {
                "no options".to_owned()
            } else {
                keys.join(", ")
            };
            return Err(OptionsError::Unknown {
                scenario: scenario.name(),
                key: key.clone(),
                takes,
            });
        }
        let invalid = |reason: String| OptionsError::Invalid {
            scenario: scenario.name(),
            reason,
        };
        let options: Self = serde_json::from_value(Value::Object(object))
            .map_err(|err| invalid(err.to_string()))?;
        if options
            .number
            .as_deref()
            .is_some_and(|n| n.trim().is_empty())
        {
            return Err(invalid("number must not be empty".into()));
        }
        for (key, value) in [
            ("gapMs", options.gap_ms),
            ("matchTimeoutMs", options.match_timeout_ms),
        ] {
            if value.is_some_and(|ms| ms > MAX_CONNECT_DELAY_MS) {
                return Err(invalid(format!(
                    "{key} must be at most {MAX_CONNECT_DELAY_MS}"
                )));
            }
        }
        if options
            .count
            .is_some_and(|count| !(1..=MAX_BURST_COUNT).contains(&count))
        {
            return Err(invalid(format!(
                "count must be between 1 and {MAX_BURST_COUNT}"
            )));
        }
        Ok(options)
    }

    /// The external party: `number` and `name`, or Dana Whitfield's.
    pub fn party(&self) -> Party {
        Party {
            number: self.number().to_owned(),
            name: self.name.as_deref().unwrap_or(DEFAULT_NAME).to_owned(),
        }
    }

    /// The external number.
    pub fn number(&self) -> &str {
        self.number.as_deref().unwrap_or(DEFAULT_NUMBER)
    }

    /// The pause between events.
    pub fn gap_ms(&self) -> u64 {
        self.gap_ms.unwrap_or(DEFAULT_GAP_MS)
    }

    /// How long `inbound-match` waits for the host.
    pub fn match_timeout_ms(&self) -> u64 {
        self.match_timeout_ms.unwrap_or(DEFAULT_MATCH_TIMEOUT_MS)
    }

    /// What `search` searches for.
    pub fn search_string(&self) -> &str {
        self.search_string
            .as_deref()
            .unwrap_or(DEFAULT_SEARCH_STRING)
    }

    /// How many events `burst` posts from each page.
    pub fn count(&self) -> u64 {
        self.count.unwrap_or(DEFAULT_BURST_COUNT)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for (name, scenario) in TABLE {
            assert_eq!(Scenario::from_name(name), Some(scenario));
            assert_eq!(scenario.name(), name);
        }
        assert_eq!(Scenario::from_name("Missed"), None);
        assert!(known_names().starts_with("answer, hangup, inbound, reset, signed-out"));
    }

    #[test]
    fn defaults_apply_to_an_empty_body() {
        let options = Options::parse(Scenario::Timed(Timed::Missed), b" ").expect("empty");
        assert_eq!(
            options.party(),
            Party {
                number: "+14155550123".into(),
                name: "Dana Whitfield".into()
            }
        );
        assert_eq!(options.gap_ms(), 100);
        assert_eq!(options.match_timeout_ms(), 3000);
        assert_eq!(options.search_string(), "whit");
        assert_eq!(options.count(), 1000);
    }

    #[test]
    fn options_are_read() {
        let options = Options::parse(
            Scenario::Timed(Timed::Transfer),
            br#"{"number":"+12125550147","name":"","gapMs":0}"#,
        )
        .expect("valid");
        assert_eq!(options.party().number, "+12125550147");
        assert_eq!(options.party().name, "");
        assert_eq!(options.gap_ms(), 0);
        let burst = Options::parse(Scenario::Burst, br#"{"count":100000}"#).expect("valid");
        assert_eq!(burst.count(), 100_000);
    }

    #[test]
    fn bad_options_are_refused_with_a_reason() {
        let missed = Scenario::Timed(Timed::Missed);
        let cases: [(Scenario, &[u8], &str); 8] = [
            (missed, b"[]", "body must be a JSON object, got an array"),
            (
                missed,
                br#"{"count":1}"#,
                "missed: unknown option \"count\"; it takes number, name, gapMs",
            ),
            (
                Scenario::Unknown,
                br#"{"x":1}"#,
                "unknown: unknown option \"x\"; it takes no options",
            ),
            (
                missed,
                br#"{"number":" "}"#,
                "missed: number must not be empty",
            ),
            (missed, br#"{"gapMs":-1}"#, "missed: invalid value"),
            (
                Scenario::InboundMatch,
                br#"{"matchTimeoutMs":3600001}"#,
                "inbound-match: matchTimeoutMs must be at most 3600000",
            ),
            (
                Scenario::Burst,
                br#"{"count":0}"#,
                "burst: count must be between 1 and 100000",
            ),
            (
                Scenario::Burst,
                br#"{"count":100001}"#,
                "burst: count must be between 1 and 100000",
            ),
        ];
        for (scenario, body, reason) in cases {
            let err = Options::parse(scenario, body).expect_err(reason);
            assert!(err.to_string().starts_with(reason), "{err}");
        }
    }
}
