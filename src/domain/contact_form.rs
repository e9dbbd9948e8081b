//! The contact form's pure side: drafts for new contacts, and what
//! differs between two versions of a contact.

use dialdesk_contract::{ContactDraft, NumberDraft};

/// Label of a number the rep adds without choosing one.
pub const DEFAULT_LABEL: &str = "mobile";

/// A new contact's draft, holding `number` when it starts from a call.
pub fn new_draft(number: Option<&str>) -> ContactDraft {
    ContactDraft {
        numbers: vec![NumberDraft {
            label: DEFAULT_LABEL.to_owned(),
            raw: number.unwrap_or_default().to_owned(),
            do_not_call: false,
        }],
        ..ContactDraft::default()
    }
}

/// One field that differs between two versions of a contact, as the rep reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldDifference {
    /// The field's label in the form.
    pub label: &'static str,
    /// The rep's value.
    pub mine: String,
    /// The stored value.
    pub theirs: String,
}

/// The fields of `mine` that differ from `theirs`, in the form's order; blank and
/// missing text are the same, and the numbers are compared as one list.
pub fn differences(mine: &ContactDraft, theirs: &ContactDraft) -> Vec<FieldDifference> {
    let text = |value: &Option<String>| value.as_deref().unwrap_or_default().trim().to_owned();
    let numbers = |draft: &ContactDraft| {
        draft
            .numbers
            .iter()
            .map(|n| {
                let listed = if n.do_not_call { " (do not call)" } else { "" };
                format!("{}: {}{listed}", n.label, n.raw.trim())
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    [
        (
            "Name",
            mine.name.trim().to_owned(),
            theirs.name.trim().to_owned(),
        ),
        ("Company", text(&mine.company), text(&theirs.company)),
        ("Title", text(&mine.title), text(&theirs.title)),
        ("E-mail", text(&mine.email), text(&theirs.email)),
        ("Time zone", text(&mine.time_zone), text(&theirs.time_zone)),
        ("Phone numbers", numbers(mine), numbers(theirs)),
    ]
    .into_iter()
    .filter(|(_, mine, theirs)| mine != theirs)
    .map(|(label, mine, theirs)| FieldDifference {
        label,
        mine,
        theirs,
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use dialdesk_contract::{Contact, ContactNumber};

    #[test]
    fn editing_starts_from_the_contact_as_stored() {
        let contact = Contact {
            version: 1,
            id: 4,
            name: "Ada Lovelace".into(),
            company: Some("Engines".into()),
            title: None,
            email: Some("ada@example.com".into()),
            time_zone: Some("Europe/London".into()),
            numbers: vec![ContactNumber {
                label: "work".into(),
                raw: "020 7946 0000".into(),
                e164: Some("+442079460000".into()),
                do_not_call: true,
                ..ContactNumber::default()
            }],
        };
        let draft = ContactDraft::from(&contact);
        assert_eq!(draft.name, "Ada Lovelace");
        assert_eq!(draft.time_zone.as_deref(), Some("Europe/London"));
        assert_eq!(
            draft.numbers,
            [NumberDraft {
                label: "work".into(),
                raw: "020 7946 0000".into(),
                do_not_call: true
            }]
        );
    }

    #[test]
    fn a_contact_from_a_call_holds_its_number() {
        let draft = new_draft(Some("+14155550123"));
        assert_eq!(draft.name, "");
        assert_eq!(draft.numbers[0].raw, "+14155550123");
        assert_eq!(draft.numbers[0].label, DEFAULT_LABEL);
        assert_eq!(new_draft(None).numbers[0].raw, "");
    }

    #[test]
    fn only_the_fields_that_differ_are_listed_in_the_forms_order() {
        let mine = ContactDraft {
            name: "Ada Lovelace".into(),
            company: Some("Mine Ltd".into()),
            title: Some(" ".into()),
            numbers: vec![NumberDraft {
                label: "work".into(),
                raw: "+44 20 7946 0958".into(),
                do_not_call: true,
            }],
            ..ContactDraft::default()
        };
        let theirs = ContactDraft {
            name: "Ada Lovelace ".into(),
            company: Some("Theirs Inc".into()),
            title: None,
            numbers: vec![NumberDraft {
                label: "work".into(),
                raw: "+44 20 7946 0958".into(),
                do_not_call: false,
            }],
            base_version: Some(3),
            ..ContactDraft::default()
        };
        assert_eq!(
            differences(&mine, &theirs),
            [
                FieldDifference {
                    label: "Company",
                    mine: "Mine Ltd".into(),
                    theirs: "Theirs Inc".into(),
                },
                FieldDifference {
                    label: "Phone numbers",
                    mine: "work: +44 20 7946 0958 (do not call)".into(),
                    theirs: "work: +44 20 7946 0958".into(),
                },
            ]
        );
        assert!(differences(&mine, &mine).is_empty());
    }
}
