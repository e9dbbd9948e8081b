//! The disposition panel: opens when a call ends (or the embed asks to save its log),
//! on the call's own form. Every keystroke is kept in browser storage by the call
//! logs; the form saves through their outbox.

use leptos::prelude::*;

use super::LogForm;
use crate::browser::use_clock;
use crate::state::CallLogs;

/// The panel of the call being logged, hidden while no call is open.
#[component]
pub fn DispositionPanel() -> impl IntoView {
    let logs = expect_context::<CallLogs>();
    let clock = use_clock();
    // Wrap-up that runs out saves the log; only the leading tab acts on it.
    Effect::new(move || logs.wrap_up_tick(clock.get() as u64));
    view! {
        <section
            class="disposition-panel"
            aria-labelledby="disposition-title"
            hidden=move || logs.open.with(Option::is_none)
        >
            <h2 id="disposition-title">"Call disposition"</h2>
            {move || logs.open.get().map(|call_id| view! { <LogForm call_id /> })}
        </section>
    }
}
