//! The Smart Embed pane: the iframe, a placeholder of the same size while it loads,
//! and the bridge's status line.

use dialdesk_contract::{EmbedLoader, EmbedSettings};
use leptos::html::Iframe;
use leptos::prelude::*;
use web_sys::Element;

use super::BridgeConsole;
use crate::browser::dom::{find, set_flag};
use crate::browser::{use_sdk_loader, SmartEmbed, EMBED_IFRAME_ID};
use crate::state::BridgeState;

/// What the pane's status shows. The default is the pane as first rendered.
#[derive(Debug, Clone, Default, PartialEq)]
struct Status {
    ready: bool,
    waiting: usize,
    accepted: u64,
    rejected: u32,
    /// Why the latest message was rejected.
    last_reject: String,
}

impl Status {
    /// The status line.
    fn line(&self) -> String {
        match (self.ready, self.waiting) {
            (true, _) => "Smart Embed connected".to_owned(),
            (false, 0) => "Waiting for the Smart Embed to load…".to_owned(),
            (false, n) => format!("Waiting for the Smart Embed to load… ({n} queued)"),
        }
    }

    /// How many messages were rejected, in words.
    fn rejects(&self) -> String {
        let plural = if self.rejected == 1 { "" } else { "s" };
        format!("{} message{plural} rejected", self.rejected)
    }
}

/// Brings the pane from `old` to `new`, touching only what changed.
fn show_status(pane: &Element, old: &Status, new: &Status) {
    let set = |element: &Element, name: &str, value: &str| {
        let _ = element.set_attribute(name, value);
    };
    if old.ready != new.ready {
        set(pane, "data-ready", if new.ready { "true" } else { "false" });
        if let Some(placeholder) = find(pane, ".embed-placeholder") {
            placeholder
                .class_list()
                .toggle_with_force("hidden", new.ready)
                .ok();
        }
    }
    if old.accepted != new.accepted {
        set(pane, "data-accepted", &new.accepted.to_string());
    }
    if old.rejected != new.rejected {
        set(pane, "data-rejected", &new.rejected.to_string());
    }
    if let Some(state) = find(pane, ".bridge-state") {
        if old.ready != new.ready {
            state
                .class_list()
                .toggle_with_force("ready", new.ready)
                .ok();
        }
        if (old.ready, old.waiting) != (new.ready, new.waiting) {
            state.set_text_content(Some(&new.line()));
        }
    }
    if let Some(rejects) = find(pane, ".bridge-rejects") {
        if old.rejected != new.rejected {
            set_flag(&rejects, "hidden", new.rejected == 0);
            rejects.set_text_content(Some(&new.rejects()));
        }
        if old.last_reject != new.last_reject {
            set(&rejects, "title", &new.last_reject);
        }
    }
}

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
    let pane = NodeRef::<leptos::html::Section>::new();
    // The status is fixed markup kept by one effect.
    Effect::new(move |old: Option<Status>| {
        let new = Status {
            ready: state.ready.get(),
            waiting: state.waiting.get(),
            accepted: state.accepted(),
            rejected: state.rejects.with(|r| r.total()),
            last_reject: state.last_reject.get().unwrap_or_default(),
        };
        if let Some(pane) = pane.get() {
            show_status(&pane, &old.unwrap_or_default(), &new);
        }
        new
    });
    view! {
        <section
            class="embed-pane"
            node_ref=pane
            aria-label="Zoom Phone"
            data-rejected="0"
            data-accepted="0"
            data-ready="false"
        >
            <div class="embed-frame">
                <div class="embed-placeholder">
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
                <span class="bridge-state" role="status">
                    "Waiting for the Smart Embed to load…"
                </span>
                <span class="bridge-rejects" hidden=true></span>
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_says_whether_the_embed_is_ready_and_what_was_rejected() {
        let mut status = Status::default();
        assert_eq!(status.line(), "Waiting for the Smart Embed to load…");
        status.waiting = 2;
        assert_eq!(
            status.line(),
            "Waiting for the Smart Embed to load… (2 queued)"
        );
        status.ready = true;
        assert_eq!(status.line(), "Smart Embed connected");
        status.rejected = 1;
        assert_eq!(status.rejects(), "1 message rejected");
        status.rejected = 3;
        assert_eq!(status.rejects(), "3 messages rejected");
    }
}
