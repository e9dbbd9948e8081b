//! Import a CSV file from the app: the upload's progress, then the proxy's import
//! job, then every rejected line and warning. The form is markup
//! ([`super::form_html::IMPORT_FORM`]) updated by id.

use dialdesk_contract::{ImportReport, ImportState};
use gloo_timers::future::TimeoutFuture;
use leptos::html::Dialog;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;

use super::form_html::IMPORT_FORM;
use crate::api::ApiClient;
use crate::browser::dom::{by_id, pressed, set_flag};
use crate::browser::upload_file;
use crate::domain::import::{describe_issue, percent, summary};
use crate::state::ContactsCtx;

/// How often the import job is polled.
const POLL_MS: u32 = 250;

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

/// Shows progress (`Some((done, of))`, else no bar) and a status line; an empty
/// `failure` clears the alert.
fn show(bar: Option<(u64, u64)>, status: &str, failure: &str) {
    if let Some(progress) = by_id("import-progress") {
        set_flag(&progress, "hidden", bar.is_none());
        let (done, of) = bar.unwrap_or((0, 1));
        let _ = progress.set_attribute("max", &of.to_string());
        let _ = progress.set_attribute("value", &done.to_string());
    }
    for (id, text) in [("import-status", status), ("import-failure", failure)] {
        if let Some(element) = by_id(id) {
            element.set_text_content(Some(text));
        }
    }
}

/// Lists every rejected line and warning, each with its kind as a class.
fn list_issues(report: &ImportReport) {
    let Some(list) = by_id("import-issues") else {
        return;
    };
    list.set_text_content(None);
    let Some(document) = list.owner_document() else {
        return;
    };
    let kinds = report
        .rejected
        .iter()
        .map(|issue| ("rejected", issue))
        .chain(report.warnings.iter().map(|issue| ("warning", issue)));
    for (kind, issue) in kinds {
        if let Ok(item) = document.create_element("li") {
            item.set_class_name(kind);
            item.set_text_content(Some(&describe_issue(issue)));
            let _ = list.append_child(&item);
        }
    }
}

/// Whether the Import button can be pressed.
fn ready(yes: bool) {
    if let Some(button) = by_id("import-start") {
        set_flag(&button, "disabled", !yes);
    }
}

/// Uploads the chosen file, follows the import job, shows its report and reloads the
/// book.
fn start(api: ApiClient, contacts: ContactsCtx) {
    let file = by_id("import-file")
        .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
        .and_then(|input| input.files())
        .and_then(|files| files.get(0));
    let Some(file) = file else {
        show(None, "", "Choose a CSV file first.");
        return;
    };
    ready(false);
    if let Some(list) = by_id("import-issues") {
        list.set_text_content(None);
    }
    show(Some((0, 100)), "Uploading…", "");
    spawn_local(async move {
        let fail = |text: String| {
            show(None, "", &text);
            ready(true);
        };
        let uploading = |sent: f64, total: f64| {
            let done = percent(sent as u64, total as u64);
            show(Some((done, 100)), &format!("Uploading… {done}%"), "");
        };
        let token = api.csrf_token();
        let mut job = match upload_file("/api/imports", &file, token, uploading).await {
            Ok(job) => job,
            Err(e) => return fail(format!("Upload failed: {e}")),
        };
        loop {
            match job.state {
                ImportState::Done => {
                    let report = job.report.unwrap_or_default();
                    list_issues(&report);
                    show(None, &summary(&report), "");
                    ready(true);
                    contacts.reload(api);
                    return;
                }
                ImportState::Failed => {
                    let why = job.error.unwrap_or_else(|| "the import failed".into());
                    return fail(format!("Nothing was imported: {why}"));
                }
                ImportState::Reading => show(Some((0, 1)), "Reading the file…", ""),
                ImportState::Writing => show(
                    Some((job.done, job.total.max(1))),
                    &format!("Importing… {} of {} rows", job.done, job.total),
                    "",
                ),
            }
            TimeoutFuture::new(POLL_MS).await;
            job = match api.import_job(&job.id).await {
                Ok(next) => next,
                Err(e) if e.is_transient() => job,
                Err(e) => return fail(format!("Lost track of the import: {e}")),
            };
        }
    });
}

#[component]
fn ImportDialog(open: RwSignal<bool>) -> AnyView {
    let api = expect_context::<ApiClient>();
    let contacts = expect_context::<ContactsCtx>();
    let dialog = NodeRef::<Dialog>::new();
    dialog.on_load(|d| {
        let _ = d.show_modal();
    });
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(button) = pressed(&ev) else {
            return;
        };
        if button.id() == "import-start" {
            start(api.clone(), contacts);
        } else if button.class_name().contains("cancel") {
            if let Some(d) = dialog.get_untracked() {
                d.close();
            }
        }
    };
    view! {
        <dialog
            class="import-panel"
            node_ref=dialog
            aria-labelledby="import-title"
            on:close=move |_| open.set(false)
            on:click=on_click
            inner_html=IMPORT_FORM
        ></dialog>
    }
    .into_any()
}
