//! Call sessions: every accepted call event merged into one record per root call,
//! whatever the order of arrival and however often an event repeats.
//!
//! Each field takes its value from the kind of event that owns it, never from the order
//! of arrival: start from ringing, answer from connected, end time, end result and
//! duration from ended, log result and `callLogId` from log-completed or save-log.
//! Recordings and voicemails are sets keyed by URL. The session is a fold over its
//! distinct events in a canonical order, so any permutation with any duplicates gives
//! the same session.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::call::root_call_id;
use super::protocol::{CallEvent, Direction, EmbedEvent};

/// Identity of one distinct event: root call, type and a hash of its content.
/// A repeat has the same key; a second, different recording of a call does not.
///
/// `serde_json` keeps object keys sorted (its `preserve_order` feature is off, and a
/// test guards that), so equal content always serialises to the same bytes.
pub fn event_key(root: &str, kind: &str, content: &Value) -> String {
    let mut hash = Fnv1a::default();
    // Writing into a hasher cannot fail; a failure would only weaken the key.
    let _ = serde_json::to_writer(&mut hash, content);
    format!("{root}|{kind}|{:016x}", hash.0)
}

/// 64-bit FNV-1a over whatever is written into it: small, stable across builds.
struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl std::io::Write for Fnv1a {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        for byte in bytes {
            self.0 = (self.0 ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Which call events a session is built from, in the canonical order of the fold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CallEventKind {
    /// `zp-call-ringing-event`
    Ringing,
    /// `zp-call-connected-event`
    Connected,
    /// `zp-call-ended-event`
    Ended,
    /// `zp-call-log-completed-event`
    LogCompleted,
    /// `zp-save-log-event`
    SaveLog,
    /// `zp-call-recording-completed-event`
    Recording,
    /// `zp-call-voicemail-received-event`
    Voicemail,
}

impl CallEventKind {
    /// The kind and payload of a call event; `None` for other events.
    pub fn of(event: &EmbedEvent) -> Option<(Self, &CallEvent)> {
        Some(match event {
            EmbedEvent::CallRinging(c) => (Self::Ringing, c),
            EmbedEvent::CallConnected(c) => (Self::Connected, c),
            EmbedEvent::CallEnded(c) => (Self::Ended, c),
            EmbedEvent::CallLogCompleted(c) => (Self::LogCompleted, c),
            EmbedEvent::SaveLog(c) => (Self::SaveLog, c),
            EmbedEvent::RecordingCompleted(c) => (Self::Recording, c),
            EmbedEvent::VoicemailReceived(c) => (Self::Voicemail, c),
            _ => return None,
        })
    }
}

/// Everything known about one call.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CallSession {
    /// Root call id.
    pub call_id: String,
    /// Inbound or outbound.
    pub direction: Option<Direction>,
    /// The other party's name.
    pub party_name: Option<String>,
    /// The other party's number.
    pub party_number: Option<String>,
    /// When it started ringing (ringing `dateTime`).
    pub started_at: Option<String>,
    /// When it was answered (connected `dateTime`).
    pub answered_at: Option<String>,
    /// When it ended (ended `dateTime`).
    pub ended_at: Option<String>,
    /// `ended` / `missed` / `rejected`, from the ended event.
    pub end_result: Option<String>,
    /// Talk time in seconds, from the ended event.
    pub duration_secs: Option<u64>,
    /// The log's result (`Call Connected`…), from log-completed or save-log.
    pub log_result: Option<String>,
    /// The call log's id, from log-completed or save-log.
    pub call_log_id: Option<String>,
    /// Recording links.
    pub recordings: BTreeSet<String>,
    /// Voicemail links.
    pub voicemails: BTreeSet<String>,
    /// Transfer legs seen (`callId`s with a `_N` suffix).
    pub legs: BTreeSet<String>,
}

impl CallSession {
    /// Short facts for the call card: recordings, voicemail, transfer, Zoom's log.
    pub fn badges(&self) -> Vec<String> {
        let mut badges = Vec::new();
        match self.recordings.len() {
            0 => {}
            1 => badges.push("1 recording".to_owned()),
            n => badges.push(format!("{n} recordings")),
        }
        if !self.voicemails.is_empty() {
            badges.push("voicemail".to_owned());
        }
        if !self.legs.is_empty() {
            badges.push("transferred".to_owned());
        }
        if self.call_log_id.is_some() {
            badges.push("logged in Zoom".to_owned());
        }
        badges
    }
}

/// One distinct event of a session, ordered canonically for the fold.
#[derive(Debug, Clone, PartialEq)]
struct Stored {
    kind: CallEventKind,
    key: String,
    event: CallEvent,
}

/// A session and the distinct events it was built from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SessionLog {
    events: Vec<Stored>,
    session: CallSession,
}

/// What applying an event did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applied {
    /// A new distinct event, with its key (to journal it).
    New(String),
    /// A repeat of an event already applied.
    Repeat,
}

impl SessionLog {
    /// The merged session.
    pub fn session(&self) -> &CallSession {
        &self.session
    }

    /// Number of distinct events.
    pub fn distinct_events(&self) -> usize {
        self.events.len()
    }

    /// Merges one call event with its [`event_key`].
    pub fn apply(&mut self, kind: CallEventKind, key: String, event: &CallEvent) -> Applied {
        if self.events.iter().any(|s| s.key == key) {
            return Applied::Repeat;
        }
        let stored = Stored {
            kind,
            key: key.clone(),
            event: event.clone(),
        };
        let at = self
            .events
            .partition_point(|s| (s.kind, &s.key) < (stored.kind, &stored.key));
        self.events.insert(at, stored);
        self.session = fold(root_call_id(&event.call_id), &self.events);
        Applied::New(key)
    }
}

fn fold(root: &str, events: &[Stored]) -> CallSession {
    let mut session = CallSession {
        call_id: root.to_owned(),
        ..CallSession::default()
    };
    for Stored { kind, event, .. } in events {
        if session.direction.is_none() {
            session.direction = event.direction.clone();
        }
        let media = match kind {
            CallEventKind::Recording => event.recording_url.clone(),
            CallEventKind::Voicemail => event.voicemail_url.clone(),
            _ => None,
        };
        if event.call_id != root {
            // A transfer leg is a segment: its times and far side (a colleague, not the
            // customer) belong to the leg; only its media joins the call.
            session.legs.insert(event.call_id.clone());
            match kind {
                CallEventKind::Voicemail => session.voicemails.extend(media),
                _ => session.recordings.extend(media),
            }
            continue;
        }
        let party = event.external_party();
        if session.party_name.is_none() {
            session.party_name = party.and_then(|p| p.display_name()).map(str::to_owned);
        }
        if session.party_number.is_none() {
            session.party_number = party.and_then(|p| p.any_number()).map(str::to_owned);
        }
        match kind {
            CallEventKind::Ringing => fill(&mut session.started_at, &event.date_time),
            CallEventKind::Connected => fill(&mut session.answered_at, &event.date_time),
            CallEventKind::Ended => {
                fill(&mut session.ended_at, &event.date_time);
                fill(&mut session.end_result, &event.result);
                if session.duration_secs.is_none() {
                    session.duration_secs = event.duration;
                }
            }
            CallEventKind::LogCompleted | CallEventKind::SaveLog => {
                fill(&mut session.log_result, &event.result);
                fill(&mut session.call_log_id, &event.call_log_id);
            }
            CallEventKind::Recording => session.recordings.extend(media),
            CallEventKind::Voicemail => session.voicemails.extend(media),
        }
    }
    session
}

fn fill(slot: &mut Option<String>, value: &Option<String>) {
    if slot.is_none() {
        slot.clone_from(value);
    }
}

/// Every call's session, keyed by root call id, and indexed by the other party's number.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sessions {
    by_root: BTreeMap<String, SessionLog>,
    by_number: BTreeMap<String, BTreeSet<String>>,
}

impl Sessions {
    /// Merges an accepted event whose `data` as sent is `data` (its content for the
    /// repeat check); returns what it did, or `None` for non-call events.
    pub fn apply(&mut self, event: &EmbedEvent, data: &Value) -> Option<(String, Applied)> {
        let (kind, call) = CallEventKind::of(event)?;
        let root = root_call_id(&call.call_id).to_owned();
        let key = event_key(&root, event.kind(), data);
        let log = self.by_root.entry(root.clone()).or_default();
        let applied = log.apply(kind, key, call);
        if let Some(number) = log.session().party_number.clone() {
            self.by_number
                .entry(number)
                .or_default()
                .insert(root.clone());
        }
        Some((root, applied))
    }

    /// One call's session.
    pub fn get(&self, root: &str) -> Option<&CallSession> {
        self.by_root.get(root).map(SessionLog::session)
    }

    /// Every session, by root call id.
    pub fn iter(&self) -> impl Iterator<Item = &CallSession> {
        self.by_root.values().map(SessionLog::session)
    }
}

#[cfg(test)]
mod tests;

/// What a contact row shows about earlier calls to or from a number.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowContext {
    /// Calls seen with this number.
    pub attempts: u32,
    /// When the latest one started (ISO-8601, as the embed sent it).
    pub last_at: Option<String>,
    /// How the latest one ended (`ended`, `missed`…), when it has.
    pub last_result: Option<String>,
    /// The disposition value of the latest saved log, which the row shows instead of
    /// the result (only the journal and saves here know it).
    pub last_disposition: Option<String>,
}

impl RowContext {
    /// Two sets of earlier calls as one (a number's calls tied to no contact, and
    /// those logged with the row's contact): attempts add up, the later gives the
    /// time, the result and, when it has one, the disposition.
    pub fn combine(a: Option<Self>, b: Option<Self>) -> Option<Self> {
        match (a, b) {
            (Some(a), Some(b)) => {
                let (latest, other) = if b.last_at >= a.last_at {
                    (b, a)
                } else {
                    (a, b)
                };
                Some(Self {
                    attempts: latest.attempts + other.attempts,
                    last_at: latest.last_at,
                    last_result: latest.last_result,
                    last_disposition: latest.last_disposition.or(other.last_disposition),
                })
            }
            (one, other) => one.or(other),
        }
    }

    /// Earlier calls from the journal (`past`, loaded once) with calls seen live since:
    /// attempts add up, and the later call gives the time and result; the disposition
    /// is the past's.
    pub fn merge(past: Option<Self>, live: Option<Self>) -> Option<Self> {
        match (past, live) {
            (Some(past), Some(live)) => {
                let latest = if live.last_at >= past.last_at {
                    &live
                } else {
                    &past
                };
                Some(Self {
                    attempts: past.attempts + live.attempts,
                    last_at: latest.last_at.clone(),
                    last_result: latest.last_result.clone(),
                    last_disposition: past.last_disposition.clone(),
                })
            }
            (one, other) => one.or(other),
        }
    }
}

impl Sessions {
    /// Row context for calls with `number`, if any were seen.
    pub fn context_for(&self, number: &str) -> Option<RowContext> {
        self.context_where(number, |_| true)
    }

    /// Row context for the calls with `number` whose root call id `keep` accepts (a
    /// contact's row keeps its own calls and those tied to no contact).
    pub fn context_where(&self, number: &str, keep: impl Fn(&str) -> bool) -> Option<RowContext> {
        let roots = self.by_number.get(number)?;
        let mut context = RowContext::default();
        let kept = roots.iter().filter(|root| keep(root));
        for session in kept.filter_map(|root| self.get(root)) {
            context.attempts += 1;
            let at = session
                .started_at
                .as_ref()
                .or(session.answered_at.as_ref())
                .or(session.ended_at.as_ref());
            if at.is_some() && at >= context.last_at.as_ref() {
                context.last_at = at.cloned();
                context.last_result = session.end_result.clone();
            }
        }
        (context.attempts > 0).then_some(context)
    }
}
