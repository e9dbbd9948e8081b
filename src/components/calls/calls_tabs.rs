//! The calls view, the unlogged calls and the Zoom directory as tabs (`auth =
//! "zoom"`). ← and → move between the tabs. A panel is made when first shown and then
//! kept (hidden), so a recording playing in it goes on while another tab shows.

use leptos::prelude::*;

use super::{CallsView, Directory, UnloggedCalls};

/// The tabs, in order: (tab id, panel id, label).
const TABS: [(&str, &str, &str); 3] = [
    ("tab-calls", "panel-calls", "Calls"),
    ("tab-unlogged", "panel-unlogged", "Unlogged calls"),
    ("tab-directory", "panel-directory", "Directory"),
];

/// The tab list and its three panels.
#[component]
pub fn CallsTabs() -> impl IntoView {
    let selected = RwSignal::new(0_usize);
    // Which panels were shown once (and so are kept).
    let visited = RwSignal::new([true, false, false]);
    let buttons: [NodeRef<leptos::html::Button>; 3] =
        [NodeRef::new(), NodeRef::new(), NodeRef::new()];
    let select = move |index: usize| {
        selected.set(index);
        visited.update(|v| v[index] = true);
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let step = match ev.key().as_str() {
            "ArrowLeft" => TABS.len() - 1,
            "ArrowRight" => 1,
            _ => return,
        };
        ev.prevent_default();
        let next = (selected.get_untracked() + step) % TABS.len();
        select(next);
        // The tab that is now selected takes the focus.
        if let Some(tab) = buttons[next].get_untracked() {
            let _ = tab.focus();
        }
    };
    let tab = move |index: usize| {
        let (id, panel, label) = TABS[index];
        view! {
            <button
                type="button"
                role="tab"
                id=id
                node_ref=buttons[index]
                aria-controls=panel
                aria-selected=move || (selected.get() == index).to_string()
                tabindex=move || if selected.get() == index { "0" } else { "-1" }
                on:click=move |_| select(index)
            >
                {label}
            </button>
        }
    };
    let shown = move |index: usize| move || selected.get() != index;
    view! {
        <div class="calls-area">
            <div class="calls-tabs" role="tablist" aria-label="Calls" on:keydown=on_key>
                {tab(0)}
                {tab(1)}
                {tab(2)}
            </div>
            <div id="panel-calls" role="tabpanel" aria-labelledby="tab-calls" hidden=shown(0)>
                <CallsView />
            </div>
            <div id="panel-unlogged" role="tabpanel" aria-labelledby="tab-unlogged" hidden=shown(1)>
                <Show when=move || visited.with(|v| v[1])>
                    <UnloggedCalls />
                </Show>
            </div>
            <div id="panel-directory" role="tabpanel" aria-labelledby="tab-directory" hidden=shown(2)>
                <Show when=move || visited.with(|v| v[2])>
                    <Directory />
                </Show>
            </div>
        </div>
    }
}
