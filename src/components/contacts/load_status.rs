//! How loading the contact book goes: its progress while pages arrive, and a failure
//! with **Retry**, which resumes where loading stopped.

use leptos::prelude::*;

use crate::api::ApiClient;
use crate::state::ContactsCtx;

/// The progress bar while pages load, or why loading stopped.
#[component]
pub fn LoadStatus() -> impl IntoView {
    let book = expect_context::<ContactsCtx>();
    let api = expect_context::<ApiClient>();
    let total = move || book.total.get().filter(|_| book.loading.get());
    let loaded = move || book.contacts.with(Vec::len);
    view! {
        {move || {
            total()
                .map(|total| {
                    view! {
                        <div class="load-progress">
                            <progress
                                aria-label="Contacts loaded"
                                max=total.to_string()
                                value=move || loaded().to_string()
                            ></progress>
                            <span>{move || format!("Loading contacts… {} of {total}", loaded())}</span>
                        </div>
                    }
                })
        }}
        {move || {
            book.error
                .get()
                .map(|message| {
                    let api = api.clone();
                    view! {
                        <div class="inline-error" role="alert">
                            <span>{format!("Could not load all contacts: {message}")}</span>
                            <button
                                type="button"
                                class="load-retry"
                                on:click=move |_| book.load(api.clone())
                            >
                                "Retry"
                            </button>
                        </div>
                    }
                })
        }}
    }
}
