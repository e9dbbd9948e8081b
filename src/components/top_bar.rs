//! The top bar: product name, caller ID picker and contact count.

use dialdesk_contract::CallerId;
use leptos::prelude::*;

use super::form_html::escape;
use crate::domain::contacts::format_count;
use crate::domain::phone::display_number;
use crate::state::{CallerIdCtx, ContactsCtx, ShortcutsCtx};

/// Top bar of the workspace.
#[component]
pub fn TopBar(caller_ids: Vec<CallerId>) -> AnyView {
    let CallerIdCtx(caller) = expect_context::<CallerIdCtx>();
    let ShortcutsCtx(shortcuts) = expect_context::<ShortcutsCtx>();
    let contacts = expect_context::<ContactsCtx>();
    let count = move || {
        let loaded = contacts.contacts.with(Vec::len);
        match contacts.total.get() {
            Some(total) if contacts.loading.get() => format!(
                "{} of {} contacts",
                format_count(loaded),
                format_count(usize::try_from(total).unwrap_or(usize::MAX))
            ),
            _ => format!("{} contacts", format_count(loaded)),
        }
    };
    // The options never change: one piece of escaped markup, not a view per option.
    let options: String = caller_ids
        .iter()
        .map(|id| {
            format!(
                "<option value=\"{}\">{} · {}</option>",
                escape(&id.number),
                escape(&id.label),
                escape(&display_number(&id.number))
            )
        })
        .collect();
    view! {
        <header class="top-bar">
            <div class="brand">
                <span class="brand-mark" aria-hidden="true"></span>
                <span class="brand-name">"dialdesk"</span>
            </div>
            <span class="contact-count">{count}</span>
            <label class="shortcuts-toggle" title="/ search, ↑ ↓ or j k move, Enter call, t text, e edit">
                <input
                    type="checkbox"
                    prop:checked=move || shortcuts.get()
                    on:change=move |ev| shortcuts.set(event_target_checked(&ev))
                />
                <span>"Keyboard shortcuts"</span>
            </label>
            <label class="caller-id">
                <span>"Call from"</span>
                <select
                    inner_html=options
                    prop:value=move || caller.get().unwrap_or_default()
                    on:change=move |ev| caller.set(Some(event_target_value(&ev)))
                ></select>
            </label>
        </header>
    }
    .into_any()
}
