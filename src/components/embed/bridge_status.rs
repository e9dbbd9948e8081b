//! The bridge's status line under the embed: connected or waiting, the rejects, and
//! the button that opens the console.

use leptos::prelude::*;

use crate::domain::console::{bridge_line, rejects_line};
use crate::state::BridgeState;

/// Whether the embed is connected, how many messages were rejected (the latest
/// reason as a tooltip), and **Console**.
#[component]
pub fn BridgeStatus(console_open: RwSignal<bool>) -> impl IntoView {
    let state = expect_context::<BridgeState>();
    let rejected = Memo::new(move |_| state.rejects.with(|r| r.total()));
    view! {
        <footer class="bridge-status">
            <span class="bridge-state" class:ready=move || state.ready.get() role="status">
                {move || bridge_line(state.ready.get(), state.waiting.get())}
            </span>
            <span
                class="bridge-rejects"
                hidden=move || rejected.get() == 0
                title=move || state.last_reject.get().unwrap_or_default()
            >
                {move || rejects_line(rejected.get())}
            </span>
            <button
                type="button"
                class="console-toggle"
                aria-controls="bridge-console"
                aria-expanded=move || console_open.get().to_string()
                on:click=move |_| console_open.update(|open| *open = !*open)
            >
                "Console"
            </button>
        </footer>
    }
}
