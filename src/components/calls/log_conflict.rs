//! A save refused because someone saved a different log of the call first: both
//! versions side by side, with **Save mine over it** and **Keep the saved one**.

use dialdesk_contract::CallLogDraft;
use leptos::prelude::*;

use crate::domain::call_log::{code_label, draft_of, LogEntry, LogStatus};
use crate::state::CallLogs;

/// Both versions of a conflicting log, while `entry` is in conflict.
#[component]
pub fn LogConflict(entry: Memo<Option<LogEntry>>) -> impl IntoView {
    let logs = expect_context::<CallLogs>();
    let versions = move || {
        entry.with(|e| {
            let e = e.as_ref()?;
            let LogStatus::Conflict { stored } = &e.status else {
                return None;
            };
            let by = stored
                .saved_by
                .as_deref()
                .map(|name| format!(" by {name}"))
                .unwrap_or_default();
            Some((
                e.call_id.clone(),
                e.draft.clone(),
                format!("Saved at {}{by}", stored.saved_at),
                draft_of(stored),
            ))
        })
    };
    move || {
        versions().map(|(call_id, mine, heading, theirs)| {
            let keep_mine = call_id.clone();
            view! {
                <div class="log-conflict" role="alert">
                    <p>"Another save of this call reached the server first. Both versions:"</p>
                    <div class="versions">
                        <Version heading="Yours".to_owned() draft=mine />
                        <Version heading draft=theirs />
                    </div>
                    <button
                        type="button"
                        class="keep-mine"
                        on:click=move |_| logs.settle(&keep_mine, true)
                    >
                        "Save mine over it"
                    </button>
                    <button
                        type="button"
                        class="take-stored"
                        on:click=move |_| logs.settle(&call_id, false)
                    >
                        "Keep the saved one"
                    </button>
                </div>
            }
        })
    }
}

/// One version of a conflicting log: its disposition's label and its notes.
#[component]
fn Version(heading: String, draft: CallLogDraft) -> impl IntoView {
    let logs = expect_context::<CallLogs>();
    let codes = logs.codes();
    let label = code_label(&codes, &draft.disposition).to_owned();
    view! {
        <section>
            <h4>{heading}</h4>
            <p class="version-code">{label}</p>
            <p class="version-notes">{draft.notes}</p>
        </section>
    }
}
