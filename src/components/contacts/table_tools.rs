//! The tools over the contact table: the search box, **New contact**, **Import CSV**
//! (admins), **Sync Zoom contacts** (admins signed in with Zoom) and **Reload**.

use leptos::html::Input;
use leptos::prelude::*;

use super::{ImportButton, ZoomSyncButton};
use crate::api::ApiClient;
use crate::domain::contacts::format_count;
use crate::state::{Action, ContactActions, EditRequest, EditorCtx, SessionCtx, TableState};

/// The search box (`/` focuses it, Escape leaves it) and the table's buttons.
#[component]
pub fn TableTools(search: NodeRef<Input>) -> impl IntoView {
    let table = expect_context::<TableState>();
    let actions = expect_context::<ContactActions>();
    let EditorCtx(editor) = expect_context::<EditorCtx>();
    let api = expect_context::<ApiClient>();
    let session = use_context::<SessionCtx>();
    // Imports and syncs change the whole book: the proxy lets admins alone start them.
    let admin = session.is_none_or(|s| s.role.is_admin());
    let zoom = session.is_some_and(|s| s.zoom());
    view! {
        <div class="table-tools">
            <input
                node_ref=search
                id="contact-search"
                type="search"
                placeholder="Search name, company, e-mail or number  ( / )"
                aria-label="Search contacts"
                prop:value=move || table.query.get()
                on:input=move |ev| {
                    table.query.set(event_target_value(&ev));
                    table.scroll_to(0);
                }
                on:keydown=move |ev| match ev.key().as_str() {
                    "Escape" => {
                        if let Some(input) = search.get_untracked() {
                            let _ = input.blur();
                        }
                    }
                    // Into the results: the current row (or the first) takes the focus.
                    "ArrowDown" => {
                        ev.prevent_default();
                        table.move_selection(if table.selected.get_untracked().is_some() { 0 } else { 1 });
                    }
                    // Enter calls the current row, else the first result.
                    "Enter" => {
                        ev.prevent_default();
                        if let Some(contact) = table.current_or_first() {
                            table.selected.set(Some(contact.id));
                            actions.act(&contact, Action::Call);
                        }
                    }
                    _ => {}
                }
            />
            <span class="match-count" role="status">
                {move || {
                    (!table.query.with(|q| q.trim().is_empty()))
                        .then(|| match table.len.get() {
                            1 => "1 match".to_owned(),
                            n => format!("{} matches", format_count(n)),
                        })
                }}
            </span>
            <button
                id="contact-new"
                type="button"
                on:click=move |_| editor.set(Some(EditRequest::New(None)))
            >
                "New contact"
            </button>
            {admin.then(|| view! { <ImportButton /> })}
            {(admin && zoom).then(|| view! { <ZoomSyncButton /> })}
            <button
                id="contacts-reload"
                type="button"
                title="Load the contact book again"
                disabled=move || table.book.loading.get()
                on:click=move |_| table.book.reload(api.clone())
            >
                "Reload"
            </button>
        </div>
    }
}
