//! The state of the contact form: one signal per field, the numbers as rows with a
//! local key each, and the field errors: the shared contact rules' as the rep leaves a
//! field and as they correct it, the proxy's after a save (they go as their field
//! changes).

use dialdesk_contract::{rules, ContactDraft, FieldError, NumberDraft};
use leptos::prelude::*;

use crate::domain::contact_form::DEFAULT_LABEL;

/// One number of the form.
#[derive(Debug, Clone, Copy)]
pub struct NumberFields {
    /// Stays with the row whatever is added or removed: its element ids use it.
    pub key: usize,
    /// The label ("work", "mobile").
    pub label: RwSignal<String>,
    /// The number as typed.
    pub raw: RwSignal<String>,
    /// Whether it is on the do-not-call list.
    pub do_not_call: RwSignal<bool>,
}

impl NumberFields {
    fn new(key: usize, number: NumberDraft) -> Self {
        Self {
            key,
            label: RwSignal::new(number.label),
            raw: RwSignal::new(number.raw),
            do_not_call: RwSignal::new(number.do_not_call),
        }
    }
}

/// The contact form; `Copy`, shared by the dialog and its fields.
#[derive(Debug, Clone, Copy)]
pub struct EditorForm {
    /// The name.
    pub name: RwSignal<String>,
    /// The company.
    pub company: RwSignal<String>,
    /// The job title.
    pub title: RwSignal<String>,
    /// The e-mail address.
    pub email: RwSignal<String>,
    /// The IANA time zone; blank takes it from the number.
    pub time_zone: RwSignal<String>,
    /// The numbers, in order.
    pub numbers: RwSignal<Vec<NumberFields>>,
    /// The proxy's refusal of the last save, field by field.
    pub errors: RwSignal<Vec<FieldError>>,
    /// The field to take the focus (the first invalid one after a refusal).
    pub focus: RwSignal<Option<String>>,
    /// The version of the contact the edit started from (none for a new contact).
    pub base_version: RwSignal<Option<u64>>,
    next_key: StoredValue<usize>,
    /// The form's owner: rows added later (from a click whose view may go away at
    /// once) are created under it, so they live as long as the form.
    owner: StoredValue<Option<Owner>>,
}

impl EditorForm {
    /// A form holding `draft`.
    pub fn new(draft: ContactDraft) -> Self {
        let text = |value: Option<String>| RwSignal::new(value.unwrap_or_default());
        let numbers: Vec<NumberFields> = draft
            .numbers
            .into_iter()
            .enumerate()
            .map(|(key, number)| NumberFields::new(key, number))
            .collect();
        Self {
            name: RwSignal::new(draft.name),
            company: text(draft.company),
            title: text(draft.title),
            email: text(draft.email),
            time_zone: text(draft.time_zone),
            next_key: StoredValue::new(numbers.len()),
            numbers: RwSignal::new(numbers),
            errors: RwSignal::new(Vec::new()),
            focus: RwSignal::new(None),
            base_version: RwSignal::new(draft.base_version),
            owner: StoredValue::new(Owner::current()),
        }
    }

    /// A row for `number` under key `key`, owned by the form.
    fn row(self, key: usize, number: NumberDraft) -> NumberFields {
        match self.owner.get_value() {
            Some(owner) => owner.with(|| NumberFields::new(key, number)),
            None => NumberFields::new(key, number),
        }
    }

    /// Puts `draft` in the form in place of what it holds (its version too); the
    /// number rows get new keys, and errors go.
    pub fn load(self, draft: ContactDraft) {
        let text = |field: RwSignal<String>, value: Option<String>| {
            field.set(value.unwrap_or_default());
        };
        self.name.set(draft.name);
        text(self.company, draft.company);
        text(self.title, draft.title);
        text(self.email, draft.email);
        text(self.time_zone, draft.time_zone);
        let first = self.next_key.get_value();
        let numbers: Vec<NumberFields> = draft
            .numbers
            .into_iter()
            .enumerate()
            .map(|(at, number)| self.row(first + at, number))
            .collect();
        self.next_key.set_value(first + numbers.len());
        self.numbers.set(numbers);
        self.errors.set(Vec::new());
        self.base_version.set(draft.base_version);
    }

    /// The draft the form holds now.
    pub fn draft(self) -> ContactDraft {
        let optional = |field: RwSignal<String>| Some(field.get_untracked());
        ContactDraft {
            base_version: self.base_version.get_untracked(),
            name: self.name.get_untracked(),
            company: optional(self.company),
            title: optional(self.title),
            email: optional(self.email),
            time_zone: optional(self.time_zone),
            numbers: self.numbers.with_untracked(|numbers| {
                numbers
                    .iter()
                    .map(|n| NumberDraft {
                        label: n.label.get_untracked(),
                        raw: n.raw.get_untracked(),
                        do_not_call: n.do_not_call.get_untracked(),
                    })
                    .collect()
            }),
        }
    }

    /// Adds a blank number; returns its key.
    pub fn add_number(self) -> usize {
        let key = self.next_key.get_value();
        self.next_key.set_value(key + 1);
        let blank = NumberDraft {
            label: DEFAULT_LABEL.to_owned(),
            ..NumberDraft::default()
        };
        let row = self.row(key, blank);
        self.numbers.update(|numbers| numbers.push(row));
        key
    }

    /// Removes the number of row `key`; errors of the numbers after it no longer
    /// point at their rows, so the number errors go.
    pub fn remove_number(self, key: usize) {
        self.numbers
            .update(|numbers| numbers.retain(|n| n.key != key));
        self.errors
            .update(|errors| errors.retain(|e| !e.field.starts_with("numbers")));
    }

    /// The wire name of the number field of row `key` (`numbers.N`, by position).
    pub fn number_field(self, key: usize) -> String {
        let position = self
            .numbers
            .with(|numbers| numbers.iter().position(|n| n.key == key));
        match position {
            Some(at) => format!("numbers.{at}"),
            None => String::new(),
        }
    }

    /// The message of the error of `field`, if any.
    pub fn error(self, field: &str) -> Option<String> {
        self.errors.with(|errors| {
            errors
                .iter()
                .find(|e| e.field == field)
                .map(|e| e.message.clone())
        })
    }

    /// The rep left `field`: the shared rules' problem with it, if any, shows now
    /// (a proxy's message stays when the rules find none).
    pub fn left(self, field: &str) {
        if let Some(message) = rules::problem_of(&self.draft(), field) {
            self.set_error(field, Some(message));
        }
    }

    /// `field` changed: an error it shows is checked again (updated, or gone when
    /// the rules find none), and so is "add a phone number or an e-mail address".
    /// A field without an error gets none while it is typed in.
    pub fn changed(self, field: &str) {
        let draft = self.draft();
        for field in [field, "numbers"] {
            if self
                .errors
                .with_untracked(|errors| errors.iter().any(|e| e.field == field))
            {
                self.set_error(field, rules::problem_of(&draft, field));
            }
        }
    }

    fn set_error(self, field: &str, message: Option<String>) {
        let current = self.errors.with_untracked(|errors| {
            errors
                .iter()
                .find(|e| e.field == field)
                .map(|e| e.message.clone())
        });
        if current == message {
            return;
        }
        self.errors.update(|errors| {
            errors.retain(|e| e.field != field);
            if let Some(message) = message {
                errors.push(FieldError {
                    field: field.to_owned(),
                    message,
                });
            }
        });
    }
}
