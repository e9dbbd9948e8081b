//! Single-key shortcuts on the page: never while the user types in a field, never as
//! Enter on a focused button or link, never with a modifier, and only while enabled.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Whether a key event comes from somewhere the user types.
fn typing(event: &web_sys::KeyboardEvent) -> bool {
    let Some(element) = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return false;
    };
    matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
        || element.is_content_editable()
}

/// Whether a key event is Enter or Space on a button or link, which activates it.
fn activating(event: &web_sys::KeyboardEvent) -> bool {
    let key = event.key();
    (key == "Enter" || key == " ")
        && event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|e| matches!(e.tag_name().as_str(), "BUTTON" | "A" | "SUMMARY"))
}

/// Calls `on_key` with each plain key pressed outside text fields while `enabled`;
/// when it returns true the key's default action is prevented.
pub fn use_shortcuts(enabled: RwSignal<bool>, on_key: impl Fn(&str) -> bool + 'static) {
    let listener = window_event_listener(ev::keydown, move |event| {
        if !enabled.get_untracked()
            || event.ctrl_key()
            || event.meta_key()
            || event.alt_key()
            || typing(&event)
            || activating(&event)
        {
            return;
        }
        if on_key(&event.key()) {
            event.prevent_default();
        }
    });
    on_cleanup(move || listener.remove());
}
