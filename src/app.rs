//! Layout and context providers.

use dialdesk_contract::AppConfig;
use leptos::html::Iframe;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::ApiClient;
use crate::browser::dom::pressed;
use crate::browser::{storage, use_smart_embed, BridgeServices};
use crate::components::{
    gate_html, CallBanner, CallsTabs, CallsView, ContactEditor, ContactTable, DispositionPanel,
    EditorCtx, EmbedPane, TopBar, CALLER_ID_KEY,
};
use crate::domain::protocol::InitConfig;
use crate::domain::zoom::{caller_choice, signed_out, started, Gate};
use crate::state::{
    BridgeState, CallLogs, CallerIdCtx, ContactsCtx, GuardCtx, Journal, LogNames, ScreenPop,
    SessionCtx, ShortcutsCtx,
};

/// The application: loads configuration, then the session; then the workspace, or
/// the sign-in screen when sign-in with Zoom is needed.
#[component]
pub fn App() -> AnyView {
    let api = ApiClient::default();
    provide_context(api.clone());
    let gate = RwSignal::new(Gate::Starting);
    let config = StoredValue::new(None::<AppConfig>);
    let auth = move || config.with_value(|c| c.as_ref().map(|c| c.auth).unwrap_or_default());
    let boot = api.clone();
    let start = move || {
        gate.set(Gate::Starting);
        let api = boot.clone();
        spawn_local(async move {
            let next = match api.config().await {
                Ok(loaded) => {
                    let session = api.start_session().await;
                    let refused = session.err().map(|e| (e.status(), e.to_string()));
                    let next = started(loaded.auth, refused);
                    config.set_value(Some(loaded));
                    next
                }
                Err(e) => Gate::Failed(e.to_string()),
            };
            gate.set(next);
        });
    };
    start();
    // A later 401 from any request (the session ended, or Zoom refused the user's
    // tokens) shows the sign-in screen, once, with the proxy's reason.
    api.on_refused(move |message| {
        if let Some(Some(next)) = gate.try_with_untracked(|g| signed_out(g, auth(), &message)) {
            gate.set(next);
        }
    });
    // Starting, sign-in and a failed start are one piece of markup; its only button
    // is Try again.
    (move || match gate.get() {
        Gate::Ready => config
            .get_value()
            .map(|config| view! { <Workspace config gate /> })
            .into_any(),
        other => {
            let start = start.clone();
            view! {
                <div class="gate" inner_html=gate_html(&other) on:click=move |ev| {
                    if pressed(&ev).is_some() {
                        start();
                    }
                }></div>
            }
            .into_any()
        }
    })
    .into_any()
}

/// The workspace once configuration is known: contacts, call banner and the embed.
#[component]
fn Workspace(config: AppConfig, gate: RwSignal<Gate>) -> AnyView {
    let api = expect_context::<ApiClient>();
    let session = SessionCtx {
        auth: config.auth,
        name: RwSignal::new(None),
        numbers: StoredValue::new(Vec::new()),
        gate,
    };
    provide_context(session);
    let picked = storage::read(CALLER_ID_KEY);
    let (_, caller_id) = caller_choice(None, &config.caller_ids, picked.as_deref());
    let caller = RwSignal::new(caller_id);
    provide_context(CallerIdCtx(caller));
    if session.zoom() {
        let api = api.clone();
        let configured = config.caller_ids.clone();
        spawn_local(async move {
            // Without it the configured caller IDs stay offered.
            let Ok(me) = api.me().await else { return };
            let picked = storage::read(CALLER_ID_KEY);
            let (_, selected) =
                caller_choice(Some(&me.phone_numbers), &configured, picked.as_deref());
            if session.numbers.try_set_value(me.phone_numbers).is_none() {
                session.name.set(Some(me.name));
                // Set even when unchanged: the picker shows the new options.
                caller.set(selected);
            }
        });
    }
    let contacts = ContactsCtx::new();
    provide_context(contacts);
    contacts.load(api.clone());

    let state = BridgeState::new(config.redact_numbers);
    let iframe = NodeRef::<Iframe>::new();
    let init = InitConfig::new(config.init_config, &config.dispositions);
    let logs = CallLogs::start(
        api.clone(),
        config.dispositions.clone(),
        config.call_logs.clone(),
        LogNames::default(),
        Some(contacts),
    );
    provide_context(logs);
    let pop = ScreenPop::new(api.clone(), Some(logs));
    provide_context(pop);
    let services = BridgeServices {
        journal: Some(Journal::new(api.clone(), state)),
        contacts: Some(contacts),
        api: Some(api),
        timings: config.bridge,
        logs: Some(logs),
        pop: Some(pop),
    };
    let embed = use_smart_embed(config.embed.clone(), init, iframe, state, services);
    provide_context(embed);
    provide_context(state);

    provide_context(ShortcutsCtx(RwSignal::new(true)));
    provide_context(GuardCtx(StoredValue::new(config.guard)));
    provide_context(EditorCtx(RwSignal::new(None)));

    view! {
        <div class="app">
            <TopBar caller_ids=config.caller_ids />
            <main class="workspace">
                <div class="work-column">
                    <CallBanner state />
                    <DispositionPanel />
                    <ContactTable />
                    {if session.zoom() {
                        view! { <CallsTabs /> }.into_any()
                    } else {
                        view! { <CallsView /> }.into_any()
                    }}
                </div>
                <EmbedPane settings=config.embed embed iframe state />
            </main>
            <ContactEditor />
        </div>
    }
    .into_any()
}
