//! The Smart Embed pane: the iframe, a placeholder of the same size while it loads,
//! and the bridge's status line.

use dialdesk_contract::{EmbedLoader, EmbedSettings};
use leptos::html::Iframe;
use leptos::prelude::*;

use super::BridgeConsole;
use crate::browser::{use_sdk_loader, SmartEmbed, EMBED_IFRAME_ID};
use crate::state::BridgeState;

/// The embed iframe; rendered only once configuration has arrived, `src` set at creation.
#[component]
pub fn EmbedPane(
    settings: EmbedSettings,
    embed: SmartEmbed,
    iframe: NodeRef<Iframe>,
    state: BridgeState,
) -> AnyView {
    let console_open = RwSignal::new(false);
    let allow = format!("clipboard-read; clipboard-write {}", settings.origin);
    let rejected = move || state.rejects.with(|r| r.total());
    let status = move || {
        if state.ready.get() {
            "Smart Embed connected".to_owned()
        } else {
            match state.waiting.get() {
                0 => "Waiting for the Smart Embed to load…".to_owned(),
                n => format!("Waiting for the Smart Embed to load… ({n} queued)"),
            }
        }
    };
    let rejects = move || {
        let total = rejected();
        (total > 0).then(|| {
            let plural = if total == 1 { "" } else { "s" };
            view! {
                <span class="bridge-rejects" title=move || state.last_reject.get().unwrap_or_default()>
                    {format!("{total} message{plural} rejected")}
                </span>
            }
        })
    };
    view! {
        <section
            class="embed-pane"
            aria-label="Zoom Phone"
            data-rejected=rejected
            data-accepted=move || state.accepted()
            data-ready=move || state.ready.get().to_string()
        >
            <div class="embed-frame">
                <div class="embed-placeholder" class:hidden=move || state.ready.get()>
                    "Loading Zoom Phone…"
                </div>
                {match (settings.loader, settings.sdk_url.clone()) {
                    (EmbedLoader::Sdk, Some(sdk_url)) => {
                        use_sdk_loader(sdk_url, embed);
                        view! { <div id="zoom-embed-host" class="embed-host"></div> }.into_any()
                    }
                    _ => {
                        view! {
                            <iframe
                                id=EMBED_IFRAME_ID
                                node_ref=iframe
                                src=settings.url.clone()
                                title="Zoom Phone"
                                allow=allow
                                on:load=move |_| embed.on_load()
                            ></iframe>
                        }
                            .into_any()
                    }
                }}
            </div>
            <footer class="bridge-status">
                <span class="bridge-state" class:ready=move || state.ready.get() role="status">
                    {status}
                </span>
                {rejects}
                <button
                    class="console-toggle"
                    aria-controls="bridge-console"
                    aria-expanded=move || console_open.get().to_string()
                    on:click=move |_| console_open.update(|open| *open = !*open)
                >
                    "Console"
                </button>
            </footer>
            <BridgeConsole state open=console_open />
        </section>
    }
    .into_any()
}
