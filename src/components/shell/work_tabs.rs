//! The work area's tabs: Contacts, Calls and, signed in with Zoom, Unlogged calls and
//! Directory. ← and → move between the tabs. A panel is made when first shown and then
//! kept (hidden), so the table keeps its place and a recording playing in a list goes
//! on while another tab shows.

use leptos::html::Button;
use leptos::prelude::*;

use crate::components::calls::{CallsView, Directory, UnloggedCalls};
use crate::components::ContactTable;
use crate::state::{SessionCtx, WorkTab, WorkTabCtx};

/// Every tab: what it is, its element id, its panel's id and its label.
const TABS: [(WorkTab, &str, &str, &str); 4] = [
    (
        WorkTab::Contacts,
        "tab-contacts",
        "panel-contacts",
        "Contacts",
    ),
    (WorkTab::Calls, "tab-calls", "panel-calls", "Calls"),
    (
        WorkTab::Unlogged,
        "tab-unlogged",
        "panel-unlogged",
        "Unlogged calls",
    ),
    (
        WorkTab::Directory,
        "tab-directory",
        "panel-directory",
        "Directory",
    ),
];

/// The tab list and the panels.
#[component]
pub fn WorkTabs() -> impl IntoView {
    let WorkTabCtx(selected) = expect_context::<WorkTabCtx>();
    let zoom = use_context::<SessionCtx>().is_some_and(|s| s.zoom());
    // The Zoom lookups exist only when reps sign in with Zoom.
    let count = if zoom { TABS.len() } else { 2 };
    let buttons: [NodeRef<Button>; 4] = std::array::from_fn(|_| NodeRef::new());
    let visited = RwSignal::new([true, true, false, false]);
    Effect::new(move || {
        let tab = selected.get();
        if let Some(at) = TABS.iter().position(|t| t.0 == tab) {
            if !visited.with_untracked(|v| v[at]) {
                visited.update(|v| v[at] = true);
            }
        }
    });
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let step = match ev.key().as_str() {
            "ArrowLeft" => count - 1,
            "ArrowRight" => 1,
            _ => return,
        };
        ev.prevent_default();
        let at = TABS
            .iter()
            .position(|t| t.0 == selected.get_untracked())
            .unwrap_or(0);
        let next = (at + step) % count;
        selected.set(TABS[next].0);
        if let Some(tab) = buttons[next].get_untracked() {
            let _ = tab.focus();
        }
    };
    let tab = move |at: usize| {
        let (which, id, panel, label) = TABS[at];
        let on = move || selected.get() == which;
        view! {
            <button
                type="button"
                role="tab"
                id=id
                node_ref=buttons[at]
                aria-controls=panel
                aria-selected=move || on().to_string()
                tabindex=move || if on() { "0" } else { "-1" }
                on:click=move |_| selected.set(which)
            >
                {label}
            </button>
        }
    };
    let hidden = move |which: WorkTab| move || selected.get() != which;
    let kept = move |at: usize| move || visited.with(|v| v[at]);
    view! {
        <div class="work-tabs" role="tablist" aria-label="Work" on:keydown=on_key>
            {(0..count).map(tab).collect_view()}
        </div>
        <div class="tab-panels">
            <div id="panel-contacts" class="tab-panel" role="tabpanel" aria-labelledby="tab-contacts"
                hidden=hidden(WorkTab::Contacts)>
                <ContactTable />
            </div>
            <div id="panel-calls" class="tab-panel" role="tabpanel" aria-labelledby="tab-calls"
                hidden=hidden(WorkTab::Calls)>
                <CallsView />
            </div>
            {zoom.then(|| view! {
                <div id="panel-unlogged" class="tab-panel" role="tabpanel"
                    aria-labelledby="tab-unlogged" hidden=hidden(WorkTab::Unlogged)>
                    <Show when=kept(2)>
                        <UnloggedCalls />
                    </Show>
                </div>
                <div id="panel-directory" class="tab-panel" role="tabpanel"
                    aria-labelledby="tab-directory" hidden=hidden(WorkTab::Directory)>
                    <Show when=kept(3)>
                        <Directory />
                    </Show>
                </div>
            })}
        </div>
    }
}
