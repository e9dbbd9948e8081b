//! The simulator process's shared state: the phone, the list of received messages, and the
//! broadcast that every open simulator page listens to (through SSE).
//!
//! Every change is broadcast while the state lock is held, so a subscriber sees the same order
//! of messages and states as the state itself went through.
//!
//! Scenarios run here too: their timers are tokio tasks that come back through the hub.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use thiserror::Error;
use tokio::sync::broadcast;

use crate::call::{Call, Direction, Party, Phase};
use crate::events;
use crate::ids::{Ids, RandomIds};
use crate::message::{Command, Envelope, MessageError};
use crate::phone::{Effect, Phone, PhoneError, PhoneView, Script};
use crate::scenario::Timed;
use dialdesk_sim::clock::now_ms;

/// How many broadcast items a slow page may fall behind before it is resynchronised.
const BROADCAST_CAPACITY: usize = 4096;

/// One message a page received from its parent window.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Received {
    /// The message type.
    #[serde(rename = "type")]
    pub kind: String,
    /// The message payload (`null` when it had none).
    pub data: Value,
    /// When the simulator recorded it (Unix ms).
    pub received_at: u64,
    /// `true` when it arrived signed out and was not acted on; absent otherwise.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub dropped: bool,
}

/// What a broadcast item asks every page to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutgoingKind {
    /// Post `data` (a message) to the parent window.
    Post,
    /// Render `data` (the whole state).
    State,
    /// Post `data.burst.count` copies of `data.burst.template` to the parent, then report.
    Burst,
}

impl OutgoingKind {
    /// The SSE event name.
    pub fn event_name(self) -> &'static str {
        match self {
            Self::Post => "post",
            Self::State => "state",
            Self::Burst => "burst",
        }
    }
}

/// One broadcast item: an SSE event name and its JSON text.
#[derive(Debug, Clone)]
pub struct Outgoing {
    /// What the page should do with it.
    pub kind: OutgoingKind,
    /// The JSON text.
    pub data: Arc<str>,
}

/// Why a command from a page was not acted on (it is recorded either way).
#[derive(Debug, Error)]
pub enum CommandError {
    /// A known command with a malformed payload.
    #[error(transparent)]
    Message(#[from] MessageError),
    /// A command that does not apply now (e.g. dialling during a call).
    #[error(transparent)]
    Phone(#[from] PhoneError),
}

/// A page's report of a finished burst (`POST /__sim/burst-done`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BurstReport {
    /// The burst, as `POST /__sim/scenario/burst` numbered it; absent if the page did not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<u64>,
    /// How many messages the page posted.
    pub posted: u64,
    /// How long its posting loop took, in milliseconds.
    pub ms: f64,
}

/// A burst just broadcast.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BurstStarted {
    /// Its number, echoed in the pages' reports.
    pub id: u64,
    /// How many messages each page posts.
    pub count: u64,
    /// How many pages were listening.
    pub subscribers: usize,
}

/// The JSON view of the whole simulator.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct StateView<'a> {
    #[serde(flatten)]
    phone: PhoneView<'a>,
    received: &'a [Received],
    last_burst: Option<&'a BurstReport>,
}

struct Inner {
    phone: Phone,
    received: Vec<Received>,
    last_burst: Option<BurstReport>,
    bursts_started: u64,
}

impl Inner {
    fn state_json(&self) -> String {
        let view = StateView {
            phone: self.phone.view(),
            received: &self.received,
            last_burst: self.last_burst.as_ref(),
        };
        serde_json::to_string(&view).unwrap_or_else(|err| {
            tracing::error!(%err, "cannot serialise the state");
            "null".to_owned()
        })
    }
}

/// The simulator's state, shared by every request handler and timer.
pub struct Hub {
    inner: Mutex<Inner>,
    tx: broadcast::Sender<Outgoing>,
}

impl Hub {
    /// A fresh simulator following `script`.
    pub fn new(script: Script) -> Arc<Self> {
        let (tx, _) = broadcast::channel(BROADCAST_CAPACITY);
        Arc::new(Self {
            inner: Mutex::new(Inner {
                phone: Phone::new(script),
                received: Vec::new(),
                last_burst: None,
                bursts_started: 0,
            }),
            tx,
        })
    }

    /// Subscribes to the broadcast; returns the state as of the subscription, then every later item.
    pub fn subscribe(&self) -> (String, broadcast::Receiver<Outgoing>) {
        let inner = self.lock();
        (inner.state_json(), self.tx.subscribe())
    }

    /// The whole state as JSON text (see `GET /__sim/state`).
    pub fn state_json(&self) -> String {
        self.lock().state_json()
    }

    /// Every message received so far, oldest first.
    pub fn received(&self) -> Vec<Received> {
        self.lock().received.clone()
    }

    /// Records a message a page received from its parent, then acts on it; signed out, it is
    /// recorded as dropped and nothing else happens, as the real embed silently drops it.
    pub fn command(self: &Arc<Self>, envelope: Envelope) -> Result<(), CommandError> {
        let now = now_ms();
        let mut inner = self.lock();
        let dropped = !inner.phone.signed_in();
        tracing::info!(kind = %envelope.kind, dropped, "received from the host");
        let command = Command::from_envelope(&envelope);
        inner.received.push(Received {
            kind: envelope.kind,
            data: envelope.data,
            received_at: now,
            dropped,
        });
        if dropped {
            self.broadcast_state(&inner);
            return Ok(());
        }
        let outcome = match command {
            Ok(command) => inner
                .phone
                .command(command, now, &mut RandomIds)
                .map_err(CommandError::from),
            Err(err) => Err(err.into()),
        };
        let effects = match outcome {
            Ok(effects) => effects,
            Err(err) => {
                self.broadcast_state(&inner);
                return Err(err);
            }
        };
        self.run(&inner, effects);
        Ok(())
    }

    /// Broadcasts a message for every page to post to its parent; returns how many pages listen.
    pub fn emit(&self, message: Map<String, Value>) -> usize {
        let _order = self.lock();
        let text = Value::Object(message).to_string();
        self.send(OutgoingKind::Post, text)
    }

    /// Connects the ringing call now.
    pub fn answer(self: &Arc<Self>) -> Result<(), PhoneError> {
        let mut inner = self.lock();
        let effects = inner.phone.answer(now_ms())?;
        self.run(&inner, effects);
        Ok(())
    }

    /// Ends the ringing or connected call.
    pub fn hangup(self: &Arc<Self>) -> Result<(), PhoneError> {
        let mut inner = self.lock();
        let effects = inner.phone.hangup(now_ms(), &mut RandomIds)?;
        self.run(&inner, effects);
        Ok(())
    }

    /// An external party calls the simulated user.
    pub fn inbound(self: &Arc<Self>, caller: Party) -> Result<(), PhoneError> {
        let mut inner = self.lock();
        let effects = inner.phone.inbound(caller, now_ms(), &mut RandomIds)?;
        self.run(&inner, effects);
        Ok(())
    }

    /// Signs the simulated user in or out (out needs an idle phone).
    pub fn set_signed_in(&self, signed_in: bool) -> Result<(), PhoneError> {
        let mut inner = self.lock();
        inner.phone.set_signed_in(signed_in)?;
        tracing::info!(signed_in, "sign-in changed");
        self.broadcast_state(&inner);
        Ok(())
    }

    /// Starts the timed scenario `kind` about a call from `remote`.
    pub fn timeline(
        self: &Arc<Self>,
        kind: Timed,
        remote: Party,
        gap_ms: u64,
    ) -> Result<(), PhoneError> {
        let mut inner = self.lock();
        let effects = inner
            .phone
            .start_timeline(kind, remote, gap_ms, now_ms(), &mut RandomIds)?;
        self.run(&inner, effects);
        Ok(())
    }

    /// Asks the host to match `number`, then rings (see [`Phone::inbound_match`]).
    pub fn inbound_match(
        self: &Arc<Self>,
        number: String,
        timeout_ms: u64,
    ) -> Result<(), PhoneError> {
        let mut inner = self.lock();
        let effects = inner
            .phone
            .inbound_match(number, timeout_ms, &mut RandomIds)?;
        self.run(&inner, effects);
        Ok(())
    }

    /// Asks the host to search contacts for `search_string`.
    pub fn search(self: &Arc<Self>, search_string: String) -> Result<(), PhoneError> {
        let mut inner = self.lock();
        let effects = inner.phone.search(search_string, &mut RandomIds)?;
        self.run(&inner, effects);
        Ok(())
    }

    /// Posts one event of an unknown type, about a fresh call id.
    pub fn unknown(self: &Arc<Self>) {
        let inner = self.lock();
        let event = events::unknown(&RandomIds.call_id());
        self.run(&inner, vec![Effect::Post(event)]);
    }

    /// Broadcasts one burst message: every page posts `count` distinct connected events.
    pub fn burst(&self, count: u64) -> BurstStarted {
        let mut inner = self.lock();
        inner.bursts_started += 1;
        let id = inner.bursts_started;
        let template = serde_json::to_value(burst_template()).unwrap_or(Value::Null);
        let message = json!({ "burst": { "id": id, "count": count, "template": template } });
        tracing::info!(id, count, "burst");
        let subscribers = self.send(OutgoingKind::Burst, message.to_string());
        BurstStarted {
            id,
            count,
            subscribers,
        }
    }

    /// Keeps a page's burst report as `lastBurst`.
    pub fn burst_done(&self, report: BurstReport) {
        let mut inner = self.lock();
        tracing::info!(posted = report.posted, ms = report.ms, "burst done");
        inner.last_burst = Some(report);
        self.broadcast_state(&inner);
    }

    /// Clears the received list, the call, the flags, the dial pad, the SMS composer, the contact
    /// requests, the last burst and any running scenario, and signs in.
    pub fn reset(&self) {
        let mut inner = self.lock();
        inner.phone.reset();
        inner.received.clear();
        inner.last_burst = None;
        tracing::info!("reset");
        self.broadcast_state(&inner);
    }

    /// Changes the call script; `None` keeps a setting as it is.
    pub fn configure(&self, step: Option<bool>, connect_delay_ms: Option<u64>) {
        let mut inner = self.lock();
        let old = inner.phone.script();
        let script = Script {
            step: step.unwrap_or(old.step),
            connect_delay_ms: connect_delay_ms.unwrap_or(old.connect_delay_ms),
        };
        inner.phone.set_script(script);
        tracing::info!(
            step = script.step,
            connect_delay_ms = script.connect_delay_ms,
            "script changed"
        );
        self.broadcast_state(&inner);
    }

    fn connect_due(self: &Arc<Self>, call_id: &str) {
        let mut inner = self.lock();
        let effects = inner.phone.connect_due(call_id, now_ms());
        if !effects.is_empty() {
            self.run(&inner, effects);
        }
    }

    fn step_due(self: &Arc<Self>, timeline: u64) {
        let mut inner = self.lock();
        let effects = inner.phone.step_due(timeline);
        if !effects.is_empty() {
            self.run(&inner, effects);
        }
    }

    fn match_due(self: &Arc<Self>, request_id: &str) {
        let mut inner = self.lock();
        let effects = inner.phone.match_due(request_id, now_ms(), &mut RandomIds);
        if !effects.is_empty() {
            self.run(&inner, effects);
        }
    }

    /// Carries out effects, then broadcasts the new state. Called with the lock held.
    fn run(self: &Arc<Self>, inner: &MutexGuard<'_, Inner>, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::Post(envelope) => {
                    tracing::info!(kind = %envelope.kind, "posting to the host");
                    let text = serde_json::to_string(&envelope).unwrap_or_else(|err| {
                        tracing::error!(%err, "cannot serialise a message");
                        "null".to_owned()
                    });
                    self.send(OutgoingKind::Post, text);
                }
                Effect::ConnectAfter { call_id, delay_ms } => {
                    self.after(delay_ms, move |hub| hub.connect_due(&call_id));
                }
                Effect::StepAfter { timeline, delay_ms } => {
                    self.after(delay_ms, move |hub| hub.step_due(timeline));
                }
                Effect::MatchTimeout {
                    request_id,
                    delay_ms,
                } => {
                    self.after(delay_ms, move |hub| hub.match_due(&request_id));
                }
            }
        }
        self.broadcast_state(inner);
    }

    /// Calls `due` with the hub after `delay_ms`, on a task of its own.
    fn after(self: &Arc<Self>, delay_ms: u64, due: impl FnOnce(&Arc<Self>) + Send + 'static) {
        let hub = Arc::clone(self);
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(delay_ms)).await;
            due(&hub);
        });
    }

    fn broadcast_state(&self, inner: &Inner) {
        self.send(OutgoingKind::State, inner.state_json());
    }

    /// Sends one item; having no subscriber is not an error. Returns the number of subscribers.
    fn send(&self, kind: OutgoingKind, text: String) -> usize {
        self.tx
            .send(Outgoing {
                kind,
                data: text.into(),
            })
            .unwrap_or(0)
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// What a burst posts: a connected event of call `burst`; each page makes the call ids distinct
/// by appending `-<index>` (`burst-0`, `burst-1`, …).
fn burst_template() -> Envelope {
    let at = now_ms();
    let call = Call {
        id: "burst".into(),
        direction: Direction::Inbound,
        remote: Party {
            number: crate::scenario::DEFAULT_NUMBER.into(),
            name: crate::scenario::DEFAULT_NAME.into(),
        },
        caller_id: None,
        started_at: at,
        phase: Phase::Connected { at },
    };
    events::connected(&call, true)
}
