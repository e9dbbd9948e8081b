//! The sign-in screen (`auth = "zoom"`): shown at start without a session, and once
//! when a later request is refused, with the proxy's reason. It never redirects by
//! itself; the link starts the sign-in. Markup ([`super::zoom_html::sign_in_html`]).

use leptos::prelude::*;

use super::zoom_html::sign_in_html;

/// The sign-in screen, with `reason` when a session ended under the user.
#[component]
pub fn SignIn(reason: Option<String>) -> AnyView {
    view! {
        <main class="sign-in" aria-labelledby="sign-in-title" inner_html=sign_in_html(reason.as_deref())></main>
    }
    .into_any()
}
