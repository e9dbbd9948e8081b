//! Create or edit a contact in a modal dialog, opened from anywhere through
//! [`EditorCtx`]. Each field is checked against the shared contact rules as the rep
//! leaves it and again as they correct it; the proxy checks the whole contact on save
//! (numbers and time zones too). Errors show next to their field; nothing closes until
//! the save is confirmed.

use leptos::prelude::*;

use super::EditorDialog;
use crate::state::EditorCtx;

/// The editor dialog, rendered while a request is open.
#[component]
pub fn ContactEditor() -> impl IntoView {
    let EditorCtx(request) = expect_context::<EditorCtx>();
    move || {
        request
            .get()
            .map(|request| view! { <EditorDialog request /> })
    }
}
