//! The simulated phone: a pure state machine (no I/O, no clock, no randomness of its own).
//!
//! Inputs are host commands, scenario steps and due timers; each returns the [`Effect`]s the
//! runtime must carry out: messages to post to every page's parent, and timers to start.
//!
//! Signed out, the phone starts no call or search (the host's commands are dropped before they
//! get here). A timed scenario or a pending contact match holds the phone like a call does.

use serde::Serialize;
use thiserror::Error;

use crate::call::{Call, Direction, EndResult, Party, Phase};
use crate::contacts::ContactResponse;
use crate::events;
use crate::ids::Ids;
use crate::lookup::{ContactMatch, MatchOutcome, MatchView, Search};
use crate::message::{Command, Envelope, InitFlags, MakeCall};
use crate::scenario::{Scenario, Timed};
use crate::timeline::{self, Setting, Step, Timeline};

/// How outbound calls proceed after ringing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Script {
    /// Step mode: a ringing call waits for the `answer` scenario instead of a timer.
    pub step: bool,
    /// Outside step mode, how long an outbound call rings before it connects.
    pub connect_delay_ms: u64,
}

/// Something the runtime must do after an input.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Post this message from every page to its parent window.
    Post(Envelope),
    /// Call [`Phone::connect_due`] for this call after the delay.
    ConnectAfter {
        /// The call to connect.
        call_id: String,
        /// How long to wait, in milliseconds.
        delay_ms: u64,
    },
    /// Call [`Phone::step_due`] for this timeline after the delay.
    StepAfter {
        /// The timeline.
        timeline: u64,
        /// How long to wait, in milliseconds.
        delay_ms: u64,
    },
    /// Call [`Phone::match_due`] for this request after the delay.
    MatchTimeout {
        /// The contact match request.
        request_id: String,
        /// How long to wait, in milliseconds.
        delay_ms: u64,
    },
}

/// A scenario step that does not apply to the current state.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum PhoneError {
    /// `answer` without a ringing call.
    #[error("no call is ringing, so there is nothing to answer")]
    NotRinging,
    /// `hangup` without a ringing or connected call.
    #[error("no call is ringing or connected, so there is nothing to hang up")]
    NoActiveCall,
    /// A new call while another is still ringing or connected.
    #[error("call {0} is still ringing or connected; hang it up first")]
    Busy(String),
    /// A call, a search or an inbound call while signed out.
    #[error("the phone is signed out; run the signed-in scenario first")]
    SignedOut,
    /// A call or a call step while a scenario holds the phone.
    #[error("scenario {0} is still running; wait for it to finish or reset")]
    ScenarioRunning(&'static str),
}

/// The phone's whole state.
#[derive(Debug, Clone)]
pub struct Phone {
    flags: Option<InitFlags>,
    call: Option<Call>,
    dialpad: Option<String>,
    sms: Option<String>,
    script: Script,
    signed_in: bool,
    timeline: Option<Timeline>,
    timelines_started: u64,
    contact_match: Option<ContactMatch>,
    search: Option<Search>,
}

/// The JSON view of the phone for pages and tests.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PhoneView<'a> {
    /// The flags of the last `zp-init-config`, or `null` before one arrived.
    pub flags: Option<&'a InitFlags>,
    /// The current or last call.
    pub call: Option<crate::call::CallView<'a>>,
    /// A number pre-filled by `zp-make-call` without `autoDial`.
    pub dialpad: Option<&'a str>,
    /// The number the SMS composer was opened to.
    pub sms: Option<&'a str>,
    /// Whether ringing outbound calls wait for `answer`.
    pub step_mode: bool,
    /// How long outbound calls ring outside step mode.
    pub connect_delay_ms: u64,
    /// `false` between the `signed-out` and `signed-in` scenarios: host commands are dropped.
    pub signed_in: bool,
    /// The scenario holding the phone (a timeline, or `inbound-match` while it waits).
    pub scenario: Option<&'static str>,
    /// The last contact match request and how it stands.
    pub contact_match: Option<MatchView<'a>>,
    /// The last contact search request and its results.
    pub search: Option<&'a Search>,
}

impl Phone {
    /// An idle phone with no config received.
    pub fn new(script: Script) -> Self {
        Self {
            flags: None,
            call: None,
            dialpad: None,
            sms: None,
            script,
            signed_in: true,
            timeline: None,
            timelines_started: 0,
            contact_match: None,
            search: None,
        }
    }

    /// The current call script.
    pub fn script(&self) -> Script {
        self.script
    }

    /// Changes the call script; it applies to calls that start ringing from now on.
    pub fn set_script(&mut self, script: Script) {
        self.script = script;
    }

    /// Forgets the config, the call, the dial pad, the SMS composer, the contact requests and any
    /// running scenario, and signs in; keeps the script. Timers of the old state find nothing.
    pub fn reset(&mut self) {
        let timelines_started = self.timelines_started;
        *self = Self::new(self.script);
        self.timelines_started = timelines_started;
    }

    /// `false` while signed out: the runtime then drops host commands instead of passing them on.
    pub fn signed_in(&self) -> bool {
        self.signed_in
    }

    /// Signs in or out. Signing out needs an idle phone.
    pub fn set_signed_in(&mut self, signed_in: bool) -> Result<(), PhoneError> {
        if !signed_in {
            self.ensure_idle()?;
        }
        self.signed_in = signed_in;
        Ok(())
    }

    /// The JSON view of the phone.
    pub fn view(&self) -> PhoneView<'_> {
        PhoneView {
            flags: self.flags.as_ref(),
            call: self.call.as_ref().map(Call::view),
            dialpad: self.dialpad.as_deref(),
            sms: self.sms.as_deref(),
            step_mode: self.script.step,
            connect_delay_ms: self.script.connect_delay_ms,
            signed_in: self.signed_in,
            scenario: self.holder(),
            contact_match: self.contact_match.as_ref().map(ContactMatch::view),
            search: self.search.as_ref(),
        }
    }

    /// Acts on a host command received at `now` (Unix ms).
    pub fn command(
        &mut self,
        command: Command,
        now: u64,
        ids: &mut impl Ids,
    ) -> Result<Vec<Effect>, PhoneError> {
        match command {
            Command::InitConfig(flags) => {
                self.flags = Some(flags);
                Ok(Vec::new())
            }
            Command::MakeCall(call) => self.make_call(call, now, ids),
            Command::InputSms(sms) => {
                self.sms = Some(sms.number);
                Ok(Vec::new())
            }
            Command::ContactMatchResponse(response) => Ok(self.match_response(&response, now, ids)),
            Command::ContactSearchResponse(response) => {
                if let Some(search) = &mut self.search {
                    search.answer(&response);
                }
                Ok(Vec::new())
            }
            Command::Other => Ok(Vec::new()),
        }
    }

    /// An external party calls the simulated user; the call rings until answered or hung up.
    pub fn inbound(
        &mut self,
        caller: Party,
        now: u64,
        ids: &mut impl Ids,
    ) -> Result<Vec<Effect>, PhoneError> {
        self.ensure_ready()?;
        let call = Call {
            id: ids.call_id(),
            direction: Direction::Inbound,
            remote: caller,
            caller_id: None,
            started_at: now,
            phase: Phase::Ringing,
        };
        let ringing = events::ringing(&call, self.auto_log());
        self.call = Some(call);
        Ok(vec![Effect::Post(ringing)])
    }

    /// Asks the host for the contact behind `number` (`zp-contact-match-event`); the call rings
    /// once the host answers ([`Command::ContactMatchResponse`]) or `timeout_ms` passes.
    pub fn inbound_match(
        &mut self,
        number: String,
        timeout_ms: u64,
        ids: &mut impl Ids,
    ) -> Result<Vec<Effect>, PhoneError> {
        self.ensure_ready()?;
        let request_id = ids.uuid();
        let event = events::contact_match(&request_id, &number);
        self.contact_match = Some(ContactMatch::waiting(request_id.clone(), number));
        Ok(vec![
            Effect::Post(event),
            Effect::MatchTimeout {
                request_id,
                delay_ms: timeout_ms,
            },
        ])
    }

    /// A match timer fired: if the request still waits, it has timed out (`timed-out`, which
    /// tells it apart from a host answer without a named contact) and the call rings with the
    /// number only; otherwise nothing happens.
    pub fn match_due(&mut self, request_id: &str, now: u64, ids: &mut impl Ids) -> Vec<Effect> {
        let timed_out = self
            .contact_match
            .as_mut()
            .is_some_and(|request| request.time_out(request_id));
        if timed_out {
            self.ring_matched(now, ids)
        } else {
            Vec::new()
        }
    }

    fn match_response(
        &mut self,
        response: &ContactResponse,
        now: u64,
        ids: &mut impl Ids,
    ) -> Vec<Effect> {
        let settled = self
            .contact_match
            .as_mut()
            .is_some_and(|request| request.answer(response));
        if settled {
            self.ring_matched(now, ids)
        } else {
            Vec::new()
        }
    }

    /// Rings the call of a settled contact match, named as matched.
    fn ring_matched(&mut self, now: u64, ids: &mut impl Ids) -> Vec<Effect> {
        let Some(request) = &self.contact_match else {
            return Vec::new();
        };
        let caller = Party {
            number: request.number.clone(),
            name: request.name().to_owned(),
        };
        self.inbound(caller, now, ids).unwrap_or_default()
    }

    /// Asks the host for contacts matching `search_string` (`zp-contact-search-event`).
    pub fn search(
        &mut self,
        search_string: String,
        ids: &mut impl Ids,
    ) -> Result<Vec<Effect>, PhoneError> {
        if !self.signed_in {
            return Err(PhoneError::SignedOut);
        }
        let request_id = ids.uuid();
        let event = events::contact_search(&request_id, &search_string);
        self.search = Some(Search::waiting(request_id, search_string));
        Ok(vec![Effect::Post(event)])
    }

    /// Starts the timed scenario `kind` about a call from `remote`, its events `gap_ms` apart.
    pub fn start_timeline(
        &mut self,
        kind: Timed,
        remote: Party,
        gap_ms: u64,
        now: u64,
        ids: &mut impl Ids,
    ) -> Result<Vec<Effect>, PhoneError> {
        self.ensure_ready()?;
        let setting = Setting {
            now,
            gap_ms,
            auto_log: self.auto_log(),
        };
        let plan = timeline::plan(kind, remote, setting, ids);
        self.timelines_started += 1;
        let name = Scenario::Timed(kind).name();
        self.timeline = Some(Timeline::new(self.timelines_started, name, plan.steps));
        self.call = Some(plan.call);
        Ok(self.advance())
    }

    /// A step timer fired: posts the steps now due if the timeline still runs.
    pub fn step_due(&mut self, timeline: u64) -> Vec<Effect> {
        match &self.timeline {
            Some(running) if running.id == timeline => self.advance(),
            _ => Vec::new(),
        }
    }

    /// Posts the timeline's due steps and starts the timer of the next one, or ends it.
    fn advance(&mut self) -> Vec<Effect> {
        let Some(running) = &mut self.timeline else {
            return Vec::new();
        };
        let id = running.id;
        let (due, next) = running.take_due();
        let mut effects = Vec::with_capacity(due.len() + 1);
        for Step { post, phase, .. } in due {
            if let (Some(phase), Some(call)) = (phase, &mut self.call) {
                call.phase = phase;
            }
            effects.push(Effect::Post(post));
        }
        match next {
            Some(delay_ms) => effects.push(Effect::StepAfter {
                timeline: id,
                delay_ms,
            }),
            None => self.timeline = None,
        }
        effects
    }

    /// Connects the ringing call now.
    pub fn answer(&mut self, now: u64) -> Result<Vec<Effect>, PhoneError> {
        self.ensure_no_timeline()?;
        let auto_log = self.auto_log();
        match &mut self.call {
            Some(call) if call.phase == Phase::Ringing => {
                call.phase = Phase::Connected { at: now };
                Ok(vec![Effect::Post(events::connected(call, auto_log))])
            }
            _ => Err(PhoneError::NotRinging),
        }
    }

    /// A connect timer fired: connects the call if it is still the same ringing call and the
    /// phone is not in step mode; otherwise nothing happens.
    pub fn connect_due(&mut self, call_id: &str, now: u64) -> Vec<Effect> {
        let still_ringing = self
            .call
            .as_ref()
            .is_some_and(|call| call.id == call_id && call.phase == Phase::Ringing);
        if !still_ringing || self.script.step {
            return Vec::new();
        }
        self.answer(now).unwrap_or_default()
    }

    /// Ends the ringing or connected call: `zp-call-ended-event`, then the call log
    /// (with `enableAutoLog`) and the save-log event (with `enableSavingLog`).
    pub fn hangup(&mut self, now: u64, ids: &mut impl Ids) -> Result<Vec<Effect>, PhoneError> {
        self.ensure_no_timeline()?;
        let auto_log = self.auto_log();
        let saving_log = self.saving_log();
        let call = match &mut self.call {
            Some(call) if call.is_active() => call,
            _ => return Err(PhoneError::NoActiveCall),
        };
        let connected_at = match call.phase {
            Phase::Connected { at } => Some(at),
            _ => None,
        };
        call.phase = Phase::Ended {
            connected_at,
            at: now,
            result: if connected_at.is_some() {
                EndResult::Ended
            } else {
                EndResult::Missed
            },
            duration: connected_at.map_or(0, |at| now.saturating_sub(at) / 1000),
        };
        let mut effects = vec![Effect::Post(events::ended(call))];
        if auto_log || saving_log {
            let call_log_id = ids.call_log_id();
            if auto_log {
                effects.push(Effect::Post(events::log_completed(
                    call,
                    &call_log_id,
                    auto_log,
                )));
            }
            if saving_log {
                effects.push(Effect::Post(events::save_log(call, &call_log_id)));
            }
        }
        Ok(effects)
    }

    fn make_call(
        &mut self,
        request: MakeCall,
        now: u64,
        ids: &mut impl Ids,
    ) -> Result<Vec<Effect>, PhoneError> {
        if request.auto_dial != Some(true) {
            self.dialpad = Some(request.number);
            return Ok(Vec::new());
        }
        self.ensure_idle()?;
        let call = Call {
            id: ids.call_id(),
            direction: Direction::Outbound,
            remote: Party {
                number: request.number,
                name: String::new(),
            },
            caller_id: request.caller_id,
            started_at: now,
            phase: Phase::Ringing,
        };
        let mut effects = vec![Effect::Post(events::ringing(&call, self.auto_log()))];
        if !self.script.step {
            effects.push(Effect::ConnectAfter {
                call_id: call.id.clone(),
                delay_ms: self.script.connect_delay_ms,
            });
        }
        self.dialpad = None;
        self.call = Some(call);
        Ok(effects)
    }

    /// The scenario holding the phone, if any.
    fn holder(&self) -> Option<&'static str> {
        match (&self.timeline, &self.contact_match) {
            (Some(running), _) => Some(running.name),
            (None, Some(request)) if request.outcome == MatchOutcome::Waiting => {
                Some(Scenario::InboundMatch.name())
            }
            _ => None,
        }
    }

    fn ensure_no_timeline(&self) -> Result<(), PhoneError> {
        match &self.timeline {
            Some(running) => Err(PhoneError::ScenarioRunning(running.name)),
            None => Ok(()),
        }
    }

    /// No call, timeline or contact match holds the phone.
    fn ensure_idle(&self) -> Result<(), PhoneError> {
        if let Some(name) = self.holder() {
            return Err(PhoneError::ScenarioRunning(name));
        }
        match &self.call {
            Some(call) if call.is_active() => Err(PhoneError::Busy(call.id.clone())),
            _ => Ok(()),
        }
    }

    /// Signed in and idle.
    fn ensure_ready(&self) -> Result<(), PhoneError> {
        if !self.signed_in {
            return Err(PhoneError::SignedOut);
        }
        self.ensure_idle()
    }

    /// `enableAutoLog`, true until a config says otherwise.
    fn auto_log(&self) -> bool {
        self.flags
            .as_ref()
            .and_then(|flags| flags.enable_auto_log)
            .unwrap_or(true)
    }

    /// `enableSavingLog`, true until a config says otherwise.
    fn saving_log(&self) -> bool {
        self.flags
            .as_ref()
            .and_then(|flags| flags.enable_saving_log)
            .unwrap_or(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::SeqIds;
    use serde_json::{json, Value};

    const T0: u64 = 1_793_613_531_000;

    fn phone(step: bool) -> Phone {
        Phone::new(Script {
            step,
            connect_delay_ms: 1500,
        })
    }

    fn dial(number: &str, auto_dial: Option<bool>) -> Command {
        Command::MakeCall(MakeCall {
            number: number.into(),
            caller_id: Some("+14155550100".into()),
            auto_dial,
        })
    }

    fn flags(auto_log: bool, saving_log: bool) -> Command {
        Command::InitConfig(InitFlags {
            enable_auto_log: Some(auto_log),
            enable_saving_log: Some(saving_log),
            ..InitFlags::default()
        })
    }

    fn posts(effects: &[Effect]) -> Vec<Value> {
        effects
            .iter()
            .filter_map(|effect| match effect {
                Effect::Post(envelope) => Some(serde_json::to_value(envelope).expect("json")),
                _ => None,
            })
            .collect()
    }

    fn types(effects: &[Effect]) -> Vec<String> {
        posts(effects)
            .iter()
            .map(|message| message["type"].as_str().unwrap_or_default().to_owned())
            .collect()
    }

    fn phase(phone: &Phone) -> Value {
        serde_json::to_value(phone.view()).expect("json")["call"]["phase"].clone()
    }

    #[test]
    fn make_call_rings_and_schedules_the_connect() {
        let mut phone = phone(false);
        let mut ids = SeqIds(0);
        let effects = phone
            .command(dial("+14155550123", Some(true)), T0, &mut ids)
            .expect("dials");
        assert_eq!(types(&effects), ["zp-call-ringing-event"]);
        let ringing = &posts(&effects)[0]["data"];
        assert_eq!(ringing["direction"], "outbound");
        assert_eq!(ringing["callId"], "0600000000000000001");
        assert_eq!(
            ringing["callee"],
            json!({"name": "", "phoneNumber": "+14155550123"})
        );
        assert_eq!(ringing["caller"]["name"], "Riley Agent");
        assert_eq!(ringing["caller"]["didNumber"], "+14155550100");
        assert_eq!(
            effects[1],
            Effect::ConnectAfter {
                call_id: "0600000000000000001".into(),
                delay_ms: 1500
            }
        );
        assert_eq!(phase(&phone), "ringing");
    }

    #[test]
    fn the_connect_timer_connects_only_the_same_ringing_call() {
        let mut phone = phone(false);
        let mut ids = SeqIds(0);
        phone
            .command(dial("+14155550123", Some(true)), T0, &mut ids)
            .expect("dials");
        assert!(phone.connect_due("someone-else", T0 + 1500).is_empty());
        let effects = phone.connect_due("0600000000000000001", T0 + 1500);
        assert_eq!(types(&effects), ["zp-call-connected-event"]);
        assert_eq!(
            posts(&effects)[0]["data"]["dateTime"],
            "2026-11-02T09:58:52Z"
        );
        assert_eq!(phase(&phone), "connected");
        assert!(phone
            .connect_due("0600000000000000001", T0 + 3000)
            .is_empty());
    }

    #[test]
    fn step_mode_waits_for_answer() {
        let mut phone = phone(true);
        let mut ids = SeqIds(0);
        let effects = phone
            .command(dial("+14155550123", Some(true)), T0, &mut ids)
            .expect("dials");
        assert_eq!(effects.len(), 1, "no timer in step mode");
        assert!(phone.connect_due("0600000000000000001", T0).is_empty());
        let effects = phone.answer(T0 + 4000).expect("answers");
        assert_eq!(types(&effects), ["zp-call-connected-event"]);
        assert_eq!(phase(&phone), "connected");
    }

    #[test]
    fn hangup_after_connect_ends_and_logs_by_default() {
        let mut phone = phone(true);
        let mut ids = SeqIds(0);
        phone
            .command(dial("+14155550123", Some(true)), T0, &mut ids)
            .expect("dials");
        phone.answer(T0 + 2000).expect("answers");
        let effects = phone
            .hangup(T0 + 2000 + 65_900, &mut ids)
            .expect("hangs up");
        assert_eq!(
            types(&effects),
            [
                "zp-call-ended-event",
                "zp-call-log-completed-event",
                "zp-save-log-event"
            ]
        );
        let posted = posts(&effects);
        assert_eq!(posted[0]["data"]["result"], "ended");
        assert_eq!(posted[0]["data"]["duration"], 65);
        assert_eq!(posted[1]["data"]["result"], "Call Connected");
        assert_eq!(posted[1]["data"]["duration"], 65);
        assert_eq!(posted[1]["data"]["enableAutoLog"], true);
        assert_eq!(
            posted[1]["data"]["callLogId"],
            posted[2]["data"]["callLogId"]
        );
        assert_eq!(posted[1]["data"]["caller"]["didNumber"], "+14155550100");
        let view = serde_json::to_value(phone.view()).expect("json");
        assert_eq!(view["call"]["phase"], "ended");
        assert_eq!(view["call"]["result"], "ended");
        assert_eq!(view["call"]["duration"], 65);
    }

    #[test]
    fn completion_events_follow_the_flags() {
        for (auto_log, saving_log, expected) in [
            (false, false, vec!["zp-call-ended-event"]),
            (
                true,
                false,
                vec!["zp-call-ended-event", "zp-call-log-completed-event"],
            ),
            (
                false,
                true,
                vec!["zp-call-ended-event", "zp-save-log-event"],
            ),
        ] {
            let mut phone = phone(true);
            let mut ids = SeqIds(0);
            phone
                .command(flags(auto_log, saving_log), T0, &mut ids)
                .expect("config");
            phone
                .command(dial("+14155550123", Some(true)), T0, &mut ids)
                .expect("dials");
            phone.answer(T0).expect("answers");
            let effects = phone.hangup(T0 + 1000, &mut ids).expect("hangs up");
            assert_eq!(types(&effects), expected, "{auto_log} {saving_log}");
        }
    }

    #[test]
    fn hangup_while_ringing_is_missed() {
        let mut phone = phone(false);
        let mut ids = SeqIds(0);
        phone
            .command(dial("+14155550123", Some(true)), T0, &mut ids)
            .expect("dials");
        let effects = phone.hangup(T0 + 9000, &mut ids).expect("hangs up");
        let posted = posts(&effects);
        assert_eq!(posted[0]["data"]["result"], "missed");
        assert_eq!(posted[0]["data"]["duration"], 0);
        assert_eq!(posted[1]["data"]["result"], "No Answer");
        assert!(
            phone
                .connect_due("0600000000000000001", T0 + 10_000)
                .is_empty(),
            "a late timer must not revive an ended call"
        );
    }

    #[test]
    fn make_call_without_auto_dial_only_prefills() {
        for auto_dial in [None, Some(false)] {
            let mut phone = phone(false);
            let effects = phone
                .command(dial("+14155550123", auto_dial), T0, &mut SeqIds(0))
                .expect("prefills");
            assert!(effects.is_empty());
            let view = serde_json::to_value(phone.view()).expect("json");
            assert_eq!(view["dialpad"], "+14155550123");
            assert_eq!(view["call"], Value::Null);
        }
    }

    #[test]
    fn other_commands_only_change_what_the_page_shows() {
        let mut phone = phone(false);
        let mut ids = SeqIds(0);
        let sms = Command::InputSms(crate::message::InputSms {
            number: "+14155550123".into(),
        });
        assert!(phone.command(sms, T0, &mut ids).expect("sms").is_empty());
        assert!(phone
            .command(Command::Other, T0, &mut ids)
            .expect("other")
            .is_empty());
        assert!(phone
            .command(flags(false, true), T0, &mut ids)
            .expect("flags")
            .is_empty());
        let view = serde_json::to_value(phone.view()).expect("json");
        assert_eq!(view["sms"], "+14155550123");
        assert_eq!(view["flags"]["enableAutoLog"], false);
        assert_eq!(view["flags"]["enableContactMatching"], Value::Null);
    }

    #[test]
    fn inbound_rings_until_answered() {
        let mut phone = phone(false);
        let mut ids = SeqIds(0);
        let caller = Party {
            number: "+14155550123".into(),
            name: "Dana Whitfield".into(),
        };
        let effects = phone.inbound(caller, T0, &mut ids).expect("rings");
        assert_eq!(effects.len(), 1, "inbound calls never connect by timer");
        let ringing = &posts(&effects)[0]["data"];
        assert_eq!(ringing["direction"], "inbound");
        assert_eq!(ringing["caller"]["number"], "+14155550123");
        assert_eq!(ringing["callee"]["phoneNumber"], "+14155550199");
        phone.answer(T0 + 1000).expect("answers");
        assert_eq!(phase(&phone), "connected");
    }

    #[test]
    fn steps_that_do_not_apply_are_errors() {
        let mut phone = phone(true);
        let mut ids = SeqIds(0);
        assert_eq!(phone.answer(T0), Err(PhoneError::NotRinging));
        assert_eq!(phone.hangup(T0, &mut ids), Err(PhoneError::NoActiveCall));
        phone
            .command(dial("+14155550123", Some(true)), T0, &mut ids)
            .expect("dials");
        assert_eq!(
            phone.command(dial("+14155550124", Some(true)), T0, &mut ids),
            Err(PhoneError::Busy("0600000000000000001".into()))
        );
        let caller = Party {
            number: "+1".into(),
            name: String::new(),
        };
        assert!(matches!(
            phone.inbound(caller, T0, &mut ids),
            Err(PhoneError::Busy(_))
        ));
        phone.answer(T0).expect("answers");
        assert_eq!(phone.answer(T0), Err(PhoneError::NotRinging));
        phone.hangup(T0, &mut ids).expect("hangs up");
        assert_eq!(phone.hangup(T0, &mut ids), Err(PhoneError::NoActiveCall));
        assert!(phone
            .command(dial("+14155550124", Some(true)), T0, &mut ids)
            .is_ok());
    }

    #[test]
    fn reset_keeps_only_the_script() {
        let mut phone = phone(true);
        let mut ids = SeqIds(0);
        phone
            .command(flags(true, true), T0, &mut ids)
            .expect("flags");
        phone
            .command(dial("+14155550123", Some(true)), T0, &mut ids)
            .expect("dials");
        phone.reset();
        let view = serde_json::to_value(phone.view()).expect("json");
        assert_eq!(view["flags"], Value::Null);
        assert_eq!(view["call"], Value::Null);
        assert_eq!(view["stepMode"], true);
    }

    fn dana() -> Party {
        Party {
            number: "+14155550123".into(),
            name: "Dana Whitfield".into(),
        }
    }

    fn view(phone: &Phone) -> Value {
        serde_json::to_value(phone.view()).expect("json")
    }

    fn match_response(id_key: &str, id: &str, contacts: Value) -> Command {
        let data = json!({ id_key: id, "contacts": contacts });
        Command::ContactMatchResponse(ContactResponse::from_data(&data))
    }

    #[test]
    fn signed_out_the_phone_starts_nothing() {
        let mut phone = phone(true);
        let mut ids = SeqIds(0);
        phone.set_signed_in(false).expect("signs out");
        assert!(!phone.signed_in());
        assert_eq!(view(&phone)["signedIn"], false);
        assert_eq!(
            phone.inbound(dana(), T0, &mut ids),
            Err(PhoneError::SignedOut)
        );
        assert_eq!(
            phone.search("whit".into(), &mut ids),
            Err(PhoneError::SignedOut)
        );
        assert_eq!(
            phone.start_timeline(Timed::Missed, dana(), 0, T0, &mut ids),
            Err(PhoneError::SignedOut)
        );
        phone.set_signed_in(true).expect("signs in");
        phone.inbound(dana(), T0, &mut ids).expect("rings");
        assert!(matches!(
            phone.set_signed_in(false),
            Err(PhoneError::Busy(_))
        ));
        phone.reset();
        assert!(phone.signed_in());
    }

    #[test]
    fn a_timeline_holds_the_phone_until_its_last_step() {
        let mut phone = phone(true);
        let mut ids = SeqIds(0);
        let effects = phone
            .start_timeline(Timed::Missed, dana(), 100, T0, &mut ids)
            .expect("starts");
        assert_eq!(types(&effects), ["zp-call-ringing-event"]);
        assert_eq!(
            effects[1],
            Effect::StepAfter {
                timeline: 1,
                delay_ms: 100
            }
        );
        assert_eq!(phase(&phone), "ringing");
        assert_eq!(view(&phone)["scenario"], "missed");
        assert_eq!(phone.answer(T0), Err(PhoneError::ScenarioRunning("missed")));
        assert_eq!(
            phone.hangup(T0, &mut ids),
            Err(PhoneError::ScenarioRunning("missed"))
        );
        assert_eq!(
            phone.command(dial("+1", Some(true)), T0, &mut ids),
            Err(PhoneError::ScenarioRunning("missed"))
        );
        assert!(phone.step_due(7).is_empty(), "another timeline's timer");
        let effects = phone.step_due(1);
        assert_eq!(types(&effects), ["zp-call-ended-event"]);
        assert_eq!(phase(&phone), "ended");
        assert_eq!(view(&phone)["call"]["result"], "missed");
        let effects = phone.step_due(1);
        assert_eq!(types(&effects), ["zp-call-log-completed-event"]);
        assert_eq!(effects.len(), 1, "no timer after the last step");
        assert_eq!(view(&phone)["scenario"], Value::Null);
        assert!(phone.step_due(1).is_empty());
        phone.inbound(dana(), T0, &mut ids).expect("idle again");
    }

    #[test]
    fn reset_cancels_a_timeline() {
        let mut phone = phone(true);
        let mut ids = SeqIds(0);
        phone
            .start_timeline(Timed::LateRecording, dana(), 100, T0, &mut ids)
            .expect("starts");
        phone.reset();
        assert!(phone.step_due(1).is_empty());
        let effects = phone
            .start_timeline(Timed::Rejected, dana(), 0, T0, &mut ids)
            .expect("starts");
        assert_eq!(effects.len(), 3, "no gap: every step at once, no timer");
        assert_eq!(view(&phone)["call"]["result"], "rejected");
        assert_eq!(view(&phone)["scenario"], Value::Null);
    }

    #[test]
    fn a_timeline_follows_the_auto_log_flag() {
        let mut phone = phone(true);
        let mut ids = SeqIds(0);
        phone
            .command(flags(false, true), T0, &mut ids)
            .expect("flags");
        let effects = phone
            .start_timeline(Timed::Missed, dana(), 0, T0, &mut ids)
            .expect("starts");
        assert_eq!(
            types(&effects),
            ["zp-call-ringing-event", "zp-call-ended-event"]
        );
        assert_eq!(posts(&effects)[0]["data"]["enableAutoLog"], false);
    }

    #[test]
    fn inbound_match_rings_with_the_matched_name() {
        for id_key in ["requestId", "responseId"] {
            let mut phone = phone(true);
            let mut ids = SeqIds(0);
            let effects = phone
                .inbound_match("+14155550123".into(), 3000, &mut ids)
                .expect("asks");
            let posted = posts(&effects);
            assert_eq!(posted[0]["type"], "zp-contact-match-event");
            let request_id = posted[0]["data"]["requestId"]
                .as_str()
                .expect("id")
                .to_owned();
            assert_eq!(
                effects[1],
                Effect::MatchTimeout {
                    request_id: request_id.clone(),
                    delay_ms: 3000
                }
            );
            assert_eq!(view(&phone)["scenario"], "inbound-match");
            assert_eq!(view(&phone)["contactMatch"]["status"], "waiting");
            assert!(matches!(
                phone.inbound(dana(), T0, &mut ids),
                Err(PhoneError::ScenarioRunning("inbound-match"))
            ));
            let wrong = match_response(id_key, "nope", json!([{"name": "X"}]));
            assert!(phone.command(wrong, T0, &mut ids).expect("ok").is_empty());
            let contacts =
                json!([{"displayName": "Dana Whitfield (Acme)", "number": "+14155550123"}]);
            let right = match_response(id_key, &request_id, contacts);
            let effects = phone.command(right, T0, &mut ids).expect("rings");
            let ringing = &posts(&effects)[0];
            assert_eq!(ringing["type"], "zp-call-ringing-event");
            assert_eq!(ringing["data"]["caller"]["name"], "Dana Whitfield (Acme)");
            assert_eq!(
                view(&phone)["contactMatch"]["name"],
                "Dana Whitfield (Acme)"
            );
            assert_eq!(view(&phone)["scenario"], Value::Null);
            assert!(phone.match_due(&request_id, T0, &mut ids).is_empty());
        }
    }

    #[test]
    fn inbound_match_times_out_to_the_number_only() {
        let mut phone = phone(true);
        let mut ids = SeqIds(0);
        let effects = phone
            .inbound_match("+12125550147".into(), 50, &mut ids)
            .expect("asks");
        let request_id = posts(&effects)[0]["data"]["requestId"]
            .as_str()
            .expect("id")
            .to_owned();
        assert!(phone.match_due("other", T0, &mut ids).is_empty());
        let effects = phone.match_due(&request_id, T0, &mut ids);
        let ringing = &posts(&effects)[0];
        assert_eq!(ringing["data"]["caller"]["name"], "");
        assert_eq!(ringing["data"]["caller"]["number"], "+12125550147");
        assert_eq!(view(&phone)["contactMatch"]["status"], "timed-out");
        assert_eq!(view(&phone)["scenario"], Value::Null);
        let late = match_response("requestId", &request_id, json!([{"name": "Late"}]));
        assert!(phone.command(late, T0, &mut ids).expect("ok").is_empty());
        assert_eq!(view(&phone)["contactMatch"]["status"], "timed-out");
        assert!(phone.match_due(&request_id, T0, &mut ids).is_empty());
    }

    #[test]
    fn inbound_match_with_an_empty_answer_is_no_match_not_a_timeout() {
        let mut phone = phone(true);
        let mut ids = SeqIds(0);
        let effects = phone
            .inbound_match("+12125550147".into(), 50, &mut ids)
            .expect("asks");
        let request_id = posts(&effects)[0]["data"]["requestId"]
            .as_str()
            .expect("id")
            .to_owned();
        let empty = match_response("requestId", &request_id, json!([]));
        let effects = phone.command(empty, T0, &mut ids).expect("rings");
        let ringing = &posts(&effects)[0];
        assert_eq!(ringing["type"], "zp-call-ringing-event");
        assert_eq!(ringing["data"]["caller"]["name"], "");
        assert_eq!(ringing["data"]["caller"]["number"], "+12125550147");
        assert_eq!(view(&phone)["contactMatch"]["status"], "no-match");
        assert!(phone.match_due(&request_id, T0, &mut ids).is_empty());
        assert_eq!(view(&phone)["contactMatch"]["status"], "no-match");
    }

    #[test]
    fn a_search_shows_the_answer_to_its_own_id() {
        let mut phone = phone(true);
        let mut ids = SeqIds(0);
        let effects = phone.search("whit".into(), &mut ids).expect("searches");
        let event = &posts(&effects)[0];
        assert_eq!(event["type"], "zp-contact-search-event");
        assert_eq!(event["data"]["searchString"], "whit");
        let id = event["data"]["requestId"].as_str().expect("id").to_owned();
        let data =
            json!({"responseId": id, "contacts": [{"name": "Dana"}, {"displayName": "Walt"}]});
        let answer = Command::ContactSearchResponse(ContactResponse::from_data(&data));
        phone.command(answer, T0, &mut ids).expect("ok");
        assert_eq!(view(&phone)["search"]["results"], json!(["Dana", "Walt"]));
    }
}
