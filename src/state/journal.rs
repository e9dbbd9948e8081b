//! Sends accepted call events to the proxy's journal, in order and in batches,
//! retrying transient failures with capped, jittered back-off so nothing is lost
//! while the proxy is away. While it is away, the queue is also kept in
//! `localStorage` (per person and tab, and once more when the page goes away), so a
//! reload or a closed tab loses nothing: the next page of the same person sends what
//! was left, and the proxy drops repeats by event key.

use std::collections::VecDeque;

use dialdesk_contract::JournalEvent;
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::BridgeState;
use crate::api::{journal_batch, ApiClient};
use crate::browser::storage;
use crate::domain::call_log::retry_delay;
use crate::domain::owner::owned_prefix;

/// First retry delay, doubled after each failure (with the outbox's policy).
const FIRST_RETRY_MS: u32 = 500;
/// Longest retry delay.
const MAX_RETRY_MS: u32 = 30_000;
/// Most events per request (the proxy takes up to 500).
const BATCH: usize = 200;
/// Prefix of the `localStorage` keys of waiting events (then the owner and the tab).
const STORAGE_PREFIX: &str = "dialdesk.journal.";

/// Handle to the journal queue; `Copy`, safe to put in context.
#[derive(Debug, Clone, Copy)]
pub struct Journal {
    pending: StoredValue<VecDeque<JournalEvent>>,
    flushing: StoredValue<bool>,
    /// Whether the last send failed for a reason that passes (the proxy is away):
    /// until one succeeds, every event is kept in storage as it arrives.
    away: StoredValue<bool>,
    /// Whether storage holds this tab's queue (to be cleared once sent).
    kept: StoredValue<bool>,
    /// This tab's storage key.
    key: StoredValue<String>,
    api: StoredValue<ApiClient>,
    /// Where failures that are not transient are shown (the bridge console).
    bridge: BridgeState,
}

impl Journal {
    /// A queue for `owner` sending through `api`, reporting refusals in `bridge`'s
    /// console. Events the owner's earlier pages left in storage are queued first.
    pub fn new(api: ApiClient, bridge: BridgeState, owner: &str) -> Self {
        let prefix = owned_prefix(STORAGE_PREFIX, owner);
        let tab = format!(
            "{:08x}",
            (js_sys::Math::random() * f64::from(u32::MAX)) as u32
        );
        let mut left = VecDeque::new();
        for (key, text) in storage::read_all(&prefix) {
            if let Ok(events) = serde_json::from_str::<Vec<JournalEvent>>(&text) {
                left.extend(events);
            }
            storage::remove(&key);
        }
        let journal = Self {
            pending: StoredValue::new(left),
            flushing: StoredValue::new(false),
            away: StoredValue::new(false),
            kept: StoredValue::new(false),
            key: StoredValue::new(format!("{prefix}{tab}")),
            api: StoredValue::new(api),
            bridge,
        };
        if journal.pending.with_value(|q| !q.is_empty()) {
            journal.keep();
            journal.flush();
        }
        // Leaving the page keeps what is still waiting, whatever the proxy's state.
        let leaving = window_event_listener(leptos::ev::pagehide, move |_| {
            if journal.pending.try_with_value(|q| !q.is_empty()) == Some(true) {
                journal.keep();
            }
        });
        on_cleanup(move || leaving.remove());
        journal
    }

    /// Queues one event and starts sending.
    pub fn record(self, event: JournalEvent) {
        self.pending.update_value(|q| q.push_back(event));
        if self.away.get_value() {
            self.keep();
        }
        self.flush();
    }

    /// Writes the queue to storage (or clears it there once empty); a refusal
    /// (storage full) shows in the console.
    fn keep(self) {
        let key = self.key.get_value();
        let text = self.pending.with_value(|q| {
            if q.is_empty() {
                None
            } else {
                serde_json::to_string(q).ok()
            }
        });
        match text {
            None => {
                storage::remove(&key);
                self.kept.set_value(false);
            }
            Some(text) => match storage::write(&key, &text) {
                Ok(()) => self.kept.set_value(true),
                Err(e) => self.bridge.problem(format!(
                    "call events waiting for the proxy were not stored: {e}"
                )),
            },
        }
    }

    fn flush(self) {
        if self.flushing.get_value() {
            return;
        }
        self.flushing.set_value(true);
        spawn_local(async move {
            let api = self.api.get_value();
            let mut failures = 0;
            // The proxy refuses a whole batch for one bad event: after a refusal, events
            // go one at a time until the refused one has been dropped alone.
            let mut batch_size = BATCH;
            loop {
                // Serialised straight from the queue: nothing is copied.
                let (count, body) = self.pending.with_value(|q| {
                    let batch: Vec<&JournalEvent> = q.iter().take(batch_size).collect();
                    (batch.len(), journal_batch(&batch))
                });
                if count == 0 {
                    break;
                }
                let sent = api.journal(body).await;
                match sent {
                    Ok(_) => {
                        failures = 0;
                        self.away.set_value(false);
                    }
                    Err(e) if e.is_transient() => {
                        if !self.away.get_value() {
                            self.away.set_value(true);
                            self.keep();
                        }
                        let random = js_sys::Math::random();
                        TimeoutFuture::new(retry_delay(
                            failures,
                            FIRST_RETRY_MS,
                            MAX_RETRY_MS,
                            random,
                        ))
                        .await;
                        failures = failures.saturating_add(1);
                        continue;
                    }
                    Err(_) if count > 1 => {
                        batch_size = 1;
                        continue;
                    }
                    Err(e) => {
                        self.bridge
                            .problem(format!("the journal refused an event: {e}"));
                        batch_size = BATCH;
                    }
                }
                self.pending.update_value(|q| {
                    q.drain(..count.min(q.len()));
                });
                if self.kept.get_value() {
                    self.keep();
                }
            }
            self.flushing.set_value(false);
        });
    }
}
