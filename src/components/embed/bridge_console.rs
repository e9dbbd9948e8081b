//! The bridge console: every message that crossed the bridge, newest last, and the
//! rejects counted by reason. Its lines are rendered only while it is open, so a
//! burst of messages costs nothing here otherwise.

use leptos::prelude::*;

use super::ConsoleLine;
use crate::domain::console::rejects_by_reason;
use crate::state::BridgeState;

/// A drawer listing the console lines; **Close** or Escape closes it.
#[component]
pub fn BridgeConsole(open: RwSignal<bool>) -> impl IntoView {
    let state = expect_context::<BridgeState>();
    let lines = move || {
        if open.get() {
            state.with_console(|lines| lines.iter().cloned().collect::<Vec<_>>())
        } else {
            Vec::new()
        }
    };
    view! {
        <section
            id="bridge-console"
            class="bridge-console"
            aria-label="Bridge console"
            hidden=move || !open.get()
            on:keydown=move |ev| {
                if ev.key() == "Escape" {
                    open.set(false);
                }
            }
        >
            <header>
                <h2>"Bridge console"</h2>
                <span class="console-counts">
                    {move || state.rejects.with(rejects_by_reason)}
                </span>
                <button type="button" class="console-close" on:click=move |_| open.set(false)>
                    "Close"
                </button>
            </header>
            // The scrolling region takes the focus, so the keyboard can scroll it.
            <div class="console-lines" role="log" aria-live="off" aria-label="Messages" tabindex="0">
                <ol>
                    <For each=lines key=|line| line.seq let:line>
                        <ConsoleLine line />
                    </For>
                </ol>
            </div>
        </section>
    }
}
