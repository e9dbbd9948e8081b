//! The Smart Embed pane: the iframe (or the host of the one Zoom's loader script
//! makes) and a placeholder of the same size while it loads. The bridge's status and
//! console sit in the top bar, so the embed keeps the pane's whole height.

use dialdesk_contract::EmbedLoader;
use leptos::prelude::*;

use crate::browser::{use_sdk_loader, SmartEmbed, EMBED_IFRAME_ID};
use crate::state::BridgeState;

/// The embed pane, for the bridge in context. The iframe is rendered with its `src`
/// set at creation; its `load` tells the bridge.
#[component]
pub fn EmbedPane() -> impl IntoView {
    let embed = expect_context::<SmartEmbed>();
    let state = expect_context::<BridgeState>();
    let settings = embed.settings();
    let frame = match (settings.loader, settings.sdk_url.clone()) {
        (EmbedLoader::Sdk, Some(sdk_url)) => {
            let host = NodeRef::new();
            use_sdk_loader(sdk_url, embed, host);
            view! { <div id="zoom-embed-host" class="embed-host" node_ref=host></div> }.into_any()
        }
        _ => {
            let allow = format!("clipboard-read; clipboard-write {}", settings.origin);
            view! {
                <iframe
                    id=EMBED_IFRAME_ID
                    node_ref=embed.frame_ref()
                    src=settings.url
                    title="Zoom Phone"
                    allow=allow
                    on:load=move |_| embed.on_load()
                ></iframe>
            }
            .into_any()
        }
    };
    view! {
        <section
            class="embed-pane"
            aria-label="Zoom Phone"
            data-ready=move || state.ready.get().to_string()
            data-accepted=move || state.accepted().to_string()
            data-rejected=move || state.rejects.with(|r| r.total()).to_string()
        >
            <div class="embed-frame">
                <div class="embed-placeholder" class:hidden=move || state.ready.get()>
                    "Loading Zoom Phone…"
                </div>
                {frame}
            </div>
        </section>
    }
}
