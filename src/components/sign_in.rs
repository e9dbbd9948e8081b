//! The sign-in screen (`auth = "zoom"`): shown at start without a session, and once
//! when a later request is refused, with the proxy's reason. It never redirects by
//! itself; the link starts the sign-in.

use leptos::prelude::*;

/// The sign-in screen, with `reason` when a session ended under the user.
#[component]
pub fn SignIn(reason: Option<String>) -> AnyView {
    view! {
        <main class="sign-in" aria-labelledby="sign-in-title">
            <div class="sign-in-card">
                <h1 id="sign-in-title" class="brand">
                    <span class="brand-mark" aria-hidden="true"></span>
                    "dialdesk"
                </h1>
                <p>"Click-to-call and call logging for Zoom Phone: sign in with your Zoom \
                    account to open your workspace."</p>
                {reason.map(|reason| view! {
                    <p id="sign-in-reason" class="sign-in-reason" role="alert">{reason}</p>
                    <p class="hint">"Call logs not sent yet are kept in this browser and are \
                        sent once you are signed in."</p>
                })}
                <a id="sign-in" class="button primary" href="/auth/login">"Sign in with Zoom"</a>
            </div>
        </main>
    }
    .into_any()
}
