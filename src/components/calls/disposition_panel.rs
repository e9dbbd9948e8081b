//! The disposition panel: opens when a call ends (or the embed asks to save its log),
//! on the call's own form; a call that ends while the agent writes in another's waits
//! its turn. Every keystroke is kept in browser storage by the call logs; Save hands
//! the log to their outbox and closes the form (or brings up the next one).

use leptos::prelude::*;

use super::{LogForm, WaitingForms};
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
            <WaitingForms />
            {move || logs.open.get().map(|call_id| view! { <LogForm call_id /> })}
        </section>
    }
}
