//! The sign-in screen (`auth = "zoom"`): the product, one sentence, the reason when a
//! session ended under the rep, and the link that starts the sign-in. It never
//! redirects by itself.

use leptos::prelude::*;

/// The sign-in screen; `reason` is the proxy's message when a session ended.
#[component]
pub fn SignIn(reason: Option<String>) -> impl IntoView {
    let reason = reason.map(|reason| {
        view! {
            <p id="sign-in-reason" class="sign-in-reason" role="alert">{reason}</p>
            <p class="hint">
                "Call logs not sent yet are kept in this browser and are sent once you are \
                 signed in."
            </p>
        }
    });
    view! {
        <main class="sign-in" aria-labelledby="sign-in-title">
            <div class="sign-in-card">
                <h1 id="sign-in-title" class="brand">
                    <span class="brand-mark" aria-hidden="true"></span>
                    "dialdesk"
                </h1>
                <p>
                    "Click-to-call and call logging for Zoom Phone: sign in with your Zoom \
                     account to open your workspace."
                </p>
                {reason}
                <a id="sign-in" class="button primary" href="/auth/login">
                    "Sign in with Zoom"
                </a>
            </div>
        </main>
    }
}
