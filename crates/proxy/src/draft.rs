//! Checking a [`ContactDraft`] (the body of contact create and edit) and
//! turning it into a contact to store. Every problem is reported at once, one
//! [`FieldError`] per field, with messages fit to show beside the field.

use std::collections::HashMap;

use dialdesk_contract::rules;
use dialdesk_contract::{ContactDraft, FieldError, NumberDraft};

use crate::db::contacts::{NewContact, NewNumber};
use crate::phone::{self, Region};
use crate::zones;

/// Label of a number whose label is blank.
pub const DEFAULT_LABEL: &str = "phone";

/// Checks `draft`, its numbers read in `region`, and returns the contact to
/// store (no owner, no external id), or every invalid field. The rules that need
/// only the text are the ones the app checks as the rep types
/// ([`rules::problems`]); parsing the numbers and knowing the time zones are the
/// proxy's. Blank strings become `None`; each number carries its do-not-call
/// choice.
pub fn check(draft: ContactDraft, region: Region) -> Result<NewContact, Vec<FieldError>> {
    let shared = rules::problems(&draft);
    let shared_of = |field: &str| shared.iter().find(|e| e.field == field).cloned();
    let mut errors: Vec<FieldError> = ["name", "company", "title", "email"]
        .into_iter()
        .filter_map(shared_of)
        .collect();
    let time_zone = blank_to_none(draft.time_zone);
    if let Some(zone) = time_zone.as_deref().filter(|zone| !zones::is_known(zone)) {
        errors.push(FieldError {
            field: "timeZone".to_owned(),
            message: format!("unknown time zone {zone:?}; use an IANA name such as Europe/Paris"),
        });
    }
    errors.extend(shared_of("numbers"));

    let mut numbers = Vec::with_capacity(draft.numbers.len());
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (index, number) in draft.numbers.into_iter().enumerate() {
        let field = format!("numbers.{index}");
        if let Some(shared) = shared_of(&field) {
            errors.push(shared);
            continue;
        }
        let problem = match parse_number(number, region) {
            Err(message) => Some(message),
            Ok(number) => {
                let e164 = number.e164.clone().unwrap_or_default();
                if let Some(first) = seen.get(&e164) {
                    Some(format!("the same number as number {} above", first + 1))
                } else {
                    seen.insert(e164, index);
                    numbers.push(number);
                    None
                }
            }
        };
        if let Some(message) = problem {
            errors.push(FieldError { field, message });
        }
    }

    match blank_to_none(Some(draft.name)) {
        Some(name) if errors.is_empty() => Ok(NewContact {
            time_zone: zones::settle(time_zone, &numbers),
            name,
            company: blank_to_none(draft.company),
            title: blank_to_none(draft.title),
            email: blank_to_none(draft.email),
            owner: None,
            external_id: None,
            numbers,
        }),
        _ => Err(errors),
    }
}

/// One number of a draft that passed [`rules::number_problem`], parsed, or the
/// message for its field.
fn parse_number(number: NumberDraft, region: Region) -> Result<NewNumber, String> {
    let label = blank_to_none(Some(number.label)).unwrap_or_else(|| DEFAULT_LABEL.to_owned());
    let raw = number.raw.trim().to_owned();
    let Some(parsed) = phone::normalize(&raw, region) else {
        return Err(format!(
            "{}; a number outside {region} needs its country code, such as +44 20 7946 0958",
            phone::problem(&raw, region)
        ));
    };
    Ok(NewNumber {
        label,
        raw,
        e164: Some(parsed.e164),
        region: parsed.region.map(|region| region.to_string()),
        parse_error: None,
        display: Some(parsed.display),
        do_not_call: Some(number.do_not_call),
    })
}

/// `text` trimmed, or `None` when nothing is left.
fn blank_to_none(text: Option<String>) -> Option<String> {
    text.map(|text| text.trim().to_owned())
        .filter(|text| !text.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn us() -> Region {
        Region::parse("US").unwrap()
    }

    fn number(raw: &str) -> NumberDraft {
        NumberDraft {
            label: "work".to_owned(),
            raw: raw.to_owned(),
            do_not_call: false,
        }
    }

    fn fields(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|error| error.field.as_str()).collect()
    }

    fn message<'a>(errors: &'a [FieldError], field: &str) -> &'a str {
        &errors.iter().find(|e| e.field == field).unwrap().message
    }

    #[test]
    fn a_good_draft_is_trimmed_and_blanks_become_none() {
        let contact = check(
            ContactDraft {
                base_version: None,
                name: "  Amélie Poulain ".to_owned(),
                company: Some("  ".to_owned()),
                title: Some(" Waitress ".to_owned()),
                email: Some("".to_owned()),
                time_zone: Some(" ".to_owned()),
                numbers: vec![
                    NumberDraft {
                        label: " ".to_owned(),
                        raw: " +33 6 12 34 56 78 ".to_owned(),
                        do_not_call: true,
                    },
                    number("(415) 555-0123"),
                ],
            },
            us(),
        )
        .unwrap();
        assert_eq!(contact.name, "Amélie Poulain");
        assert_eq!(contact.company, None);
        assert_eq!(contact.title.as_deref(), Some("Waitress"));
        assert_eq!(contact.email, None);
        // No zone given: the first number is French, and France has one zone.
        assert_eq!(contact.time_zone.as_deref(), Some("Europe/Paris"));
        let first = &contact.numbers[0];
        assert_eq!(first.label, "phone");
        assert_eq!(first.raw, "+33 6 12 34 56 78");
        assert_eq!(first.e164.as_deref(), Some("+33612345678"));
        assert_eq!(first.region.as_deref(), Some("FR"));
        assert_eq!(first.do_not_call, Some(true));
        assert_eq!(contact.numbers[1].do_not_call, Some(false));
        assert_eq!(contact.numbers[1].region.as_deref(), Some("US"));
    }

    #[test]
    fn an_explicit_zone_is_kept_and_a_us_number_settles_none() {
        let draft = |zone: Option<&str>| ContactDraft {
            name: "Bob".to_owned(),
            time_zone: zone.map(str::to_owned),
            numbers: vec![number("(415) 555-0123")],
            ..ContactDraft::default()
        };
        assert_eq!(check(draft(None), us()).unwrap().time_zone, None);
        assert_eq!(
            check(draft(Some("America/Chicago")), us())
                .unwrap()
                .time_zone
                .as_deref(),
            Some("America/Chicago")
        );
        let errors = check(draft(Some("Mars/Base")), us()).unwrap_err();
        assert_eq!(
            message(&errors, "timeZone"),
            "unknown time zone \"Mars/Base\"; use an IANA name such as Europe/Paris"
        );
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let long = "x".repeat(201);
        let errors = check(
            ContactDraft {
                base_version: None,
                name: " ".to_owned(),
                company: Some(long.clone()),
                title: Some(long),
                email: Some("ada at example.com".to_owned()),
                time_zone: Some("EST".to_owned()),
                numbers: vec![
                    number("(415) 555-0123"),
                    number("800"),
                    number("415.555.0123"),
                    number(" "),
                    number("+999 1234567"),
                    NumberDraft {
                        label: "l".repeat(51),
                        raw: "212 555 0100".to_owned(),
                        do_not_call: false,
                    },
                ],
            },
            us(),
        )
        .unwrap_err();
        assert_eq!(
            fields(&errors),
            [
                "name",
                "company",
                "title",
                "email",
                "timeZone",
                "numbers.1",
                "numbers.2",
                "numbers.3",
                "numbers.4",
                "numbers.5"
            ]
        );
        assert_eq!(message(&errors, "name"), "a name is required");
        assert_eq!(
            message(&errors, "company"),
            "the company is longer than 200 characters"
        );
        assert_eq!(
            message(&errors, "numbers.1"),
            "fewer than 7 digits; a number outside US needs its country code, such as +44 20 7946 0958"
        );
        assert_eq!(
            message(&errors, "numbers.2"),
            "the same number as number 1 above"
        );
        assert_eq!(
            message(&errors, "numbers.3"),
            "enter a phone number, or remove this one"
        );
        assert!(message(&errors, "numbers.4").starts_with("not a valid phone number in US"));
        assert_eq!(
            message(&errors, "numbers.5"),
            "the label is longer than 50 characters"
        );
    }

    #[test]
    fn a_contact_needs_a_number_or_an_email_and_at_most_twenty_numbers() {
        let bare = ContactDraft {
            name: "Ada".to_owned(),
            ..ContactDraft::default()
        };
        let errors = check(bare.clone(), us()).unwrap_err();
        assert_eq!(fields(&errors), ["numbers"]);
        assert_eq!(
            message(&errors, "numbers"),
            "add a phone number or an e-mail address"
        );
        let reachable = ContactDraft {
            email: Some("ada@example.com".to_owned()),
            ..bare.clone()
        };
        assert!(check(reachable, us()).unwrap().numbers.is_empty());
        let many = ContactDraft {
            numbers: (0..21)
                .map(|i| number(&format!("415 555 01{i:02}")))
                .collect(),
            ..bare
        };
        let errors = check(many, us()).unwrap_err();
        assert_eq!(fields(&errors), ["numbers"]);
        assert_eq!(message(&errors, "numbers"), "at most 20 numbers; remove 1");
    }

    #[test]
    fn the_e_mail_address_follows_the_shared_rules() {
        let long = format!("{}@example.com", "a".repeat(250));
        let errors = check(
            ContactDraft {
                name: "Ada".to_owned(),
                email: Some(long),
                ..ContactDraft::default()
            },
            us(),
        )
        .unwrap_err();
        assert_eq!(
            message(&errors, "email"),
            "the e-mail address is longer than 254 characters"
        );
    }
}
