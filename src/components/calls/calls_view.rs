//! The calls this browser knows, newest first, each with where its log stands; the
//! outbox banner ("N logs waiting to be sent") that clears itself once the saves
//! land; and the CSV export of saved logs.

use leptos::prelude::*;

use super::CallRow;
use crate::domain::call_log::waiting;
use crate::state::{utc_day, CallLogs, TabRole};

/// "N logs waiting to be sent", while some are.
fn banner(waiting: usize) -> Option<String> {
    match waiting {
        0 => None,
        1 => Some("1 log waiting to be sent".to_owned()),
        n => Some(format!("{n} logs waiting to be sent")),
    }
}

/// The calls list, the outbox banner and the export form.
#[component]
pub fn CallsView() -> impl IntoView {
    let logs = expect_context::<CallLogs>();
    let pending = Memo::new(move |_| banner(logs.with_entries(waiting)));
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
            <p class="outbox-banner" role="status" hidden=move || pending.with(Option::is_none)>
                {move || pending.get()}
            </p>
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_banner_counts_the_saves_waiting() {
        assert_eq!(banner(0), None);
        assert_eq!(banner(1).as_deref(), Some("1 log waiting to be sent"));
        assert_eq!(banner(3).as_deref(), Some("3 logs waiting to be sent"));
    }
}
