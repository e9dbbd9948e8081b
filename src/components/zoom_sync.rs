//! "Sync Zoom contacts": starts the sync of Zoom's external contacts into the book,
//! shows its progress (polled every second while it runs), then the outcome, and
//! reloads the book when it is done.

use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::ApiClient;
use crate::domain::zoom::sync_progress;
use crate::state::ContactsCtx;

/// How often the sync's status is read while it runs.
const POLL_MS: u32 = 1000;

/// The button and its progress line.
#[component]
pub fn ZoomSyncButton() -> AnyView {
    let api = StoredValue::new(expect_context::<ApiClient>());
    let contacts = expect_context::<ContactsCtx>();
    let text = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let start = move |_| {
        busy.set(true);
        text.set("Starting the Zoom contact sync…".to_owned());
        let api = api.get_value();
        spawn_local(async move {
            // A sync already running (started elsewhere or on schedule) is followed.
            let started = api.start_contact_sync().await;
            let mut outcome = match started {
                Err(e) if e.status() != Some(409) => {
                    Some(format!("The Zoom contact sync did not start: {e}"))
                }
                _ => None,
            };
            // Each turn stops once the view is gone (`try_set` hands the value back).
            while outcome.is_none() {
                match api.contact_sync().await {
                    Ok(status) => {
                        let (words, running) = sync_progress(&status);
                        if text.try_set(words).is_some() {
                            return;
                        }
                        if !running {
                            if status.state == "done" {
                                contacts.reload(api.clone());
                            }
                            break;
                        }
                    }
                    Err(e) if e.is_transient() => {}
                    Err(e) => outcome = Some(format!("Lost track of the Zoom contact sync: {e}")),
                }
                if outcome.is_none() {
                    TimeoutFuture::new(POLL_MS).await;
                }
            }
            if let Some(words) = outcome {
                text.try_set(words);
            }
            busy.try_set(false);
        });
    };
    view! {
        <button id="zoom-sync" type="button" disabled=move || busy.get() on:click=start>
            "Sync Zoom contacts"
        </button>
        <span id="zoom-sync-status" class="zoom-sync-status" role="status">{move || text.get()}</span>
    }
    .into_any()
}
