//! One call of the simulated phone: who is on the other end, and how far it got.

use serde::Serialize;

/// Which side started the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// The external party called the simulated user.
    Inbound,
    /// The simulated user dialled out.
    Outbound,
}

/// How an ended call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EndResult {
    /// It had connected.
    Ended,
    /// It never connected.
    Missed,
    /// The simulated user declined it while it rang.
    Rejected,
}

impl EndResult {
    /// The `result` of `zp-call-log-completed-event` and `zp-save-log-event` for this ending.
    pub fn log_result(self) -> &'static str {
        match self {
            Self::Ended => "Call Connected",
            Self::Missed => "No Answer",
            Self::Rejected => "Rejected",
        }
    }
}

/// Where a call is in its life. Times are Unix milliseconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    /// Ringing, not answered yet.
    Ringing,
    /// Connected at `at`.
    Connected {
        /// When it connected.
        at: u64,
    },
    /// Over.
    Ended {
        /// When it had connected, if it had.
        connected_at: Option<u64>,
        /// When it ended.
        at: u64,
        /// How it ended.
        result: EndResult,
        /// Whole seconds from connect to end; 0 when it never connected.
        duration: u64,
    },
}

/// The party on the other end of a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    /// Their number, as dialled or as presented.
    pub number: String,
    /// Their display name; empty when unknown.
    pub name: String,
}

/// A call of the simulated user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// The call id, 19 hex characters.
    pub id: String,
    /// Who started it.
    pub direction: Direction,
    /// The external party.
    pub remote: Party,
    /// The caller id the host asked to present (outbound only), echoed as `didNumber`.
    pub caller_id: Option<String>,
    /// When it started ringing.
    pub started_at: u64,
    /// Where it is now.
    pub phase: Phase,
}

impl Call {
    /// `true` while ringing or connected.
    pub fn is_active(&self) -> bool {
        !matches!(self.phase, Phase::Ended { .. })
    }

    /// The JSON view of the call for `GET /__sim/state`.
    pub fn view(&self) -> CallView<'_> {
        let (phase, connected_at, result, duration) = match self.phase {
            Phase::Ringing => ("ringing", None, None, None),
            Phase::Connected { at } => ("connected", Some(at), None, None),
            Phase::Ended {
                connected_at,
                result,
                duration,
                ..
            } => ("ended", connected_at, Some(result), Some(duration)),
        };
        CallView {
            call_id: &self.id,
            direction: self.direction,
            number: &self.remote.number,
            name: &self.remote.name,
            phase,
            result,
            duration,
            started_at: self.started_at,
            connected_at,
        }
    }
}

/// The JSON view of a call, as pages and tests see it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CallView<'a> {
    /// The call id.
    pub call_id: &'a str,
    /// `inbound` or `outbound`.
    pub direction: Direction,
    /// The external party's number.
    pub number: &'a str,
    /// The external party's name; empty when unknown.
    pub name: &'a str,
    /// `ringing`, `connected` or `ended`.
    pub phase: &'static str,
    /// How it ended; only once ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<EndResult>,
    /// Whole seconds connected; only once ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<u64>,
    /// When it started ringing (Unix ms).
    pub started_at: u64,
    /// When it connected (Unix ms), if it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connected_at: Option<u64>,
}
