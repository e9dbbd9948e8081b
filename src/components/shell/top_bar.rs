//! The top bar: product name, contact count, the Smart Embed's status (and its
//! console), the outbox banner, the shortcuts switch, "Call from" and, when signed in
//! with Zoom, the rep's name and **Sign out**.

use leptos::prelude::*;

use super::{CallerIdPicker, ShortcutsHelp, SignedInUser};
use crate::components::calls::OutboxBanner;
use crate::components::embed::{BridgeConsole, BridgeStatus};
use crate::domain::contacts::format_count;
use crate::state::{ContactsCtx, SessionCtx, ShortcutsCtx};

/// Top bar of the workspace.
#[component]
pub fn TopBar() -> impl IntoView {
    let ShortcutsCtx(shortcuts) = expect_context::<ShortcutsCtx>();
    let contacts = expect_context::<ContactsCtx>();
    let session = expect_context::<SessionCtx>();
    let console_open = RwSignal::new(false);
    let help_open = RwSignal::new(false);
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
    view! {
        <header class="top-bar">
            <div class="brand">
                <span class="brand-mark" aria-hidden="true"></span>
                <span class="brand-name">"dialdesk"</span>
            </div>
            <span class="contact-count">{count}</span>
            <BridgeStatus console_open />
            <OutboxBanner />
            <label class="shortcuts-toggle">
                <input
                    type="checkbox"
                    prop:checked=move || shortcuts.get()
                    on:change=move |ev| shortcuts.set(event_target_checked(&ev))
                />
                <span>"Keyboard shortcuts"</span>
            </label>
            <button
                type="button"
                class="shortcuts-button"
                aria-label="List the keyboard shortcuts"
                title="Keyboard shortcuts (?)"
                on:click=move |_| help_open.set(true)
            >
                "?"
            </button>
            <CallerIdPicker />
            {session.zoom().then(|| view! { <SignedInUser /> })}
        </header>
        <BridgeConsole open=console_open />
        <ShortcutsHelp open=help_open />
    }
}
