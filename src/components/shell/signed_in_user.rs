//! The signed-in rep's menu: their name, opening **Sign out** and **Sign out
//! everywhere**, with the reason when signing out fails.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::ApiClient;
use crate::domain::zoom::Gate;
use crate::state::SessionCtx;

/// The rep's name (once `GET /api/me` answered) as a menu of **Sign out** (this
/// browser) and **Sign out everywhere** (every browser, and dialdesk's Zoom access
/// revoked).
#[component]
pub fn SignedInUser() -> impl IntoView {
    let session = expect_context::<SessionCtx>();
    let api = expect_context::<ApiClient>();
    let failure = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let sign_out = move |everywhere: bool| {
        let api = api.clone();
        busy.set(true);
        failure.set(None);
        spawn_local(async move {
            let done = if everywhere {
                api.sign_out_everywhere().await
            } else {
                api.sign_out().await
            };
            match done {
                Ok(()) => {
                    session.screen.try_set(Some(Gate::SignIn(None)));
                }
                Err(e) => {
                    failure.try_set(Some(format!("Signing out failed: {e}")));
                    busy.try_set(false);
                }
            }
        });
    };
    let sign_out_everywhere = sign_out.clone();
    view! {
        <span class="session">
            <details class="session-menu">
                <summary class="signed-in-user" title="Sign out">
                    {move || session.name()}
                </summary>
                <div class="session-actions">
                    <button
                        id="sign-out"
                        type="button"
                        disabled=move || busy.get()
                        on:click=move |_| sign_out(false)
                    >
                        "Sign out"
                    </button>
                    <button
                        id="sign-out-everywhere"
                        type="button"
                        title="End your dialdesk sessions in every browser and revoke dialdesk's access to your Zoom account"
                        disabled=move || busy.get()
                        on:click=move |_| sign_out_everywhere(true)
                    >
                        "Sign out everywhere"
                    </button>
                </div>
            </details>
            <span class="sign-out-error" role="alert">
                {move || failure.get()}
            </span>
        </span>
    }
}
