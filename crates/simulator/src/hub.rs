//! The simulator process's shared state: the phone, the list of received messages, and the
//! broadcast that every open simulator page listens to (through SSE).
//!
//! Every change is broadcast while the state lock is held, so a subscriber sees the same order
//! of messages and states as the state itself went through.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use serde::Serialize;
use serde_json::{Map, Value};
use thiserror::Error;
use tokio::sync::broadcast;

use crate::call::Party;
use crate::clock::now_ms;
use crate::ids::RandomIds;
use crate::message::{Command, Envelope, MessageError};
use crate::phone::{Effect, Phone, PhoneError, PhoneView, Script};

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
}

/// What a broadcast item asks every page to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutgoingKind {
    /// Post `data` (a message) to the parent window.
    Post,
    /// Render `data` (the whole state).
    State,
}

impl OutgoingKind {
    /// The SSE event name.
    pub fn event_name(self) -> &'static str {
        match self {
            Self::Post => "post",
            Self::State => "state",
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

/// The JSON view of the whole simulator.
#[derive(Serialize)]
struct StateView<'a> {
    #[serde(flatten)]
    phone: PhoneView<'a>,
    received: &'a [Received],
}

struct Inner {
    phone: Phone,
    received: Vec<Received>,
}

impl Inner {
    fn state_json(&self) -> String {
        let view = StateView {
            phone: self.phone.view(),
            received: &self.received,
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

    /// Records a message a page received from its parent, then acts on it.
    pub fn command(self: &Arc<Self>, envelope: Envelope) -> Result<(), CommandError> {
        let now = now_ms();
        let mut inner = self.lock();
        tracing::info!(kind = %envelope.kind, "received from the host");
        let command = Command::from_envelope(&envelope);
        inner.received.push(Received {
            kind: envelope.kind,
            data: envelope.data,
            received_at: now,
        });
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

    /// Clears the received list, the call, the flags, the dial pad and the SMS composer.
    pub fn reset(&self) {
        let mut inner = self.lock();
        inner.phone.reset();
        inner.received.clear();
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
                    let hub = Arc::clone(self);
                    tokio::spawn(async move {
                        tokio::time::sleep(Duration::from_millis(delay_ms)).await;
                        hub.connect_due(&call_id);
                    });
                }
            }
        }
        self.broadcast_state(inner);
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
