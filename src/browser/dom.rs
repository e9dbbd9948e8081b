//! Small, non-generic DOM helpers for the forms written as markup (see
//! `components::form_html`).

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement};

/// The first element under `root` matching `selector`.
pub fn find(root: &Element, selector: &str) -> Option<Element> {
    root.query_selector(selector).ok().flatten()
}

/// Every element under `root` matching `selector`, in document order.
pub fn find_all(root: &Element, selector: &str) -> Vec<Element> {
    let Ok(list) = root.query_selector_all(selector) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|node| node.dyn_into::<Element>().ok())
        .collect()
}

/// The value of the form control (`input`, `select`, `textarea`) `selector` under
/// `root` (empty when absent).
pub fn input_value(root: &Element, selector: &str) -> String {
    find(root, selector)
        .and_then(|e| js_sys::Reflect::get(&e, &"value".into()).ok())
        .and_then(|value| value.as_string())
        .unwrap_or_default()
}

/// Whether the checkbox `selector` under `root` is ticked.
pub fn checked(root: &Element, selector: &str) -> bool {
    find(root, selector)
        .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
        .is_some_and(|input| input.checked())
}

/// Sets the text of `selector` under `root`.
pub fn set_text(root: &Element, selector: &str, text: &str) {
    if let Some(element) = find(root, selector) {
        element.set_text_content(Some(text));
    }
}

/// Sets or removes a boolean attribute (`hidden`, `disabled`).
pub fn set_flag(element: &Element, name: &str, on: bool) {
    let _ = if on {
        element.set_attribute(name, "")
    } else {
        element.remove_attribute(name)
    };
}

/// Moves the keyboard focus to `element`.
pub fn focus(element: &Element) {
    if let Some(element) = element.dyn_ref::<HtmlElement>() {
        let _ = element.focus();
    }
}

/// The element with `id` in the page.
pub fn by_id(id: &str) -> Option<Element> {
    web_sys::window()?.document()?.get_element_by_id(id)
}

/// The button a click happened in, if any (for forms wired by delegation).
pub fn pressed(ev: &web_sys::Event) -> Option<Element> {
    ev.target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .and_then(|e| e.closest("button").ok().flatten())
}
