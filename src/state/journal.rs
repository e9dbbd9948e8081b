//! Sends accepted call events to the proxy's journal, in order and in batches,
//! retrying transient failures with capped, jittered back-off so nothing is lost
//! while the proxy is away.

use std::collections::VecDeque;

use dialdesk_contract::JournalEvent;
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::BridgeState;
use crate::api::{journal_batch, ApiClient};
use crate::domain::call_log::retry_delay;

/// First retry delay, doubled after each failure (with the outbox's policy).
const FIRST_RETRY_MS: u32 = 500;
/// Longest retry delay.
const MAX_RETRY_MS: u32 = 30_000;
/// Most events per request (the proxy takes up to 500).
const BATCH: usize = 200;

/// Handle to the journal queue; `Copy`, safe to put in context.
#[derive(Debug, Clone, Copy)]
pub struct Journal {
    pending: StoredValue<VecDeque<JournalEvent>>,
    flushing: StoredValue<bool>,
    api: StoredValue<ApiClient>,
    /// Where failures that are not transient are shown (the bridge console).
    bridge: BridgeState,
}

impl Journal {
    /// An empty queue sending through `api`, reporting refusals in `bridge`'s console.
    pub fn new(api: ApiClient, bridge: BridgeState) -> Self {
        Self {
            pending: StoredValue::new(VecDeque::new()),
            flushing: StoredValue::new(false),
            api: StoredValue::new(api),
            bridge,
        }
    }

    /// Queues one event and starts sending.
    pub fn record(self, event: JournalEvent) {
        self.pending.update_value(|q| q.push_back(event));
        self.flush();
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
                    Ok(_) => failures = 0,
                    Err(e) if e.is_transient() => {
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
            }
            self.flushing.set_value(false);
        });
    }
}
