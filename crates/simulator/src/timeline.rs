//! The timed scenarios: each is a story about one inbound call, told as a list of messages with a
//! pause before each. Building one is pure: the call, the time and fresh ids go in, steps come out.
//!
//! The story is dated so that its last moment is "now": a 95-second call that ended now rang
//! 101 seconds ago. Every event therefore carries the `dateTime` of its moment in the story, never a
//! time in the future, while the events themselves follow each other `gapMs` apart.

use std::collections::VecDeque;

use serde_json::Value;

use crate::call::{Call, Direction, EndResult, Party, Phase};
use crate::events;
use crate::ids::Ids;
use crate::message::Envelope;
use crate::scenario::Timed;

/// How long an answered call rings.
const RING_MS: u64 = 6_000;
/// How long an answered call lasts: its `duration` is 95 s.
const TALK_MS: u64 = 95_000;
/// How long a missed call rings.
const MISSED_RING_MS: u64 = 30_000;
/// How long a rejected call rings before the user declines it.
const REJECTED_RING_MS: u64 = 8_000;
/// From the end of a call to its first recording.
const RECORDING_MS: u64 = 30_000;
/// From the first recording to the second.
const SECOND_RECORDING_MS: u64 = 20_000;
/// From a missed call to its voicemail.
const VOICEMAIL_MS: u64 = 45_000;
/// From the connect of the root call to the connect of its transfer leg.
const TRANSFER_MS: u64 = 40_000;
/// The most that separates the two copies of a duplicated event (the real guard is 150 ms).
const DUPLICATE_GAP_MS: u64 = 40;

/// Who a call is transferred to.
fn transfer_target() -> Party {
    Party {
        number: "+14155550188".into(),
        name: "Sam Senior".into(),
    }
}

/// One message of a timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// The pause before it, after the previous step.
    pub delay_ms: u64,
    /// The message every page posts to its parent.
    pub post: Envelope,
    /// Where the scenario's call is once it is posted, when that changes.
    pub phase: Option<Phase>,
}

/// A timeline under way.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    /// Tells its timers apart from those of an earlier, cancelled timeline.
    pub id: u64,
    /// The scenario name.
    pub name: &'static str,
    steps: VecDeque<Step>,
}

impl Timeline {
    /// A timeline that has not started yet.
    pub fn new(id: u64, name: &'static str, steps: Vec<Step>) -> Self {
        Self {
            id,
            name,
            steps: steps.into(),
        }
    }

    /// Takes the next step (its pause is over) and every step after it without a pause; also
    /// returns the pause before the step after those, if any is left.
    pub fn take_due(&mut self) -> (Vec<Step>, Option<u64>) {
        let mut due: Vec<Step> = self.steps.pop_front().into_iter().collect();
        while self.steps.front().is_some_and(|step| step.delay_ms == 0) {
            due.extend(self.steps.pop_front());
        }
        (due, self.steps.front().map(|step| step.delay_ms))
    }
}

/// A timed scenario, ready to start.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The scenario's call, ringing.
    pub call: Call,
    /// Its messages; the first has no pause.
    pub steps: Vec<Step>,
}

/// What a story depends on besides the kind and the caller.
#[derive(Debug, Clone, Copy)]
pub struct Setting {
    /// Now (Unix ms): the story's last moment.
    pub now: u64,
    /// The pause between messages.
    pub gap_ms: u64,
    /// `enableAutoLog`: with it, stories that complete a call include its log.
    pub auto_log: bool,
}

/// Builds the story `kind` of a call from `remote`.
pub fn plan(kind: Timed, remote: Party, setting: Setting, ids: &mut impl Ids) -> Plan {
    let span = match kind {
        Timed::Missed => MISSED_RING_MS,
        Timed::Rejected => REJECTED_RING_MS,
        Timed::Voicemail => MISSED_RING_MS + VOICEMAIL_MS,
        Timed::LateRecording | Timed::OutOfOrder => RING_MS + TALK_MS + RECORDING_MS,
        Timed::TwoRecordings => RING_MS + TALK_MS + RECORDING_MS + SECOND_RECORDING_MS,
        Timed::Duplicate | Timed::Transfer | Timed::Spellings => RING_MS + TALK_MS,
    };
    let call = Call {
        id: ids.call_id(),
        direction: Direction::Inbound,
        remote,
        caller_id: None,
        started_at: setting.now.saturating_sub(span),
        phase: Phase::Ringing,
    };
    let auto_log = setting.auto_log;
    let ringing = events::ringing(&call, auto_log);
    let steps = Steps::new(setting.gap_ms);
    let steps = match kind {
        Timed::Missed | Timed::Rejected | Timed::Voicemail => {
            let (result, rings) = if kind == Timed::Rejected {
                (EndResult::Rejected, REJECTED_RING_MS)
            } else {
                (EndResult::Missed, MISSED_RING_MS)
            };
            let ended_at = call.started_at + rings;
            let ended = with_phase(
                &call,
                Phase::Ended {
                    connected_at: None,
                    at: ended_at,
                    result,
                    duration: 0,
                },
            );
            let steps = steps
                .then(ringing, Some(Phase::Ringing))
                .then(events::ended(&ended), Some(ended.phase.clone()))
                .maybe(log(&ended, auto_log, ids));
            if kind == Timed::Voicemail {
                let url = events::voicemail_url(&ids.uuid());
                let at = ended_at + VOICEMAIL_MS;
                steps.then(events::voicemail_received(&ended, at, &url), None)
            } else {
                steps
            }
        }
        Timed::LateRecording | Timed::TwoRecordings => {
            let (connected, ended) = answered(&call);
            let recorded_at = call.started_at + RING_MS + TALK_MS + RECORDING_MS;
            let first = events::recording_url(&ids.uuid());
            let steps = steps
                .then(ringing, Some(Phase::Ringing))
                .then(
                    events::connected(&connected, auto_log),
                    Some(connected.phase.clone()),
                )
                .then(events::ended(&ended), Some(ended.phase.clone()))
                .maybe(log(&ended, auto_log, ids))
                .then(
                    events::recording_completed(&ended, recorded_at, &first),
                    None,
                );
            if kind == Timed::TwoRecordings {
                let second = events::recording_url(&ids.uuid());
                let at = recorded_at + SECOND_RECORDING_MS;
                steps.then(events::recording_completed(&ended, at, &second), None)
            } else {
                steps
            }
        }
        Timed::Duplicate => {
            let (connected, ended) = answered(&call);
            let connected_event = events::connected(&connected, auto_log);
            steps
                .then(ringing.clone(), Some(Phase::Ringing))
                .again(ringing)
                .then(connected_event.clone(), Some(connected.phase.clone()))
                .again(connected_event)
                .then(events::ended(&ended), Some(ended.phase.clone()))
        }
        Timed::OutOfOrder => {
            let (connected, ended) = answered(&call);
            let recorded_at = call.started_at + RING_MS + TALK_MS + RECORDING_MS;
            let url = events::recording_url(&ids.uuid());
            let mut steps = steps
                .maybe(log(&ended, auto_log, ids))
                .then(events::recording_completed(&ended, recorded_at, &url), None)
                .then(events::ended(&ended), None)
                .then(events::connected(&connected, auto_log), None)
                .then(ringing, None);
            // The call is over as soon as its first (last) event is out.
            if let Some(first) = steps.list.first_mut() {
                first.phase = Some(ended.phase.clone());
            }
            steps
        }
        Timed::Transfer => {
            let (connected, ended) = answered(&call);
            let leg_at = call.started_at + RING_MS + TRANSFER_MS;
            steps
                .then(ringing, Some(Phase::Ringing))
                .then(
                    events::connected(&connected, auto_log),
                    Some(connected.phase.clone()),
                )
                .then(
                    events::transfer_leg(&call, leg_at, &transfer_target()),
                    None,
                )
                .then(events::ended(&ended), Some(ended.phase.clone()))
        }
        Timed::Spellings => {
            let (connected, ended) = answered(&call);
            steps
                .then(phone_number_spelling(ringing), Some(Phase::Ringing))
                .then(
                    events::connected(&connected, auto_log),
                    Some(connected.phase.clone()),
                )
                .then(events::ended(&ended), Some(ended.phase.clone()))
        }
    };
    Plan {
        call,
        steps: steps.list,
    }
}

/// The connected and ended snapshots of an answered call.
fn answered(call: &Call) -> (Call, Call) {
    let connected_at = call.started_at + RING_MS;
    let connected = with_phase(call, Phase::Connected { at: connected_at });
    let ended = with_phase(
        call,
        Phase::Ended {
            connected_at: Some(connected_at),
            at: connected_at + TALK_MS,
            result: EndResult::Ended,
            duration: TALK_MS / 1000,
        },
    );
    (connected, ended)
}

fn with_phase(call: &Call, phase: Phase) -> Call {
    Call {
        phase,
        ..call.clone()
    }
}

/// The call's log, when `enableAutoLog` asks for it.
fn log(ended: &Call, auto_log: bool, ids: &mut impl Ids) -> Option<Envelope> {
    auto_log.then(|| events::log_completed(ended, &ids.call_log_id(), auto_log))
}

/// Moves the external caller's `number` to `phoneNumber`, the other spelling seen in the wild.
fn phone_number_spelling(mut envelope: Envelope) -> Envelope {
    if let Some(Value::Object(caller)) = envelope.data.get_mut("caller") {
        if let Some(number) = caller.remove("number") {
            caller.insert("phoneNumber".into(), number);
        }
    }
    envelope
}

/// Collects steps `gap_ms` apart.
struct Steps {
    gap_ms: u64,
    list: Vec<Step>,
}

impl Steps {
    fn new(gap_ms: u64) -> Self {
        Self {
            gap_ms,
            list: Vec::new(),
        }
    }

    /// Adds a message one gap after the previous one (at once if it is the first).
    fn then(mut self, post: Envelope, phase: Option<Phase>) -> Self {
        let delay_ms = if self.list.is_empty() { 0 } else { self.gap_ms };
        self.list.push(Step {
            delay_ms,
            post,
            phase,
        });
        self
    }

    /// Adds a message, if there is one.
    fn maybe(self, post: Option<Envelope>) -> Self {
        match post {
            Some(post) => self.then(post, None),
            None => self,
        }
    }

    /// Adds a duplicate, well under 150 ms after the previous message.
    fn again(mut self, post: Envelope) -> Self {
        self.list.push(Step {
            delay_ms: self.gap_ms.min(DUPLICATE_GAP_MS),
            post,
            phase: None,
        });
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::SeqIds;
    use dialdesk_sim::clock::iso8601_utc;

    const NOW: u64 = 1_793_613_531_000;

    fn dana() -> Party {
        Party {
            number: "+14155550123".into(),
            name: "Dana Whitfield".into(),
        }
    }

    fn build(kind: Timed, auto_log: bool) -> Plan {
        let setting = Setting {
            now: NOW,
            gap_ms: 100,
            auto_log,
        };
        plan(kind, dana(), setting, &mut SeqIds(0))
    }

    fn types(plan: &Plan) -> Vec<&str> {
        plan.steps
            .iter()
            .map(|step| step.post.kind.as_str())
            .collect()
    }

    fn data<'a>(plan: &'a Plan, index: usize, key: &str) -> &'a Value {
        &plan.steps[index].post.data[key]
    }

    fn delays(plan: &Plan) -> Vec<u64> {
        plan.steps.iter().map(|step| step.delay_ms).collect()
    }

    #[test]
    fn missed_and_rejected_log_only_with_auto_log() {
        for (kind, result, logged) in [
            (Timed::Missed, "missed", "No Answer"),
            (Timed::Rejected, "rejected", "Rejected"),
        ] {
            let plan = build(kind, true);
            assert_eq!(
                types(&plan),
                [
                    "zp-call-ringing-event",
                    "zp-call-ended-event",
                    "zp-call-log-completed-event"
                ]
            );
            assert_eq!(delays(&plan), [0, 100, 100]);
            assert_eq!(data(&plan, 1, "result"), result);
            assert_eq!(data(&plan, 1, "duration"), 0);
            assert_eq!(data(&plan, 1, "dateTime"), iso8601_utc(NOW).as_str());
            assert_eq!(data(&plan, 2, "result"), logged);
            assert_eq!(plan.call.phase, Phase::Ringing);
            assert!(matches!(plan.steps[1].phase, Some(Phase::Ended { .. })));
            assert_eq!(build(kind, false).steps.len(), 2);
        }
    }

    #[test]
    fn voicemail_follows_a_missed_call() {
        let plan = build(Timed::Voicemail, false);
        assert_eq!(
            types(&plan),
            [
                "zp-call-ringing-event",
                "zp-call-ended-event",
                "zp-call-voicemail-received-event"
            ]
        );
        let url = data(&plan, 2, "voicemailUrl").as_str().expect("url");
        assert!(url.starts_with(
            "https://applications.zoom.us/integration/phone/embeddablephone/audio/play/1/"
        ));
        assert_eq!(data(&plan, 2, "dateTime"), iso8601_utc(NOW).as_str());
    }

    #[test]
    fn recordings_come_after_the_end_and_the_log_with_distinct_urls() {
        let plan = build(Timed::TwoRecordings, true);
        assert_eq!(
            types(&plan),
            [
                "zp-call-ringing-event",
                "zp-call-connected-event",
                "zp-call-ended-event",
                "zp-call-log-completed-event",
                "zp-call-recording-completed-event",
                "zp-call-recording-completed-event"
            ]
        );
        assert_eq!(data(&plan, 2, "result"), "ended");
        assert_eq!(data(&plan, 2, "duration"), 95);
        assert_ne!(
            data(&plan, 4, "recordingUrl"),
            data(&plan, 5, "recordingUrl")
        );
        assert_eq!(data(&plan, 4, "callId"), data(&plan, 5, "callId"));
        assert_eq!(build(Timed::LateRecording, true).steps.len(), 5);
    }

    #[test]
    fn duplicates_are_identical_and_close() {
        let plan = build(Timed::Duplicate, true);
        assert_eq!(plan.steps[0].post, plan.steps[1].post);
        assert_eq!(plan.steps[2].post, plan.steps[3].post);
        assert_eq!(delays(&plan), [0, 40, 100, 40, 100]);
        let quick = plan_with_gap(Timed::Duplicate, 10);
        assert_eq!(delays(&quick), [0, 10, 10, 10, 10]);
    }

    fn plan_with_gap(kind: Timed, gap_ms: u64) -> Plan {
        let setting = Setting {
            now: NOW,
            gap_ms,
            auto_log: true,
        };
        plan(kind, dana(), setting, &mut SeqIds(0))
    }

    #[test]
    fn out_of_order_runs_backwards_with_story_dates() {
        let plan = build(Timed::OutOfOrder, true);
        assert_eq!(
            types(&plan),
            [
                "zp-call-log-completed-event",
                "zp-call-recording-completed-event",
                "zp-call-ended-event",
                "zp-call-connected-event",
                "zp-call-ringing-event"
            ]
        );
        let start = NOW - 131_000;
        assert_eq!(data(&plan, 4, "dateTime"), iso8601_utc(start).as_str());
        assert_eq!(
            data(&plan, 3, "dateTime"),
            iso8601_utc(start + 6_000).as_str()
        );
        assert_eq!(
            data(&plan, 2, "dateTime"),
            iso8601_utc(start + 101_000).as_str()
        );
        assert_eq!(data(&plan, 1, "dateTime"), iso8601_utc(NOW).as_str());
        assert!(matches!(plan.steps[0].phase, Some(Phase::Ended { .. })));
        assert!(plan.steps[1..].iter().all(|step| step.phase.is_none()));
    }

    #[test]
    fn transfer_connects_a_leg_then_ends_the_root() {
        let plan = build(Timed::Transfer, true);
        let root = data(&plan, 0, "callId").as_str().expect("id").to_owned();
        assert_eq!(data(&plan, 2, "callId"), format!("{root}_1").as_str());
        assert_eq!(data(&plan, 2, "callee")["name"], "Sam Senior");
        assert_eq!(data(&plan, 2, "callee")["phoneNumber"], "+14155550188");
        assert_eq!(data(&plan, 3, "callId"), root.as_str());
        assert_eq!(plan.steps[3].post.kind, "zp-call-ended-event");
    }

    #[test]
    fn spellings_move_only_the_ringing_number() {
        let plan = build(Timed::Spellings, true);
        let caller = |index: usize| data(&plan, index, "caller");
        assert_eq!(caller(0)["phoneNumber"], "+14155550123");
        assert_eq!(caller(0)["number"], Value::Null);
        for index in [1, 2] {
            assert_eq!(caller(index)["number"], "+14155550123");
            assert_eq!(caller(index)["phoneNumber"], Value::Null);
        }
    }

    #[test]
    fn a_timeline_hands_out_its_steps_by_pause() {
        let mut timeline = Timeline::new(1, "duplicate", plan_with_gap(Timed::Duplicate, 0).steps);
        let (due, next) = timeline.take_due();
        assert_eq!((due.len(), next), (5, None));
        let mut timeline = Timeline::new(2, "missed", build(Timed::Missed, true).steps);
        for expected in [(1, Some(100)), (1, Some(100)), (1, None), (0, None)] {
            let (due, next) = timeline.take_due();
            assert_eq!((due.len(), next), expected);
        }
    }
}
