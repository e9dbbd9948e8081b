//! The screen of a start-up that failed: the reason and **Try again**.

use leptos::prelude::*;

/// Why dialdesk cannot start, with **Try again**, which calls `retry`.
#[component]
pub fn BootError(error: String, retry: Callback<()>) -> impl IntoView {
    view! {
        <div class="boot boot-error" role="alert">
            <h1>"dialdesk cannot start"</h1>
            <p>{error}</p>
            <button type="button" on:click=move |_| retry.run(())>
                "Try again"
            </button>
        </div>
    }
}
