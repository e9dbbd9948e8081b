//! One call of the calls list: what it was, its outcome, where its log stands, and
//! **Open** (or **Retry** when the save failed).

use leptos::prelude::*;

use crate::browser::local_when_ms;
use crate::domain::call_log::{code_label, LogStatus};
use crate::state::{CallLogs, ContactsCtx};

/// The row of call `call_id`, following its entry.
#[component]
pub fn CallRow(call_id: String) -> impl IntoView {
    let logs = expect_context::<CallLogs>();
    let book = expect_context::<ContactsCtx>();
    let id = StoredValue::new(call_id.clone());
    let entry = Memo::new(move |_| id.with_value(|id| logs.get(id)));
    let status = move || entry.with(|e| e.as_ref().map_or("draft", |e| e.status.name()));
    let line = move || {
        entry.with(|e| {
            e.as_ref().map(|e| {
                let codes = logs.codes();
                let who = e.draft.contact_id.and_then(|id| book.name_of(id));
                let summary = format!(
                    "{} · {}",
                    e.summary(who.as_deref(), |n| book.display_of(n)),
                    local_when_ms(e.opened_ms as f64)
                );
                match e.draft.disposition.as_str() {
                    "" => summary,
                    code => format!("{summary} — {}", code_label(&codes, code)),
                }
            })
        })
    };
    let saved_by = move || {
        entry.with(|e| {
            e.as_ref()
                .filter(|e| matches!(e.status, LogStatus::Logged { .. }))
                .and_then(|e| e.saved_by.clone())
        })
    };
    let failed = move || status() == "failed";
    view! {
        <li data-call-id=call_id data-status=status>
            <span class="call-line">{line}</span>
            " "
            <span class="log-state">{move || entry.with(|e| e.as_ref().map(|e| e.describe()))}</span>
            {move || {
                saved_by()
                    .map(|name| view! { " " <span class="log-saved-by">{format!("saved by {name}")}</span> })
            }}
            " "
            <Show
                when=failed
                fallback=move || {
                    view! {
                        <button
                            type="button"
                            class="log-open"
                            on:click=move |_| id.with_value(|id| logs.open_here(id))
                        >
                            "Open"
                        </button>
                    }
                }
            >
                <button
                    type="button"
                    class="log-retry"
                    on:click=move |_| id.with_value(|id| logs.retry(id))
                >
                    "Retry"
                </button>
            </Show>
        </li>
    }
}
