//! The list of keyboard shortcuts, opened with `?` (or its button in the top bar).

use leptos::html::Dialog;
use leptos::prelude::*;

use crate::browser::use_shortcuts;
use crate::state::ShortcutsCtx;

/// Every shortcut and what it does.
const SHORTCUTS: [(&str, &str); 8] = [
    ("/", "Search the contacts"),
    ("↓ or j, ↑ or k", "Move to the next or previous row"),
    ("↓ in the search box", "Move into the results"),
    (
        "Enter",
        "Call the current row (in the search box: the current row, or the first result)",
    ),
    ("t", "Text the current row"),
    ("e", "Edit the current row's contact"),
    ("← →", "Move between tabs"),
    ("?", "Show this list"),
];

/// The dialog; `open` shows it.
#[component]
pub fn ShortcutsHelp(open: RwSignal<bool>) -> impl IntoView {
    let ShortcutsCtx(enabled) = expect_context::<ShortcutsCtx>();
    use_shortcuts(enabled, move |key| {
        let asked = key == "?";
        if asked {
            open.set(true);
        }
        asked
    });
    let dialog = NodeRef::<Dialog>::new();
    Effect::new(move || {
        if let (true, Some(dialog)) = (open.get(), dialog.get()) {
            if !dialog.open() {
                let _ = dialog.show_modal();
            }
        }
    });
    view! {
        <dialog
            class="shortcuts-help"
            node_ref=dialog
            aria-labelledby="shortcuts-title"
            on:close=move |_| open.set(false)
        >
            <h2 id="shortcuts-title">"Keyboard shortcuts"</h2>
            <p class="hint">"They work outside text fields, while the switch in the top bar is on."</p>
            <dl>
                {SHORTCUTS
                    .iter()
                    .map(|(keys, what)| view! {
                        <dt><kbd>{*keys}</kbd></dt>
                        <dd>{*what}</dd>
                    })
                    .collect_view()}
            </dl>
            <div class="form-actions">
                <button
                    type="button"
                    class="primary"
                    on:click=move |_| {
                        if let Some(dialog) = dialog.get_untracked() {
                            dialog.close();
                        }
                    }
                >
                    "Close"
                </button>
            </div>
        </dialog>
    }
}
