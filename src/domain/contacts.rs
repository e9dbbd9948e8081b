//! Contact look-ups over the book held in the browser.

use dialdesk_contract::Contact;

use super::table::{Query, RowKey};

/// The first contact holding `number` (compared in E.164).
pub fn find_by_number<'a>(contacts: &'a [Contact], number: &str) -> Option<&'a Contact> {
    contacts
        .iter()
        .find(|c| c.numbers.iter().any(|n| n.e164.as_deref() == Some(number)))
}

/// The one contact holding `number` (E.164), when exactly one does: with several,
/// which one a call is with must be asked, not guessed.
pub fn only_holder(contacts: &[Contact], number: &str) -> Option<i64> {
    let mut holders = contacts
        .iter()
        .filter(|c| c.numbers.iter().any(|n| n.e164.as_deref() == Some(number)));
    let first = holders.next()?;
    holders.next().is_none().then_some(first.id)
}

/// Fewer digits than a dialable number: an extension such as `800`, never a contact.
pub fn is_extension(number: &str) -> bool {
    number.chars().filter(char::is_ascii_digit).count() < 7
}

/// Contacts matching `query` (see [`Query`]), in book order; at most `limit`.
/// `keys` are the contacts' [`RowKey`]s, in the same order.
pub fn search<'a>(
    contacts: &'a [Contact],
    keys: &[RowKey],
    query: &Query,
    limit: usize,
) -> Vec<&'a Contact> {
    if query.is_empty() {
        return Vec::new();
    }
    keys.iter()
        .zip(contacts)
        .filter(|(key, _)| query.matches(key))
        .map(|(_, contact)| contact)
        .take(limit)
        .collect()
}

/// How the embed shows a contact: `Name (Company)`.
pub fn display_name(contact: &Contact) -> String {
    match &contact.company {
        Some(company) if !company.is_empty() => format!("{} ({company})", contact.name),
        _ => contact.name.clone(),
    }
}

/// A count with thin thousands separators: `10 000`.
pub fn format_count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{2009}');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use dialdesk_contract::ContactNumber;

    fn contact(id: i64, e164: Option<&str>) -> Contact {
        Contact {
            version: 1,
            id,
            name: format!("Contact {id}"),
            company: None,
            title: None,
            email: None,
            time_zone: None,
            numbers: vec![ContactNumber {
                label: "work".into(),
                raw: "x".into(),
                e164: e164.map(str::to_owned),
                ..ContactNumber::default()
            }],
        }
    }

    #[test]
    fn finds_by_e164() {
        let book = [contact(1, None), contact(2, Some("+14155550123"))];
        assert_eq!(find_by_number(&book, "+14155550123").map(|c| c.id), Some(2));
        assert_eq!(find_by_number(&book, "+14155550199"), None);
        assert_eq!(only_holder(&book, "+14155550123"), Some(2));
        let shared = [
            contact(1, Some("+14155550123")),
            contact(2, Some("+14155550123")),
        ];
        assert_eq!(only_holder(&shared, "+14155550123"), None, "ask, not guess");
    }

    #[test]
    fn searches_names_and_digits() {
        let mut dana = contact(1, Some("+14155550123"));
        dana.name = "Dana Whitfield".into();
        dana.company = Some("Acme".into());
        let book = [dana, contact(2, Some("+12125550147"))];
        let keys: Vec<_> = book
            .iter()
            .map(|c| super::super::table::row_key(c, str::to_lowercase))
            .collect();
        let ids = |q: &str| {
            search(&book, &keys, &Query::new(q, str::to_lowercase), 10)
                .iter()
                .map(|c| c.id)
                .collect::<Vec<_>>()
        };
        assert_eq!(ids("whit"), [1]);
        assert_eq!(ids("ACME"), [1]);
        assert_eq!(ids("0147"), [2]);
        assert_eq!(ids("555"), [1, 2]);
        assert!(ids("  ").is_empty());
        assert_eq!(display_name(&book[0]), "Dana Whitfield (Acme)");
        assert!(is_extension("800"));
        assert!(!is_extension("+14155550123"));
    }

    #[test]
    fn groups_thousands() {
        assert_eq!(format_count(7), "7");
        assert_eq!(format_count(1000), "1\u{2009}000");
        assert_eq!(format_count(100000), "100\u{2009}000");
        assert_eq!(format_count(1234567), "1\u{2009}234\u{2009}567");
    }
}
