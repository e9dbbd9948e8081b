//! Create or edit a contact in a modal dialog. The proxy validates; its field
//! errors show next to each field, and nothing closes until the save is confirmed.
//! The form is markup ([`super::form_html`]) wired by delegation.

use dialdesk_contract::{Contact, ContactDraft, FieldError, NumberDraft};
use leptos::html::Dialog;
use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::Element;

use super::form_html::{editor_form, number_row};
use super::log_html::history_html;
use crate::api::{ApiClient, ApiError};
use crate::browser::dom::{
    checked, find, find_all, focus, input_value, pressed, set_flag, set_text,
};
use crate::domain::contact_form::{draft_for, new_draft, DEFAULT_LABEL};
use crate::state::{utc_day, CallLogs, ContactsCtx};

/// What the editor is asked to open.
#[derive(Debug, Clone)]
pub enum EditRequest {
    /// A new contact, holding a number when it starts from a call.
    New(Option<String>),
    /// An existing contact.
    Edit(Contact),
}

/// Opens the contact editor from anywhere: set `Some` to open it.
#[derive(Debug, Clone, Copy)]
pub struct EditorCtx(pub RwSignal<Option<EditRequest>>);

/// The editor dialog, rendered while a request is open.
#[component]
pub fn ContactEditor() -> AnyView {
    let EditorCtx(request) = expect_context::<EditorCtx>();
    (move || request.get().map(|r| view! { <EditorDialog request=r /> })).into_any()
}

/// The draft as the form holds it now.
fn read_draft(form: &Element) -> ContactDraft {
    let text = |name: &str| input_value(form, &format!("#contact-{name}"));
    let optional = |name: &str| Some(text(name));
    ContactDraft {
        name: text("name"),
        company: optional("company"),
        title: optional("title"),
        email: optional("email"),
        time_zone: optional("timeZone"),
        numbers: find_all(form, ".number-row")
            .iter()
            .map(|row| NumberDraft {
                label: input_value(row, ".number-label"),
                raw: input_value(row, ".number-raw"),
                do_not_call: checked(row, ".number-dnc"),
            })
            .collect(),
    }
}

/// Clears every field error.
fn clear_errors(form: &Element) {
    for input in find_all(form, "[aria-invalid]") {
        let _ = input.remove_attribute("aria-invalid");
    }
    for message in find_all(form, ".field-error, .form-summary") {
        message.set_text_content(None);
    }
}

/// Shows each error next to its field (`numbers.N` on the N-th number), the summary
/// above, and moves the focus to the first invalid field.
fn show_errors(form: &Element, summary: &str, errors: &[FieldError]) {
    let rows = find_all(form, ".number-row");
    let mut first = None;
    for error in errors {
        let (input, message) = match error.field.strip_prefix("numbers.") {
            Some(index) => {
                let row = index.parse::<usize>().ok().and_then(|i| rows.get(i));
                (
                    row.and_then(|r| find(r, ".number-raw")),
                    row.and_then(|r| find(r, ".field-error")),
                )
            }
            None => (
                find(form, &format!("#contact-{}", error.field)),
                find(form, &format!("#contact-{}-error", error.field)),
            ),
        };
        if let Some(message) = message {
            message.set_text_content(Some(&error.message));
        }
        if let Some(input) = input {
            let _ = input.set_attribute("aria-invalid", "true");
            first.get_or_insert(input);
        }
    }
    set_text(form, ".form-summary", summary);
    if let Some(input) = first {
        focus(&input);
    }
}

#[component]
fn EditorDialog(request: EditRequest) -> AnyView {
    let EditorCtx(open) = expect_context::<EditorCtx>();
    let contacts = expect_context::<ContactsCtx>();
    let api = expect_context::<ApiClient>();
    let (id, heading, start) = match request {
        EditRequest::New(number) => (None, "New contact", new_draft(number.as_deref())),
        EditRequest::Edit(contact) => (Some(contact.id), "Edit contact", draft_for(&contact)),
    };
    let markup = editor_form(heading, &start);
    let logs = use_context::<CallLogs>();
    let rows_made = StoredValue::new(start.numbers.len());
    let saving = StoredValue::new(false);
    let dialog = NodeRef::<Dialog>::new();
    let history_api = api.clone();
    dialog.on_load(move |d| {
        let _ = d.show_modal();
        if let Some(first) = find(&d, "input") {
            focus(&first);
        }
        // An existing contact shows its calls of the last year under the form.
        let (Some(id), Some(logs)) = (id, logs) else {
            return;
        };
        let api = history_api.clone();
        spawn_local(async move {
            let Ok(saved) = api.call_logs(&utc_day(365), &utc_day(0), Some(id)).await else {
                return;
            };
            let html = history_html(&saved, &logs.codes());
            if let Some(form) = find(&d, "form") {
                let _ = form.insert_adjacent_html("beforeend", &html);
            }
        });
    });
    let close = move || {
        if let Some(d) = dialog.get_untracked() {
            d.close();
        }
    };

    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(button) = pressed(&ev) else {
            return;
        };
        let class = button.class_name();
        if class.contains("add-number") {
            let Some(rows) = dialog
                .get_untracked()
                .and_then(|d| find(&d, ".number-rows"))
            else {
                return;
            };
            let key = rows_made.get_value();
            rows_made.set_value(key + 1);
            let blank = NumberDraft {
                label: DEFAULT_LABEL.to_owned(),
                ..NumberDraft::default()
            };
            let _ = rows.insert_adjacent_html("beforeend", &number_row(key, &blank));
            if let Some(input) = find(&rows, &format!("#contact-number-{key}")) {
                focus(&input);
            }
        } else if class.contains("remove-number") {
            if let Some(row) = button.closest(".number-row").ok().flatten() {
                row.remove();
            }
        } else if class.contains("cancel") {
            close();
        }
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(form) = dialog.get_untracked().map(Element::from) else {
            return;
        };
        if saving.get_value() {
            return;
        }
        saving.set_value(true);
        clear_errors(&form);
        let submit = find(&form, "button[type=submit]");
        if let Some(button) = &submit {
            set_flag(button, "disabled", true);
            button.set_text_content(Some("Saving…"));
        }
        let sent = read_draft(&form);
        let api = api.clone();
        spawn_local(async move {
            let result = match id {
                Some(id) => api.update_contact(id, &sent).await,
                None => api.create_contact(&sent).await,
            };
            saving.try_set_value(false);
            if let Some(button) = &submit {
                set_flag(button, "disabled", false);
                button.set_text_content(Some("Save"));
            }
            match result {
                Ok(contact) => {
                    contacts.put(contact);
                    close();
                }
                Err(ApiError::Invalid { message, fields }) => show_errors(&form, &message, &fields),
                Err(other) => set_text(&form, ".form-summary", &format!("Not saved: {other}")),
            }
        });
    };

    view! {
        <dialog
            class="contact-editor"
            node_ref=dialog
            aria-labelledby="contact-editor-title"
            on:close=move |_| open.set(None)
            on:click=on_click
            on:submit=on_submit
            inner_html=markup
        ></dialog>
    }
    .into_any()
}
