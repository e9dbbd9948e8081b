//! The calls this browser knows, each with where its log stands, and the outbox
//! banner ("N logs waiting") that clears itself once the saves land.

use leptos::prelude::*;
use web_sys::Element;

use super::disposition_panel::log_action;
use super::log_html::calls_list;
use crate::browser::dom::{find, pressed, set_flag};
use crate::domain::call_log::waiting;
use crate::state::{utc_day, CallLogs, TabRole};

/// The notes over the list. The default is the view as first rendered: all hidden.
#[derive(Debug, Clone, Default, PartialEq)]
struct Notes {
    /// "N logs waiting to be sent", while some are.
    banner: Option<String>,
    /// Whether this tab works alone (no Web Locks).
    alone: bool,
    /// Why drafts cannot be kept here, if they cannot.
    storage_error: Option<String>,
}

impl Notes {
    /// The outbox banner for `waiting` saves.
    fn banner(waiting: usize) -> Option<String> {
        match waiting {
            0 => None,
            1 => Some("1 log waiting to be sent".to_owned()),
            n => Some(format!("{n} logs waiting to be sent")),
        }
    }
}

/// Shows `text` in `selector` under `root`, hidden when there is none.
fn show_note(root: &Element, selector: &str, text: Option<&str>) {
    if let Some(note) = find(root, selector) {
        set_flag(&note, "hidden", text.is_none());
        note.set_text_content(Some(text.unwrap_or_default()));
    }
}

/// Brings the notes from `old` to `new`, touching only what changed.
fn show_notes(root: &Element, old: &Notes, new: &Notes) {
    if old.banner != new.banner {
        show_note(root, ".outbox-banner", new.banner.as_deref());
    }
    if old.alone != new.alone {
        if let Some(note) = find(root, ".alone-notice") {
            set_flag(&note, "hidden", !new.alone);
        }
    }
    if old.storage_error != new.storage_error {
        show_note(root, ".storage-notice", new.storage_error.as_deref());
    }
}

/// The calls list and the outbox banner.
#[component]
pub fn CallsView() -> AnyView {
    let logs = expect_context::<CallLogs>();
    let section = NodeRef::<leptos::html::Section>::new();
    // The notes are fixed markup kept by one effect.
    Effect::new(move |old: Option<Notes>| {
        let new = Notes {
            banner: Notes::banner(logs.with_entries(waiting)),
            alone: logs.role() == TabRole::Alone,
            storage_error: logs.storage_error(),
        };
        if let Some(section) = section.get() {
            show_notes(&section, &old.unwrap_or_default(), &new);
        }
        new
    });
    let list = move || logs.with_entries(|all| calls_list(all, &logs.codes()));
    let today = utc_day(0);
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(button) = pressed(&ev) else { return };
        let call_id = button
            .closest("[data-call-id]")
            .ok()
            .flatten()
            .and_then(|row| row.get_attribute("data-call-id"));
        if let Some(call_id) = call_id {
            log_action(logs, &call_id, &button);
        }
    };
    view! {
        <section
            class="calls-view"
            node_ref=section
            aria-labelledby="calls-title"
            on:click=on_click
        >
            <h2 id="calls-title">"Calls"</h2>
            <form class="export" method="get" action="/api/calls/logs.csv">
                <label>"From " <input type="date" name="from" required value=today.clone() /></label>
                <label>" to " <input type="date" name="to" required value=today /></label>
                <button type="submit">"Export CSV (UTC dates)"</button>
            </form>
            <p class="outbox-banner" role="status" hidden=true></p>
            <p class="notice alone-notice" hidden=true>
                "This browser offers no Web Locks here, so dialdesk works in this tab only: \
                 keep one tab open."
            </p>
            <p class="notice storage-notice" role="alert" hidden=true></p>
            <div class="calls-body" inner_html=list></div>
        </section>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_banner_counts_the_saves_waiting() {
        assert_eq!(Notes::banner(0), None);
        assert_eq!(
            Notes::banner(1).as_deref(),
            Some("1 log waiting to be sent")
        );
        assert_eq!(
            Notes::banner(3).as_deref(),
            Some("3 logs waiting to be sent")
        );
    }
}
