//! The contact rules that need nothing but the text: lengths, the name, the e-mail
//! address, a number's label and blankness, and what a do-not-call cell may say.
//!
//! One set for every way a contact comes in: the app checks a field as the rep
//! leaves it and again as they correct it, the proxy checks the whole draft on save
//! (adding what needs its own data: phone numbers parsed for their country, time
//! zones), and the CSV import refuses a row that breaks them. The messages are the
//! same wherever they are shown.

use crate::{ContactDraft, FieldError, NumberDraft};

/// Longest name, company or title, in characters.
pub const MAX_TEXT: usize = 200;
/// Longest e-mail address, in characters.
pub const MAX_EMAIL: usize = 254;
/// Longest number label, in characters.
pub const MAX_LABEL: usize = 50;
/// Most numbers a contact may have.
pub const MAX_NUMBERS: usize = 20;
/// Longest part of an e-mail address before its `@`, in characters.
const MAX_EMAIL_LOCAL: usize = 64;

/// What is wrong with the name, if anything: it is required.
pub fn name_problem(name: &str) -> Option<String> {
    let name = name.trim();
    if name.is_empty() {
        Some("a name is required".to_owned())
    } else {
        text_problem("the name", name)
    }
}

/// What is wrong with a free-text field called `what` ("the company"), if anything.
pub fn text_problem(what: &str, text: &str) -> Option<String> {
    too_long(text.trim(), MAX_TEXT).then(|| longer_than(what, MAX_TEXT))
}

/// What is wrong with an e-mail address, if anything (blank is fine: it is
/// optional).
pub fn email_problem(email: &str) -> Option<String> {
    let email = email.trim();
    if email.is_empty() {
        None
    } else if too_long(email, MAX_EMAIL) {
        Some(longer_than("the e-mail address", MAX_EMAIL))
    } else if !looks_like_email(email) {
        Some("not an e-mail address; write one such as name@example.com".to_owned())
    } else {
        None
    }
}

/// What is wrong with a number's label, if anything (blank takes a default).
pub fn label_problem(label: &str) -> Option<String> {
    too_long(label.trim(), MAX_LABEL).then(|| longer_than("the label", MAX_LABEL))
}

/// What is wrong with one number of a draft before it is parsed, if anything.
pub fn number_problem(number: &NumberDraft) -> Option<String> {
    label_problem(&number.label).or_else(|| {
        number
            .raw
            .trim()
            .is_empty()
            .then(|| "enter a phone number, or remove this one".to_owned())
    })
}

/// What a do-not-call cell says: yes (`yes`, `y`, `true`, `1`, `x`), no (blank,
/// `no`, `n`, `false`, `0`), in any case; anything else is refused with the reason,
/// as a guess either way could call someone who asked not to be called.
pub fn do_not_call_value(text: &str) -> Result<bool, String> {
    match text.trim().to_lowercase().as_str() {
        "yes" | "y" | "true" | "1" | "x" => Ok(true),
        "" | "no" | "n" | "false" | "0" => Ok(false),
        _ => Err(format!(
            "do-not-call says {:?}: write yes or no (or leave it blank)",
            clip(text.trim())
        )),
    }
}

/// Every problem of `draft` these rules find, one per field, in the form's order;
/// numbers are `numbers.N` from 0.
pub fn problems(draft: &ContactDraft) -> Vec<FieldError> {
    let optional = |text: &Option<String>| text.as_deref().unwrap_or_default().to_owned();
    let email = optional(&draft.email);
    let mut found = vec![
        ("name".to_owned(), name_problem(&draft.name)),
        (
            "company".to_owned(),
            text_problem("the company", &optional(&draft.company)),
        ),
        (
            "title".to_owned(),
            text_problem("the title", &optional(&draft.title)),
        ),
        ("email".to_owned(), email_problem(&email)),
    ];
    if draft.numbers.len() > MAX_NUMBERS {
        found.push((
            "numbers".to_owned(),
            Some(format!(
                "at most {MAX_NUMBERS} numbers; remove {}",
                draft.numbers.len() - MAX_NUMBERS
            )),
        ));
    } else if draft.numbers.is_empty() && email.trim().is_empty() {
        found.push((
            "numbers".to_owned(),
            Some("add a phone number or an e-mail address".to_owned()),
        ));
    }
    found.extend(
        draft
            .numbers
            .iter()
            .enumerate()
            .map(|(at, number)| (format!("numbers.{at}"), number_problem(number))),
    );
    found
        .into_iter()
        .filter_map(|(field, message)| message.map(|message| FieldError { field, message }))
        .collect()
}

/// The problem of `field` in `draft`, if these rules find one.
pub fn problem_of(draft: &ContactDraft, field: &str) -> Option<String> {
    problems(draft)
        .into_iter()
        .find(|error| error.field == field)
        .map(|error| error.message)
}

fn too_long(text: &str, max: usize) -> bool {
    text.chars().count() > max
}

fn longer_than(what: &str, max: usize) -> String {
    format!("{what} is longer than {max} characters")
}

/// At most 40 characters of `text`, for a message.
fn clip(text: &str) -> String {
    text.chars().take(40).collect()
}

/// Whether `text` looks like an e-mail address: one `@` with something before it, a
/// domain of dot-separated labels after it (letters, digits and `-`, not at either
/// end), and no spaces, control characters or `<>,;"`.
fn looks_like_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    let plain = |c: char| !c.is_whitespace() && !c.is_control() && !"<>,;\"@()[]\\".contains(c);
    let label_ok = |label: &str| {
        !label.is_empty()
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    !local.is_empty()
        && local.chars().count() <= MAX_EMAIL_LOCAL
        && local.chars().all(plain)
        && domain.contains('.')
        && domain.split('.').all(label_ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(name: &str, email: &str, numbers: &[&str]) -> ContactDraft {
        ContactDraft {
            name: name.to_owned(),
            email: Some(email.to_owned()),
            numbers: numbers
                .iter()
                .map(|raw| NumberDraft {
                    label: "work".to_owned(),
                    raw: (*raw).to_owned(),
                    do_not_call: false,
                })
                .collect(),
            ..ContactDraft::default()
        }
    }

    #[test]
    fn e_mail_addresses_need_one_at_and_a_dotted_domain() {
        for good in [
            "rae@initech.example",
            "a.b+tag@mail.example.co.uk",
            "zoë@exämple.de",
            "x@a-b.example",
            " ada@x.io ",
            "",
        ] {
            assert_eq!(email_problem(good), None, "{good:?}");
        }
        for bad in [
            "rae@@initech",
            "ada",
            "ada@",
            "rae@initech",
            "@initech.example",
            "rae initech@x.io",
            "ada@exa mple.com",
            "ada@.example.com",
            "rae@-x.io",
            "rae@x..io",
            "<rae@x.io>",
            "ada@example.com,bob@example.com",
        ] {
            assert!(email_problem(bad).is_some(), "{bad:?}");
        }
        let long = format!("{}@example.com", "a".repeat(250));
        assert_eq!(
            email_problem(&long).as_deref(),
            Some("the e-mail address is longer than 254 characters")
        );
    }

    #[test]
    fn do_not_call_cells_say_yes_or_no_or_are_refused() {
        for yes in ["yes", "Y", "TRUE", "1", " x "] {
            assert_eq!(do_not_call_value(yes), Ok(true), "{yes:?}");
        }
        for no in ["", "  ", "No", "n", "false", "0"] {
            assert_eq!(do_not_call_value(no), Ok(false), "{no:?}");
        }
        let refused = do_not_call_value(" maybe ").unwrap_err();
        assert_eq!(
            refused,
            "do-not-call says \"maybe\": write yes or no (or leave it blank)"
        );
    }

    #[test]
    fn a_draft_s_problems_are_listed_by_field_in_the_form_s_order() {
        let fields: Vec<(String, String)> = problems(&draft(" ", "rae@@initech", &["", "+1 212"]))
            .into_iter()
            .map(|e| (e.field, e.message))
            .collect();
        assert_eq!(
            fields,
            [
                ("name".to_owned(), "a name is required".to_owned()),
                (
                    "email".to_owned(),
                    "not an e-mail address; write one such as name@example.com".to_owned()
                ),
                (
                    "numbers.0".to_owned(),
                    "enter a phone number, or remove this one".to_owned()
                ),
            ]
        );
        assert!(problems(&draft("Ada", "", &["+1 212 555 0100"])).is_empty());
        assert_eq!(
            problem_of(&draft("Ada", "", &[]), "numbers").as_deref(),
            Some("add a phone number or an e-mail address")
        );
        assert_eq!(problem_of(&draft("Ada", "ada@x.io", &[]), "numbers"), None);
    }

    #[test]
    fn lengths_count_characters_not_bytes() {
        assert_eq!(text_problem("the company", &"é".repeat(MAX_TEXT)), None);
        assert_eq!(
            text_problem("the company", &"é".repeat(MAX_TEXT + 1)).as_deref(),
            Some("the company is longer than 200 characters")
        );
        assert!(label_problem(&"l".repeat(MAX_LABEL + 1)).is_some());
        assert!(name_problem(&"n".repeat(MAX_TEXT + 1)).is_some());
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn no_text_upsets_the_rules(text in ".*", raw in ".*") {
            let _ = do_not_call_value(&text);
            let draft = ContactDraft {
                name: text.clone(),
                company: Some(text.clone()),
                email: Some(text.clone()),
                numbers: vec![NumberDraft { label: text, raw, do_not_call: true }],
                ..ContactDraft::default()
            };
            for error in problems(&draft) {
                proptest::prop_assert!(!error.message.is_empty());
            }
        }
    }
}
