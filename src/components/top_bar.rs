//! The top bar: product name, contact count, the caller ID picker and, when signed
//! in with Zoom, the user's name and **Sign out**.

use dialdesk_contract::CallerId;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::zoom_html::{caller_options, user_html};
use crate::api::ApiClient;
use crate::browser::dom::{by_id, pressed};
use crate::browser::storage;
use crate::domain::contacts::format_count;
use crate::domain::zoom::{caller_choice, Gate};
use crate::state::{CallerIdCtx, ContactsCtx, SessionCtx, ShortcutsCtx};

/// Where the rep's caller-ID pick is kept between visits.
pub const CALLER_ID_KEY: &str = "dialdesk.callerId";

/// Top bar of the workspace; `caller_ids` are the configured ones, replaced by the
/// user's Zoom numbers once signed in.
#[component]
pub fn TopBar(caller_ids: Vec<CallerId>) -> AnyView {
    let CallerIdCtx(caller) = expect_context::<CallerIdCtx>();
    let ShortcutsCtx(shortcuts) = expect_context::<ShortcutsCtx>();
    let contacts = expect_context::<ContactsCtx>();
    let session = use_context::<SessionCtx>();
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
    let configured = StoredValue::new(caller_ids);
    // The user's numbers count once known (their name arrives with them, and the
    // choice is set then).
    let choice = move || {
        let zoom = session
            .filter(|s| s.name.with(Option::is_some))
            .map(|s| s.numbers.get_value());
        configured.with_value(|ids| caller_choice(zoom.as_deref(), ids, None).0)
    };
    let options = move || caller_options(&choice(), caller.get().as_deref());
    let on_pick = move |ev| {
        let number = event_target_value(&ev);
        let _ = storage::write(CALLER_ID_KEY, &number);
        caller.set(Some(number));
    };
    // The user's name, Sign out and its error line: markup, the button wired by
    // delegation.
    let user = session.filter(|s| s.zoom()).map(|s| {
        let sign_out = move |ev: leptos::ev::MouseEvent| {
            if pressed(&ev).is_none() {
                return;
            }
            let api = expect_context::<ApiClient>();
            spawn_local(async move {
                match api.sign_out().await {
                    Ok(()) => {
                        s.gate.try_set(Gate::SignIn(None));
                    }
                    Err(e) => {
                        if let Some(line) = by_id("sign-out-error") {
                            line.set_text_content(Some(&format!("Signing out failed: {e}")));
                        }
                    }
                }
            });
        };
        let markup = move || {
            s.name
                .with(|name| user_html(name.as_deref().unwrap_or_default()))
        };
        view! { <span class="session" inner_html=markup on:click=sign_out></span> }
    });
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
                    on:change=on_pick
                ></select>
            </label>
            {user}
        </header>
    }
    .into_any()
}
