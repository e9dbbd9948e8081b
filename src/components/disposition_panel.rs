//! The disposition panel: opens when a call ends (or the embed asks to save its log),
//! keeps every keystroke in browser storage, and saves through the outbox. The form
//! is markup ([`super::log_html`]) wired by delegation.

use leptos::prelude::*;
use web_sys::Element;

use super::log_html::disposition_form;
use crate::browser::dom::{find, focus, input_value, pressed};
use crate::browser::use_clock;
use crate::domain::call::format_duration;
use crate::state::CallLogs;

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
    let wrap_up = move || {
        let left = entry()?.wrap_up_left(now())?;
        Some(format!("Wrap-up: {} left", format_duration(left)))
    };
    let can_extend =
        move || entry().is_some_and(|e| !e.extended && e.wrap_up_left(now()).is_some());

    view! {
        <section
            class="disposition-panel"
            node_ref=section
            aria-labelledby="disposition-title"
            hidden=move || markup.with(Option::is_none)
            on:input=on_input
            on:change=on_input
            on:submit=on_submit
            on:click=on_click
        >
            <h2 id="disposition-title">"Call disposition"</h2>
            <p
                class="log-status"
                role="status"
                data-status=move || entry().map(|e| e.status.name())
            >
                {move || entry().map(|e| e.describe())}
            </p>
            <p class="wrap-up" hidden=move || wrap_up().is_none()>
                <span class="wrap-up-left">{wrap_up}</span>
                " "
                <button type="button" class="wrap-up-extend" hidden=move || !can_extend()>
                    "More time"
                </button>
            </p>
            <div class="log-body" inner_html=move || markup.get().unwrap_or_default()></div>
        </section>
    }
    .into_any()
}
