//! Create or edit a contact in a modal dialog, opened from anywhere through
//! [`EditorCtx`]. The proxy validates; its field errors show next to each field and
//! clear as the field changes; nothing closes until the save is confirmed.

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
