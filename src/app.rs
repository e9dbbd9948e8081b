//! Layout and context providers.

use dialdesk_contract::AppConfig;
use leptos::html::Iframe;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::ApiClient;
use crate::browser::{use_smart_embed, BridgeServices};
use crate::components::{
    CallBanner, CallsView, ContactEditor, ContactTable, DispositionPanel, EditorCtx, EmbedPane,
    TopBar,
};
use crate::domain::protocol::InitConfig;
use crate::state::{
    BridgeState, CallLogs, CallerIdCtx, ContactsCtx, GuardCtx, Journal, LogNames, ScreenPop,
    ShortcutsCtx,
};

/// Where start-up stands.
#[derive(Debug, Clone)]
enum Boot {
    Starting,
    Ready(Box<AppConfig>),
    Failed(String),
}

/// The application: starts the session, loads configuration, then the workspace.
#[component]
pub fn App() -> AnyView {
    let api = ApiClient::default();
    provide_context(api.clone());
    let boot = RwSignal::new(Boot::Starting);
    let start = move || {
        boot.set(Boot::Starting);
        let api = api.clone();
        spawn_local(async move {
            let loaded = match api.start_session().await {
                Ok(_) => api.config().await,
                Err(e) => Err(e),
            };
            boot.set(match loaded {
                Ok(config) => Boot::Ready(Box::new(config)),
                Err(e) => Boot::Failed(e.to_string()),
            });
        });
    };
    start();
    (move || match boot.get() {
        Boot::Starting => view! { <div class="boot">"Starting dialdesk…"</div> }.into_any(),
        Boot::Ready(config) => view! { <Workspace config=*config /> }.into_any(),
        Boot::Failed(error) => {
            let start = start.clone();
            view! {
                <div class="boot boot-error" role="alert">
                    <h1>"dialdesk cannot start"</h1>
                    <p>{error}</p>
                    <button on:click=move |_| start()>"Try again"</button>
                </div>
            }
            .into_any()
        }
    })
    .into_any()
}

/// The workspace once configuration is known: contacts, call banner and the embed.
#[component]
fn Workspace(config: AppConfig) -> AnyView {
    let api = expect_context::<ApiClient>();
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

    let first_caller_id = config.caller_ids.first().map(|c| c.number.clone());
    provide_context(CallerIdCtx(RwSignal::new(first_caller_id)));
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
                    <CallsView />
                </div>
                <EmbedPane settings=config.embed embed iframe state />
            </main>
            <ContactEditor />
        </div>
    }
    .into_any()
}
