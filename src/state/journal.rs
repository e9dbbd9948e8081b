//! Sends accepted call events to the proxy's journal, in order, retrying transient
//! failures with capped back-off so nothing is lost while the proxy is away.

use std::collections::VecDeque;

use dialdesk_contract::JournalEvent;
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::ApiClient;

/// First retry delay, doubled after each failure.
const FIRST_RETRY_MS: u32 = 500;
/// Longest retry delay.
const MAX_RETRY_MS: u32 = 30_000;

/// Handle to the journal queue; `Copy`, safe to put in context.
#[derive(Debug, Clone, Copy)]
pub struct Journal {
    pending: StoredValue<VecDeque<(String, JournalEvent)>, LocalStorage>,
    flushing: StoredValue<bool>,
    api: StoredValue<ApiClient>,
    /// Entries not yet confirmed by the proxy.
    pub waiting: RwSignal<usize>,
    /// The last failure that was not transient, for the bridge console.
    pub last_error: RwSignal<Option<String>>,
}

impl Journal {
    /// An empty queue sending through `api`.
    pub fn new(api: ApiClient) -> Self {
        Self {
            pending: StoredValue::new_local(VecDeque::new()),
            flushing: StoredValue::new(false),
            api: StoredValue::new(api),
            waiting: RwSignal::new(0),
            last_error: RwSignal::new(None),
        }
    }

    /// Queues one event of the call `root` and starts sending.
    pub fn record(self, root: String, event: JournalEvent) {
        self.pending.update_value(|q| q.push_back((root, event)));
        self.sync();
        self.flush();
    }

    fn sync(self) {
        self.waiting.set(self.pending.with_value(VecDeque::len));
    }

    fn flush(self) {
        if self.flushing.get_value() {
            return;
        }
        self.flushing.set_value(true);
        spawn_local(async move {
            let api = self.api.get_value();
            let mut delay = FIRST_RETRY_MS;
            while let Some((root, event)) = self.pending.with_value(|q| q.front().cloned()) {
                match api.journal(&root, &event).await {
                    Ok(_) => delay = FIRST_RETRY_MS,
                    Err(e) if e.is_transient() => {
                        TimeoutFuture::new(jitter(delay)).await;
                        delay = (delay * 2).min(MAX_RETRY_MS);
                        continue;
                    }
                    Err(e) => self
                        .last_error
                        .set(Some(format!("journal refused an event: {e}"))),
                }
                self.pending.update_value(|q| {
                    q.pop_front();
                });
                self.sync();
            }
            self.flushing.set_value(false);
        });
    }
}

/// `delay` plus up to a quarter more, so many tabs do not retry in step.
fn jitter(delay: u32) -> u32 {
    delay + (js_sys::Math::random() * f64::from(delay / 4)) as u32
}
