//! The Smart Embed bridge: posts commands to the embed iframe and checks, parses and
//! applies every message it sends back (DESIGN §10).

use dialdesk_contract::EmbedSettings;
use leptos::ev;
use leptos::html::Iframe;
use leptos::prelude::*;
use wasm_bindgen::JsValue;
use web_sys::MessageEvent;

use crate::domain::outbound::OutboundQueue;
use crate::domain::protocol::{parse_event, EmbedCommand, EmbedEvent, InitConfig, RejectReason};
use crate::state::BridgeState;

/// Handle to send commands to the embed; `Copy`, safe to put in context.
#[derive(Debug, Clone, Copy)]
pub struct SmartEmbed {
    iframe: NodeRef<Iframe>,
    settings: StoredValue<EmbedSettings>,
    init: StoredValue<InitConfig>,
    queue: StoredValue<OutboundQueue, LocalStorage>,
    state: BridgeState,
}

impl SmartEmbed {
    /// Sends a command now if the embed is ready, else once it has loaded.
    pub fn send(&self, command: EmbedCommand) {
        let now = self.queue.try_update_value(|q| q.submit(command)).flatten();
        if let Some(command) = now {
            self.post(&command);
        }
        self.sync_state();
    }

    /// To be called on the iframe's `load` event: only a load of the configured URL
    /// (not `about:blank`) counts; then `zp-init-config` goes first, then the queue.
    pub fn on_load(&self) {
        let loaded_url = self.iframe.get_untracked().map(|f| f.src());
        let expected = self.settings.with_value(|s| s.url.clone());
        if loaded_url.as_deref() != Some(expected.as_str()) {
            self.queue.update_value(OutboundQueue::unloaded);
            self.sync_state();
            return;
        }
        let init = EmbedCommand::InitConfig(self.init.get_value());
        let batch = self
            .queue
            .try_update_value(|q| q.loaded(init))
            .unwrap_or_default();
        for command in &batch {
            self.post(command);
        }
        self.sync_state();
    }

    fn sync_state(&self) {
        let (ready, waiting) = self.queue.with_value(|q| (q.is_ready(), q.waiting()));
        self.state.ready.set(ready);
        self.state.waiting.set(waiting);
    }

    /// Posts to the configured origin only, never `"*"`.
    fn post(&self, command: &EmbedCommand) {
        let Some(window) = self.iframe.get_untracked().and_then(|f| f.content_window()) else {
            return;
        };
        let text = command.to_envelope().to_string();
        let origin = self.settings.with_value(|s| s.origin.clone());
        let sent =
            js_sys::JSON::parse(&text).and_then(|message| window.post_message(&message, &origin));
        if let Err(e) = sent {
            web_sys::console::warn_2(
                &JsValue::from_str("dialdesk: could not post to the Smart Embed"),
                &e,
            );
        }
    }

    /// Checks one `message` event: exact origin, then the embed's current window, then
    /// plain JSON within the size and depth limits, then the typed shape.
    fn check(&self, event: &MessageEvent) -> Result<EmbedEvent, RejectReason> {
        if self.settings.with_value(|s| event.origin() != s.origin) {
            return Err(RejectReason::WrongOrigin);
        }
        let embed_window = self
            .iframe
            .get_untracked()
            .and_then(|f| f.content_window())
            .ok_or(RejectReason::WrongSource)?;
        let from_embed = event
            .source()
            .is_some_and(|source| js_sys::Object::is(&source, &embed_window));
        if !from_embed {
            return Err(RejectReason::WrongSource);
        }
        let data = event.data();
        if data.is_object() && !js_sys::Array::is_array(&data) && !is_plain_object(&data) {
            return Err(RejectReason::NotJson);
        }
        let text = js_sys::JSON::stringify(&data)
            .ok()
            .and_then(|s| s.as_string())
            .ok_or(RejectReason::NotJson)?;
        parse_event(&text)
    }

    fn receive(&self, event: &MessageEvent) {
        match self.check(event) {
            Ok(embed_event) => self.state.accept(&embed_event, js_sys::Date::now()),
            Err(reason) => {
                web_sys::console::warn_1(&JsValue::from_str(&format!(
                    "dialdesk: rejected a message: {reason}"
                )));
                self.state.reject(&reason);
            }
        }
    }
}

/// True for objects whose prototype is `Object.prototype` (or `null`): rejects Map,
/// Set, Blob, Date… which `JSON.stringify` would silently turn into `{}` or text.
fn is_plain_object(value: &JsValue) -> bool {
    let proto = js_sys::Object::get_prototype_of(value);
    let object_proto = js_sys::Object::get_prototype_of(&js_sys::Object::new());
    proto.is_null() || js_sys::Object::is(&proto, &object_proto)
}

/// Starts the bridge for the iframe behind `iframe`: listens for messages for as long
/// as the calling component lives.
pub fn use_smart_embed(
    settings: EmbedSettings,
    init: InitConfig,
    iframe: NodeRef<Iframe>,
    state: BridgeState,
) -> SmartEmbed {
    let embed = SmartEmbed {
        iframe,
        settings: StoredValue::new(settings),
        init: StoredValue::new(init),
        queue: StoredValue::new_local(OutboundQueue::default()),
        state,
    };
    let listener = window_event_listener(ev::message, move |event| embed.receive(&event));
    on_cleanup(move || listener.remove());
    embed
}
