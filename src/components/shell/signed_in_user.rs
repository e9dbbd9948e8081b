//! The signed-in rep's name and **Sign out**, with the reason when signing out fails.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::ApiClient;
use crate::domain::zoom::Gate;
use crate::state::SessionCtx;

/// The rep's name (once `GET /api/me` answered) and **Sign out**.
#[component]
pub fn SignedInUser() -> impl IntoView {
    let session = expect_context::<SessionCtx>();
    let api = expect_context::<ApiClient>();
    let failure = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let sign_out = move |_| {
        let api = api.clone();
        busy.set(true);
        failure.set(None);
        spawn_local(async move {
            match api.sign_out().await {
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
    view! {
        <span class="session">
            <span class="signed-in-user">{move || session.name()}</span>
            <button id="sign-out" type="button" disabled=move || busy.get() on:click=sign_out>
                "Sign out"
            </button>
            <span class="sign-out-error" role="alert">
                {move || failure.get()}
            </span>
        </span>
    }
}
