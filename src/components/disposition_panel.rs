//! The disposition panel: opens when a call ends (or the embed asks to save its log),
//! keeps every keystroke in browser storage, and saves through the outbox. The form
//! is markup ([`super::log_html`]) wired by delegation.

use leptos::prelude::*;
use web_sys::Element;

use super::log_html::disposition_form;
use crate::browser::dom::{find, focus, input_value, pressed, set_flag, set_text};
use crate::browser::use_clock;
use crate::domain::call::format_duration;
use crate::domain::call_log::LogEntry;
use crate::state::CallLogs;

/// What the panel's own lines show. The default is the panel as first rendered:
/// hidden, with nothing in it.
#[derive(Debug, Clone, Default, PartialEq)]
struct Lines {
    shown: bool,
    /// The `data-status` of the status line.
    status: Option<&'static str>,
    describe: String,
    /// "Wrap-up: … left", while the timer runs.
    wrap_up: Option<String>,
    can_extend: bool,
}

impl Lines {
    /// The lines for the open `entry` at `now_ms`.
    fn of(entry: Option<&LogEntry>, now_ms: u64) -> Self {
        let Some(entry) = entry else {
            return Self::default();
        };
        let left = entry.wrap_up_left(now_ms);
        Self {
            shown: true,
            status: Some(entry.status.name()),
            describe: entry.describe(),
            wrap_up: left.map(|left| format!("Wrap-up: {} left", format_duration(left))),
            can_extend: !entry.extended && left.is_some(),
        }
    }
}

/// Brings the panel's lines from `old` to `new`, touching only what changed (the
/// status line is a live region: rewriting it would announce it again).
fn show_lines(section: &Element, old: &Lines, new: &Lines) {
    if old.shown != new.shown {
        set_flag(section, "hidden", !new.shown);
    }
    if let Some(line) = find(section, ".log-status") {
        if old.status != new.status {
            let _ = match new.status {
                Some(status) => line.set_attribute("data-status", status),
                None => line.remove_attribute("data-status"),
            };
        }
        if old.describe != new.describe {
            line.set_text_content(Some(&new.describe));
        }
    }
    if old.wrap_up != new.wrap_up {
        if let Some(line) = find(section, ".wrap-up") {
            set_flag(&line, "hidden", new.wrap_up.is_none());
        }
        set_text(
            section,
            ".wrap-up-left",
            new.wrap_up.as_deref().unwrap_or_default(),
        );
    }
    if old.can_extend != new.can_extend {
        if let Some(button) = find(section, ".wrap-up-extend") {
            set_flag(&button, "hidden", !new.can_extend);
        }
    }
}

/// Which button of the panel or the calls list was pressed, from its class.
pub fn log_action(logs: CallLogs, call_id: &str, button: &Element) {
    let class = button.class_name();
    if class.contains("log-retry") {
        logs.retry(call_id);
    } else if class.contains("keep-mine") {
        logs.settle(call_id, true);
    } else if class.contains("take-stored") {
        logs.settle(call_id, false);
    } else if class.contains("wrap-up-extend") {
        logs.extend(call_id);
    } else if class.contains("log-open") {
        logs.show(call_id);
    } else if class.contains("log-close") {
        logs.open.set(None);
    }
}

/// The panel of the call being logged.
#[component]
pub fn DispositionPanel() -> AnyView {
    let logs = expect_context::<CallLogs>();
    let clock = use_clock();
    let now = move || clock.get() as u64;
    Effect::new(move || logs.wrap_up_tick(now()));
    let section = NodeRef::<leptos::html::Section>::new();

    let entry = move || logs.open.get().and_then(|id| logs.get(&id));
    // Rebuilt on `revision` only (another call, a new status, refused fields, a
    // change made elsewhere), never while the agent types.
    let markup = Memo::new(move |_| {
        logs.revision.track();
        let id = logs.open.get()?;
        let entry = untrack(|| logs.get(&id))?;
        Some(disposition_form(&entry, &logs.codes(), &logs.errors()))
    });
    Effect::new(move || {
        markup.track();
        if let Some(first) = section.get().and_then(|s| find(&s, "[aria-invalid]")) {
            focus(&first);
        }
    });

    let on_input = move |_| {
        let (Some(id), Some(form)) = (logs.open.get_untracked(), section.get_untracked()) else {
            return;
        };
        logs.edit(
            &id,
            input_value(&form, "#log-disposition"),
            input_value(&form, "#log-notes"),
        );
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(id) = logs.open.get_untracked() {
            logs.save(&id);
        }
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        if let (Some(id), Some(button)) = (logs.open.get_untracked(), pressed(&ev)) {
            log_action(logs, &id, &button);
        }
    };
    // The status and wrap-up lines are fixed markup kept by one effect.
    Effect::new(move |old: Option<Lines>| {
        let new = Lines::of(entry().as_ref(), now());
        if let Some(section) = section.get() {
            show_lines(&section, &old.unwrap_or_default(), &new);
        }
        new
    });

    view! {
        <section
            class="disposition-panel"
            node_ref=section
            aria-labelledby="disposition-title"
            hidden=true
            on:input=on_input
            on:change=on_input
            on:submit=on_submit
            on:click=on_click
        >
            <h2 id="disposition-title">"Call disposition"</h2>
            <p class="log-status" role="status"></p>
            <p class="wrap-up" hidden=true>
                <span class="wrap-up-left"></span>
                " "
                <button type="button" class="wrap-up-extend" hidden=true>
                    "More time"
                </button>
            </p>
            <div class="log-body" inner_html=move || markup.get().unwrap_or_default()></div>
        </section>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lines_follow_the_open_entry_and_its_wrap_up() {
        assert_eq!(Lines::of(None, 0), Lines::default());
        let mut entry = LogEntry::new("c1", 0);
        entry.start_wrap_up(30, 0);
        let lines = Lines::of(Some(&entry), 5_000);
        assert!(lines.shown && lines.can_extend);
        assert_eq!(lines.status, Some("draft"));
        assert_eq!(lines.describe, "Not logged");
        assert_eq!(lines.wrap_up.as_deref(), Some("Wrap-up: 0:25 left"));
        entry.extend_wrap_up(30);
        assert!(!Lines::of(Some(&entry), 5_000).can_extend);
        entry.queue(6_000);
        let sent = Lines::of(Some(&entry), 7_000);
        assert_eq!((sent.wrap_up, sent.can_extend), (None, false));
        assert_eq!(sent.status, Some("waiting"));
    }
}
