//! The Smart Embed pane: the iframe (or the host of the one Zoom's loader script
//! makes), a placeholder of the same size while it loads, the bridge's status line and
//! its console.

use dialdesk_contract::EmbedLoader;
use leptos::prelude::*;

use super::{BridgeConsole, BridgeStatus};
use crate::browser::{use_sdk_loader, SmartEmbed, EMBED_IFRAME_ID};
use crate::state::BridgeState;

/// The embed pane, for the bridge in context. The iframe is rendered with its `src`
/// set at creation; its `load` tells the bridge.
#[component]
pub fn EmbedPane() -> impl IntoView {
    let embed = expect_context::<SmartEmbed>();
    let state = expect_context::<BridgeState>();
    let settings = embed.settings();
    let console_open = RwSignal::new(false);
    let frame = match (settings.loader, settings.sdk_url.clone()) {
        (EmbedLoader::Sdk, Some(sdk_url)) => {
            use_sdk_loader(sdk_url, embed);
            view! { <div id="zoom-embed-host" class="embed-host"></div> }.into_any()
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
            <BridgeStatus console_open />
            <BridgeConsole open=console_open />
        </section>
    }
}
