//! Import a CSV file from the app: the upload's progress, then the proxy's import job
//! (rows written of rows to write), then every rejected line and warning, and the
//! book loaded again.

use dialdesk_contract::{ImportReport, ImportState};
use gloo_timers::future::TimeoutFuture;
use leptos::html::Dialog;
use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::File;

use crate::api::{import_url, ApiClient};
use crate::browser::upload_file;
use crate::domain::import::{describe_issue, percent, summary};
use crate::state::ContactsCtx;

/// How often the import job is polled.
const POLL_MS: u32 = 250;

/// Where an import stands, as the dialog shows it.
#[derive(Debug, Clone, Default, PartialEq)]
struct Progress {
    /// The bar: done of total; none when nothing runs.
    bar: Option<(u64, u64)>,
    /// What is happening, or the outcome.
    status: String,
    /// Why nothing (more) was imported.
    failure: String,
}

impl Progress {
    fn at(bar: Option<(u64, u64)>, status: impl Into<String>) -> Self {
        Self {
            bar,
            status: status.into(),
            failure: String::new(),
        }
    }

    fn failed(failure: String) -> Self {
        Self {
            failure,
            ..Self::default()
        }
    }
}

/// The dialog; closing it (Close, Escape) sets `open` to false.
#[component]
pub fn ImportDialog(open: RwSignal<bool>) -> impl IntoView {
    let api = expect_context::<ApiClient>();
    let contacts = expect_context::<ContactsCtx>();
    let dialog = NodeRef::<Dialog>::new();
    dialog.on_load(|dialog| {
        let _ = dialog.show_modal();
    });
    let file = StoredValue::new_local(None::<File>);
    let progress = RwSignal::new(Progress::default());
    let issues = RwSignal::new(Vec::<(&'static str, String)>::new());
    let busy = RwSignal::new(false);
    let choose = move |ev: leptos::ev::Event| {
        let input = event_target::<web_sys::HtmlInputElement>(&ev);
        file.set_value(input.files().and_then(|files| files.get(0)));
    };
    let start = move |_| {
        let Some(chosen) = file.get_value() else {
            progress.set(Progress::failed("Choose a CSV file first.".into()));
            return;
        };
        busy.set(true);
        issues.set(Vec::new());
        progress.set(Progress::at(Some((0, 100)), "Uploading…"));
        let api = api.clone();
        spawn_local(async move {
            let show = |next: Progress| progress.try_set(next).is_none();
            let fail = |text: String| {
                show(Progress::failed(text));
                busy.try_set(false);
            };
            let uploading = move |sent: f64, total: f64| {
                let done = percent(sent as u64, total as u64);
                progress.try_set(Progress::at(
                    Some((done, 100)),
                    format!("Uploading… {done}%"),
                ));
            };
            let token = api.csrf_token();
            let mut job =
                match upload_file(&import_url(&chosen.name()), &chosen, token, uploading).await {
                    Ok(job) => job,
                    Err(e) => return fail(format!("Upload failed: {e}")),
                };
            loop {
                let shown = match job.state {
                    ImportState::Done => {
                        let report: ImportReport = job.report.unwrap_or_default();
                        let listed = report
                            .rejected
                            .iter()
                            .map(|issue| ("rejected", describe_issue(issue)))
                            .chain(
                                report
                                    .warnings
                                    .iter()
                                    .map(|issue| ("warning", describe_issue(issue))),
                            )
                            .chain(
                                report
                                    .kept
                                    .iter()
                                    .map(|issue| ("kept", describe_issue(issue))),
                            )
                            .collect();
                        issues.try_set(listed);
                        show(Progress::at(None, summary(&report)));
                        busy.try_set(false);
                        contacts.reload(api);
                        return;
                    }
                    ImportState::Failed => {
                        let why = job.error.unwrap_or_else(|| "the import failed".into());
                        return fail(format!("Nothing was imported: {why}"));
                    }
                    ImportState::Reading => show(Progress::at(Some((0, 1)), "Reading the file…")),
                    ImportState::Writing => show(Progress::at(
                        Some((job.done, job.total.max(1))),
                        format!("Importing… {} of {} rows", job.done, job.total),
                    )),
                };
                // The dialog was closed: the import goes on on the proxy.
                if !shown {
                    return;
                }
                TimeoutFuture::new(POLL_MS).await;
                job = match api.import_job(&job.id).await {
                    Ok(next) => next,
                    Err(e) if e.is_transient() => job,
                    Err(e) => return fail(format!("Lost track of the import: {e}")),
                };
            }
        });
    };
    let close = move |_| {
        if let Some(dialog) = dialog.get_untracked() {
            dialog.close();
        }
    };
    let bar = move || progress.with(|p| p.bar);
    view! {
        <dialog
            class="import-panel"
            node_ref=dialog
            aria-labelledby="import-title"
            on:close=move |_| open.set(false)
        >
            <h2 id="import-title">"Import contacts from CSV"</h2>
            <p class="hint">
                "Columns are matched by header: name (or first and last name), company, title, \
                 e-mail, time zone, one or more phone columns, external id, do not call."
            </p>
            <div class="field">
                <label for="import-file">"CSV file"</label>
                <input id="import-file" type="file" accept=".csv,text/csv" on:change=choose />
            </div>
            <progress
                id="import-progress"
                aria-label="Import progress"
                hidden=move || bar().is_none()
                max=move || bar().map_or(1, |(_, of)| of).to_string()
                value=move || bar().map_or(0, |(done, _)| done).to_string()
            ></progress>
            <p class="import-status" id="import-status" role="status">
                {move || progress.with(|p| p.status.clone())}
            </p>
            <p class="form-summary" id="import-failure" role="alert">
                {move || progress.with(|p| p.failure.clone())}
            </p>
            // It scrolls when long: focusable while it lists anything, so the keyboard
            // can scroll it too.
            <ul
                class="import-issues"
                id="import-issues"
                aria-label="Rejected lines, warnings and kept edits"
                tabindex=move || issues.with(|all| (!all.is_empty()).then_some("0"))
            >
                <For
                    each=move || issues.get().into_iter().enumerate()
                    key=|(at, _)| *at
                    children=|(_, (kind, text))| view! { <li class=kind>{text}</li> }
                />
            </ul>
            <div class="form-actions">
                <button type="button" class="cancel" on:click=close>
                    "Close"
                </button>
                <button
                    type="button"
                    id="import-start"
                    class="primary"
                    disabled=move || busy.get()
                    on:click=start
                >
                    "Import"
                </button>
            </div>
        </dialog>
    }
}
