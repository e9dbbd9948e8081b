//! A row's buttons: **Edit**, **Text** and **Call**, each named for the contact.

use leptos::prelude::*;

use crate::domain::rows::RowView;
use crate::state::{Action, ContactActions, TableState};

/// The actions of the row `row`.
#[component]
pub fn RowActions(row: Memo<RowView>) -> impl IntoView {
    let table = expect_context::<TableState>();
    let actions = expect_context::<ContactActions>();
    let act = move |action: Action| {
        if let Some(contact) = table.contact(row.with_untracked(|r| r.id)) {
            actions.act(&contact, action);
        }
    };
    let callable = move || row.with(|r| r.number.is_some());
    let why_not = move || row.with(|r| (!r.why_not.is_empty()).then(|| r.why_not.clone()));
    let name = move || row.with(|r| r.name.clone());
    view! {
        <span class="row-buttons">
            <button
                type="button"
                class="edit-button"
                aria-label=move || format!("Edit {}", name())
                on:click=move |_| act(Action::Edit)
            >
                "Edit"
            </button>
            <button
                type="button"
                class="text-button"
                aria-label=move || format!("Text {}", name())
                disabled=move || !callable()
                title=why_not
                on:click=move |_| act(Action::Text)
            >
                "Text"
            </button>
            <button
                type="button"
                class="call-button"
                aria-label=move || format!("Call {}", name())
                disabled=move || !callable()
                title=why_not
                on:click=move |_| act(Action::Call)
            >
                "Call"
            </button>
        </span>
    }
}
