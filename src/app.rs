//! The application: start-up (configuration, then the session), then the workspace or
//! the sign-in screen.

use dialdesk_contract::{AppConfig, Role};
use leptos::prelude::*;

use crate::api::ApiClient;
use crate::components::shell::{BootError, SignIn, Workspace};
use crate::domain::owner::owner_key;
use crate::domain::zoom::{started, Gate};

/// What start-up found: the configuration (when it loaded), the screen to show and
/// what the person may do.
#[derive(Debug, Clone)]
struct Started {
    config: Option<AppConfig>,
    gate: Gate,
    role: Role,
    /// Whose unlogged calls this person may pick besides their own.
    oversees: Vec<String>,
    /// Whose drafts and queues this page works with.
    owner: String,
}

/// Loads the configuration, then starts the session (the proxy sets its cookie).
async fn start(api: ApiClient) -> Started {
    match api.config().await {
        Ok(config) => {
            let session = api.start_session().await;
            let role = session.as_ref().map_or(Role::Rep, |s| s.role);
            let oversees = session
                .as_ref()
                .map(|s| s.oversees.clone())
                .unwrap_or_default();
            let owner = owner_key(session.as_ref().ok().and_then(|s| s.user_id.as_deref()));
            let refused = session.err().map(|e| (e.status(), e.to_string()));
            Started {
                gate: started(config.auth, refused),
                config: Some(config),
                role,
                oversees,
                owner,
            }
        }
        Err(e) => Started {
            config: None,
            gate: Gate::Failed(e.to_string()),
            role: Role::Rep,
            oversees: Vec::new(),
            owner: owner_key(None),
        },
    }
}

/// The application. Start-up is one resource: its screen shows under `Suspense`, and a
/// failure's **Try again** fetches it again.
#[component]
pub fn App() -> impl IntoView {
    let api = ApiClient::default();
    provide_context(api.clone());
    let boot = LocalResource::new(move || start(api.clone()));
    // The screen that replaced the workspace later (sign-out, a refused session).
    let screen = RwSignal::new(None::<Gate>);
    let retry = Callback::new(move |()| {
        screen.set(None);
        boot.refetch();
    });
    // No `Suspense` here: one would also wait for every resource read anywhere below it
    // (the editor's saved calls, the signed-in user), and each time one loads again it
    // takes the whole workspace out of the document and puts it back, which reloads the
    // embed's iframe and drops a dialog's modal state.
    move || match boot.get() {
        None => view! { <div class="boot" role="status">"Starting dialdesk…"</div> }.into_any(),
        Some(Started {
            config,
            gate,
            role,
            oversees,
            owner,
        }) => match (screen.get().unwrap_or(gate), config) {
            (Gate::Ready, Some(config)) => {
                view! { <Workspace config role oversees owner screen /> }.into_any()
            }
            (Gate::SignIn(reason), _) => view! { <SignIn reason /> }.into_any(),
            (Gate::Failed(error), _) => view! { <BootError error retry /> }.into_any(),
            (Gate::Ready, None) => {
                let error = "the configuration did not load".to_owned();
                view! { <BootError error retry /> }.into_any()
            }
        },
    }
}
