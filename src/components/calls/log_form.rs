//! The form of one call's log: its summary, where its save stands, the wrap-up timer,
//! the disposition and notes, and what the status offers (Retry, both versions of a
//! conflict, who saved it).

use dialdesk_contract::{DispositionCode, DispositionGroup, FieldError};
use leptos::html::{Select, Textarea};
use leptos::prelude::*;

use super::{LogConflict, WrapUpLine};
use crate::browser::local_when_ms;
use crate::domain::call_log::{check, LogStatus};
use crate::state::{CallLogs, ContactsCtx};

/// The form of the log of call `call_id`. The fields show the stored draft when the
/// form opens and whenever it must be shown afresh (another tab, the embed's notes
/// page, a new status), never while the agent types.
#[component]
pub fn LogForm(call_id: String) -> impl IntoView {
    let logs = expect_context::<CallLogs>();
    let book = expect_context::<ContactsCtx>();
    let id = StoredValue::new(call_id);
    let entry = Memo::new(move |_| id.with_value(|id| logs.get(id)));
    // What the fields were last filled with: follows `revision`, not the typing.
    let filled = Memo::new(move |_| {
        logs.revision.track();
        untrack(|| entry.get())
            .map(|e| (e.draft.disposition, e.draft.notes))
            .unwrap_or_default()
    });
    let editable = move || entry.with(|e| e.as_ref().is_some_and(|e| e.editable()));
    let conflict = move || {
        entry.with(|e| {
            e.as_ref()
                .is_some_and(|e| matches!(e.status, LogStatus::Conflict { .. }))
        })
    };
    // Errors show once Save was pressed, and follow the fields as they change.
    let attempted = RwSignal::new(false);
    let errors = Memo::new(move |_| {
        if !attempted.get() {
            return Vec::<FieldError>::new();
        }
        let codes = logs.codes();
        entry.with(|e| {
            e.as_ref()
                .map(|e| check(&e.draft, &codes))
                .unwrap_or_default()
        })
    });
    let error_of = move |field: &'static str| {
        move || {
            errors.with(|all| {
                all.iter()
                    .find(|e| e.field == field)
                    .map(|e| e.message.clone())
            })
        }
    };
    let select = NodeRef::<Select>::new();
    let notes = NodeRef::<Textarea>::new();
    // Opened at the rep's request: the first field takes the focus.
    Effect::new(move || {
        if let (true, Some(select)) = (logs.focus_wanted.get(), select.get()) {
            let _ = select.focus();
            logs.focus_wanted.set(false);
        }
    });
    let current = move || {
        entry
            .get_untracked()
            .map(|e| (e.draft.disposition, e.draft.notes))
            .unwrap_or_default()
    };
    let on_code = move |ev| {
        let (_, notes) = current();
        id.with_value(|id| logs.edit(id, event_target_value(&ev), notes));
    };
    let on_notes = move |ev| {
        let (code, _) = current();
        id.with_value(|id| logs.edit(id, code, event_target_value(&ev)));
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        attempted.set(true);
        let missing = id.with_value(|id| logs.save(id));
        // The first field to fill gets the focus.
        let first = missing.first().map(|e| e.field.as_str());
        if first == Some("disposition") {
            if let Some(select) = select.get_untracked() {
                let _ = select.focus();
            }
        } else if first == Some("notes") {
            if let Some(notes) = notes.get_untracked() {
                let _ = notes.focus();
            }
        }
    };
    let codes = logs.codes();
    let group = |group: DispositionGroup| -> Vec<DispositionCode> {
        codes.iter().filter(|c| c.group == group).cloned().collect()
    };
    let (connected, not_connected) = (
        group(DispositionGroup::Connected),
        group(DispositionGroup::NotConnected),
    );
    let option = move |code: DispositionCode| {
        let label = if code.notes_required {
            format!("{} (notes required)", code.label)
        } else {
            code.label.clone()
        };
        let value = code.value.clone();
        view! {
            <option value=code.value prop:selected=move || filled.with(|(chosen, _)| *chosen == value)>
                {label}
            </option>
        }
    };
    let status = move || entry.with(|e| e.as_ref().map(|e| (e.status.name(), e.describe())));
    let saved_by = move || {
        entry.with(|e| {
            e.as_ref()
                .filter(|e| matches!(e.status, LogStatus::Logged { .. }))
                .and_then(|e| e.saved_by.clone())
        })
    };
    let media = move || {
        entry.with(|e| {
            e.as_ref()
                .map(|e| e.web_media().cloned().collect::<Vec<_>>())
                .unwrap_or_default()
        })
    };
    let failed = move || {
        entry.with(|e| {
            e.as_ref()
                .is_some_and(|e| matches!(e.status, LogStatus::Failed { .. }))
        })
    };
    view! {
        <p class="log-status" role="status" data-status=move || status().map(|s| s.0)>
            {move || status().map(|s| s.1)}
        </p>
        <WrapUpLine entry />
        <form class="log-form" novalidate on:submit=on_submit>
            <p class="log-call">
                {move || {
                    entry.with(|e| {
                        e.as_ref().map(|e| {
                            let who = e.draft.contact_id.and_then(|id| book.name_of(id));
                            format!(
                                "{} · {}",
                                e.summary(who.as_deref(), |n| book.display_of(n)),
                                local_when_ms(e.opened_ms as f64),
                            )
                        })
                    })
                }}
            </p>
            <div class="field">
                <label for="log-disposition">"Disposition"</label>
                <select
                    id="log-disposition"
                    node_ref=select
                    aria-describedby="log-disposition-error"
                    aria-invalid=move || error_of("disposition")().map(|_| "true")
                    disabled=move || !editable()
                    on:change=on_code
                >
                    <option value="" prop:selected=move || filled.with(|(chosen, _)| chosen.is_empty())>
                        "Choose…"
                    </option>
                    <optgroup label="Connected">
                        {connected.into_iter().map(option).collect_view()}
                    </optgroup>
                    <optgroup label="Not connected">
                        {not_connected.into_iter().map(option).collect_view()}
                    </optgroup>
                </select>
                <span class="field-error" id="log-disposition-error">
                    {error_of("disposition")}
                </span>
            </div>
            <div class="field">
                <label for="log-notes">"Notes"</label>
                <textarea
                    id="log-notes"
                    node_ref=notes
                    rows="3"
                    aria-describedby="log-notes-error"
                    aria-invalid=move || error_of("notes")().map(|_| "true")
                    disabled=move || !editable()
                    prop:value=move || filled.with(|(_, notes)| notes.clone())
                    on:input=on_notes
                ></textarea>
                <span class="field-error" id="log-notes-error">{error_of("notes")}</span>
            </div>
            <LogConflict entry />
            <Show when=failed>
                <p class="form-actions">
                    <button
                        type="button"
                        class="log-retry"
                        on:click=move |_| id.with_value(|id| logs.retry(id))
                    >
                        "Retry"
                    </button>
                </p>
            </Show>
            {move || {
                saved_by()
                    .map(|name| view! { <p class="log-saved-by">{format!("This log was saved by {name}.")}</p> })
            }}
            <Show when=move || !media().is_empty()>
                <ul class="log-media">
                    <For each=media key=|url| url.clone() let:url>
                        <li>
                            <a href=url.clone() target="_blank" rel="noopener">{url.clone()}</a>
                        </li>
                    </For>
                </ul>
            </Show>
            <div class="form-actions">
                <button type="button" class="log-close" on:click=move |_| logs.open.set(None)>
                    "Close"
                </button>
                <Show when=move || editable() && !conflict()>
                    <button type="submit" class="primary">"Save"</button>
                </Show>
            </div>
        </form>
    }
}
