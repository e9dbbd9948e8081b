//! The wrap-up countdown of a call's log, with its one **More time**.

use leptos::prelude::*;

use crate::browser::use_clock;
use crate::domain::call::format_duration;
use crate::domain::call_log::LogEntry;
use crate::state::CallLogs;

/// "Wrap-up: 0:25 left" while the timer of `entry` runs, and **More time** once.
#[component]
pub fn WrapUpLine(entry: Memo<Option<LogEntry>>) -> impl IntoView {
    let logs = expect_context::<CallLogs>();
    let clock = use_clock();
    let left = move || {
        let now = clock.get() as u64;
        entry.with(|e| e.as_ref().and_then(|e| e.wrap_up_left(now)))
    };
    let can_extend = move || {
        entry.with(|e| {
            e.as_ref()
                .is_some_and(|e| !e.extended && e.wrap_up_until_ms.is_some() && e.editable())
        })
    };
    let extend = move |_| {
        if let Some(id) = entry.with_untracked(|e| e.as_ref().map(|e| e.call_id.clone())) {
            logs.extend(&id);
        }
    };
    view! {
        <p class="wrap-up" hidden=move || left().is_none()>
            <span class="wrap-up-left">
                {move || left().map(|secs| format!("Wrap-up: {} left", format_duration(secs)))}
            </span>
            " "
            <button type="button" class="wrap-up-extend" hidden=move || !can_extend() on:click=extend>
                "More time"
            </button>
        </p>
    }
}
