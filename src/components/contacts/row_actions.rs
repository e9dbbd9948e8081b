//! A row's buttons: **Edit**, **Text** and **Call**; or, while its notice asks
//! something, the question ("Call anyway" / "Cancel") or the fallback links with a
//! dismiss button.

use leptos::html::Button;
use leptos::prelude::*;

use crate::domain::outbound::RowNotice;
use crate::domain::protocol::EmbedCommand;
use crate::domain::rows::RowView;
use crate::state::{Action, ContactActions, TableState};

/// The actions of the row `row`, given its `notice`.
#[component]
pub fn RowActions(row: Memo<RowView>, notice: Memo<Option<RowNotice>>) -> impl IntoView {
    let table = expect_context::<TableState>();
    let actions = expect_context::<ContactActions>();
    let id = move || row.with_untracked(|r| r.id);
    let act = move |action: Action| {
        if let Some(contact) = table.contact(id()) {
            actions.act(&contact, action);
        }
    };
    let asks = move || {
        notice.with(|n| {
            n.as_ref()
                .is_some_and(|n| n.confirm.is_some() || !n.links.is_empty())
        })
    };
    let confirm_label = move || {
        notice.with(|n| match n.as_ref().and_then(|n| n.confirm.as_ref()) {
            Some(EmbedCommand::InputSms { .. }) => "Text anyway",
            _ => "Call anyway",
        })
    };
    let has_confirm = move || notice.with(|n| n.as_ref().is_some_and(|n| n.confirm.is_some()));
    // The guard's question takes the focus when it appears on this row.
    let confirm = NodeRef::<Button>::new();
    Effect::new(move |before: Option<(i64, bool)>| {
        let now = (row.with(|r| r.id), has_confirm());
        if now.1 && before.is_some_and(|(id, asked)| id == now.0 && !asked) {
            if let Some(button) = confirm.get() {
                let _ = button.focus();
            }
        }
        now
    });
    let links = move || notice.with(|n| n.as_ref().map(|n| n.links.clone()).unwrap_or_default());
    let callable = move || row.with(|r| r.number.is_some());
    let why_not = move || row.with(|r| (!r.why_not.is_empty()).then(|| r.why_not.clone()));
    let name = move || row.with(|r| r.name.clone());
    view! {
        <span class="remedies">
            <Show when=has_confirm>
                <button
                    type="button"
                    class="confirm-button"
                    node_ref=confirm
                    on:click=move |_| actions.confirm(id())
                >
                    {confirm_label}
                </button>
                <button type="button" class="cancel-button" on:click=move |_| actions.dismiss(id())>
                    "Cancel"
                </button>
            </Show>
            <For each=links key=|link| link.href.clone() let:link>
                <a class="fallback-link" href=link.href>{link.label}</a>
            </For>
            <Show when=move || !links().is_empty()>
                <button
                    type="button"
                    class="dismiss-button"
                    aria-label="Dismiss"
                    title="Dismiss"
                    on:click=move |_| actions.dismiss(id())
                >
                    "×"
                </button>
            </Show>
        </span>
        <span class="row-buttons" hidden=asks>
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
