//! `sdk.js` mode (contract §1.2, §1.5): Zoom's loader script creates the embed iframe
//! and calls `window.onZoomPhoneIframeApiReady`, which hands it to the bridge.

use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use super::SmartEmbed;

/// The global the loader script calls once the iframe is ready.
const READY_CALLBACK: &str = "onZoomPhoneIframeApiReady";

/// Loads the script at `sdk_url` inside `host` (so it runs once the host is in the
/// document, where the script looks for it) and routes its ready callback to `embed`;
/// removes the script, the callback and the iframe on cleanup.
pub fn use_sdk_loader(sdk_url: String, embed: SmartEmbed, host: NodeRef<Div>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let ready = Closure::<dyn FnMut()>::new(move || embed.sdk_ready());
    if js_sys::Reflect::set(&window, &JsValue::from_str(READY_CALLBACK), ready.as_ref()).is_err() {
        embed.problem("could not install the loader's ready callback".into());
    }
    let ready = StoredValue::new_local(Some(ready));
    let script = StoredValue::new_local(None::<web_sys::HtmlScriptElement>);
    host.on_load(move |host| {
        let element = host
            .owner_document()
            .and_then(|document| document.create_element("script").ok())
            .and_then(|e| e.dyn_into::<web_sys::HtmlScriptElement>().ok());
        if let Some(element) = element {
            element.set_src(&sdk_url);
            if host.append_child(&element).is_ok() {
                script.set_value(Some(element));
            }
        }
    });
    on_cleanup(move || {
        if let Some(window) = web_sys::window() {
            let _ = js_sys::Reflect::delete_property(&window, &JsValue::from_str(READY_CALLBACK));
            if let Some(frame) = window
                .document()
                .and_then(|d| d.get_element_by_id(super::smart_embed::EMBED_IFRAME_ID))
            {
                frame.remove();
            }
        }
        if let Some(element) = script.try_update_value(Option::take).flatten() {
            element.remove();
        }
        ready.update_value(|r| drop(r.take()));
    });
}
