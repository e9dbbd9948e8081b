//! Which tab leads, and how tabs tell each other: the Web Locks API elects one tab
//! to own the outbox, and a `BroadcastChannel` carries state to the others
//! (`web_sys::LockManager` needs an unstable cfg, so `request` is bound
//! here).

use std::marker::PhantomData;

use gloo_events::EventListener;
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::{BroadcastChannel, MessageEvent};

#[wasm_bindgen]
extern "C" {
    /// `navigator.locks`.
    type LockManager;

    #[wasm_bindgen(method, catch)]
    fn request(
        this: &LockManager,
        name: &str,
        callback: &Closure<dyn FnMut(JsValue) -> js_sys::Promise>,
    ) -> Result<js_sys::Promise, JsValue>;
}

/// Calls `on_lead` once this tab holds the exclusive lock `name`, which it keeps until
/// the page goes away. Returns `false` when the browser has no Web Locks (an insecure
/// context): the caller then runs alone; `on_refused` runs if the browser refuses the
/// request later.
pub fn lead_when_free(
    name: &str,
    on_lead: impl FnOnce() + 'static,
    on_refused: impl FnOnce() + 'static,
) -> bool {
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else {
        return false;
    };
    let locks = js_sys::Reflect::get(&navigator, &JsValue::from_str("locks"))
        .ok()
        .filter(|locks| locks.is_object());
    let Some(locks) = locks else {
        return false;
    };
    let mut on_lead = Some(on_lead);
    let callback = Closure::<dyn FnMut(JsValue) -> js_sys::Promise>::new(move |_lock| {
        if let Some(on_lead) = on_lead.take() {
            on_lead();
        }
        // Never settles: the lock is held for the life of the page.
        js_sys::Promise::new(&mut |_, _| {})
    });
    let asked = locks
        .unchecked_into::<LockManager>()
        .request(name, &callback);
    // The browser calls back once, whenever the lock comes free; the closures must live
    // as long as the page.
    callback.forget();
    let Ok(promise) = asked else {
        return false;
    };
    let refused = Closure::once(move |_: JsValue| on_refused());
    let _ = promise.catch(&refused);
    refused.forget();
    true
}

/// A channel to the other tabs of this origin carrying messages of type `T`, posted
/// as plain objects (structured clone); closed when dropped.
pub struct Channel<T> {
    channel: BroadcastChannel,
    _listener: EventListener,
    _message: PhantomData<fn(T)>,
}

impl<T: Serialize + DeserializeOwned + 'static> Channel<T> {
    /// Opens channel `name`; `on_message` receives every message another tab posts
    /// that reads as a `T` (others, from another version of the app, are ignored).
    pub fn open(name: &str, on_message: impl Fn(T) + 'static) -> Option<Self> {
        let channel = BroadcastChannel::new(name).ok()?;
        let listener = EventListener::new(&channel, "message", move |event| {
            let Some(event) = event.dyn_ref::<MessageEvent>() else {
                return;
            };
            if let Ok(message) = serde_wasm_bindgen::from_value::<T>(event.data()) {
                on_message(message);
            }
        });
        Some(Self {
            channel,
            _listener: listener,
            _message: PhantomData,
        })
    }

    /// Posts `message` to the other tabs.
    pub fn post(&self, message: &T) {
        let serializer = serde_wasm_bindgen::Serializer::json_compatible();
        if let Ok(value) = message.serialize(&serializer) {
            let _ = self.channel.post_message(&value);
        }
    }
}

impl<T> Drop for Channel<T> {
    fn drop(&mut self) {
        self.channel.close();
    }
}
