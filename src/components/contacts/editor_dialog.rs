//! The contact editor's modal dialog: the form, its numbers, the proxy's verdict (a
//! conflict with a version saved meanwhile among them), and for an existing contact
//! its saved calls.

use leptos::html::Dialog;
use leptos::prelude::*;
use leptos::task::spawn_local;

use dialdesk_contract::{Contact, ContactDraft};

use super::{ConflictChoice, ContactConflict, ContactHistory, EditorForm, NumberRow, TextField};
use crate::api::{ApiClient, ApiError};
use crate::domain::contact_form::new_draft;
use crate::state::{ContactsCtx, EditRequest, EditorCtx};

/// The dialog for `request`; closing it (Cancel, Escape, a save) ends the request.
#[component]
pub fn EditorDialog(request: EditRequest) -> impl IntoView {
    let EditorCtx(open) = expect_context::<EditorCtx>();
    let contacts = expect_context::<ContactsCtx>();
    let api = expect_context::<ApiClient>();
    let (id, heading, start) = match request {
        EditRequest::New(number) => (None, "New contact", new_draft(number.as_deref())),
        EditRequest::Edit(contact) => (
            Some(contact.id),
            "Edit contact",
            ContactDraft::from(&contact),
        ),
    };
    let form = EditorForm::new(start);
    provide_context(form);
    let summary = RwSignal::new(String::new());
    let saving = RwSignal::new(false);
    // Rows added by the rep take the focus; the ones the form opened with do not.
    let first_rows = form.numbers.with_untracked(Vec::len);
    let dialog = NodeRef::<Dialog>::new();
    dialog.on_load(move |dialog| {
        let _ = dialog.show_modal();
        form.focus.set(Some("name".to_owned()));
    });
    let close = move || {
        if let Some(dialog) = dialog.get_untracked() {
            dialog.close();
        }
    };
    let conflict = RwSignal::new(None::<Contact>);
    let api = StoredValue::new(api);
    let save = move || {
        if saving.get_untracked() {
            return;
        }
        saving.set(true);
        summary.set(String::new());
        form.errors.set(Vec::new());
        conflict.set(None);
        let draft = form.draft();
        let api = api.get_value();
        spawn_local(async move {
            let result = match id {
                Some(id) => api.update_contact(id, &draft).await,
                None => api.create_contact(&draft).await,
            };
            saving.try_set(false);
            match result {
                Ok(contact) => {
                    contacts.put(contact);
                    close();
                }
                Err(ApiError::Invalid { message, fields }) => {
                    let first = fields.first().map(|f| f.field.clone());
                    summary.try_set(message);
                    form.errors.try_set(fields);
                    form.focus.try_set(first);
                }
                Err(ApiError::EditConflict { message, stored }) => {
                    summary.try_set(message);
                    contacts.put((*stored).clone());
                    conflict.try_set(Some(*stored));
                }
                Err(other) => {
                    summary.try_set(format!("Not saved: {other}"));
                }
            }
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save();
    };
    let choose = Callback::new(move |choice: ConflictChoice| {
        let Some(stored) = conflict.get_untracked() else {
            return;
        };
        match choice {
            ConflictChoice::KeepMine => {
                form.base_version.set(Some(stored.version));
                save();
            }
            ConflictChoice::TakeSaved => {
                form.load(ContactDraft::from(&stored));
                conflict.set(None);
                summary.set(String::new());
                form.focus.set(Some("name".to_owned()));
            }
        }
    });
    view! {
        <dialog
            class="contact-editor"
            node_ref=dialog
            aria-labelledby="contact-editor-title"
            on:close=move |_| open.set(None)
        >
            <form novalidate on:submit=submit>
                <h2 id="contact-editor-title">{heading}</h2>
                <p class="form-summary" role="alert">{move || summary.get()}</p>
                {move || {
                    conflict
                        .get()
                        .map(|stored| {
                            view! { <ContactConflict stored mine=form.draft() choose /> }
                        })
                }}
                <TextField name="name" label="Name" value=form.name />
                <TextField name="company" label="Company" value=form.company />
                <TextField name="title" label="Title" value=form.title />
                <TextField name="email" label="E-mail" value=form.email input_type="email" />
                <TextField
                    name="timeZone"
                    label="Time zone (IANA, e.g. Europe/Paris; blank: from the number)"
                    value=form.time_zone
                />
                <fieldset class="numbers">
                    <legend>"Phone numbers"</legend>
                    <div class="number-rows">
                        <For each=move || form.numbers.get() key=|number| number.key let:number>
                            <NumberRow number focus_now={number.key >= first_rows} />
                        </For>
                    </div>
                    <span class="field-error" id="contact-numbers-error">
                        {move || form.error("numbers")}
                    </span>
                    <button type="button" class="add-number" on:click=move |_| {
                        form.add_number();
                    }>
                        "Add number"
                    </button>
                </fieldset>
                <div class="form-actions">
                    <button type="button" class="cancel" on:click=move |_| close()>
                        "Cancel"
                    </button>
                    <button type="submit" class="primary" disabled=move || saving.get()>
                        {move || if saving.get() { "Saving…" } else { "Save" }}
                    </button>
                </div>
                {id.map(|id| view! { <ContactHistory id /> })}
            </form>
        </dialog>
    }
}
