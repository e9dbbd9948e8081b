//! Import a CSV file from the app: the upload's progress, then the proxy's import
//! job, then every rejected line and warning.

use dialdesk_contract::{ImportJob, ImportReport, ImportState};
use gloo_timers::future::TimeoutFuture;
use leptos::html::{Dialog, Input};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::ApiClient;
use crate::browser::upload_file;
use crate::domain::import::{describe_issue, percent, summary};
use crate::state::ContactsCtx;

/// How often the import job is polled.
const POLL_MS: u32 = 250;

/// Where an import stands.
#[derive(Debug, Clone, PartialEq)]
enum Stage {
    /// Waiting for a file.
    Choose,
    /// Bytes leaving the browser.
    Uploading { sent: u64, total: u64 },
    /// The proxy reads and writes rows.
    Importing(ImportJob),
    /// Finished.
    Done(ImportReport),
    /// Nothing was imported, and why.
    Failed(String),
}

/// The "Import CSV" button and its dialog.
#[component]
pub fn ImportButton() -> AnyView {
    let open = RwSignal::new(false);
    view! {
        <button id="contacts-import" on:click=move |_| open.set(true)>
            "Import CSV"
        </button>
        {move || open.get().then(|| view! { <ImportDialog open /> })}
    }
    .into_any()
}

#[component]
fn ImportDialog(open: RwSignal<bool>) -> AnyView {
    let api = expect_context::<ApiClient>();
    let contacts = expect_context::<ContactsCtx>();
    let stage = RwSignal::new(Stage::Choose);
    let dialog = NodeRef::<Dialog>::new();
    let file_input = NodeRef::<Input>::new();
    dialog.on_load(|d| {
        let _ = d.show_modal();
    });

    let start = move |_| {
        let file = file_input
            .get_untracked()
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        let Some(file) = file else {
            stage.set(Stage::Failed("Choose a CSV file first.".into()));
            return;
        };
        stage.set(Stage::Uploading { sent: 0, total: 0 });
        let api = api.clone();
        spawn_local(async move {
            let progress = move |sent: f64, total: f64| {
                stage.try_set(Stage::Uploading {
                    sent: sent as u64,
                    total: total as u64,
                });
            };
            let token = api.csrf_token();
            let mut job = match upload_file("/api/imports", &file, token, progress).await {
                Ok(job) => job,
                Err(e) => {
                    stage.try_set(Stage::Failed(format!("Upload failed: {e}")));
                    return;
                }
            };
            loop {
                match job.state {
                    ImportState::Done => {
                        let report = job.report.unwrap_or_default();
                        stage.try_set(Stage::Done(report));
                        contacts.reload(api);
                        return;
                    }
                    ImportState::Failed => {
                        let why = job.error.unwrap_or_else(|| "the import failed".into());
                        stage.try_set(Stage::Failed(format!("Nothing was imported: {why}")));
                        return;
                    }
                    ImportState::Reading | ImportState::Writing => {
                        stage.try_set(Stage::Importing(job.clone()));
                    }
                }
                TimeoutFuture::new(POLL_MS).await;
                job = match api.import_job(&job.id).await {
                    Ok(next) => next,
                    Err(e) if e.is_transient() => job,
                    Err(e) => {
                        stage.try_set(Stage::Failed(format!("Lost track of the import: {e}")));
                        return;
                    }
                };
            }
        });
    };

    let busy = move || stage.with(|s| matches!(s, Stage::Uploading { .. } | Stage::Importing(_)));
    let body = move || match stage.get() {
        Stage::Choose => None,
        Stage::Uploading { sent, total } => {
            let done = percent(sent, total);
            Some(
                view! {
                    <progress max="100" value=done></progress>
                    <p class="import-status">{format!("Uploading… {done}%")}</p>
                }
                .into_any(),
            )
        }
        Stage::Importing(job) => {
            let text = match job.state {
                ImportState::Reading => "Reading the file…".to_owned(),
                _ => format!("Importing… {} of {} rows", job.done, job.total),
            };
            Some(
                view! {
                    <progress max=job.total.max(1) value=job.done></progress>
                    <p class="import-status">{text}</p>
                }
                .into_any(),
            )
        }
        Stage::Done(report) => {
            let issues = |title: &'static str, class: &'static str, list: Vec<String>| {
                (!list.is_empty()).then(|| {
                    view! {
                        <h3>{title}</h3>
                        <ul class=format!("import-issues {class}")>
                            {list.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
                        </ul>
                    }
                })
            };
            let rejected = report.rejected.iter().map(describe_issue).collect();
            let warnings = report.warnings.iter().map(describe_issue).collect();
            Some(
                view! {
                    <p class="import-status" role="status">{summary(&report)}</p>
                    {issues("Rejected lines", "rejected", rejected)}
                    {issues("Warnings", "warnings", warnings)}
                }
                .into_any(),
            )
        }
        Stage::Failed(message) => {
            Some(view! { <p class="form-summary" role="alert">{message}</p> }.into_any())
        }
    };

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
                <input id="import-file" type="file" accept=".csv,text/csv" node_ref=file_input />
            </div>
            {body}
            <div class="form-actions">
                <button
                    type="button"
                    on:click=move |_| {
                        if let Some(d) = dialog.get_untracked() {
                            d.close();
                        }
                    }
                >
                    "Close"
                </button>
                <button
                    type="button"
                    id="import-start"
                    class="primary"
                    disabled=busy
                    on:click=start
                >
                    "Import"
                </button>
            </div>
        </dialog>
    }
    .into_any()
}
