//! The calls whose forms wait their turn while the agent writes another's: each keeps
//! its own form, one click away.

use leptos::prelude::*;

use crate::browser::local_when_ms;
use crate::state::{CallLogs, ContactsCtx};

/// "Also to log:" and a button per waiting call, naming whose call it was and when.
#[component]
pub fn WaitingForms() -> impl IntoView {
    let logs = expect_context::<CallLogs>();
    let book = expect_context::<ContactsCtx>();
    let waiting = move || {
        logs.waiting_forms()
            .into_iter()
            .filter_map(|id| {
                let entry = logs.get(&id)?;
                let who = entry
                    .draft
                    .contact_id
                    .and_then(|contact| book.name_of(contact))
                    .or(entry.party.clone())
                    .or(entry.draft.number.as_deref().map(|n| book.display_of(n)))
                    .unwrap_or_else(|| "Unknown caller".to_owned());
                Some((
                    id,
                    format!("{who} · {}", local_when_ms(entry.opened_ms as f64)),
                ))
            })
            .collect::<Vec<_>>()
    };
    view! {
        <Show when=move || !waiting().is_empty()>
            <nav class="waiting-forms" aria-label="Calls waiting for a log">
                <span>"Also to log:"</span>
                <For
                    each=waiting
                    key=|(id, _)| id.clone()
                    children=move |(id, label)| {
                        view! {
                            <button type="button" class="waiting-form" on:click=move |_| logs.open_here(&id)>
                                {label}
                            </button>
                        }
                    }
                />
            </nav>
        </Show>
    }
}
