//! The contact form's pure side: drafts from contacts and for new ones.

use dialdesk_contract::{Contact, ContactDraft, NumberDraft};

/// Label of a number the rep adds without choosing one.
pub const DEFAULT_LABEL: &str = "mobile";

/// A draft holding `contact` as it is, for editing.
pub fn draft_for(contact: &Contact) -> ContactDraft {
    ContactDraft {
        name: contact.name.clone(),
        company: contact.company.clone(),
        title: contact.title.clone(),
        email: contact.email.clone(),
        time_zone: contact.time_zone.clone(),
        numbers: contact
            .numbers
            .iter()
            .map(|n| NumberDraft {
                label: n.label.clone(),
                raw: n.raw.clone(),
                do_not_call: n.do_not_call,
            })
            .collect(),
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use dialdesk_contract::ContactNumber;

    #[test]
    fn editing_starts_from_the_contact_as_stored() {
        let contact = Contact {
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
        let draft = draft_for(&contact);
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
}
