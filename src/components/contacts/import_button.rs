//! **Import CSV** and the dialog it opens.

use leptos::prelude::*;

use super::ImportDialog;

/// The button; the dialog exists while it is open.
#[component]
pub fn ImportButton() -> impl IntoView {
    let open = RwSignal::new(false);
    view! {
        <button id="contacts-import" type="button" on:click=move |_| open.set(true)>
            "Import CSV"
        </button>
        <Show when=move || open.get()>
            <ImportDialog open />
        </Show>
    }
}
