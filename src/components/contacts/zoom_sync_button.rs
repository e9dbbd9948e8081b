//! **Sync Zoom contacts**: starts the sync of Zoom's external contacts into the book
//! (or follows one already running), shows its progress, polled every second, then
//! its outcome, and reloads the book when it is done.

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
pub fn ZoomSyncButton() -> impl IntoView {
    let api = expect_context::<ApiClient>();
    let contacts = expect_context::<ContactsCtx>();
    let line = RwSignal::new(String::new());
    let kept = RwSignal::new(Vec::<String>::new());
    let busy = RwSignal::new(false);
    // Says `words`; false once the button is gone (the polling stops then).
    let say = move |words: String, running: bool| {
        busy.try_set(running).is_none() && line.try_set(words).is_none()
    };
    let run = move |_| {
        let api = api.clone();
        kept.set(Vec::new());
        say("Starting the Zoom contact sync…".to_owned(), true);
        spawn_local(async move {
            // A sync already running (started elsewhere or on schedule) is followed.
            if let Err(e) = api.start_contact_sync().await {
                if e.status() != Some(409) {
                    say(format!("The Zoom contact sync did not start: {e}"), false);
                    return;
                }
            }
            loop {
                match api.contact_sync().await {
                    Ok(status) => {
                        let (words, running) = sync_progress(&status);
                        if !say(words, running) {
                            return;
                        }
                        if !running {
                            if status.state == "done" {
                                kept.try_set(status.kept);
                                contacts.reload(api);
                            }
                            return;
                        }
                    }
                    Err(e) if e.is_transient() => {}
                    Err(e) => {
                        say(format!("Lost track of the Zoom contact sync: {e}"), false);
                        return;
                    }
                }
                TimeoutFuture::new(POLL_MS).await;
            }
        });
    };
    view! {
        <button id="zoom-sync" type="button" disabled=move || busy.get() on:click=run>
            "Sync Zoom contacts"
        </button>
        <span id="zoom-sync-status" class="zoom-sync-status" role="status">
            {move || line.get()}
        </span>
        <ul
            id="zoom-sync-kept"
            class="import-issues"
            aria-label="Edits made in dialdesk that the sync kept"
            hidden=move || kept.with(Vec::is_empty)
        >
            <For
                each=move || kept.get().into_iter().enumerate()
                key=|(at, _)| *at
                children=|(_, text)| view! { <li class="kept">{text}</li> }
            />
        </ul>
    }
}
