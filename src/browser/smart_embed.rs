//! The Smart Embed bridge: posts commands to the embed iframe and checks, parses and
//! applies every message it sends back.

use std::time::Duration;

use dialdesk_contract::{BridgeTimings, EmbedSettings, JournalEvent};
use leptos::ev;
use leptos::html::Iframe;
use leptos::prelude::*;
use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use web_sys::{HtmlIFrameElement, MessageEvent};

use super::{inbound, responders};
use crate::api::ApiClient;
use crate::domain::call::root_call_id;
use crate::domain::console::Verdict;
use crate::domain::contacts::only_holder;
use crate::domain::outbound::{
    fallback_links, OutboundQueue, Requester, RingWatch, RowNotice, Waiting, NOT_SENT, NO_RING,
};
use crate::domain::protocol::Direction;
use crate::domain::protocol::{
    CallEvent, EmbedCommand, EmbedEvent, InitConfig, Message, RejectReason,
};
use crate::domain::session::Applied;
use crate::state::{BridgeState, CallLogs, ContactsCtx, Journal, ScreenPop};

/// The element id of the embed iframe, the convention Zoom's snippets and `sdk.js` use.
pub const EMBED_IFRAME_ID: &str = "zoom-embeddable-phone-iframe";

/// How often queued commands and the ring watch are checked.
const TICK: Duration = Duration::from_millis(250);

/// What the bridge works with besides the embed: all optional, so the bridge can be
/// mounted alone in tests.
#[derive(Debug, Clone, Default)]
pub struct BridgeServices {
    /// Journal for accepted call events.
    pub journal: Option<Journal>,
    /// The contact book, for search and match answers.
    pub contacts: Option<ContactsCtx>,
    /// The proxy, for search and match answers the book cannot give.
    pub api: Option<ApiClient>,
    /// How long to wait for the embed.
    pub timings: BridgeTimings,
    /// Call logs, opened and filled from call and notes events.
    pub logs: Option<CallLogs>,
    /// The inbound screen pop, looked up when a call rings.
    pub pop: Option<ScreenPop>,
}

/// Handle to send commands to the embed; `Copy`, safe to put in context.
#[derive(Debug, Clone, Copy)]
pub struct SmartEmbed {
    iframe: NodeRef<Iframe>,
    /// The iframe Zoom's loader script created, in `sdk.js` mode.
    sdk_frame: StoredValue<Option<HtmlIFrameElement>, LocalStorage>,
    settings: StoredValue<EmbedSettings>,
    init: StoredValue<InitConfig>,
    queue: StoredValue<OutboundQueue, LocalStorage>,
    watch: StoredValue<RingWatch, LocalStorage>,
    services: StoredValue<BridgeServices>,
    state: BridgeState,
}

impl SmartEmbed {
    /// Sends a command now if the embed is ready, else once it has loaded.
    pub fn send(&self, command: EmbedCommand) {
        self.send_for(command, None);
    }

    /// Like [`SmartEmbed::send`], for the contact row `requester`: a failure is shown there.
    pub fn send_for(&self, command: EmbedCommand, requester: Requester) {
        if let Some(number) = fallback_links(&command).map(|(number, _)| number) {
            self.state.clear_notices_for(&number);
        }
        let held = command.clone();
        let now = self
            .queue
            .try_update_value(|q| q.submit(command, requester, js_sys::Date::now()))
            .flatten();
        match now {
            Some(command) => self.post(&command, requester),
            None => self.state.outbound(&held, Verdict::Queued),
        }
        self.sync_state();
    }

    /// Where the embed comes from and which origin is trusted.
    pub fn settings(&self) -> EmbedSettings {
        self.settings.get_value()
    }

    /// The reference the pane puts on the iframe it renders.
    pub fn frame_ref(&self) -> NodeRef<Iframe> {
        self.iframe
    }

    /// The embed iframe: the one the app rendered, or the one the loader script made.
    fn frame(&self) -> Option<HtmlIFrameElement> {
        self.iframe
            .get_untracked()
            .or_else(|| self.sdk_frame.get_value())
    }

    /// To be called when Zoom's loader script calls `window.onZoomPhoneIframeApiReady`:
    /// adopts the iframe it created, then proceeds as on a load.
    pub fn sdk_ready(&self) {
        let frame = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(EMBED_IFRAME_ID))
            .and_then(|e| e.dyn_into::<HtmlIFrameElement>().ok());
        if frame.is_none() {
            self.problem("the loader script reported ready, but made no embed iframe".into());
        }
        self.sdk_frame.set_value(frame);
        self.on_load();
    }

    /// To be called on the iframe's `load` event: only a load of the configured URL
    /// (not `about:blank`) counts; then `zp-init-config` goes first, then the queue.
    pub fn on_load(&self) {
        let loaded_url = self.frame().map(|f| f.src());
        let expected = self.settings.with_value(|s| s.url.clone());
        if loaded_url.as_deref() != Some(expected.as_str()) {
            self.queue.update_value(OutboundQueue::unloaded);
            self.sync_state();
            return;
        }
        self.expire(js_sys::Date::now());
        let init = EmbedCommand::InitConfig(self.init.get_value());
        let batch = self
            .queue
            .try_update_value(|q| q.loaded(init))
            .unwrap_or_default();
        for command in &batch {
            self.post(command, None);
        }
        self.sync_state();
    }

    /// Shows a problem of the bridge's own (not of a message) in the console.
    pub fn problem(&self, text: String) {
        self.state.problem(text);
    }

    /// Drops commands that waited too long and checks the ring watch.
    fn tick(&self, now_ms: f64) {
        self.expire(now_ms);
        let timeout = f64::from(self.services.with_value(|s| s.timings.ring_timeout_ms));
        let overdue = self
            .watch
            .try_update_value(|w| w.overdue(now_ms, timeout))
            .flatten();
        if let Some((command, requester)) = overdue {
            self.report(&command, requester, NO_RING);
        }
    }

    fn expire(&self, now_ms: f64) {
        let ttl = f64::from(self.services.with_value(|s| s.timings.command_ttl_ms));
        let expired = self
            .queue
            .try_update_value(|q| q.expire(now_ms, ttl))
            .unwrap_or_default();
        for Waiting {
            command, requester, ..
        } in &expired
        {
            self.state.outbound(command, Verdict::Expired);
            self.report(command, *requester, NOT_SENT);
        }
        if !expired.is_empty() {
            self.sync_state();
        }
    }

    /// Shows `message` on the row that asked for `command`, with the Zoom-client link.
    fn report(&self, command: &EmbedCommand, requester: Requester, message: &str) {
        let (Some(id), Some((number, links))) = (requester, fallback_links(command)) else {
            self.state.problem(format!("{}: {message}", command.kind()));
            return;
        };
        self.state.notice(
            id,
            RowNotice {
                message: message.to_owned(),
                number,
                links,
                confirm: None,
                needs_consent: false,
            },
        );
    }

    fn sync_state(&self) {
        let (ready, waiting) = self.queue.with_value(|q| (q.is_ready(), q.waiting()));
        self.state.ready.set(ready);
        self.state.waiting.set(waiting);
    }

    /// Posts to the configured origin only, never `"*"`.
    fn post(&self, command: &EmbedCommand, requester: Requester) {
        let Some(window) = self.frame().and_then(|f| f.content_window()) else {
            return;
        };
        let origin = self.settings.with_value(|s| s.origin.clone());
        // Plain objects, not `Map`s: what the embed's own code expects.
        let serializer = serde_wasm_bindgen::Serializer::json_compatible();
        let sent = command
            .serialize(&serializer)
            .map_err(JsValue::from)
            .and_then(|message| window.post_message(&message, &origin));
        let verdict = if sent.is_ok() {
            Verdict::Sent
        } else {
            Verdict::Problem("the browser refused to post it".into())
        };
        self.state.outbound(command, verdict);
        if let (
            Ok(()),
            EmbedCommand::MakeCall {
                number, auto_dial, ..
            },
        ) = (&sent, command)
        {
            let now = js_sys::Date::now();
            // A call placed from a contact is that contact's call when it rings.
            if let Some(id) = requester {
                self.state.dialled(number, id, now);
            }
            if *auto_dial {
                self.watch
                    .update_value(|w| w.dialled(command.clone(), requester, now));
            }
        }
        if let Err(e) = sent {
            web_sys::console::warn_2(
                &JsValue::from_str("dialdesk: could not post to the Smart Embed"),
                &e,
            );
        }
    }

    /// Checks one `message` event: exact origin, then the embed's current window, then
    /// plain JSON within the size and depth limits, then the typed shape.
    fn check(&self, event: &MessageEvent) -> Result<Message, RejectReason> {
        if self.settings.with_value(|s| event.origin() != s.origin) {
            return Err(RejectReason::WrongOrigin);
        }
        let embed_window = self
            .frame()
            .and_then(|f| f.content_window())
            .ok_or(RejectReason::WrongSource)?;
        let from_embed = event
            .source()
            .is_some_and(|source| js_sys::Object::is(&source, &embed_window));
        if !from_embed {
            return Err(RejectReason::WrongSource);
        }
        inbound::read_message(event.data())
    }

    fn receive(&self, event: &MessageEvent) {
        match self.check(event) {
            Ok(Message {
                event: embed_event,
                data,
            }) => {
                if let Some(call) = embed_event.call() {
                    self.tie(call, matches!(embed_event, EmbedEvent::CallRinging(_)));
                }
                if let EmbedEvent::CallRinging(_) = &embed_event {
                    self.watch.update_value(RingWatch::rang);
                }
                let applied = self.state.accept(&embed_event, &data, js_sys::Date::now());
                let repeat = matches!(applied, Some((_, Applied::Repeat)));
                self.journal(&embed_event, applied, data);
                if let (false, Some(logs)) = (repeat, self.services.with_value(|s| s.logs)) {
                    logs.on_event(&embed_event, self.contact_of(&embed_event));
                }
                self.services
                    .with_value(|services| responders::answer(*self, services, &embed_event));
            }
            Err(reason) => {
                web_sys::console::warn_1(&JsValue::from_str(&format!(
                    "dialdesk: rejected a message: {reason}"
                )));
                self.state.reject(&reason);
            }
        }
    }

    /// Ties a call to its contact: an outbound call to the contact it was placed
    /// from. A ringing call tied to none (inbound, or dialled from the embed's own
    /// keypad) is looked up like a screen pop, which asks when several contacts hold
    /// the number.
    fn tie(&self, call: &CallEvent, ringing: bool) {
        let root = root_call_id(&call.call_id);
        let Some(number) = call.external_party().and_then(|p| p.any_number()) else {
            return;
        };
        if ringing {
            self.state.clear_notices_for(number);
        }
        if self.state.tied_to(root).is_none() && call.direction == Some(Direction::Outbound) {
            self.state.tie_dialled(root, number, js_sys::Date::now());
        }
        if ringing && self.state.tied_to(root).is_none() {
            if let Some(pop) = self.services.with_value(|s| s.pop) {
                pop.look_up(root, number);
            }
        }
    }

    /// The contact a call event is with: the one it is tied to; else the screen pop's
    /// (none while it is looked up or asks which; the log learns it once known); else,
    /// for an outbound call, the one contact holding the number, if only one does.
    fn contact_of(&self, event: &EmbedEvent) -> Option<i64> {
        let call = event.call()?;
        let root = root_call_id(&call.call_id);
        if let Some(id) = self.state.tied_to(root) {
            return Some(id);
        }
        self.services.with_value(|s| {
            if let Some(id) = s.pop.and_then(|pop| pop.contact_for(root)) {
                return Some(id);
            }
            if call.direction == Some(Direction::Inbound) {
                return None;
            }
            let number = call.external_party()?.any_number()?;
            s.contacts?
                .contacts
                .with_untracked(|all| only_holder(all, number))
        })
    }

    /// Journals a call event the first time it is seen, with the contact its call is
    /// tied to when known (so after a reload its row alone shows it).
    fn journal(&self, event: &EmbedEvent, applied: Option<(String, Applied)>, data: Value) {
        let (Some((_, Applied::New(key))), Some(call)) = (applied, event.call()) else {
            return;
        };
        let Some(journal) = self.services.with_value(|s| s.journal) else {
            return;
        };
        journal.record(JournalEvent {
            event_key: key,
            kind: event.kind().to_owned(),
            call_id: call.call_id.clone(),
            payload: data,
            contact_id: self.contact_of(event),
        });
    }
}

/// Starts the bridge for the iframe behind `iframe`: listens for messages and checks
/// its timers for as long as the calling component lives.
pub fn use_smart_embed(
    settings: EmbedSettings,
    init: InitConfig,
    iframe: NodeRef<Iframe>,
    state: BridgeState,
    services: BridgeServices,
) -> SmartEmbed {
    let embed = SmartEmbed {
        iframe,
        sdk_frame: StoredValue::new_local(None),
        settings: StoredValue::new(settings),
        init: StoredValue::new(init),
        queue: StoredValue::new_local(OutboundQueue::default()),
        watch: StoredValue::new_local(RingWatch::default()),
        services: StoredValue::new(services),
        state,
    };
    let listener = window_event_listener(ev::message, move |event| embed.receive(&event));
    on_cleanup(move || listener.remove());
    if let Ok(timer) = set_interval_with_handle(move || embed.tick(js_sys::Date::now()), TICK) {
        on_cleanup(move || timer.clear());
    }
    embed
}
