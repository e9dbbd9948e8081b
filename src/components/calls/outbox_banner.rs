//! "N logs waiting to be sent": shown while saves wait for the proxy, wherever the
//! rep is; it clears itself once they land.

use leptos::prelude::*;

use crate::domain::call_log::waiting;
use crate::state::{CallLogs, WorkTab, WorkTabCtx};

/// The banner's words for `waiting` saves.
fn words(waiting: usize) -> Option<String> {
    match waiting {
        0 => None,
        1 => Some("1 log waiting to be sent".to_owned()),
        n => Some(format!("{n} logs waiting to be sent")),
    }
}

/// The outbox banner, and the logs that need the agent (refused, or in conflict): one
/// click shows the Calls tab and the first of them in the form.
#[component]
pub fn OutboxBanner() -> impl IntoView {
    let logs = expect_context::<CallLogs>();
    let tab = use_context::<WorkTabCtx>();
    let pending = Memo::new(move |_| words(logs.with_entries(waiting)));
    let attention = Memo::new(move |_| logs.needing_attention());
    let attention_words = move || match attention.with(Vec::len) {
        0 => None,
        1 => Some("1 log needs you".to_owned()),
        n => Some(format!("{n} logs need you")),
    };
    view! {
        <p class="outbox-banner" role="status" hidden=move || pending.with(Option::is_none)>
            {move || pending.get()}
        </p>
        <Show when=move || attention.with(|ids| !ids.is_empty())>
            <button
                type="button"
                class="attention"
                on:click=move |_| {
                    if let Some(WorkTabCtx(tab)) = tab {
                        tab.set(WorkTab::Calls);
                    }
                    if let Some(first) = attention.with_untracked(|ids| ids.first().cloned()) {
                        logs.open_here(&first);
                    }
                }
            >
                {attention_words}
            </button>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_banner_counts_the_saves_waiting() {
        assert_eq!(words(0), None);
        assert_eq!(words(1).as_deref(), Some("1 log waiting to be sent"));
        assert_eq!(words(3).as_deref(), Some("3 logs waiting to be sent"));
    }
}
