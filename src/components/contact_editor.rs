//! Create or edit a contact in a modal dialog. The proxy validates; its field
//! errors show next to each field, and nothing closes until the save is confirmed.

use dialdesk_contract::{Contact, ContactDraft, FieldError, NumberDraft};
use leptos::html::Dialog;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{ApiClient, ApiError};
use crate::domain::contact_form::{draft_for, error_for, new_draft, number_field, DEFAULT_LABEL};
use crate::state::ContactsCtx;

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

/// One field's wire name and the proxy's errors, for its message and `aria-invalid`.
#[derive(Clone, Copy)]
struct Field {
    name: StoredValue<String>,
    errors: RwSignal<Vec<FieldError>>,
}

impl Field {
    fn new(name: impl Into<String>, errors: RwSignal<Vec<FieldError>>) -> Self {
        Self {
            name: StoredValue::new(name.into()),
            errors,
        }
    }

    fn error(self) -> Option<String> {
        self.name
            .with_value(|name| self.errors.with(|e| error_for(e, name).map(str::to_owned)))
    }

    fn error_id(self) -> String {
        self.name
            .with_value(|name| format!("contact-{}-error", name.replace('.', "-")))
    }

    /// Forgets the field's error once the rep changes it.
    fn edited(self) {
        if self.error().is_some() {
            self.name.with_value(|name| {
                self.errors.update(|e| e.retain(|f| &f.field != name));
            });
        }
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
    let draft = RwSignal::new(start);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let summary = RwSignal::new(None::<String>);
    let saving = RwSignal::new(false);
    let dialog = NodeRef::<Dialog>::new();
    dialog.on_load(|d| {
        let _ = d.show_modal();
    });
    let close = move || {
        if let Some(d) = dialog.get_untracked() {
            d.close();
        }
    };

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        saving.set(true);
        summary.set(None);
        let api = api.clone();
        let sent = draft.get_untracked();
        spawn_local(async move {
            let result = match id {
                Some(id) => api.update_contact(id, &sent).await,
                None => api.create_contact(&sent).await,
            };
            saving.try_set(false);
            match result {
                Ok(contact) => {
                    contacts.put(contact);
                    close();
                }
                Err(ApiError::Invalid { message, fields }) => {
                    errors.try_set(fields);
                    summary.try_set(Some(message));
                    request_animation_frame(move || {
                        let first = dialog
                            .get_untracked()
                            .and_then(|d| d.query_selector("[aria-invalid=true]").ok().flatten());
                        if let Some(element) = first {
                            let _ = wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>(
                                element,
                            )
                            .focus();
                        }
                    });
                }
                Err(other) => {
                    summary.try_set(Some(format!("Not saved: {other}")));
                }
            }
        });
    };

    let text_field = move |name: &'static str,
                           label: &'static str,
                           get: fn(&ContactDraft) -> Option<String>,
                           set: fn(&mut ContactDraft, String)| {
        let field = Field::new(name, errors);
        let id = format!("contact-{name}");
        view! {
            <div class="field">
                <label for=id.clone()>{label}</label>
                <input
                    id=id
                    type="text"
                    aria-invalid=move || field.error().is_some().to_string()
                    aria-describedby=field.error_id()
                    prop:value=move || draft.with(|d| get(d).unwrap_or_default())
                    on:input=move |ev| {
                        draft.update(|d| set(d, event_target_value(&ev)));
                        field.edited();
                    }
                />
                <span class="field-error" id=field.error_id()>{move || field.error()}</span>
            </div>
        }
    };

    let numbers = move || {
        let count = draft.with(|d| d.numbers.len());
        (0..count)
            .map(|index| view! { <NumberRow index draft errors /> })
            .collect_view()
    };
    let numbers_error = Field::new("numbers", errors);

    view! {
        <dialog
            class="contact-editor"
            node_ref=dialog
            aria-labelledby="contact-editor-title"
            on:close=move |_| open.set(None)
        >
            <form novalidate on:submit=save>
                <h2 id="contact-editor-title">{heading}</h2>
                <p class="form-summary" role="alert">{move || summary.get()}</p>
                {text_field("name", "Name", |d| Some(d.name.clone()), |d, v| d.name = v)}
                {text_field("company", "Company", |d| d.company.clone(), |d, v| d.company = Some(v))}
                {text_field("title", "Title", |d| d.title.clone(), |d, v| d.title = Some(v))}
                {text_field("email", "E-mail", |d| d.email.clone(), |d, v| d.email = Some(v))}
                {text_field(
                    "timeZone",
                    "Time zone (IANA, e.g. Europe/Paris; blank: from the number)",
                    |d| d.time_zone.clone(),
                    |d, v| d.time_zone = Some(v),
                )}
                <fieldset class="numbers">
                    <legend>"Phone numbers"</legend>
                    {numbers}
                    <span class="field-error" id=numbers_error.error_id()>
                        {move || numbers_error.error()}
                    </span>
                    <button
                        type="button"
                        class="add-number"
                        on:click=move |_| {
                            draft
                                .update(|d| {
                                    d.numbers
                                        .push(NumberDraft {
                                            label: DEFAULT_LABEL.to_owned(),
                                            ..NumberDraft::default()
                                        })
                                });
                            numbers_error.edited();
                        }
                    >
                        "Add number"
                    </button>
                </fieldset>
                <div class="form-actions">
                    <button type="button" on:click=move |_| close()>
                        "Cancel"
                    </button>
                    <button type="submit" class="primary" disabled=move || saving.get()>
                        {move || if saving.get() { "Saving…" } else { "Save" }}
                    </button>
                </div>
            </form>
        </dialog>
    }
    .into_any()
}

/// One number of the draft: label, number, do-not-call, remove.
#[component]
fn NumberRow(
    index: usize,
    draft: RwSignal<ContactDraft>,
    errors: RwSignal<Vec<FieldError>>,
) -> AnyView {
    let field = Field::new(number_field(index), errors);
    let with_number = move |f: fn(&NumberDraft) -> String| {
        move || draft.with(|d| d.numbers.get(index).map(f).unwrap_or_default())
    };
    let edit = move |f: fn(&mut NumberDraft, String), value: String| {
        draft.update(|d| {
            if let Some(n) = d.numbers.get_mut(index) {
                f(n, value);
            }
        });
        field.edited();
    };
    let position = index + 1;
    view! {
        <div class="number-row">
            <input
                class="number-label"
                type="text"
                aria-label=format!("Label of number {position}")
                prop:value=with_number(|n| n.label.clone())
                on:input=move |ev| edit(|n, v| n.label = v, event_target_value(&ev))
            />
            <input
                class="number-raw"
                id=format!("contact-number-{index}")
                type="tel"
                aria-label=format!("Number {position}")
                aria-invalid=move || field.error().is_some().to_string()
                aria-describedby=field.error_id()
                prop:value=with_number(|n| n.raw.clone())
                on:input=move |ev| edit(|n, v| n.raw = v, event_target_value(&ev))
            />
            <label class="dnc-toggle">
                <input
                    type="checkbox"
                    prop:checked=move || {
                        draft.with(|d| d.numbers.get(index).is_some_and(|n| n.do_not_call))
                    }
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        draft
                            .update(|d| {
                                if let Some(n) = d.numbers.get_mut(index) {
                                    n.do_not_call = on;
                                }
                            });
                    }
                />
                "Do not call"
            </label>
            <button
                type="button"
                class="remove-number"
                aria-label=format!("Remove number {position}")
                on:click=move |_| {
                    draft
                        .update(|d| {
                            if index < d.numbers.len() {
                                d.numbers.remove(index);
                            }
                        });
                    errors.update(|e| e.retain(|f| !f.field.starts_with("numbers.")));
                }
            >
                "Remove"
            </button>
            <span class="field-error" id=field.error_id()>{move || field.error()}</span>
        </div>
    }
    .into_any()
}
