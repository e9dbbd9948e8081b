//! What the Smart Embed bridge knows: the current call, readiness and rejects.

use leptos::prelude::*;

use crate::domain::call::{self, CurrentCall};
use crate::domain::protocol::{EmbedEvent, RejectCounts, RejectReason};

/// Reactive state of the Smart Embed bridge.
#[derive(Debug, Clone, Copy)]
pub struct BridgeState {
    /// The call shown in the banner.
    pub current_call: RwSignal<Option<CurrentCall>>,
    /// Rejected messages by reason.
    pub rejects: RwSignal<RejectCounts>,
    /// The latest reject, for the status line.
    pub last_reject: RwSignal<Option<String>>,
    /// Whether the embed has loaded its real URL.
    pub ready: RwSignal<bool>,
    /// Commands waiting for the embed.
    pub waiting: RwSignal<usize>,
}

impl BridgeState {
    /// Fresh state: no call, nothing rejected, embed not ready.
    pub fn new() -> Self {
        Self {
            current_call: RwSignal::new(None),
            rejects: RwSignal::new(RejectCounts::default()),
            last_reject: RwSignal::new(None),
            ready: RwSignal::new(false),
            waiting: RwSignal::new(0),
        }
    }

    /// Applies an accepted event.
    pub fn accept(&self, event: &EmbedEvent, now_ms: f64) {
        self.current_call
            .update(|current| *current = call::apply(current.take(), event, now_ms));
    }

    /// Counts a rejected message.
    pub fn reject(&self, reason: &RejectReason) {
        self.rejects.update(|r| r.record(reason));
        self.last_reject.set(Some(reason.to_string()));
    }
}

impl Default for BridgeState {
    fn default() -> Self {
        Self::new()
    }
}
