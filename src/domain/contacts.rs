//! Contact look-ups over the book held in the browser.

use dialdesk_contract::Contact;

/// The first contact holding `number` (compared in E.164).
pub fn find_by_number<'a>(contacts: &'a [Contact], number: &str) -> Option<&'a Contact> {
    contacts
        .iter()
        .find(|c| c.numbers.iter().any(|n| n.e164.as_deref() == Some(number)))
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
            }],
        }
    }

    #[test]
    fn finds_by_e164() {
        let book = [contact(1, None), contact(2, Some("+14155550123"))];
        assert_eq!(find_by_number(&book, "+14155550123").map(|c| c.id), Some(2));
        assert_eq!(find_by_number(&book, "+14155550199"), None);
    }

    #[test]
    fn groups_thousands() {
        assert_eq!(format_count(7), "7");
        assert_eq!(format_count(1000), "1\u{2009}000");
        assert_eq!(format_count(100000), "100\u{2009}000");
        assert_eq!(format_count(1234567), "1\u{2009}234\u{2009}567");
    }
}
