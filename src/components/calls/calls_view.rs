//! The calls this browser knows, newest first, each with where its log stands, and
//! the CSV export of saved logs.

use leptos::prelude::*;

use super::CallRow;
use crate::state::{utc_day, CallLogs, TabRole};

/// The calls list, the export form, and why this tab may not keep or share logs.
#[component]
pub fn CallsView() -> impl IntoView {
    let logs = expect_context::<CallLogs>();
    let alone = Memo::new(move |_| logs.role() == TabRole::Alone);
    let storage_error = Memo::new(move |_| logs.storage_error());
    // Newest first; each row follows its own entry.
    let calls = move || {
        logs.with_entries(|all| {
            all.iter()
                .rev()
                .map(|e| e.call_id.clone())
                .collect::<Vec<_>>()
        })
    };
    let today = utc_day(0);
    view! {
        <section class="calls-view" aria-labelledby="calls-title">
            <h2 id="calls-title">"Calls"</h2>
            <form class="export" method="get" action="/api/calls/logs.csv">
                <label>"From " <input type="date" name="from" required value=today.clone() /></label>
                <label>" to " <input type="date" name="to" required value=today /></label>
                <button type="submit">"Export CSV (UTC dates)"</button>
            </form>
            <p class="notice alone-notice" hidden=move || !alone.get()>
                "This browser offers no Web Locks here, so dialdesk works in this tab only: \
                 keep one tab open."
            </p>
            <p class="notice storage-notice" role="alert" hidden=move || storage_error.with(Option::is_none)>
                {move || storage_error.get()}
            </p>
            <Show
                when=move || logs.with_entries(|all| !all.is_empty())
                fallback=|| view! { <p class="hint">"No calls yet."</p> }
            >
                <ul class="calls-list">
                    <For each=calls key=|id| id.clone() let:call_id>
                        <CallRow call_id />
                    </For>
                </ul>
            </Show>
        </section>
    }
}
