//! The contact table: virtualised (only the visible rows are in the DOM), with a call
//! button per row.

use dialdesk_contract::Contact;
use leptos::prelude::*;

use crate::browser::SmartEmbed;
use crate::domain::phone::display_number;
use crate::domain::protocol::EmbedCommand;
use crate::state::{BridgeState, CallerIdCtx, ContactsCtx};

/// Height of one row in CSS pixels; must match `--row-height` in `style/table.css`.
const ROW_HEIGHT: f64 = 40.0;
/// Rows rendered around the visible ones.
const OVERSCAN: usize = 10;
/// Rows rendered at most (visible area plus overscan on both sides).
const WINDOW: usize = 70;

/// The first callable number of a contact.
fn callable_number(contact: &Contact) -> Option<&str> {
    contact.numbers.iter().find_map(|n| n.e164.as_deref())
}

/// Contact table with click-to-call.
#[component]
pub fn ContactTable() -> impl IntoView {
    let ctx = expect_context::<ContactsCtx>();
    let scroll_top = RwSignal::new(0.0_f64);
    let first = Memo::new(move |_| {
        let top_row = (scroll_top.get() / ROW_HEIGHT) as usize;
        top_row.saturating_sub(OVERSCAN)
    });
    let len = Memo::new(move |_| ctx.contacts.with(Vec::len));
    let rows = Memo::new(move |_| {
        ctx.contacts.with(|all| {
            let start = first.get().min(all.len());
            let end = (start + WINDOW).min(all.len());
            (start..end)
                .map(|i| (i, all[i].clone()))
                .collect::<Vec<_>>()
        })
    });
    let top_pad = move || format!("{}px", first.get() as f64 * ROW_HEIGHT);
    let bottom_pad = move || {
        let below = len.get().saturating_sub(first.get() + WINDOW);
        format!("{}px", below as f64 * ROW_HEIGHT)
    };
    let progress = move || {
        let total = ctx.total.get();
        (ctx.loading.get() && total.is_some()).then(|| {
            let total = total.unwrap_or_default();
            view! {
                <div class="load-progress">
                    <progress max=total value=move || len.get()></progress>
                    <span>{move || format!("Loading contacts… {} of {total}", len.get())}</span>
                </div>
            }
        })
    };
    let error = move || {
        ctx.error.get().map(|message| {
            let api = expect_context::<crate::api::ApiClient>();
            view! {
                <div class="inline-error" role="alert">
                    <span>{format!("Could not load all contacts: {message}")}</span>
                    <button on:click=move |_| ctx.load(api.clone())>"Retry"</button>
                </div>
            }
        })
    };
    let empty = move || {
        (!ctx.loading.get() && ctx.error.get().is_none() && len.get() == 0)
            .then(|| view! { <p class="empty">"No contacts yet."</p> })
    };
    view! {
        <section class="contacts-panel" aria-label="Contacts">
            {progress}
            {error}
            <div
                class="table-scroll"
                on:scroll=move |ev| {
                    scroll_top.set(event_target::<web_sys::HtmlElement>(&ev).scroll_top() as f64)
                }
            >
                <table class="contacts" role="grid" aria-rowcount=move || len.get() + 1>
                    <colgroup>
                        <col class="col-name" />
                        <col class="col-company" />
                        <col class="col-phone" />
                        <col class="col-action" />
                    </colgroup>
                    <thead>
                        <tr aria-rowindex="1">
                            <th scope="col">"Name"</th>
                            <th scope="col">"Company"</th>
                            <th scope="col">"Phone"</th>
                            <th scope="col">
                                <span class="sr-only">"Actions"</span>
                            </th>
                        </tr>
                    </thead>
                    <tbody>
                        <tr class="spacer" aria-hidden="true">
                            <td colspan="4" style:height=top_pad></td>
                        </tr>
                        <For each=move || rows.get() key=|(_, c)| c.id let:item>
                            <ContactRow index=item.0 contact=item.1 />
                        </For>
                        <tr class="spacer" aria-hidden="true">
                            <td colspan="4" style:height=bottom_pad></td>
                        </tr>
                    </tbody>
                </table>
                {empty}
            </div>
        </section>
    }
}

/// One row: name, company, phone and the call button.
#[component]
fn ContactRow(index: usize, contact: Contact) -> impl IntoView {
    let embed = expect_context::<SmartEmbed>();
    let CallerIdCtx(caller) = expect_context::<CallerIdCtx>();
    let number = callable_number(&contact).map(str::to_owned);
    let shown = number
        .as_deref()
        .map(display_number)
        .or_else(|| contact.numbers.first().map(|n| n.raw.clone()))
        .unwrap_or_default();
    let label = format!("Call {}", contact.name);
    let callable = number.is_some();
    let id = contact.id;
    let call = move |_| {
        if let Some(number) = number.clone() {
            let command = EmbedCommand::MakeCall {
                number,
                caller_id: caller.get_untracked(),
                auto_dial: true,
            };
            embed.send_for(command, Some(id));
        }
    };
    let state = expect_context::<BridgeState>();
    let notice = move || state.notices.with(|n| n.get(&id).cloned());
    view! {
        <tr aria-rowindex=index + 2 data-contact-id=contact.id>
            <td class="name">{contact.name}</td>
            <td class="company">{contact.company.unwrap_or_default()}</td>
            <td class="phone" class:not-callable=!callable>
                {move || match notice() {
                    Some(n) => {
                        let title = n.message.clone();
                        view! {
                            <span class="row-notice" role="alert" title=title>
                                {n.message}
                            </span>
                        }
                            .into_any()
                    }
                    None => shown.clone().into_any(),
                }}
            </td>
            <td class="action">
                {move || {
                    notice()
                        .and_then(|n| n.fallback)
                        .map(|link| {
                            view! {
                                <a class="fallback-link" href=link title="Open in the Zoom app">
                                    "Zoom app"
                                </a>
                            }
                        })
                }}
                <button
                    class="call-button"
                    aria-label=label
                    disabled=!callable
                    title=if callable { "" } else { "This number cannot be dialled" }
                    on:click=call
                >
                    "Call"
                </button>
            </td>
        </tr>
    }
}
