//! "Sync Zoom contacts": starts the sync of Zoom's external contacts into the book,
//! shows its progress (polled every second while it runs), then the outcome, and
//! reloads the book when it is done.

use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::zoom_html::ZOOM_SYNC;
use crate::api::ApiClient;
use crate::browser::dom::{by_id, pressed, set_flag};
use crate::domain::zoom::sync_progress;
use crate::state::ContactsCtx;

/// How often the sync's status is read while it runs.
const POLL_MS: u32 = 1000;

/// Shows `words` in the progress line and whether the button can be pressed;
/// `false` once the view is gone.
fn show(words: &str, busy: bool) -> bool {
    let (Some(button), Some(line)) = (by_id("zoom-sync"), by_id("zoom-sync-status")) else {
        return false;
    };
    set_flag(&button, "disabled", busy);
    line.set_text_content(Some(words));
    true
}

/// Starts the sync (or follows one already running) and polls it until it ends.
async fn run(api: ApiClient, contacts: ContactsCtx) {
    show("Starting the Zoom contact sync…", true);
    // A sync already running (started elsewhere or on schedule) is followed.
    if let Err(e) = api.start_contact_sync().await {
        if e.status() != Some(409) {
            show(&format!("The Zoom contact sync did not start: {e}"), false);
            return;
        }
    }
    loop {
        match api.contact_sync().await {
            Ok(status) => {
                let (words, running) = sync_progress(&status);
                // Gone (another screen): the polling stops.
                if !show(&words, running) {
                    return;
                }
                if !running {
                    if status.state == "done" {
                        contacts.reload(api);
                    }
                    return;
                }
            }
            Err(e) if e.is_transient() => {}
            Err(e) => {
                show(&format!("Lost track of the Zoom contact sync: {e}"), false);
                return;
            }
        }
        TimeoutFuture::new(POLL_MS).await;
    }
}

/// The button and its progress line (markup, updated by id), in a
/// `display: contents` span whose click starts the sync.
#[component]
pub fn ZoomSyncButton() -> AnyView {
    let api = StoredValue::new(expect_context::<ApiClient>());
    let contacts = expect_context::<ContactsCtx>();
    let on_click = move |ev: leptos::ev::MouseEvent| {
        if pressed(&ev).is_some() {
            spawn_local(run(api.get_value(), contacts));
        }
    };
    view! { <span class="zoom-sync" inner_html=ZOOM_SYNC on:click=on_click></span> }.into_any()
}
