//! Browser tests of the Smart Embed bridge: origin and source checks, limits, and the
//! positive control after every negative case.
#![cfg(target_arch = "wasm32")]

use dialdesk::browser::{use_smart_embed, BridgeServices};
use dialdesk::components::{CallBanner, EmbedPane};
use dialdesk::domain::console::Verdict;
use dialdesk::domain::outbound::NOT_SENT;
use dialdesk::domain::protocol::EmbedCommand;
use dialdesk::domain::protocol::InitConfig;
use dialdesk::state::BridgeState;
use dialdesk_contract::{BridgeTimings, EmbedLoader, EmbedSettings, InitConfigFlags};
use leptos::html::Iframe;
use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlIFrameElement, MessageEvent, MessageEventInit, Window};

wasm_bindgen_test_configure!(run_in_browser);

mod support;
use support::wait_for;

/// The configured Smart Embed origin. Messages carrying it are synthesised with
/// `MessageEvent` so the test controls `origin` and `source` exactly.
const EMBED_ORIGIN: &str = "https://embed.example";

const GENUINE_RINGING: &str = include_str!("fixtures/smart-embed/events/call-ringing-inbound.json");

fn window() -> Window {
    web_sys::window().expect("window")
}

fn document() -> web_sys::Document {
    window().document().expect("document")
}

/// Mounts the bridge; `early` is sent as soon as the bridge exists, before the iframe
/// can have loaded.
#[component]
fn Harness(
    settings: EmbedSettings,
    state: BridgeState,
    timings: BridgeTimings,
    early: Option<(EmbedCommand, Option<i64>)>,
) -> impl IntoView {
    let iframe = NodeRef::<Iframe>::new();
    let init = InitConfig::new(InitConfigFlags::default(), &[]);
    let services = BridgeServices {
        timings,
        ..BridgeServices::default()
    };
    let embed = use_smart_embed(settings, init, iframe, state, services);
    provide_context(embed);
    provide_context(state);
    if let Some((command, requester)) = early {
        embed.send_for(command, requester);
    }
    view! {
        <CallBanner />
        <EmbedPane />
    }
}

struct Mounted {
    _handle: leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>,
    root: HtmlElement,
    state: BridgeState,
}

impl Mounted {
    /// Mounts the bridge into a fresh element, its iframe pointing at the test server.
    fn new() -> Self {
        Self::with(BridgeTimings::default(), None)
    }

    /// Like [`Mounted::new`], with timings and a command sent before the iframe loads.
    fn with(timings: BridgeTimings, early: Option<(EmbedCommand, Option<i64>)>) -> Self {
        let root: HtmlElement = document()
            .create_element("div")
            .expect("div")
            .unchecked_into();
        document()
            .body()
            .expect("body")
            .append_child(&root)
            .expect("append");
        let origin = window().location().origin().expect("origin");
        let settings = EmbedSettings {
            url: format!("{origin}/embed-stand-in"),
            origin: EMBED_ORIGIN.into(),
            loader: EmbedLoader::Iframe,
            sdk_url: None,
        };
        let state = BridgeState::new(true);
        let handle = mount_to(root.clone(), move || {
            view! { <Harness settings state timings early /> }.into_any()
        });
        Self {
            _handle: handle,
            root,
            state,
        }
    }

    fn embed_window(&self) -> Window {
        self.root
            .query_selector("#zoom-embeddable-phone-iframe")
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<HtmlIFrameElement>().ok())
            .and_then(|f| f.content_window())
            .expect("embed iframe window")
    }

    fn banner_text(&self) -> String {
        self.root
            .query_selector(".call-banner")
            .ok()
            .flatten()
            .map(|e| e.text_content().unwrap_or_default())
            .unwrap_or_default()
    }

    fn data_rejected(&self) -> String {
        self.root
            .query_selector(".embed-pane")
            .ok()
            .flatten()
            .and_then(|e| e.get_attribute("data-rejected"))
            .unwrap_or_default()
    }

    fn rejected(&self, key: &str) -> u32 {
        self.state.rejects.with_untracked(|r| r.for_key(key))
    }

    fn total_rejected(&self) -> u32 {
        self.state.rejects.with_untracked(|r| r.total())
    }

    /// Posts the genuine fixture as if from the embed, then waits until it shows.
    async fn genuine_event_shows(&self) {
        dispatch(EMBED_ORIGIN, &self.embed_window(), &json(GENUINE_RINGING));
        wait_for("the genuine ringing event to show", || {
            self.banner_text().contains("Dana Whitfield")
        })
        .await;
    }

    fn assert_forgery_never_shown(&self) {
        let text = self.banner_text();
        assert!(!text.contains("Forged"), "forged event shown: {text}");
    }
}

fn json(text: &str) -> wasm_bindgen::JsValue {
    js_sys::JSON::parse(text).expect("valid JSON")
}

fn dispatch(origin: &str, source: &Window, data: &wasm_bindgen::JsValue) {
    let init = MessageEventInit::new();
    init.set_origin(origin);
    init.set_source(Some(source.unchecked_ref()));
    init.set_data(data);
    let event = MessageEvent::new_with_event_init_dict("message", &init).expect("event");
    window().dispatch_event(&event).expect("dispatch");
}

const FORGED: &str = r#"{"type":"zp-call-ringing-event","data":{"callId":"forged00000000000001",
    "direction":"inbound","caller":{"name":"Forged Caller","number":"+14155550666"}}}"#;

#[wasm_bindgen_test]
async fn applies_a_message_from_the_embed_window_with_the_right_origin() {
    let app = Mounted::new();
    wait_for("the embed iframe", || {
        app.root.query_selector("iframe").ok().flatten().is_some()
    })
    .await;
    assert!(app.banner_text().contains("No active call"));
    app.genuine_event_shows().await;
    let phase = app
        .root
        .query_selector(".call-banner")
        .ok()
        .flatten()
        .and_then(|e| e.get_attribute("data-phase"));
    assert_eq!(phase.as_deref(), Some("ringing"));
    assert_eq!(app.total_rejected(), 0);
    assert_eq!(app.data_rejected(), "0");
}

#[wasm_bindgen_test]
async fn rejects_a_message_from_a_sandboxed_frame_of_another_origin() {
    let app = Mounted::new();
    wait_for("the embed iframe", || {
        app.root.query_selector("iframe").ok().flatten().is_some()
    })
    .await;
    let hostile: HtmlElement = document()
        .create_element("iframe")
        .expect("iframe")
        .unchecked_into();
    hostile
        .set_attribute("sandbox", "allow-scripts")
        .expect("sandbox");
    let script = format!("<script>parent.postMessage({FORGED}, '*')</script>");
    hostile.set_attribute("srcdoc", &script).expect("srcdoc");
    app.root
        .append_child(&hostile)
        .expect("append hostile frame");

    wait_for("the forged message to be rejected", || {
        app.total_rejected() >= 1
    })
    .await;
    app.genuine_event_shows().await;
    app.assert_forgery_never_shown();
    assert_eq!(app.rejected("wrong-origin"), 1);
    assert_eq!(app.total_rejected(), 1);
    assert_eq!(app.data_rejected(), "1");
}

#[wasm_bindgen_test]
async fn rejects_the_right_origin_from_another_window() {
    let app = Mounted::new();
    wait_for("the embed iframe", || {
        app.root.query_selector("iframe").ok().flatten().is_some()
    })
    .await;
    let other: HtmlIFrameElement = document()
        .create_element("iframe")
        .expect("iframe")
        .unchecked_into();
    app.root.append_child(&other).expect("append other frame");
    let other_window = other.content_window().expect("other window");

    dispatch(EMBED_ORIGIN, &other_window, &json(FORGED));
    app.genuine_event_shows().await;
    app.assert_forgery_never_shown();
    assert_eq!(app.rejected("wrong-source"), 1);
    assert_eq!(app.total_rejected(), 1);
    assert_eq!(app.data_rejected(), "1");
}

#[wasm_bindgen_test]
async fn rejects_data_that_is_not_plain_json_or_too_deep_or_too_large() {
    let app = Mounted::new();
    wait_for("the embed iframe", || {
        app.root.query_selector("iframe").ok().flatten().is_some()
    })
    .await;
    let embed = app.embed_window();
    let map = js_sys::Map::new();
    map.set(&"type".into(), &"zp-call-ringing-event".into());
    dispatch(EMBED_ORIGIN, &embed, &map);
    // A Map inside a plain envelope: `JSON.stringify` would show it as `{}`.
    let wrapped = js_sys::Object::new();
    js_sys::Reflect::set(&wrapped, &"type".into(), &"zp-call-ringing-event".into()).expect("set");
    js_sys::Reflect::set(&wrapped, &"data".into(), &js_sys::Map::new()).expect("set");
    dispatch(EMBED_ORIGIN, &embed, &wrapped);
    let cyclic = js_sys::Object::new();
    js_sys::Reflect::set(&cyclic, &"self".into(), &cyclic).expect("cycle");
    dispatch(EMBED_ORIGIN, &embed, &cyclic);
    let deep = format!("{}{}", "[".repeat(40), "]".repeat(40));
    dispatch(EMBED_ORIGIN, &embed, &json(&deep));
    // Deep enough to exhaust the wasm stack of a recursive reader.
    let mut abyss = js_sys::Object::new();
    for _ in 0..200_000 {
        let outer = js_sys::Object::new();
        js_sys::Reflect::set(&outer, &"data".into(), &abyss).expect("nest");
        abyss = outer;
    }
    dispatch(EMBED_ORIGIN, &embed, &abyss);
    let large = format!(r#"{{"type":"x","data":"{}"}}"#, "a".repeat(70_000));
    dispatch(EMBED_ORIGIN, &embed, &json(&large));

    // Plain JSON, but no envelope: nothing, a string, and an array (which a derived
    // struct would otherwise read field by field).
    dispatch(EMBED_ORIGIN, &embed, &wasm_bindgen::JsValue::NULL);
    dispatch(EMBED_ORIGIN, &embed, &"zp-call-ringing-event".into());
    dispatch(
        EMBED_ORIGIN,
        &embed,
        &json(r#"["zp-call-ringing-event", {}]"#),
    );

    app.genuine_event_shows().await;
    assert_eq!(app.rejected("not-an-envelope"), 3);
    assert_eq!(app.rejected("not-json"), 3);
    assert_eq!(app.rejected("too-deep"), 2);
    assert_eq!(app.rejected("too-large"), 1);
    assert_eq!(app.data_rejected(), "9");
}

fn sms() -> EmbedCommand {
    EmbedCommand::InputSms {
        number: "+14155550123".into(),
    }
}

/// The console verdicts of every `zp-input-sms`, in order.
fn sms_verdicts(app: &Mounted) -> Vec<Verdict> {
    app.state.with_console(|lines| {
        lines
            .iter()
            .filter(|l| l.kind == "zp-input-sms")
            .map(|l| l.verdict.clone())
            .collect()
    })
}

fn ready(app: &Mounted) -> bool {
    app.state.ready.get_untracked()
}

#[wasm_bindgen_test]
async fn a_command_sent_before_load_is_delivered_once_after_init() {
    let app = Mounted::with(BridgeTimings::default(), Some((sms(), Some(42))));
    assert_eq!(sms_verdicts(&app), [Verdict::Queued]);
    wait_for("the embed to load", || ready(&app)).await;
    assert_eq!(sms_verdicts(&app), [Verdict::Queued, Verdict::Sent]);
    let kinds: Vec<String> = app.state.with_console(|lines| {
        lines
            .iter()
            .filter(|l| l.verdict == Verdict::Sent)
            .map(|l| l.kind.clone())
            .collect()
    });
    assert_eq!(kinds, ["zp-init-config", "zp-input-sms"]);
    assert!(app.state.notices.with_untracked(|n| n.is_empty()));
}

#[wasm_bindgen_test]
async fn a_command_past_its_time_to_live_is_reported_and_never_sent() {
    let timings = BridgeTimings {
        command_ttl_ms: 0,
        ..BridgeTimings::default()
    };
    let app = Mounted::with(timings, Some((sms(), Some(42))));
    wait_for("the embed to load", || ready(&app)).await;
    assert_eq!(sms_verdicts(&app), [Verdict::Queued, Verdict::Expired]);
    let notice = untrack(|| app.state.notice_for(42));
    let notice = notice.expect("a notice on the row that asked");
    assert_eq!(notice.message, NOT_SENT);
    let hrefs: Vec<&str> = notice.links.iter().map(|l| l.href.as_str()).collect();
    assert_eq!(hrefs, ["zoomphonesms://+14155550123"]);
}
