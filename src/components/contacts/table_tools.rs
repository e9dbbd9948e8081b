//! The tools over the contact table: the search box, **New contact**, **Import CSV**,
//! **Sync Zoom contacts** (signed in with Zoom) and **Reload**.

use leptos::html::Input;
use leptos::prelude::*;

use super::{ImportButton, ZoomSyncButton};
use crate::api::ApiClient;
use crate::state::{EditRequest, EditorCtx, SessionCtx, TableState};

/// The search box (`/` focuses it, Escape leaves it) and the table's buttons.
#[component]
pub fn TableTools(search: NodeRef<Input>) -> impl IntoView {
    let table = expect_context::<TableState>();
    let EditorCtx(editor) = expect_context::<EditorCtx>();
    let api = expect_context::<ApiClient>();
    let zoom = use_context::<SessionCtx>().is_some_and(|s| s.zoom());
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
                on:keydown=move |ev| {
                    if ev.key() == "Escape" {
                        if let Some(input) = search.get_untracked() {
                            let _ = input.blur();
                        }
                    }
                }
            />
            <button
                id="contact-new"
                type="button"
                on:click=move |_| editor.set(Some(EditRequest::New(None)))
            >
                "New contact"
            </button>
            <ImportButton />
            {zoom.then(|| view! { <ZoomSyncButton /> })}
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
