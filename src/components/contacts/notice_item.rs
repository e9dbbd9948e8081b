//! One row's notice: the contact, the whole message, and what it offers: the guard's
//! question ("Call anyway" / "Cancel"), where overriding the do-not-call list takes a
//! deliberate second step, or links that do the same outside the embed.

use leptos::html::{Button, Input};
use leptos::prelude::*;

use crate::domain::outbound::RowNotice;
use crate::domain::protocol::EmbedCommand;
use crate::state::{ContactActions, ContactsCtx};

/// The notice of contact `id`'s row.
#[component]
pub fn NoticeItem(id: i64, notice: RowNotice) -> impl IntoView {
    let actions = expect_context::<ContactActions>();
    let book = expect_context::<ContactsCtx>();
    let name = move || book.name_of(id).unwrap_or_default();
    let consent = RwSignal::new(false);
    let asks = notice.confirm.is_some();
    let needs_consent = notice.needs_consent;
    let confirm_label = match notice.confirm {
        Some(EmbedCommand::InputSms { .. }) => "Text anyway",
        _ => "Call anyway",
    };
    // The guard's question takes the focus as it appears: its first step.
    let confirm = NodeRef::<Button>::new();
    let agree = NodeRef::<Input>::new();
    confirm.on_load(move |button| {
        if asks && !needs_consent {
            let _ = button.focus();
        }
    });
    agree.on_load(|checkbox| {
        let _ = checkbox.focus();
    });
    let links = notice.links;
    let has_links = !links.is_empty();
    view! {
        <li data-contact-id=id.to_string() data-name=name>
            <span class="row-notice" role="alert">
                <strong>{name}</strong>
                ": "
                {notice.message}
            </span>
            {asks
                .then(|| {
                    view! {
                        {needs_consent
                            .then(|| {
                                view! {
                                    <label class="dnc-consent">
                                        <input
                                            type="checkbox"
                                            node_ref=agree
                                            prop:checked=move || consent.get()
                                            on:change=move |ev| consent.set(event_target_checked(&ev))
                                        />
                                        "The person asked to be called: override the do-not-call list"
                                    </label>
                                }
                            })}
                        <button
                            type="button"
                            class="confirm-button"
                            node_ref=confirm
                            disabled=move || needs_consent && !consent.get()
                            on:click=move |_| actions.confirm(id)
                        >
                            {confirm_label}
                        </button>
                        <button type="button" class="cancel-button" on:click=move |_| actions.dismiss(id)>
                            "Cancel"
                        </button>
                    }
                })}
            {links
                .into_iter()
                .map(|link| view! { <a class="fallback-link" href=link.href>{link.label}</a> })
                .collect_view()}
            {has_links
                .then(|| {
                    view! {
                        <button
                            type="button"
                            class="dismiss-button"
                            aria-label="Dismiss"
                            title="Dismiss"
                            on:click=move |_| actions.dismiss(id)
                        >
                            "×"
                        </button>
                    }
                })}
        </li>
    }
}
