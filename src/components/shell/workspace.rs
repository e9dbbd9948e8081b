//! The workspace once configuration is known: the services every component takes
//! from context, and the layout.

use dialdesk_contract::{AppConfig, Role};
use leptos::html::Iframe;
use leptos::prelude::*;

use super::{TopBar, WorkTabs, CALLER_ID_KEY};
use crate::api::ApiClient;
use crate::browser::{storage, use_smart_embed, BridgeServices};
use crate::components::{CallBanner, ContactEditor, DispositionPanel, EmbedPane};
use crate::domain::protocol::InitConfig;
use crate::domain::zoom::{caller_choice, signed_out, Gate};
use crate::state::{
    BridgeState, CallLogs, CallerIdCtx, ContactsCtx, EditorCtx, GuardCtx, Journal, LogNames,
    ScreenPop, SessionCtx, ShortcutsCtx, WorkTab, WorkTabCtx,
};

/// The workspace: contacts, the current call, the call logs and the embed, for a
/// person of `role` whose drafts and queues are kept as `owner`'s. `screen` takes the
/// sign-in screen when the session ends under the rep.
#[component]
pub fn Workspace(
    config: AppConfig,
    role: Role,
    oversees: Vec<String>,
    owner: String,
    screen: RwSignal<Option<Gate>>,
) -> impl IntoView {
    let api = expect_context::<ApiClient>();
    let auth = config.auth;
    let me_api = api.clone();
    let session = SessionCtx {
        auth,
        role,
        oversees: StoredValue::new(oversees),
        me: LocalResource::new(move || {
            let api = me_api.clone();
            async move {
                if auth == dialdesk_contract::AuthMode::Zoom {
                    api.me().await.ok()
                } else {
                    None
                }
            }
        }),
        screen,
    };
    provide_context(session);
    // A later 401 (the session ended, or Zoom refused the rep's tokens) shows the
    // sign-in screen, once, with the proxy's reason.
    api.on_refused(move |message| {
        if screen.try_with_untracked(Option::is_none) == Some(true) {
            if let Some(next) = signed_out(&Gate::Ready, auth, &message) {
                screen.try_set(Some(next));
            }
        }
    });

    let configured = StoredValue::new(config.caller_ids.clone());
    let picked = RwSignal::new(storage::read(CALLER_ID_KEY));
    let options = Memo::new(move |_| {
        let mine = session.caller_ids();
        configured.with_value(|ids| caller_choice(mine.as_deref(), ids, None).0)
    });
    let selected = Memo::new(move |_| {
        let mine = session.caller_ids();
        let picked = picked.get();
        configured.with_value(|ids| caller_choice(mine.as_deref(), ids, picked.as_deref()).1)
    });
    provide_context(CallerIdCtx {
        picked,
        options,
        selected,
    });

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
        &owner,
        Some(contacts),
    );
    provide_context(logs);
    let pop = ScreenPop::new(api.clone(), Some(logs), Some(state), Some(contacts));
    provide_context(pop);
    let services = BridgeServices {
        journal: Some(Journal::new(api.clone(), state, &owner)),
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
    provide_context(WorkTabCtx(RwSignal::new(WorkTab::Contacts)));

    // In a 1366×650 window the table keeps at least eight rows with the disposition
    // panel open beside it, and the embed its full 350×580.
    view! {
        <div class="app">
            <TopBar />
            <main class="workspace">
                <div class="work-column">
                    <CallBanner />
                    <div class="work-area">
                        <div class="work-main">
                            <WorkTabs />
                        </div>
                        <DispositionPanel />
                    </div>
                </div>
                <EmbedPane />
            </main>
            <ContactEditor />
        </div>
    }
}
