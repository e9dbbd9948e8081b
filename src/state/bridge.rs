//! What the Smart Embed bridge knows: the current call, every call's session,
//! readiness, rejects and the console.

use std::collections::VecDeque;

use leptos::prelude::*;

use crate::domain::call::{self, CurrentCall};
use crate::domain::console::{
    describe_command, describe_event, ConsoleEntry, Flow, Verdict, CONSOLE_LINES,
};
use crate::domain::outbound::RowNotice;
use crate::domain::protocol::{EmbedCommand, EmbedEvent, RejectCounts, RejectReason};
use crate::domain::session::{Applied, Sessions};

/// State of the Smart Embed bridge.
///
/// Events are applied synchronously; the busy parts (sessions, console, counter) are
/// kept outside the reactive graph and views learn of changes through [`version`],
/// bumped at most once per animation frame, so a burst of messages costs one render.
///
/// [`version`]: BridgeState::version
#[derive(Debug, Clone, Copy)]
pub struct BridgeState {
    /// The call shown in the banner (changes rarely; set only when it differs).
    pub current_call: RwSignal<Option<CurrentCall>>,
    sessions: StoredValue<Sessions>,
    accepted: StoredValue<u64>,
    console: StoredValue<VecDeque<ConsoleEntry>>,
    /// Bumped on the animation frame after the sessions, console or counter changed.
    pub version: RwSignal<u64>,
    frame_requested: StoredValue<bool>,
    /// Rejected messages by reason.
    pub rejects: RwSignal<RejectCounts>,
    /// The latest reject, for the status line.
    pub last_reject: RwSignal<Option<String>>,
    /// Whether the embed has loaded its real URL.
    pub ready: RwSignal<bool>,
    /// Commands waiting for the embed.
    pub waiting: RwSignal<usize>,
    /// Problems shown on the contact rows that asked for a command, by contact id.
    pub notices: RwSignal<Vec<(i64, RowNotice)>>,
    /// Whether the console shows numbers by their last four digits only.
    pub redact_numbers: bool,
    /// Calls placed from a contact (its row, its editor): number, contact, when.
    dials: StoredValue<Vec<(String, i64, f64)>>,
    /// The contact each call is tied to, by root call id: the one it was placed
    /// from, or the one the agent picked; calls of unknown origin are tied to none.
    pub bindings: RwSignal<Vec<(String, i64)>>,
}

/// How long a placed call may take to ring and still be tied to its contact.
const DIAL_TO_RING_MS: f64 = 120_000.0;

/// Calls remembered with their contact (older ones are forgotten).
const BINDINGS_KEPT: usize = 200;

impl BridgeState {
    /// Fresh state: no call, nothing rejected, embed not ready.
    pub fn new(redact_numbers: bool) -> Self {
        Self {
            current_call: RwSignal::new(None),
            sessions: StoredValue::new(Sessions::default()),
            accepted: StoredValue::new(0),
            console: StoredValue::new(VecDeque::new()),
            version: RwSignal::new(0),
            frame_requested: StoredValue::new(false),
            rejects: RwSignal::new(RejectCounts::default()),
            last_reject: RwSignal::new(None),
            ready: RwSignal::new(false),
            waiting: RwSignal::new(0),
            notices: RwSignal::new(Vec::new()),
            redact_numbers,
            dials: StoredValue::new(Vec::new()),
            bindings: RwSignal::new(Vec::new()),
        }
    }

    /// A call to `number` was placed from contact `id` at `now_ms`.
    pub fn dialled(&self, number: &str, id: i64, now_ms: f64) {
        self.dials.update_value(|dials| {
            dials.retain(|(_, _, at)| now_ms - at <= DIAL_TO_RING_MS);
            dials.push((number.to_owned(), id, now_ms));
        });
    }

    /// Ties the outbound call `root` with `number` to the contact it was placed
    /// from, when one was placed to that number lately; the latest wins.
    pub fn tie_dialled(&self, root: &str, number: &str, now_ms: f64) {
        let found = self
            .dials
            .try_update_value(|dials| {
                let at = dials
                    .iter()
                    .rposition(|(n, _, at)| n == number && now_ms - at <= DIAL_TO_RING_MS)?;
                Some(dials.remove(at).1)
            })
            .flatten();
        if let Some(id) = found {
            self.tie(root, id);
        }
    }

    /// Ties call `root` to contact `id` (placed from it, or picked by the agent).
    pub fn tie(&self, root: &str, id: i64) {
        if self.tied_to(root) == Some(id) {
            return;
        }
        self.bindings.update(|all| {
            all.retain(|(call, _)| call != root);
            all.push((root.to_owned(), id));
            if all.len() > BINDINGS_KEPT {
                all.remove(0);
            }
        });
    }

    /// The contact call `root` is tied to, if any (untracked).
    pub fn tied_to(&self, root: &str) -> Option<i64> {
        self.bindings
            .with_untracked(|all| all.iter().find(|(call, _)| call == root).map(|(_, id)| *id))
    }

    /// Applies an accepted event; for call events, says whether it was new.
    pub fn accept(
        &self,
        event: &EmbedEvent,
        data: &serde_json::Value,
        now_ms: f64,
    ) -> Option<(String, Applied)> {
        self.accepted.update_value(|n| *n += 1);
        let current = self.current_call.get_untracked();
        let next = call::apply(current.clone(), event, now_ms);
        if next != current {
            self.current_call.set(next);
        }
        let applied = self
            .sessions
            .try_update_value(|sessions| sessions.apply(event, data))
            .flatten();
        let verdict = match applied {
            Some((_, Applied::Repeat)) => Verdict::Repeat,
            _ => Verdict::Accepted,
        };
        self.log(
            Flow::In,
            event.kind().to_owned(),
            verdict,
            describe_event(event, self.redact_numbers),
        );
        applied
    }

    /// Counts a rejected message.
    pub fn reject(&self, reason: &RejectReason) {
        self.rejects.update(|r| r.record(reason));
        self.last_reject.set(Some(reason.to_string()));
        self.log(
            Flow::In,
            String::new(),
            Verdict::Rejected(reason.to_string()),
            String::new(),
        );
    }

    /// Notes a command posted to the embed, queued for it, or dropped.
    pub fn outbound(&self, command: &EmbedCommand, verdict: Verdict) {
        self.log(
            Flow::Out,
            command.kind().to_owned(),
            verdict,
            describe_command(command, self.redact_numbers),
        );
    }

    /// Shows a problem on the row of contact `id` (replacing an earlier one).
    pub fn notice(&self, id: i64, notice: RowNotice) {
        self.notices.update(|n| {
            n.retain(|(row, _)| *row != id);
            n.push((id, notice));
        });
    }

    /// The notice on the row of contact `id`, if any.
    pub fn notice_for(&self, id: i64) -> Option<RowNotice> {
        self.notices.with(|n| {
            n.iter()
                .find(|(row, _)| *row == id)
                .map(|(_, notice)| notice.clone())
        })
    }

    /// Removes the notice on the row of contact `id`.
    pub fn dismiss(&self, id: i64) {
        self.notices.update(|n| n.retain(|(row, _)| *row != id));
    }

    /// Clears row problems about `number` (a later success).
    pub fn clear_notices_for(&self, number: &str) {
        if self
            .notices
            .with_untracked(|n| n.iter().any(|(_, notice)| notice.number == number))
        {
            self.notices
                .update(|n| n.retain(|(_, notice)| notice.number != number));
        }
    }

    /// Notes a problem of the bridge's own.
    pub fn problem(&self, text: String) {
        self.log(
            Flow::Out,
            String::new(),
            Verdict::Problem(text),
            String::new(),
        );
    }

    /// Reads the sessions; re-runs the caller when they change.
    pub fn with_sessions<R>(&self, f: impl FnOnce(&Sessions) -> R) -> R {
        self.version.track();
        self.sessions.with_value(f)
    }

    /// Reads the console lines, oldest first; re-runs the caller when they change.
    pub fn with_console<R>(&self, f: impl FnOnce(&VecDeque<ConsoleEntry>) -> R) -> R {
        self.version.track();
        self.console.with_value(f)
    }

    /// Messages accepted so far; re-runs the caller when it changes.
    pub fn accepted(&self) -> u64 {
        self.version.track();
        self.accepted.get_value()
    }

    /// Asks for one render on the next animation frame, however many changes come first.
    fn changed(&self) {
        if self.frame_requested.get_value() {
            return;
        }
        self.frame_requested.set_value(true);
        let state = *self;
        request_animation_frame(move || {
            state.frame_requested.set_value(false);
            state.version.update(|v| *v += 1);
        });
    }

    fn log(&self, flow: Flow, kind: String, verdict: Verdict, summary: String) {
        self.console.update_value(|lines| {
            let seq = lines.back().map_or(0, |l| l.seq + 1);
            lines.push_back(ConsoleEntry {
                seq,
                flow,
                kind,
                verdict,
                summary,
            });
            while lines.len() > CONSOLE_LINES {
                lines.pop_front();
            }
        });
        self.changed();
    }
}
